"""How reports write numbers, dates, probabilities and the names of things: one way each.

Everything is worded in the current language (:func:`truceline.i18n.use_language`); the
examples show English, the default.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from truceline.domain import Corroboration, Severity, ViolationType
from truceline.engine.attribute import likelihood_words
from truceline.i18n import N_, _, current_language, format_date, format_number
from truceline.i18n.terms import term

UNATTRIBUTED = "unattributed"

# English msgids: shown through violation_label / severity_label / corroboration_label.
VIOLATION_LABELS: dict[ViolationType, str] = {
    ViolationType.FIRE_ACROSS_LINE: N_("Fire across the line"),
    ViolationType.FIRE_AT_PROTECTED_SITE: N_("Fire at or near a protected site"),
    ViolationType.WEAPON_IN_WITHDRAWAL_ZONE: N_("Heavy weapon in its withdrawal zone"),
    ViolationType.MISSING_WEAPON: N_("Declared weapon missing from its holding area"),
    ViolationType.BUFFER_ZONE_INCURSION: N_("Incursion into the buffer zone"),
    ViolationType.ACCESS_DENIED: N_("Denial of access to the monitors"),
}

CORROBORATION_LABELS: dict[Corroboration, str] = {
    Corroboration.VERIFIED: N_("verified"),
    Corroboration.CORROBORATED: N_("corroborated"),
    Corroboration.SINGLE_SOURCE: N_("single source"),
}

SEVERITY_LABELS: dict[Severity, str] = {
    Severity.CRITICAL: N_("Critical"),
    Severity.HIGH: N_("High"),
    Severity.MEDIUM: N_("Medium"),
    Severity.LOW: N_("Low"),
}


def violation_label(kind: ViolationType) -> str:
    """The name of a type of violation.

    >>> violation_label(ViolationType.ACCESS_DENIED)
    'Denial of access to the monitors'
    """
    return _(VIOLATION_LABELS[kind])


def severity_label(severity: Severity) -> str:
    """A severity, capitalised: ``Critical``."""
    return _(SEVERITY_LABELS[severity])


def corroboration_label(corroboration: Corroboration) -> str:
    """A grade of corroboration in words: ``single source``."""
    return _(CORROBORATION_LABELS[corroboration])


def column_label(column: str) -> str:
    """A column of counts: a party code as it is, ``unattributed`` in words."""
    return _("unattributed") if column == UNATTRIBUTED else column


def count(n: float) -> str:
    """A whole number with thousands separators.

    >>> count(1303)
    '1,303'
    """
    return format_number(current_language(), n)


def decimal(x: float, pattern: str = "#,##0.0") -> str:
    """A number with the decimals of ``pattern`` (a CLDR pattern).

    >>> decimal(2.25), decimal(1234.5, "#,##0")
    ('2.2', '1,234')
    """
    places = len(pattern.partition(".")[2])
    # Rounded here as Python prints floats (CLDR would round the decimal text half-even).
    return format_number(current_language(), round(x, places), pattern)


def day(d: date | datetime) -> str:
    """A date as reports write it.

    >>> day(date(2026, 11, 1))
    '1 November 2026'
    """
    return format_date(current_language(), d, "d MMMM y")


def day_month(d: date) -> str:
    """A day and month, for the first day of a period: ``25 October``."""
    return format_date(current_language(), d, "d MMMM")


def short_day(d: date) -> str:
    """A date in a chart axis or a table: ``21 Nov``.

    >>> short_day(date(2026, 11, 21))
    '21 Nov'
    """
    return format_date(current_language(), d, "d MMM")


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
    return _("%(day)s, %(time)s UTC") % {"day": day(t.astimezone(UTC)), "time": clock(t)}


def probability(p: float | None) -> str:
    """A probability with two decimals (``p = 0.93``), or a dash when there is none.

    >>> probability(0.934), probability(None)
    ('p = 0.93', '-')
    """
    return "-" if p is None else f"p = {decimal(p, '0.00')}"


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
        return _("not attributable")
    if p is None:
        return _("%(party)s (named by the rule, not a probability)") % {"party": party}
    words = _(likelihood_words(p))
    return f"{party}: {words} ({probability(p)})"


def place(lon: float | None, lat: float | None) -> str:
    """A position in degrees, or a dash.

    >>> place(37.6805, 49.6159), place(None, None)
    ('49.616° N 37.681° E', '-')
    """
    if lon is None or lat is None:
        return "-"
    ns, ew = ("N" if lat >= 0 else "S"), ("E" if lon >= 0 else "W")
    return f"{decimal(abs(lat), '0.000')}° {ns} {decimal(abs(lon), '0.000')}° {ew}"


def words(value: str) -> str:
    """A machine value as words: ``beyond_reasonable_doubt`` -> ``beyond reasonable doubt``.

    >>> words("pending_ratification")
    'pending ratification'
    """
    return term(value)


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
        return f"{day_month(first)} - {day(last)}"
    return f"{day(first)} - {day(last)}"
