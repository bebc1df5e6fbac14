"""Trigger rules: parsed strictly (errors name the member), evaluated with their reasons."""

from __future__ import annotations

from typing import Any

import pytest

from tests.guarantees.samples import CEASEFIRE, T0, finding
from truceline.domain import StandardOfProof
from truceline.errors import InputError
from truceline.guarantees.triggers import (
    TriggerContext,
    evaluate_trigger,
    parse_trigger,
    parse_trigger_text,
    trigger_text,
)

P = StandardOfProof


@pytest.mark.parametrize(
    ("data", "column", "message"),
    [
        ([], "trigger", "must be a JSON object"),
        ({}, "trigger", "at least one condition"),
        ({"party": "RU"}, "trigger.party", "unknown condition 'party'"),
        ({"min_severity": "serious"}, "trigger.min_severity", "low, medium, high, critical"),
        ({"min_severity": 3}, "trigger.min_severity", "got 3"),
        ({"min_standard_of_proof": "certain"}, "trigger.min_standard_of_proof", "reasonable"),
        ({"responsible_party": 5}, "trigger.responsible_party", "party id"),
        ({"responsible_party": " "}, "trigger.responsible_party", "party id"),
        ({"responsible_party_in": []}, "trigger.responsible_party_in", "non-empty list"),
        ({"responsible_party_in": ["RU", 1]}, "trigger.responsible_party_in[1]", "party id"),
        ({"attributable": "yes"}, "trigger.attributable", "true or false"),
        ({"ceasefire_in_force": 1}, "trigger.ceasefire_in_force", "true or false"),
        ({"any_of": []}, "trigger.any_of", "non-empty list of rules"),
        ({"all_of": {"attributable": True}}, "trigger.all_of", "non-empty list of rules"),
        (
            {"any_of": [{"attributable": True}, {"all_of": [{"min_severity": "x"}]}]},
            "trigger.any_of[1].all_of[0].min_severity",
            'got "x"',
        ),
        ({"any_of": [{"attributable": True}, 7]}, "trigger.any_of[1]", "JSON object"),
    ],
)
def test_malformed_rules_are_refused_naming_the_member(
    data: Any, column: str, message: str
) -> None:
    with pytest.raises(InputError, match=message) as caught:
        parse_trigger(data)
    assert caught.value.column == column


def test_rule_text_that_is_not_json_is_refused() -> None:
    with pytest.raises(InputError, match="not JSON") as caught:
        parse_trigger_text("ceasefire in force")
    assert caught.value.column == "trigger"


@pytest.mark.parametrize(
    ("rule", "met_by", "missed_by"),
    [
        ({"responsible_party": "RU"}, finding("RU"), finding("UA")),
        ({"responsible_party": "RU"}, finding("RU"), finding(None)),
        ({"responsible_party_in": ["RU", "BY"]}, finding("BY"), finding("UA")),
        ({"responsible_party_in": ["RU", "BY"]}, finding("RU"), finding(None)),
        ({"min_severity": "high"}, finding(severity="high"), finding(severity="medium")),
        ({"min_severity": "high"}, finding(severity="critical"), finding(severity="low")),
        (
            {"min_standard_of_proof": "clear_and_convincing"},
            finding(proof=P.BEYOND_REASONABLE_DOUBT),
            finding(proof=P.BALANCE_OF_PROBABILITIES),
        ),
        (
            {"min_standard_of_proof": "clear_and_convincing"},
            finding(proof=P.CLEAR_AND_CONVINCING),
            finding(proof=P.REASONABLE_GROUNDS),
        ),
        ({"attributable": True}, finding("UA"), finding(None)),
        ({"attributable": False}, finding(None), finding("RU")),
    ],
)
def test_each_condition_is_met_or_missed(rule: Any, met_by: Any, missed_by: Any) -> None:
    parsed = parse_trigger(rule)
    assert evaluate_trigger(parsed, met_by).met
    assert not evaluate_trigger(parsed, missed_by).met


def test_severity_off_the_scale_never_meets_a_minimum() -> None:
    verdict = evaluate_trigger(parse_trigger({"min_severity": "low"}), finding(severity="grave"))
    assert not verdict.met
    assert verdict.text == "severity 'grave' is not on the scale"


def test_ceasefire_in_force_depends_on_when_the_finding_was_made() -> None:
    rule = parse_trigger({"ceasefire_in_force": True})
    after = TriggerContext(ceasefire_in_force=CEASEFIRE)
    before = TriggerContext(ceasefire_in_force=T0.replace(year=2027))
    assert evaluate_trigger(rule, finding(), after).met
    assert "was in force (since 2026-11-01" in evaluate_trigger(rule, finding(), after).text
    assert not evaluate_trigger(rule, finding(), before).met
    assert not evaluate_trigger(rule, finding()).met  # no ceasefire known
    assert evaluate_trigger(parse_trigger({"ceasefire_in_force": False}), finding()).met


def test_all_members_of_an_object_must_be_met() -> None:
    rule = parse_trigger({"responsible_party": "RU", "min_severity": "critical"})
    verdict = evaluate_trigger(rule, finding("RU", "high"))
    assert not verdict.met
    assert verdict.text == "severity high is below critical"  # the condition that failed
    met = evaluate_trigger(rule, finding("RU", "critical"))
    assert met.reasons == ("severity critical is at least critical", "responsible party is RU")


def test_any_of_explains_which_alternatives_matched() -> None:
    rule = parse_trigger(
        {
            "any_of": [
                {"responsible_party": "BY"},
                {"min_severity": "high"},
                {"attributable": True},
            ]
        }
    )
    verdict = evaluate_trigger(rule, finding("RU", "high"))
    assert verdict.met
    assert verdict.reasons == (
        "severity high is at least high",
        "the finding attributes responsibility",
    )
    missed = evaluate_trigger(rule, finding(None, "low"))
    assert not missed.met
    assert "responsible party is none, not BY" in missed.reasons


def test_canonical_text_round_trips_and_makes_conjunctions_explicit() -> None:
    rule = parse_trigger({"min_severity": "high", "responsible_party_in": ["RU", "BY"]})
    text = trigger_text(rule)
    assert text == (
        '{"all_of": [{"min_severity": "high"}, {"responsible_party_in": ["RU", "BY"]}]}'
    )
    assert parse_trigger_text(text) == rule
    assert trigger_text(parse_trigger_text(text)) == text
