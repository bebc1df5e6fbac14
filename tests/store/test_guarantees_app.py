"""The guarantees' application layer on every backend: files, ladder, deliveries, activation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from truceline.app.guarantees import (
    activate_for_finding,
    advance_ratification,
    commitment_record,
    list_notices,
    record_delivery,
    register_commitments_file,
    stored_ceasefire_in_force,
    tracker,
)
from truceline.domain import (
    ActivationStatus,
    Case,
    CaseStatus,
    Finding,
    RatificationStatus,
    StandardOfProof,
)
from truceline.errors import ConflictError, InputError
from truceline.store import add_case, add_finding, count_rows, save_theatre
from truceline.store.records import AddResult

A, S = ActivationStatus, RatificationStatus
EXAMPLE = Path(__file__).resolve().parents[2] / "src" / "truceline" / "data"
EXAMPLE = EXAMPLE / "demo_commitments.json"
T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CEASEFIRE = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def stored(engine: Engine) -> Engine:
    """The example commitments and a finding: Russia responsible, high, clear and convincing."""
    with engine.begin() as conn:
        register_commitments_file(conn, EXAMPLE, at=T0 - timedelta(days=300))
        add_case(conn, case=Case("C1", "Shelling of a hub", CaseStatus.FINDING, T0))
        finding = Finding("F1", "C1", T0, "RU", StandardOfProof.CLEAR_AND_CONVINCING, "high")
        add_finding(conn, finding=finding)
    return engine


def _statuses(engine: Engine, finding_id: str = "F1") -> dict[str, ActivationStatus]:
    with engine.connect() as conn:
        notices = list_notices(conn)
    return {
        n.activation.commitment_id: n.activation.status
        for n in notices
        if n.activation.finding_id == finding_id
    }


def test_a_finding_activates_commitments_in_force_and_queues_the_rest(stored: Engine) -> None:
    with stored.begin() as conn:
        notices = activate_for_finding(conn, "F1", at=T0)
    assert {n.commitment_id: n.status for n in notices} == {
        "GB-MFU-1": A.ACTIVATED,  # in force; RU, high, balance of probabilities met
        "FR-AIR-1": A.PENDING_RATIFICATION,  # ratified by parliament, not yet in force
        "DE-FUND-1": A.PENDING_RATIFICATION,  # approved by the government only
    }  # NL (critical only), PL (ceasefire not known to be in force), CA (proof) not met
    with stored.begin() as conn:
        again = activate_for_finding(conn, "F1", at=T0 + timedelta(hours=5))
        assert again == notices  # nothing doubled, first issue time kept
        assert count_rows(conn)["activations"] == 3


def test_the_ceasefire_comes_from_the_stored_theatre_or_the_caller(stored: Engine) -> None:
    with stored.begin() as conn:
        assert stored_ceasefire_in_force(conn) is None
        theatre = {
            "type": "FeatureCollection",
            "features": [],
            "ceasefire": {"in_force": "2026-11-01T00:00:00Z"},
        }
        save_theatre(conn, name="demo", geojson=json.dumps(theatre))
        assert stored_ceasefire_in_force(conn) == CEASEFIRE
        notices = activate_for_finding(conn, "F1", at=T0)
    assert "PL-LOG-1" in {n.commitment_id for n in notices}
    assert _statuses(stored)["PL-LOG-1"] is A.ACTIVATED


def test_entry_into_force_promotes_and_withdrawal_lapses(stored: Engine) -> None:
    with stored.begin() as conn:
        activate_for_finding(conn, "F1", at=T0)
    later = T0 + timedelta(days=20)
    with stored.begin() as conn:
        outcome = advance_ratification(
            conn, "FR-AIR-1", to=S.IN_FORCE, on=date(2026, 12, 20), at=later
        )
        withdrawn = advance_ratification(
            conn,
            "DE-FUND-1",
            to=S.WITHDRAWN,
            on=date(2026, 12, 21),
            at=later,
            note="Bundestag vote",
        )
    assert [a.commitment_id for a in outcome.promoted] == ["FR-AIR-1"]
    assert outcome.promoted[0].promoted_at == later
    assert [a.commitment_id for a in withdrawn.lapsed] == ["DE-FUND-1"]
    assert _statuses(stored) == {
        "GB-MFU-1": A.ACTIVATED,
        "FR-AIR-1": A.ACTIVATED,
        "DE-FUND-1": A.LAPSED,
    }
    with stored.connect() as conn:
        record = commitment_record(conn, "DE-FUND-1")
        lapsed = list_notices(conn, status=A.LAPSED)
    assert [s.status for s in record.history][-1] is S.WITHDRAWN
    assert record.history[-1].note == "Bundestag vote"
    assert lapsed[0].text.startswith("Lapsed notice to DE")
    with stored.begin() as conn:  # a withdrawn commitment activates nothing any more
        add_finding(
            conn,
            finding=Finding(
                "F2", "C1", later, "RU", StandardOfProof.BEYOND_REASONABLE_DOUBT, "critical"
            ),
        )
        assert "DE-FUND-1" not in {a.commitment_id for a in activate_for_finding(conn, "F2")}


def test_an_illegal_step_is_refused_and_changes_nothing(stored: Engine) -> None:
    with (
        pytest.raises(ConflictError, match="can go to approved_by_government or withdrawn"),
        stored.begin() as conn,
    ):
        advance_ratification(conn, "CA-TRN-1", to=S.IN_FORCE, on=date(2026, 12, 1))
    with stored.connect() as conn:
        record = commitment_record(conn, "CA-TRN-1")
    assert record.commitment.status is S.PLEDGED and len(record.history) == 1


def test_deliveries_feed_the_tracker(stored: Engine) -> None:
    with stored.begin() as conn:
        record_delivery(conn, "GB-MFU-1", quantity=1500, on=date(2026, 3, 1), note="rotation 1")
        record_delivery(conn, "GB-MFU-1", quantity=500, on=date(2026, 4, 1))
    with pytest.raises(ConflictError, match="pledged"), stored.begin() as conn:
        record_delivery(conn, "GB-MFU-1", quantity=3001, on=date(2026, 5, 1))
    with stored.connect() as conn:
        lines, totals = tracker(conn)
        record = commitment_record(conn, "GB-MFU-1")
    gb = next(line for line in lines if line.guarantor == "GB")
    assert (gb.pledged, gb.in_force, gb.delivered) == (5000, 5000, 2000)
    assert gb.fraction_delivered == pytest.approx(0.4)
    assert [d.quantity for d in record.deliveries] == [1500, 500]
    assert {t.kind for t in totals} == {line.kind for line in lines}


def test_a_bad_file_is_refused_whole_and_keeps_what_is_stored(
    stored: Engine, tmp_path: Path
) -> None:
    entries = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    fresh = {**entries[0], "commitment_id": "IT-1"}
    bad = {**entries[1], "commitment_id": "IT-2", "quantity": 0}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([fresh, bad], indent=1), encoding="utf-8")
    with stored.connect() as conn:
        before = count_rows(conn)
    with pytest.raises(InputError, match="positive number") as caught, stored.begin() as conn:
        register_commitments_file(conn, path)
    assert (caught.value.file, caught.value.column) == (str(path), "quantity")
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps([fresh, {**entries[2], "quantity": 1}], indent=1), "utf-8")
    starts = [
        n for n, text in enumerate(changed.read_text("utf-8").splitlines(), 1) if text == " {"
    ]
    with (
        pytest.raises(InputError, match=r"other terms \(quantity") as caught,
        stored.begin() as conn,
    ):
        register_commitments_file(conn, changed)
    assert caught.value.line == starts[1]  # the stored commitment given with other terms
    with stored.begin() as conn:
        assert count_rows(conn) == before
        assert register_commitments_file(conn, EXAMPLE) == AddResult(existing=6)
