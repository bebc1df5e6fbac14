"""Free-text screening: coordinates, phone numbers, e-mail addresses and known names (pure).

Monitors write what they see, and sometimes where they stand and whom to call. Before a text
leaves the mechanism, everything that looks like a position (decimal degrees, degrees-minutes-
seconds, MGRS), a phone number, an e-mail address or the name of a known monitor, liaison,
sensor or user is replaced by ``[withheld]``. Screening is a safety net under the structural
redaction (:mod:`truceline.redaction.apply`), not a substitute: it cannot know a name it was
not given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

WITHHELD = "[withheld]"
MIN_NAME_LENGTH = 3  # shorter names (party codes such as "UA") would blank ordinary words

_HEMI = r"\s*[NSEWnsew]\b"
_DEC = r"[-+]?\d{1,3}\.\d{3,}"  # three or more decimals: ~100 m or finer
_DMS = (
    r"\d{1,3}\s*(?:°|º|deg\b|d\b)\s*\d{1,2}(?:\.\d+)?\s*(?:'|′|’|m\b|min\b)"
    r"(?:\s*\d{1,2}(?:\.\d+)?\s*(?:\"|″|”|''|s\b|sec\b))?(?:" + _HEMI + r")?"
)
PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("e-mail", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")),
    ("DMS", re.compile(_DMS)),
    # A pair of decimal degrees ("48.1234, 37.5678", "48.1234N 37.5678E"), in either order.
    (
        "decimal degrees",
        re.compile(
            _DEC
            + r"(?:\s*°)?(?:"
            + _HEMI
            + r")?\s*[,;/]?\s*"
            + _DEC
            + r"(?:\s*°)?(?:"
            + _HEMI
            + r")?"
        ),
    ),
    ("decimal degree", re.compile(_DEC + r"(?:\s*°)?" + _HEMI)),  # one, with its hemisphere
    # MGRS: zone, band, 100 km square, easting and northing ("37U DQ 12345 67890").
    (
        "MGRS",
        re.compile(
            r"\b\d{1,2}[C-HJ-NP-X]\s?[A-HJ-NP-Z]{2}\s?(?:\d{2,5}\s\d{2,5}|\d{4,10})\b",
            re.IGNORECASE,
        ),
    ),
    # International (+380 44 123 4567, 0044 20 ...) and national (044 123-45-67,
    # 8 (495) 123-45-67) numbers; dates and times do not start with + or 0 and 3-4 digits.
    (
        "phone",
        re.compile(
            r"(?<![\w.-])(?:(?:\+|00)\d{1,3}[\s.-]?(?:\(?\d{1,4}\)?[\s.-]?){1,4}\d{2,4}"
            r"|8\s?\(\d{3,4}\)\s?\d{2,3}[\s.-]?\d{2}[\s.-]?\d{2}"
            r"|\(?0\d{2,4}\)?[\s.-]?\d{2,3}[\s.-]?\d{2}[\s.-]?\d{2})(?![\w.])"
        ),
    ),
)


@dataclass(frozen=True)
class Screener:
    """Screens text for one set of known names (compile once, use for many texts)."""

    names: frozenset[str] = frozenset()
    _names_re: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_names_re", names_pattern(self.names))

    def screen(self, text: str) -> str:
        """``text`` with every position, phone, e-mail and known name withheld.

        >>> Screener(frozenset({"MT07"})).screen("MT07 at 48.1234, 37.5678; +380 44 123 4567")
        '[withheld] at [withheld]; [withheld]'
        """
        if not text:
            return text
        if self._names_re is not None:
            text = self._names_re.sub(WITHHELD, text)
        for _, pattern in PATTERNS:
            text = pattern.sub(WITHHELD, text)
        return text

    def screen_optional(self, text: str | None) -> str | None:
        """Like :meth:`screen`, keeping None."""
        return None if text is None else self.screen(text)


def names_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern of whole-word names, longest first (None for none).

    >>> names_pattern(["UA"]) is None
    True
    >>> bool(names_pattern(["Ivan Petrenko"]).search("seen by ivan petrenko today"))
    True
    """
    usable = sorted({n.strip() for n in names if len(n.strip()) >= MIN_NAME_LENGTH},
                    key=lambda n: (-len(n), n))  # fmt: skip
    if not usable:
        return None
    words = "|".join(re.escape(n) for n in usable)
    return re.compile(rf"(?<![\w-])(?:{words})(?![\w-])", re.IGNORECASE)


def find_sensitive(text: str, names: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(what, found text) of everything screening would withhold (for tests and audits).

    >>> find_sensitive("write to a@b.org")
    [('e-mail', 'a@b.org')]
    """
    found = []
    pattern = names_pattern(names)
    if pattern is not None:
        found += [("name", m.group(0)) for m in pattern.finditer(text)]
    for what, p in PATTERNS:
        found += [(what, m.group(0)) for m in p.finditer(text)]
    return found
