"""Scenario simulator: ground truth -> arrivals, reports, weather (demo, tests, benchmarks)."""
