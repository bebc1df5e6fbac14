"""ISO 8601 UTC times as the interchange files write them: ``2026-03-01T04:12:33.123456Z``."""

from __future__ import annotations

import re
from datetime import UTC, datetime

_TIME_RE = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,6})?(?:Z|\+00:00)", re.ASCII)
_EXPECTED = "expected an ISO 8601 UTC time like 2026-03-01T04:12:33.123456Z"


def parse_time(text: str) -> datetime:
    """Parse an ISO 8601 UTC time (``Z`` or ``+00:00``) into a timezone-aware UTC datetime.

    Seconds are required; a fraction may have 1 to 6 digits. Times without a zone,
    with another offset, or in any other shape raise ``ValueError``.

    >>> parse_time("2026-03-01T04:12:33.5Z")
    datetime.datetime(2026, 3, 1, 4, 12, 33, 500000, tzinfo=datetime.timezone.utc)
    """
    if _TIME_RE.fullmatch(text) is None:
        raise ValueError(_describe_bad_time(text))
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:  # shape is right, a field is out of range (month 13, ...)
        raise ValueError(f"invalid time ({exc})") from None


def format_time(dt: datetime) -> str:
    """Format a timezone-aware datetime as UTC with ``Z``; the fraction is omitted when zero.

    >>> format_time(parse_time("2026-03-01T04:12:33.123456+00:00"))
    '2026-03-01T04:12:33.123456Z'
    """
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"naive datetime {dt.isoformat()!r}: times must be timezone-aware")
    return dt.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"


def _describe_bad_time(text: str) -> str:
    """Say why ``text`` is not an interchange time, as precisely as cheaply possible."""
    stem = re.fullmatch(r"(.*T\d{2}:\d{2}:\d{2})(\.\d+)?(.*)", text, re.ASCII)
    if stem is not None:
        fraction, zone = stem.group(2) or "", stem.group(3)
        if zone == "":
            return f"time has no zone (naive times are refused); {_EXPECTED}"
        if re.fullmatch(r"[+-]\d{2}:?\d{2}", zone):
            return f"time is not in UTC (offset {zone}); {_EXPECTED}"
        if len(fraction) > 7:
            return f"more than 6 fractional digits (finer than a microsecond); {_EXPECTED}"
    return _EXPECTED
