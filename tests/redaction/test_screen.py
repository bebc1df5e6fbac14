"""Screening free text: positions, phone numbers, e-mails and known names are withheld."""

from __future__ import annotations

import pytest

from truceline.redaction import WITHHELD, Screener
from truceline.redaction.screen import find_sensitive, names_pattern

NAMES = frozenset({"Ivan Petrenko", "MT07", "S0042", "demo-liaison-ua"})
SCREEN = Screener(NAMES)


@pytest.mark.parametrize(
    "secret",
    [
        "48.1234, 37.5678",
        "48.12345 37.56789",
        "-33.8688;151.2093",
        "48.1234N 37.5678E",
        "48.1234° N, 37.5678° E",
        "48.1234N",
        "48°07'24\"N 37°34'04\"E",
        "48° 7′ 24.5″ N",
        "48 deg 07 min",
        "37U DQ 12345 67890",
        "37UDQ1234567890",
        "37U DQ 123 678",
        "+380 44 123 4567",
        "+380-67-123-45-67",
        "+7 (495) 123-45-67",
        "0044 20 7946 0000",
        "044 123-45-67",
        "(044) 123 45 67",
        "8 (495) 123-45-67",
        "ivan.petrenko+field@example.org",
        "duty@mission.example.int",
        "Ivan Petrenko",
        "IVAN PETRENKO",
        "MT07",
        "s0042",
        "demo-liaison-ua",
    ],
)
def test_a_secret_in_a_sentence_is_withheld(secret: str) -> None:
    text = f"Patrol stopped; contact {secret} for details."
    screened = SCREEN.screen(text)
    assert secret not in screened and secret.lower() not in screened.lower()
    assert screened.startswith("Patrol stopped; contact ") and WITHHELD in screened
    assert screened.endswith(" for details.")


@pytest.mark.parametrize(
    "plain",
    [
        "Fire across the line of contact; attributed to RU (almost certain, p = 0.97)",
        "impact within 500 m of Hospital No. 3 (p = 0.9731)",
        "At 2026-11-21 09:30 UTC, 12 rounds of 122 mm artillery, 3-5 km SE",
        "declared tank HA-UA-1-tank-03 not found at HA-UA-1",
        "fire from RU-controlled territory landed in UA-controlled territory (impact E-000123)",
        "violation VIO-0123456789abcdef, event E-000001234",
        "MT070 and XMT07 are other posts; the monitors of UA",
        "",
    ],
)
def test_ordinary_wording_is_left_alone(plain: str) -> None:
    assert SCREEN.screen(plain) == plain


def test_names_are_whole_words_and_short_codes_are_never_names() -> None:
    assert names_pattern(["UA", "RU", "  "]) is None
    pattern = names_pattern(["MT07"])
    assert pattern is not None
    assert pattern.search("team MT07.") and not pattern.search("MT070")


def test_the_longest_name_wins() -> None:
    screener = Screener(frozenset({"Ivan", "Ivan Petrenko"}))
    assert screener.screen("Ivan Petrenko said") == f"{WITHHELD} said"


def test_none_stays_none_and_find_reports_what_it_would_withhold() -> None:
    assert SCREEN.screen_optional(None) is None
    found = find_sensitive("MT07 at 48.1234, 37.5678, mail a@b.org", NAMES)
    assert {what for what, _ in found} == {"name", "decimal degrees", "e-mail"}
