"""ISO 8601 UTC times: strict parsing, exact formatting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from hypothesis import given

from tests.io import strategies as s
from truceline.io.timefmt import format_time, parse_time


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01T04:12:33.123456Z", datetime(2026, 3, 1, 4, 12, 33, 123456, tzinfo=UTC)),
        ("2026-03-01T04:12:33Z", datetime(2026, 3, 1, 4, 12, 33, tzinfo=UTC)),
        ("2026-03-01T04:12:33.5Z", datetime(2026, 3, 1, 4, 12, 33, 500000, tzinfo=UTC)),
        ("2026-03-01T04:12:33.123+00:00", datetime(2026, 3, 1, 4, 12, 33, 123000, tzinfo=UTC)),
    ],
)
def test_parse_time_accepts_utc(text: str, expected: datetime) -> None:
    parsed = parse_time(text)
    assert parsed == expected
    assert parsed.utcoffset() == timedelta(0)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-03-01T04:12:33", "no zone"),
        ("2026-03-01T04:12:33.25", "no zone"),
        ("2026-03-01T04:12:33+02:00", "not in UTC"),
        ("2026-03-01T04:12:33-00:00", "not in UTC"),
        ("2026-03-01T04:12:33.1234567Z", "more than 6 fractional digits"),
        ("2026-13-01T04:12:33Z", "month must be in 1..12"),
        ("2026-02-30T04:12:33Z", "invalid time"),
        ("2026-03-01T24:00:00Z", "invalid time"),
        ("2026-03-01T04:12Z", "expected an ISO 8601 UTC time"),
        ("2026-03-01", "expected an ISO 8601 UTC time"),
        ("20260301T041233Z", "expected an ISO 8601 UTC time"),
        ("2026-03-01 04:12:33Z", "expected an ISO 8601 UTC time"),
        ("2026-03-01T04:12:33,5Z", "expected an ISO 8601 UTC time"),
        (" 2026-03-01T04:12:33Z", "expected an ISO 8601 UTC time"),
        ("1772338353", "expected an ISO 8601 UTC time"),
        ("", "expected an ISO 8601 UTC time"),
    ],
)
def test_parse_time_refuses(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_time(text)


def test_format_time_shape() -> None:
    assert format_time(datetime(2026, 3, 1, 4, 12, 33, 123456, tzinfo=UTC)) == (
        "2026-03-01T04:12:33.123456Z"
    )
    assert format_time(datetime(2026, 3, 1, 4, 12, 33, tzinfo=UTC)) == "2026-03-01T04:12:33Z"
    kyiv = timezone(timedelta(hours=2))
    assert format_time(datetime(2026, 3, 1, 6, 0, tzinfo=kyiv)) == "2026-03-01T04:00:00Z"


def test_format_time_refuses_naive() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_time(datetime(2026, 3, 1, 4, 12, 33))


@given(s.times | s.offset_times)
def test_time_round_trip(dt: datetime) -> None:
    text = format_time(dt)
    assert text.endswith("Z")
    back = parse_time(text)
    assert back == dt
    assert back.tzinfo is UTC
    assert format_time(back) == text
