"""The membership file of a mechanism: its voting rules and its members (JSON).

::

    {
      "mechanism": "commission",
      "rules": {"quorum": {"fraction": "2/3"},
                "majority": {"kind": "qualified", "fraction": "2/3"}},
      "members": [
        {"id": "m1", "name": "A. Neutral", "affiliation": "neutral"},
        {"id": "m2", "name": "B. Guarantor", "affiliation": "guarantor", "state": "FR"},
        {"id": "m3", "name": "C. Party", "affiliation": "party", "state": "UA"}
      ]
    }

``quorum`` holds either ``count`` (members) or ``fraction`` (of the eligible members).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from truceline.commission.jsonfile import Fields, read_json
from truceline.commission.votes import MajorityKind, VotingRules
from truceline.domain.commission import AffiliationKind, Member

DEFAULT_MECHANISM = "commission"


@dataclass(frozen=True)
class Membership:
    """A mechanism's name, voting rules and members."""

    mechanism: str
    rules: VotingRules
    members: tuple[Member, ...]


def load_membership(path: Path) -> Membership:
    """Read and validate a membership file (InputError naming file and field)."""
    return parse_membership(read_json(path), file=str(path))


def parse_membership(data: Any, *, file: str) -> Membership:
    """Validate a membership document already parsed from JSON."""
    doc = Fields(data, file=file)
    mechanism = doc.text("mechanism", DEFAULT_MECHANISM)
    rules = parse_rules(doc.child("rules"))
    members = tuple(_member(item, mechanism) for item in doc.items("members"))
    seen: set[str] = set()
    for item, member in zip(doc.items("members"), members, strict=True):
        if member.member_id in seen:
            raise item.error(f"member id {member.member_id!r} given twice", item.where("id"))
        seen.add(member.member_id)
    return Membership(mechanism, rules, members)


def parse_rules(fields: Fields) -> VotingRules:
    """Voting rules from their JSON object (see the module docstring)."""
    quorum = fields.child("quorum")
    if ("count" in quorum.data) == ("fraction" in quorum.data):
        raise quorum.error("give exactly one of count or fraction", quorum.path)
    count = quorum.optional_integer("count", minimum=1)
    fraction = quorum.fraction("fraction") if count is None else None
    majority = fields.child("majority")
    kinds = tuple(k.value for k in MajorityKind)
    kind = MajorityKind(majority.choice("kind", kinds))
    needed = majority.fraction("fraction") if kind == MajorityKind.QUALIFIED else Fraction(2, 3)
    if kind == MajorityKind.QUALIFIED and needed <= Fraction(1, 2):
        raise majority.error("a qualified majority must be above 1/2", majority.where("fraction"))
    return VotingRules(
        quorum_count=count, quorum_fraction=fraction, majority=kind, majority_fraction=needed
    )


def rules_as_json(rules: VotingRules) -> dict[str, Any]:
    """Voting rules as the JSON object ``parse_rules`` reads (fractions as "a/b" text)."""
    quorum: dict[str, Any] = (
        {"count": rules.quorum_count}
        if rules.quorum_count is not None
        else {"fraction": str(rules.quorum_fraction)}
    )
    majority: dict[str, Any] = {"kind": rules.majority.value}
    if rules.majority == MajorityKind.QUALIFIED:
        majority["fraction"] = str(rules.majority_fraction)
    return {"quorum": quorum, "majority": majority}


def _member(item: Fields, mechanism: str) -> Member:
    kinds = tuple(k.value for k in AffiliationKind)
    kind = AffiliationKind(item.choice("affiliation", kinds))
    state = item.optional_text("state")
    if kind != AffiliationKind.NEUTRAL and state is None:
        raise item.error(f"a {kind.value} member needs the state code", item.where("state"))
    if kind == AffiliationKind.NEUTRAL and state is not None:
        raise item.error("a neutral member has no state", item.where("state"))
    return Member(
        member_id=item.text("id"),
        name=item.text("name"),
        affiliation_kind=kind,
        affiliation=state,
        mechanism=mechanism,
    )
