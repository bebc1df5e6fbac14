"""Conversions between POSIX seconds (the simulator's clock) and UTC datetimes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def to_datetime(seconds: float) -> datetime:
    """UTC datetime, rounded to the microsecond, of POSIX seconds."""
    return EPOCH + timedelta(microseconds=round(seconds * 1e6))


def to_seconds(moment: datetime) -> float:
    """POSIX seconds of a tz-aware datetime."""
    return (moment - EPOCH).total_seconds()
