"""The redaction policy: the table per audience and publication, and its settings."""

from __future__ import annotations

from pathlib import Path

import pytest

from truceline.errors import InputError
from truceline.redaction import (
    Audience,
    Naming,
    Placement,
    Protected,
    Publication,
    RedactionSettings,
    audience_of_role,
    policy_for,
)
from truceline.redaction.configured import redaction_settings
from truceline.redaction.policy import read_names_file
from truceline.settings import Settings

NON_STAFF = (Audience.PUBLIC, Audience.PARTY_LIAISON, Audience.GUARANTOR)


@pytest.mark.parametrize("publication", list(Publication))
def test_staff_see_everything_as_stored(publication: Publication) -> None:
    assert policy_for(Audience.STAFF, publication).is_exact


@pytest.mark.parametrize("audience", NON_STAFF)
@pytest.mark.parametrize("publication", list(Publication))
def test_by_default_no_outsider_gets_a_protected_position_or_an_identity(
    audience: Audience, publication: Publication
) -> None:
    policy = policy_for(audience, publication)
    assert not policy.is_exact and policy.screen_text
    assert policy.naming != Naming.EXACT
    for kind in Protected:
        rule = policy.rule(kind)
        assert rule.placement != Placement.EXACT
        if rule.placement == Placement.COARSEN:
            assert rule.grid_m == 5000.0


def test_liaisons_get_no_observer_or_sensor_position_and_the_log_no_position_at_all() -> None:
    liaison = policy_for(Audience.PARTY_LIAISON, Publication.API)
    assert liaison.rule(Protected.OBSERVER).placement == Placement.WITHHOLD
    assert liaison.rule(Protected.SENSOR).placement == Placement.WITHHOLD
    log = policy_for(Audience.PUBLIC, Publication.LOG)
    assert {log.rule(k).placement for k in Protected} == {Placement.WITHHOLD}
    public = policy_for(Audience.PUBLIC, Publication.EXPORT)
    assert public.rule(Protected.OBSERVER).placement == Placement.COARSEN


def test_guarantors_get_pseudonyms_the_public_plain_labels() -> None:
    assert policy_for(Audience.GUARANTOR, Publication.API).naming == Naming.PSEUDONYM
    assert policy_for(Audience.PUBLIC, Publication.API).naming == Naming.WITHHOLD


def test_strict_withholds_and_off_publishes_everything() -> None:
    strict = policy_for(Audience.PUBLIC, Publication.EXPORT, RedactionSettings("strict"))
    assert {strict.rule(k).placement for k in Protected} == {Placement.WITHHOLD}
    off = policy_for(Audience.PUBLIC, Publication.EXPORT, RedactionSettings("off"))
    assert off.is_exact


def test_the_grid_setting_reaches_the_rules() -> None:
    policy = policy_for(Audience.PUBLIC, Publication.REPORT, RedactionSettings(grid_m=1000.0))
    assert policy.rule(Protected.SENSOR).grid_m == 1000.0


@pytest.mark.parametrize(
    ("env", "setting"),
    [
        ({"TRUCELINE_REDACTION_POLICY": "loose"}, "TRUCELINE_REDACTION_POLICY"),
        ({"TRUCELINE_REDACTION_GRID_M": "0"}, "TRUCELINE_REDACTION_GRID_M"),
        ({"TRUCELINE_REDACTION_GRID_M": "-5"}, "TRUCELINE_REDACTION_GRID_M"),
        ({"TRUCELINE_REDACTION_GRID_M": "nan"}, "TRUCELINE_REDACTION_GRID_M"),
        (
            {"TRUCELINE_REDACTION_POLICY": "off", "TRUCELINE_ENVIRONMENT": "production"},
            "TRUCELINE_REDACTION_POLICY",
        ),
    ],
)
def test_a_bad_setting_is_an_input_error_naming_it(
    env: dict[str, str], setting: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(InputError) as caught:
        redaction_settings()
    assert caught.value.column == setting
    assert setting in str(caught.value)


def test_settings_are_read_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = tmp_path / "names.txt"
    names.write_text("Ivan Petrenko\n# a comment\n\n  Olena Kovalenko  # team lead\n")
    monkeypatch.setenv("TRUCELINE_REDACTION_POLICY", "strict")
    monkeypatch.setenv("TRUCELINE_REDACTION_GRID_M", "2500")
    monkeypatch.setenv("TRUCELINE_REDACTION_PSEUDONYM_KEY", "k" * 32)
    monkeypatch.setenv("TRUCELINE_REDACTION_NAMES_FILE", str(names))
    found = redaction_settings()
    assert (found.preset, found.grid_m, found.pseudonym_key) == ("strict", 2500.0, "k" * 32)
    assert found.names == {"Ivan Petrenko", "Olena Kovalenko"}


def test_a_missing_names_file_is_an_input_error_naming_file_and_setting(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        read_names_file(tmp_path / "absent.txt")
    assert caught.value.file == str(tmp_path / "absent.txt")
    assert caught.value.column == "TRUCELINE_REDACTION_NAMES_FILE"


def test_the_defaults_are_the_safe_ones() -> None:
    settings = Settings()
    assert settings.redaction_policy == "standard" and settings.redaction_grid_m > 0
    assert redaction_settings(settings).preset == "standard"


@pytest.mark.parametrize(
    ("role", "audience"),
    [
        ("monitor", Audience.STAFF),
        ("analyst", Audience.STAFF),
        ("commissioner", Audience.STAFF),
        ("party_liaison", Audience.PARTY_LIAISON),
        ("guarantor", Audience.GUARANTOR),
        ("sensor_feed", Audience.PUBLIC),
        ("public", Audience.PUBLIC),
    ],
)
def test_every_api_role_has_an_audience(role: str, audience: Audience) -> None:
    assert audience_of_role(role) == audience


def test_the_api_refuses_to_start_with_a_bad_redaction_setting(tmp_path: Path) -> None:
    from truceline.api import create_app

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'store.db'}", redaction_grid_m=0.0)
    with pytest.raises(InputError) as caught:
        create_app(settings)
    assert caught.value.column == "TRUCELINE_REDACTION_GRID_M"
