"""Dates and numbers as each language writes them (Babel, CLDR data: en_GB, uk_UA, ru_RU).

Times are always shown in UTC, as the mechanism reports them; only the words and separators
change with the language.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel import dates, numbers

from truceline.i18n.catalogue import LOCALES, require_language


def locale_of(lang: str) -> str:
    """The CLDR locale a language formats with.

    >>> locale_of("uk")
    'uk_UA'
    """
    return LOCALES[require_language(lang)]


def format_date(lang: str, value: date | datetime, pattern: str = "d MMMM y") -> str:
    """A date with month names in the language (a datetime is first taken to UTC).

    >>> format_date("en", date(2026, 11, 21)), format_date("uk", date(2026, 11, 21))
    ('21 November 2026', '21 листопада 2026')
    """
    if isinstance(value, datetime):
        value = value.astimezone(UTC).date()
    return dates.format_date(value, pattern, locale=locale_of(lang))


def format_datetime(lang: str, value: datetime, pattern: str = "d MMMM y, HH:mm") -> str:
    """A UTC date and time in the language.

    >>> format_datetime("ru", datetime(2026, 11, 22, 6, 0, tzinfo=UTC))
    '22 ноября 2026, 06:00'
    """
    return dates.format_datetime(value.astimezone(UTC), pattern, tzinfo=UTC, locale=locale_of(lang))


def format_number(lang: str, value: float, pattern: str | None = None) -> str:
    """A number with the language's grouping and decimal signs (``pattern``: a CLDR pattern).

    >>> format_number("en", 1303), format_number("ru", 0.934, "0.00")
    ('1,303', '0,93')
    """
    return numbers.format_decimal(value, format=pattern, locale=locale_of(lang))


def format_percent(lang: str, value: float, pattern: str | None = None) -> str:
    """A fraction as a percentage in the language.

    >>> format_percent("en", 0.95)
    '95%'
    """
    return numbers.format_percent(value, format=pattern, locale=locale_of(lang))
