"""Trigger conditions of commitments: rules over findings, stored as JSON.

A rule is a JSON object; the object is met when every one of its members is met:

=========================== ======================================================
member                      met when the finding ...
=========================== ======================================================
``responsible_party``       names this party responsible (``"RU"``)
``responsible_party_in``    names one of these parties responsible (``["RU", "BY"]``)
``min_severity``            has at least this severity (``low`` < ``medium`` <
                            ``high`` < ``critical``, the scale of
                            :class:`~truceline.domain.Severity`)
``min_standard_of_proof``   reached at least this standard of proof (ordered as
                            :class:`~truceline.domain.StandardOfProof`)
``attributable``            attributes responsibility (``true``) or not (``false``)
``ceasefire_in_force``      was decided while the ceasefire was in force (``true``)
                            or not (``false``)
``all_of``                  meets every rule of the list
``any_of``                  meets at least one rule of the list
=========================== ======================================================

Errors are :class:`~truceline.errors.InputError` whose ``column`` is the path of the bad
member (``trigger.any_of[1].min_severity``).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from truceline.domain import Finding, Severity, StandardOfProof
from truceline.errors import InputError

SEVERITY_SCALE: tuple[str, ...] = tuple(Severity)  # ordered, least severe first
PROOF_SCALE: tuple[str, ...] = tuple(StandardOfProof)  # ordered, weakest first
GROUPS = ("all_of", "any_of")


@dataclass(frozen=True)
class Condition:
    """One member of a rule, e.g. ``Condition("min_severity", "high")``."""

    name: str
    value: str | bool | tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """``all_of`` or ``any_of`` a list of rules."""

    name: str
    rules: tuple[Rule, ...]


Rule = Condition | Group


@dataclass(frozen=True)
class TriggerContext:
    """What a rule needs beyond the finding: when the ceasefire entered into force."""

    ceasefire_in_force: datetime | None = None


@dataclass(frozen=True)
class Verdict:
    """Whether a rule is met, and why: the conditions that matched (or the ones that failed)."""

    met: bool
    reasons: tuple[str, ...]

    @property
    def text(self) -> str:
        return "; ".join(self.reasons)


def parse_trigger(data: Any, *, path: str = "trigger") -> Rule:
    """A rule from its JSON value; InputError naming the member's path if it is malformed.

    >>> parse_trigger({"responsible_party": "RU", "min_severity": "high"})
    Group(name='all_of', rules=(Condition(name='min_severity', value='high'), \
Condition(name='responsible_party', value='RU')))
    """
    if not isinstance(data, dict):
        raise InputError(f"a rule must be a JSON object, got {_shown(data)}", column=path)
    if not data:
        raise InputError("a rule needs at least one condition (an empty rule)", column=path)
    members = [_member(name, data[name], f"{path}.{name}") for name in sorted(data)]
    return members[0] if len(members) == 1 else Group("all_of", tuple(members))


def parse_trigger_text(text: str, *, path: str = "trigger") -> Rule:
    """A rule from its JSON text (as stored in ``Commitment.trigger``)."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise InputError(f"not JSON ({error})", column=path) from None
    return parse_trigger(data, path=path)


def trigger_to_data(rule: Rule) -> dict[str, Any]:
    """The JSON value of a rule (several members become an explicit ``all_of``)."""
    if isinstance(rule, Group):
        return {rule.name: [trigger_to_data(sub) for sub in rule.rules]}
    value = list(rule.value) if isinstance(rule.value, tuple) else rule.value
    return {rule.name: value}


def trigger_text(rule: Rule) -> str:
    """The canonical JSON text of a rule: what is stored, compared and shown.

    >>> trigger_text(parse_trigger({"any_of": [{"attributable": True}]}))
    '{"any_of": [{"attributable": true}]}'
    """
    return json.dumps(trigger_to_data(rule), sort_keys=True, ensure_ascii=False)


def evaluate_trigger(
    rule: Rule, finding: Finding, context: TriggerContext | None = None
) -> Verdict:
    """Whether ``finding`` meets ``rule``; the reasons name the conditions that decided it.

    >>> from datetime import UTC, datetime
    >>> from truceline.domain import Finding, StandardOfProof
    >>> finding = Finding("F1", "C1", datetime(2026, 12, 1, tzinfo=UTC), "RU",
    ...                   StandardOfProof.CLEAR_AND_CONVINCING, "critical")
    >>> evaluate_trigger(parse_trigger({"min_severity": "high"}), finding).text
    'severity critical is at least high'
    >>> evaluate_trigger(parse_trigger({"responsible_party": "UA"}), finding).met
    False
    """
    context = context or TriggerContext()
    if isinstance(rule, Condition):
        return _CHECKS[rule.name](rule.value, finding, context)
    verdicts = [evaluate_trigger(sub, finding, context) for sub in rule.rules]
    met_ones = [v for v in verdicts if v.met]
    failed = [v for v in verdicts if not v.met]
    if rule.name == "all_of":
        decided = failed[:1] if failed else met_ones
        return Verdict(not failed, _joined(decided))
    return Verdict(bool(met_ones), _joined(met_ones or failed))


