"""The severity, urgency and certainty mapping documented in docs/alerts.md."""

from __future__ import annotations

from datetime import timedelta

import pytest

from truceline.alerts.mapping import (
    activation_response,
    attribution_certainty,
    cap_certainty,
    cap_severity,
    cap_urgency,
    estimative_phrase,
    finding_certainty,
    is_serious,
)
from truceline.domain import Corroboration, Severity, StandardOfProof
from truceline.errors import InputError

DAY = timedelta(hours=24)


@pytest.mark.parametrize(
    ("severity", "cap", "urgency"),
    [
        ("low", "Minor", "Future"),
        ("medium", "Moderate", "Expected"),
        ("high", "Severe", "Immediate"),
        ("critical", "Extreme", "Immediate"),
        ("grave", "Unknown", "Unknown"),  # a finding's free-text severity we do not know
    ],
)
def test_severity_and_fresh_urgency(severity: str, cap: str, urgency: str) -> None:
    assert cap_severity(severity) == cap
    assert cap_urgency(severity, timedelta(minutes=5), DAY) == urgency


def test_urgency_turns_past_only_after_stale_after() -> None:
    assert cap_urgency("critical", DAY, DAY) == "Immediate"
    assert cap_urgency("critical", DAY + timedelta(seconds=1), DAY) == "Past"


def test_threshold_includes_its_own_severity() -> None:
    order = list(Severity)
    for threshold in order:
        serious = [s for s in order if is_serious(s, threshold)]
        assert serious == order[order.index(threshold) :]


@pytest.mark.parametrize(
    ("probability", "words", "certainty"),
    [
        (1.0, "almost certain", "Observed"),
        (0.95, "almost certain", "Observed"),
        (0.949, "very likely", "Likely"),
        (0.80, "very likely", "Likely"),
        (0.55, "likely", "Likely"),
        (0.549, "roughly even chance", "Possible"),
        (0.45, "roughly even chance", "Possible"),
        (0.30, "unlikely", "Possible"),
        (0.05, "very unlikely", "Possible"),
        (0.049, "almost no chance", "Unlikely"),
        (0.0, "almost no chance", "Unlikely"),
    ],
)
def test_icd203_words_and_certainty(probability: float, words: str, certainty: str) -> None:
    assert estimative_phrase(probability) == words
    assert attribution_certainty(probability) == certainty


@pytest.mark.parametrize("probability", [-0.01, 1.01, float("nan")])
def test_probability_outside_zero_one_is_refused(probability: float) -> None:
    with pytest.raises(InputError, match=r"probability must lie in \[0, 1\]"):
        attribution_certainty(probability)


@pytest.mark.parametrize(
    ("p_party", "corroboration", "certainty"),
    [
        (0.99, Corroboration.VERIFIED, "Observed"),
        (0.99, Corroboration.CORROBORATED, "Likely"),
        (0.99, Corroboration.SINGLE_SOURCE, "Possible"),
        (0.60, Corroboration.VERIFIED, "Likely"),
        (0.01, Corroboration.VERIFIED, "Unlikely"),
        (None, Corroboration.CORROBORATED, "Likely"),
        (0.99, None, "Observed"),
        (None, None, "Unknown"),
    ],
)
def test_certainty_is_the_weaker_of_attribution_and_corroboration(
    p_party: float | None, corroboration: Corroboration | None, certainty: str
) -> None:
    assert cap_certainty(p_party, corroboration) == certainty


@pytest.mark.parametrize(
    ("standard", "certainty"),
    [
        (StandardOfProof.BEYOND_REASONABLE_DOUBT, "Observed"),
        (StandardOfProof.CLEAR_AND_CONVINCING, "Observed"),
        (StandardOfProof.BALANCE_OF_PROBABILITIES, "Likely"),
        (StandardOfProof.REASONABLE_GROUNDS, "Possible"),
    ],
)
def test_finding_certainty_follows_the_standard_of_proof(
    standard: StandardOfProof, certainty: str
) -> None:
    assert finding_certainty(standard) == certainty


def test_every_standard_of_proof_is_mapped() -> None:
    assert all(finding_certainty(s) != "Unknown" for s in StandardOfProof)


def test_activation_response() -> None:
    assert activation_response("activated") == ("Immediate", "Execute")
    assert activation_response("pending_ratification") == ("Future", "Prepare")
    assert activation_response("lapsed") == ("Past", "AllClear")
    assert activation_response("something_new") == ("Unknown", "Monitor")
