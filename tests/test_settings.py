"""Every setting has help text and is documented in docs/setup.md under its variable name."""

from __future__ import annotations

from pathlib import Path

import pytest

from truceline.settings import Settings

SETUP_PAGE = Path(__file__).resolve().parents[1] / "docs" / "setup.md"
ENV_PREFIX = "TRUCELINE_"
FIELDS = sorted(Settings.model_fields)


def test_there_are_settings_and_their_prefix_is_the_documented_one() -> None:
    assert FIELDS
    assert Settings.model_config.get("env_prefix") == ENV_PREFIX


@pytest.mark.parametrize("name", FIELDS)
def test_setting_has_a_description(name: str) -> None:
    description = Settings.model_fields[name].description
    assert description is not None and description.strip(), f"setting {name!r} has no help text"


@pytest.mark.parametrize("name", FIELDS)
def test_setting_is_documented_in_setup_page(name: str) -> None:
    variable = ENV_PREFIX + name.upper()
    assert variable in SETUP_PAGE.read_text(encoding="utf-8"), f"{variable} not in docs/setup.md"
