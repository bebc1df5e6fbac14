"""Redactors as the settings and the store configure them (the I/O edge of the package)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from truceline.redaction.apply import Redactor
from truceline.redaction.policy import (
    Audience,
    Publication,
    RedactionSettings,
    check_redaction_settings,
    policy_for,
    read_names_file,
)
from truceline.settings import Settings, get_settings
from truceline.store.protected import protected_names


def redaction_settings(settings: Settings | None = None) -> RedactionSettings:
    """The redaction settings, checked (InputError naming the setting that is wrong)."""
    s = settings or get_settings()
    check_redaction_settings(s.redaction_policy, s.redaction_grid_m, environment=s.environment)
    return RedactionSettings(
        preset=s.redaction_policy,
        grid_m=s.redaction_grid_m,
        pseudonym_key=s.redaction_pseudonym_key,
        names=read_names_file(s.redaction_names_file),
    )


def redactor_from_names(
    audience: Audience,
    publication: Publication,
    names: Iterable[str],
    settings: Settings | None = None,
) -> Redactor:
    """The redactor of an audience and publication, screening for ``names`` too."""
    policy = policy_for(audience, publication, redaction_settings(settings))
    return Redactor(policy, frozenset(names))


def redactor_for(
    conn: Connection,
    audience: Audience,
    publication: Publication,
    settings: Settings | None = None,
) -> Redactor:
    """The redactor of an audience and publication, screening for the store's known names."""
    policy = policy_for(audience, publication, redaction_settings(settings))
    if policy.is_exact:
        return Redactor(policy)
    return Redactor(policy, protected_names(conn))
