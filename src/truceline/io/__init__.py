"""Interchange readers and writers (shared/spec/interchange.md), importers and exporters."""

from truceline.io.arrivals import read_arrivals, write_arrivals
from truceline.io.events import read_events, write_events
from truceline.io.reports import read_reports, write_reports
from truceline.io.sensors import read_sensors, write_sensors
from truceline.io.timefmt import format_time, parse_time
from truceline.io.weather import read_weather, write_weather

__all__ = [
    "format_time",
    "parse_time",
    "read_arrivals",
    "read_events",
    "read_reports",
    "read_sensors",
    "read_weather",
    "write_arrivals",
    "write_events",
    "write_reports",
    "write_sensors",
    "write_weather",
]
