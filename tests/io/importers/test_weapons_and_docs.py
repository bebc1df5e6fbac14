"""Weapon classes from free text; the docstring examples of the importer modules run."""

from __future__ import annotations

import doctest
from types import ModuleType

import pytest

from truceline.app import replay
from truceline.io.importers import feed, osint_cir, weapons
from truceline.io.importers.weapons import weapon_from_text


@pytest.mark.parametrize(
    ("texts", "weapon"),
    [
        (("9M55K Smerch",), "mlrs_300"),
        (("Uragan 9M27K Multiple Rocket",), "mlrs_220"),
        (("Tocha-U",), "tochka_u"),
        (("2S19 “MSTA-S”",), "artillery_152"),
        (("Destroyed Russian BM-21 Grad",), "mlrs_122"),
        (("120mm mortar shells",), "mortar_120"),
        (("T-80BV", "shelling"), "tank"),
        (("mortar and sniper fire",), "mortar"),
        (("Sniper kills soldier",), "small_arms"),
        (("An opinion on the champion gradient",), None),
        (("", "Residential building damaged"), None),
    ],
)
def test_weapon_from_text(texts: tuple[str, ...], weapon: str | None) -> None:
    assert weapon_from_text(*texts) == weapon


@pytest.mark.parametrize("module", [feed, weapons, osint_cir, replay])
def test_docstring_examples(module: ModuleType) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert result.failed == 0
