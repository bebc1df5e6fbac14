"""Activations: exactly the commitments in force activate, those awaiting ratification queue."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from tests.guarantees.samples import T0, commitment, finding
from truceline.domain import ActivationStatus, RatificationStatus
from truceline.errors import InputError
from truceline.guarantees.activation import (
    activation_id,
    activations_for,
    lapse_pending,
    notice_text,
    promote_pending,
)

S = RatificationStatus
A = ActivationStatus
ON_RU = {"responsible_party": "RU", "min_severity": "high"}
ON_BY = {"responsible_party": "BY"}

# A mixed set: every status, two triggers; the finding (RU, high) meets ON_RU only.
MIXED = [
    commitment("K1-force", ON_RU, S.IN_FORCE, guarantor="GB"),
    commitment("K2-pledged", ON_RU, S.PLEDGED, guarantor="DE"),
    commitment("K3-government", ON_RU, S.APPROVED_BY_GOVERNMENT, guarantor="FR"),
    commitment("K4-parliament", ON_RU, S.RATIFIED_BY_PARLIAMENT, guarantor="NL"),
    commitment("K5-withdrawn", ON_RU, S.WITHDRAWN, guarantor="IT"),
    commitment("K6-force-other", ON_BY, S.IN_FORCE, guarantor="PL"),
    commitment("K7-pledged-other", ON_BY, S.PLEDGED, guarantor="CA"),
    commitment("K8-force", ON_RU, S.IN_FORCE, guarantor="DK"),
]


def test_a_finding_activates_the_commitments_in_force_and_queues_the_others() -> None:
    notices = activations_for(finding("RU", "high"), MIXED, T0)
    by_commitment = {n.commitment_id: n.status for n in notices}
    assert by_commitment == {
        "K1-force": A.ACTIVATED,
        "K8-force": A.ACTIVATED,
        "K2-pledged": A.PENDING_RATIFICATION,
        "K3-government": A.PENDING_RATIFICATION,
        "K4-parliament": A.PENDING_RATIFICATION,
    }
    first = notices[0]
    assert (first.guarantor, first.finding_id, first.issued_at) == ("GB", "F1", T0)
    assert first.reason == "trigger met: severity high is at least high; responsible party is RU"


@pytest.mark.parametrize(
    "missed", [finding("UA", "critical"), finding("RU", "medium"), finding(None, "critical")]
)
def test_a_finding_that_meets_no_trigger_activates_nothing(missed: object) -> None:
    assert activations_for(missed, MIXED, T0) == []  # type: ignore[arg-type]


def test_ids_are_deterministic_so_evaluating_again_never_doubles() -> None:
    first = activations_for(finding(), MIXED, T0)
    again = activations_for(finding(), list(reversed(MIXED)), T0)
    assert [n.activation_id for n in first] == [n.activation_id for n in again]
    assert len({n.activation_id for n in first}) == len(first)
    assert first[0].activation_id == activation_id("F1", "K1-force")
    other = activations_for(finding(finding_id="F2"), MIXED, T0)
    assert not {n.activation_id for n in other} & {n.activation_id for n in first}


def test_entry_into_force_promotes_exactly_that_commitments_pending_notices() -> None:
    notices = activations_for(finding(), MIXED, T0)
    later = T0 + timedelta(days=30)
    entered = dataclasses.replace(MIXED[2], status=S.IN_FORCE)  # K3-government
    promoted = promote_pending(notices, entered, later)
    assert [(n.commitment_id, n.status, n.promoted_at) for n in promoted] == [
        ("K3-government", A.ACTIVATED, later)
    ]
    assert promoted[0].issued_at == T0  # the notice keeps when it was first issued
    assert promote_pending(promoted, entered, later) == []  # nothing pending any more
    assert promote_pending(notices, MIXED[3], later) == []  # not in force: nothing promoted


def test_withdrawal_lets_pending_notices_lapse() -> None:
    notices = activations_for(finding(), MIXED, T0)
    withdrawn = dataclasses.replace(MIXED[1], status=S.WITHDRAWN)  # K2-pledged
    lapsed = lapse_pending(notices, withdrawn, T0)
    assert [(n.commitment_id, n.status, n.lapsed_at) for n in lapsed] == [
        ("K2-pledged", A.LAPSED, T0)
    ]
    assert lapse_pending(notices, MIXED[1], T0) == []  # still pledged: nothing lapses


def test_an_invalid_stored_trigger_is_an_error_naming_the_commitment() -> None:
    legacy = dataclasses.replace(MIXED[0], commitment_id="OLD", trigger="ceasefire in force")
    with pytest.raises(InputError, match="commitment 'OLD' has an invalid trigger: not JSON"):
        activations_for(finding(), [*MIXED, legacy], T0)


def test_notice_texts_say_what_the_guarantor_is_asked() -> None:
    notices = {n.commitment_id: n for n in activations_for(finding(), MIXED, T0)}
    active = notice_text(notices["K1-force"], MIXED[0])
    assert active.startswith("Activation notice to GB: commitment K1-force (troops, 100 personnel)")
    pending = notice_text(notices["K2-pledged"], MIXED[1])
    assert pending.startswith("Pending notice to DE: finding F1 meets the trigger")
    assert "pledged, queued until entry into force" in pending
