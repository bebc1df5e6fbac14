"""The guarantees' repository on every backend: history, deliveries, idempotent activations."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Connection, Engine

from truceline.domain import (
    Activation,
    ActivationStatus,
    Case,
    CaseStatus,
    Commitment,
    Finding,
    RatificationStatus,
    StandardOfProof,
)
from truceline.errors import ConflictError, NotFoundError
from truceline.guarantees import Delivery, RatificationStep, activations_for, advance, pledge
from truceline.store import add_case, add_finding, count_rows
from truceline.store.guarantees import (
    add_delivery,
    get_activations,
    get_commitment,
    get_deliveries,
    get_ratification_history,
    list_commitments,
    record_activations,
    record_ratification_step,
    register_commitment,
    settle_pending,
)
from truceline.store.records import AddResult

S = RatificationStatus
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
D0 = date(2026, 1, 6)
RULE = '{"responsible_party": "RU"}'
FORCE = Commitment(
    "GB-1",
    "GB",
    "troops",
    5000.0,
    "personnel",
    RULE,
    S.IN_FORCE,
    notes={"role": "MFU"},
    requires_parliament=False,
)
PLEDGED = Commitment("DE-1", "DE", "funds", 2e9, "EUR", RULE)


def _register(conn: Connection, commitment: Commitment) -> bool:
    return register_commitment(
        conn, commitment=commitment, history=[pledge(commitment, on=D0, at=T0)]
    )


def _finding(conn: Connection) -> Finding:
    add_case(conn, case=Case("C1", "Shelling", CaseStatus.FINDING, T0 - timedelta(days=9)))
    finding = Finding("F1", "C1", T0, "RU", StandardOfProof.CLEAR_AND_CONVINCING, "high")
    add_finding(conn, finding=finding)
    return finding


def test_commitments_round_trip_and_registering_again_changes_nothing(engine: Engine) -> None:
    with engine.begin() as conn:
        assert _register(conn, FORCE) and _register(conn, PLEDGED)
    with engine.begin() as conn:
        assert not _register(conn, FORCE)  # same terms: left as stored
        assert not _register(conn, dataclasses.replace(PLEDGED, status=S.IN_FORCE))
    with engine.connect() as conn:
        assert list_commitments(conn) == [PLEDGED, FORCE]
        assert list_commitments(conn, guarantor="GB") == [FORCE]
        assert get_commitment(conn, commitment_id="DE-1").status is S.PLEDGED
        assert count_rows(conn)["ratification_steps"] == 2


def test_other_terms_for_a_stored_id_conflict_and_store_nothing(engine: Engine) -> None:
    with engine.begin() as conn:
        _register(conn, FORCE)
    changed = dataclasses.replace(FORCE, quantity=6000.0)
    with pytest.raises(ConflictError, match=r"'GB-1'.*other terms.*quantity"), engine.begin() as c:
        _register(c, PLEDGED)
        _register(c, changed)
    with engine.connect() as conn:
        assert list_commitments(conn) == [FORCE]  # PLEDGED rolled back with the conflict
    with pytest.raises(NotFoundError, match="commitment 'XX' is not stored"), engine.connect() as c:
        get_commitment(c, commitment_id="XX")


def test_ratification_steps_move_the_status_and_keep_the_history(engine: Engine) -> None:
    with engine.begin() as conn:
        _register(conn, PLEDGED)
        history = get_ratification_history(conn, commitment_id="DE-1")
        approved, step = advance(
            PLEDGED,
            history[-1],
            to=S.APPROVED_BY_GOVERNMENT,
            on=D0 + timedelta(30),
            at=T0,
            note="cabinet decision",
        )
        record_ratification_step(conn, step=step)
    with engine.connect() as conn:
        assert get_commitment(conn, commitment_id="DE-1") == approved
        assert get_ratification_history(conn, commitment_id="DE-1") == [history[0], step]
    stale = RatificationStep("DE-1", S.APPROVED_BY_GOVERNMENT, S.PLEDGED, D0, T0)
    with pytest.raises(ConflictError, match="no longer pledged"), engine.begin() as conn:
        record_ratification_step(conn, step=stale)
    with engine.connect() as conn:
        assert len(get_ratification_history(conn, commitment_id="DE-1")) == 2


def test_deliveries_add_up_and_never_exceed_the_pledge(engine: Engine) -> None:
    with engine.begin() as conn:
        _register(conn, FORCE)
        first = add_delivery(conn, delivery=Delivery("GB-1", D0, 1500.0, T0, "first rotation"))
        second = add_delivery(conn, delivery=Delivery("GB-1", D0 + timedelta(9), 3500.0, T0))
    assert first.delivery_id is not None and second.delivery_id is not None
    with pytest.raises(ConflictError, match="5,001 of the 5,000"), engine.begin() as conn:
        add_delivery(conn, delivery=Delivery("GB-1", D0, 1.0, T0))
    with engine.connect() as conn:
        assert get_deliveries(conn, commitment_id="GB-1") == [first, second]
        assert get_commitment(conn, commitment_id="GB-1").delivered == 5000.0
        assert get_deliveries(conn, commitment_id="DE-1") == []


def test_activations_are_recorded_once_and_settled_once(engine: Engine) -> None:
    with engine.begin() as conn:
        _register(conn, FORCE)
        _register(conn, PLEDGED)
        notices = activations_for(_finding(conn), [FORCE, PLEDGED], T0)
        assert record_activations(conn, notices=notices) == AddResult(new=2)
    later = [dataclasses.replace(n, issued_at=T0 + timedelta(hours=1)) for n in notices]
    with engine.begin() as conn:
        assert record_activations(conn, notices=later) == AddResult(existing=2)
    with engine.connect() as conn:
        assert get_activations(conn, finding_id="F1") == sorted(notices, key=lambda a: a.guarantor)
        pending = get_activations(conn, status=ActivationStatus.PENDING_RATIFICATION)
    assert [a.commitment_id for a in pending] == ["DE-1"]
    promoted: Activation = dataclasses.replace(
        pending[0], status=ActivationStatus.ACTIVATED, promoted_at=T0 + timedelta(days=2)
    )
    with engine.begin() as conn:
        assert settle_pending(conn, settled=[promoted]) == 1
        assert settle_pending(conn, settled=[promoted]) == 0  # no longer pending
    with engine.connect() as conn:
        assert get_activations(conn, guarantor="DE") == [promoted]
        assert len(get_activations(conn, status=ActivationStatus.ACTIVATED)) == 2
        assert get_activations(conn, commitment_id="GB-1")[0].status is ActivationStatus.ACTIVATED
