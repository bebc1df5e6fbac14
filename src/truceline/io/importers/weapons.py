"""Weapon classes named in free text (news headlines, OSINT titles, munition fields).

The classes are those of the withdrawal rules (:data:`truceline.geo.zones.
WITHDRAWAL_DISTANCES_KM`) plus ``small_arms`` and the generic ``mortar`` and ``artillery``
when the calibre is not given. The most specific class named wins: "Grad and mortar fire"
is ``mlrs_122``.
"""

from __future__ import annotations

import re

#: (class, pattern) from the most specific to the least; the first that matches is taken.
WEAPON_PATTERNS: tuple[tuple[str, str], ...] = (
    ("tochka_u", r"to[cč]h?k?a[- ]?u\b|to[cč]hka|9m79|ss-21"),
    ("mlrs_300", r"smerch|9m55|bm-?30|tornado"),
    ("mlrs_220", r"uragan|9m27|bm-?27|tos-?1"),
    ("mlrs_122", r"\bgrads?\b|bm-?21|9m22|multiple[- ]rocket|\bmlrs\b"),
    ("artillery_203", r"2s7|\bpion\b|203[- ]?mm"),
    ("artillery_152", r"2s19|msta|2s3|akatsiya|2a65|2s5|giatsint|152[- ]?mm|d-20\b"),
    ("artillery_122", r"2s1\b|gvozdika|d-30\b|122[- ]?mm (?:howitzer|gun|artillery)"),
    ("artillery_100", r"mt-12|rapira|100[- ]?mm"),
    ("mortar_120", r"120[- ]?mm mortar|mortars? \(?120"),
    ("mortar_82", r"82[- ]?mm mortar|mortars? \(?82"),
    ("tank", r"\btanks?\b|t-(?:64|72|80|90)"),
    ("mortar", r"\bmortar"),
    ("artillery", r"artillery|howitzer|shelling|shelled"),
    ("small_arms", r"small[- ]arms|sniper|machine[- ]?gun|gunfire|\bak-?(?:47|74)\b|rifle"),
)
_COMPILED = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in WEAPON_PATTERNS)


def weapon_from_text(*texts: str) -> str | None:
    """The most specific weapon class named in any of ``texts``, or None.

    Examples
    --------
    >>> weapon_from_text("Shelling of Avdiivka", "Grad rockets hit the town")
    'mlrs_122'
    >>> weapon_from_text("Destroyed Russian T-72B3"), weapon_from_text("Protest in Kyiv")
    ('tank', None)
    """
    joined = " \n ".join(t for t in texts if t)
    for name, pattern in _COMPILED:
        if pattern.search(joined):
            return name
    return None