def _joined(verdicts: list[Verdict]) -> tuple[str, ...]:
    return tuple(reason for verdict in verdicts for reason in verdict.reasons)


def _member(name: str, value: Any, path: str) -> Rule:
    if name in GROUPS:
        if not isinstance(value, list) or not value:
            raise InputError(f"must be a non-empty list of rules, got {_shown(value)}", column=path)
        rules = tuple(parse_trigger(sub, path=f"{path}[{i}]") for i, sub in enumerate(value))
        return Group(name, rules)
    parse = _PARSERS.get(name)
    if parse is None:
        known = ", ".join(sorted([*_PARSERS, *GROUPS]))
        raise InputError(f"unknown condition {name!r} (known: {known})", column=path)
    return Condition(name, parse(value, path))


def _party(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InputError(f'must be a party id such as "RU", got {_shown(value)}', column=path)
    return value.strip()


def _parties(value: Any, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise InputError(f"must be a non-empty list of party ids, got {_shown(value)}", column=path)
    return tuple(_party(one, f"{path}[{i}]") for i, one in enumerate(value))


def _on_scale(scale: tuple[str, ...]) -> Callable[[Any, str], str]:
    def parse(value: Any, path: str) -> str:
        if value not in scale:
            raise InputError(f"must be one of {', '.join(scale)}, got {_shown(value)}", column=path)
        return str(value)

    return parse


def _flag(value: Any, path: str) -> bool:
    if not isinstance(value, bool):
        raise InputError(f"must be true or false, got {_shown(value)}", column=path)
    return value


def _shown(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False) if _is_json(value) else repr(value)


def _is_json(value: Any) -> bool:
    try:
        json.dumps(value)
    except (TypeError, ValueError):
        return False
    return True


def _responsible(value: Any, finding: Finding, _: TriggerContext) -> Verdict:
    party = finding.responsible_party
    if party == value:
        return Verdict(True, (f"responsible party is {party}",))
    return Verdict(False, (f"responsible party is {party or 'none'}, not {value}",))


def _responsible_in(value: Any, finding: Finding, _: TriggerContext) -> Verdict:
    party, listed = finding.responsible_party, ", ".join(value)
    if party is not None and party in value:
        return Verdict(True, (f"responsible party {party} is one of {listed}",))
    return Verdict(False, (f"responsible party is {party or 'none'}, not one of {listed}",))


def _at_least(what: str, scale: tuple[str, ...]) -> Callable[..., Verdict]:
    def check(value: Any, finding: Finding, _: TriggerContext) -> Verdict:
        actual = str(getattr(finding, what))
        label = what.replace("_", " ")
        if actual not in scale:
            return Verdict(False, (f"{label} {actual!r} is not on the scale",))
        if scale.index(actual) >= scale.index(value):
            return Verdict(True, (f"{label} {actual} is at least {value}",))
        return Verdict(False, (f"{label} {actual} is below {value}",))

    return check


def _attributable(value: Any, finding: Finding, _: TriggerContext) -> Verdict:
    said = "attributes responsibility" if finding.attributable else "is not attributable"
    return Verdict(finding.attributable == value, (f"the finding {said}",))


def _ceasefire(value: Any, finding: Finding, context: TriggerContext) -> Verdict:
    since = context.ceasefire_in_force
    in_force = since is not None and since <= finding.decided_at
    if in_force and since is not None:
        said = f"the ceasefire was in force (since {since.isoformat()}) when the finding was made"
    elif since is None:
        said = "no ceasefire is in force"
    else:
        said = f"the ceasefire was not yet in force (from {since.isoformat()}) at the finding"
    return Verdict(in_force == value, (said,))


_PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "responsible_party": _party,
    "responsible_party_in": _parties,
    "min_severity": _on_scale(SEVERITY_SCALE),
    "min_standard_of_proof": _on_scale(PROOF_SCALE),
    "attributable": _flag,
    "ceasefire_in_force": _flag,
}

_CHECKS: dict[str, Callable[[Any, Finding, TriggerContext], Verdict]] = {
    "responsible_party": _responsible,
    "responsible_party_in": _responsible_in,
    "min_severity": _at_least("severity", SEVERITY_SCALE),
    "min_standard_of_proof": _at_least("standard_of_proof", PROOF_SCALE),
    "attributable": _attributable,
    "ceasefire_in_force": _ceasefire,
}
