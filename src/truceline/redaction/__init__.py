"""Source protection: what public outputs may say about observers, sensors and sources.

``policy`` chooses the rules per audience and publication, ``screen`` screens free text,
``apply`` applies a policy to records, ``configured`` builds redactors from the settings.
"""

from __future__ import annotations

from truceline.redaction.apply import Redactor, coarsen_position, coarsen_positions, place
from truceline.redaction.configured import redactor_for, redactor_from_names
from truceline.redaction.policy import (
    Audience,
    Naming,
    Placement,
    PositionRule,
    Protected,
    Publication,
    RedactionPolicy,
    RedactionSettings,
    audience_of_role,
    policy_for,
)
from truceline.redaction.screen import WITHHELD, Screener

__all__ = [
    "WITHHELD",
    "Audience",
    "Naming",
    "Placement",
    "PositionRule",
    "Protected",
    "Publication",
    "RedactionPolicy",
    "RedactionSettings",
    "Redactor",
    "Screener",
    "audience_of_role",
    "coarsen_position",
    "coarsen_positions",
    "place",
    "policy_for",
    "redactor_for",
    "redactor_from_names",
]
