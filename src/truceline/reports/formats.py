"""How reports write numbers, dates, probabilities and the names of things: one way each."""

from __future__ import annotations

from datetime import UTC, date, datetime

from truceline.domain import Corroboration, Severity, ViolationType
from truceline.engine.attribute import likelihood_words

UNATTRIBUTED = "unattributed"

VIOLATION_LABELS: dict[ViolationType, str] = {
    ViolationType.FIRE_ACROSS_LINE: "Fire across the line",
    ViolationType.FIRE_AT_PROTECTED_SITE: "Fire at or near a protected site",
    ViolationType.WEAPON_IN_WITHDRAWAL_ZONE: "Heavy weapon in its withdrawal zone",
    ViolationType.MISSING_WEAPON: "Declared weapon missing from its holding area",
    ViolationType.BUFFER_ZONE_INCURSION: "Incursion into the buffer zone",
    ViolationType.ACCESS_DENIED: "Denial of access to the monitors",
}

CORROBORATION_LABELS: dict[Corroboration, str] = {
    Corroboration.VERIFIED: "verified",
    Corroboration.CORROBORATED: "corroborated",
    Corroboration.SINGLE_SOURCE: "single source",
}

SEVERITY_LABELS: dict[Severity, str] = {s: s.value.capitalize() for s in Severity}


def count(n: int) -> str:
    """A whole number with thousands separators.

    >>> count(1303)
    '1,303'
    """
    return f"{n:,d}"


def plural(n: int, one: str, many: str | None = None) -> str:
    """``n`` and the noun agreeing with it.

    >>> plural(1, "violation"), plural(1303, "violation"), plural(2, "was", "were")
    ('1 violation', '1,303 violations', '2 were')
    """
    return f"{count(n)} {one if n == 1 else (many or one + 's')}"


def day(d: date | datetime) -> str:
    """A date as reports write it.

    >>> day(date(2026, 11, 1))
    '1 November 2026'
    """
    return f"{d.day} {d:%B %Y}"


def short_day(d: date) -> str:
    """A date in a chart axis or a table: ``21 Nov``.

    >>> short_day(date(2026, 11, 21))
    '21 Nov'
    """
    return f"{d.day} {d:%b}"


def clock(t: datetime) -> str:
    """A time of day in UTC.

    >>> clock(datetime(2026, 11, 21, 6, 47, 8, tzinfo=UTC))
    '06:47'
    """
    return t.astimezone(UTC).strftime("%H:%M")


def timestamp(t: datetime) -> str:
    """A full UTC date and time.

    >>> timestamp(datetime(2026, 11, 22, 12, 0, tzinfo=UTC))
    '22 November 2026, 12:00 UTC'
    """
    return f"{day(t.astimezone(UTC))}, {clock(t)} UTC"


def probability(p: float | None) -> str:
    """A probability with two decimals (``p = 0.93``), or a dash when there is none.

    >>> probability(0.934), probability(None)
    ('p = 0.93', '-')
    """
    return "-" if p is None else f"p = {p:.2f}"


def likelihood(party: str | None, p: float | None) -> str:
    """Who is held responsible, in ICD 203 words, with the probability behind them.

    >>> likelihood("RU", 0.997)
    'RU: almost certainly (p = 1.00)'
    >>> likelihood("UA", 0.5)
    'UA: roughly even chance (p = 0.50)'
    >>> likelihood("RU", None), likelihood(None, None)
    ('RU (named by the rule, not a probability)', 'not attributable')
    """
    if party is None:
        return "not attributable"
    if p is None:
        return f"{party} (named by the rule, not a probability)"
    return f"{party}: {likelihood_words(p)} ({probability(p)})"


def place(lon: float | None, lat: float | None) -> str:
    """A position in degrees, or a dash.

    >>> place(37.6805, 49.6159), place(None, None)
    ('49.616° N 37.681° E', '-')
    """
    if lon is None or lat is None:
        return "-"
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    return f"{abs(lat):.3f}° {ns} {abs(lon):.3f}° {ew}"


def words(value: str) -> str:
    """A machine value as words: ``beyond_reasonable_doubt`` -> ``beyond reasonable doubt``.

    >>> words("pending_ratification")
    'pending ratification'
    """
    return value.replace("_", " ")


def day_range(first: date, last: date) -> str:
    """A period of whole days, as short as it reads clearly.

    >>> day_range(date(2026, 11, 21), date(2026, 11, 21))
    '21 November 2026'
    >>> day_range(date(2026, 11, 1), date(2026, 11, 21))
    '1-21 November 2026'
    >>> day_range(date(2026, 10, 25), date(2026, 11, 21))
    '25 October - 21 November 2026'
    """
    if first == last:
        return day(first)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}-{day(last)}"
    if first.year == last.year:
        return f"{first.day} {first:%B} - {day(last)}"
    return f"{day(first)} - {day(last)}"
