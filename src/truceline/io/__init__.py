"""Interchange readers and writers (shared/spec/interchange.md), importers and exporters."""
