"""A finding that meets triggers: activations, the transparency log and CAP alerts."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xmlschema

from truceline.app.commission import on_finding_recorded
from truceline.app.guarantees import register_commitments_file
from truceline.app.publication import Published
from truceline.domain import (
    ActivationStatus,
    Case,
    CaseStatus,
    Finding,
    StandardOfProof,
)
from truceline.ledger import init_log, verify_log
from truceline.store import open_store
from truceline.store.commission import add_case, add_finding

ROOT = Path(__file__).resolve().parents[2]
COMMITMENTS = ROOT / "src" / "truceline" / "data" / "demo_commitments.json"
CAP_XSD = ROOT / "tests" / "alerts" / "data" / "CAP-v1.2.xsd"
DECIDED = datetime(2026, 11, 22, 12, tzinfo=UTC)


def _finding(party: str | None, severity: str = "high") -> Finding:
    return Finding(
        "F-1",
        "C-1",
        DECIDED,
        party,
        StandardOfProof.CLEAR_AND_CONVINCING,
        severity,
        votes_for=3,
        votes_against=1,
    )


@pytest.fixture()
def configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    log_dir, key = tmp_path / "log", tmp_path / "log.key"
    init_log(log_dir, key)
    monkeypatch.setenv("TRUCELINE_TRANSPARENCY_LOG_DIR", str(log_dir))
    monkeypatch.setenv("TRUCELINE_TRANSPARENCY_LOG_KEY", str(key))
    monkeypatch.setenv("TRUCELINE_ALERTS_DIR", str(tmp_path / "alerts"))
    return {"db": tmp_path / "store.db", "log": log_dir, "alerts": tmp_path / "alerts"}


def _record(db: Path, finding: Finding) -> tuple[object, ...]:
    engine = open_store(f"sqlite:///{db}")
    with engine.begin() as conn:
        register_commitments_file(conn, COMMITMENTS, at=DECIDED)
        case = Case("C-1", "shelling of Hospital No. 3", CaseStatus.VOTE, DECIDED)
        add_case(conn, case=case)
        add_finding(conn, finding=finding)
        consequences = on_finding_recorded(conn, finding)
    engine.dispose()
    return consequences


def test_a_finding_activates_commitments_in_force_and_queues_the_rest(
    configured: dict[str, Path],
) -> None:
    *notices, published = _record(configured["db"], _finding("RU"))
    status = {n.commitment_id: n.status for n in notices}  # type: ignore[attr-defined]
    assert status["GB-MFU-1"] == ActivationStatus.ACTIVATED  # in force
    assert status["FR-AIR-1"] == ActivationStatus.PENDING_RATIFICATION  # ratified, not in force
    assert "NL-AD-1" not in status  # needs a critical finding
    assert isinstance(published, Published)
    # The finding and every notice are in the log, and the log verifies.
    assert len(published.log_indices) == 1 + len(notices)
    report = verify_log(configured["log"])
    assert report.ok and report.entry_count == 1 + len(notices)
    lines = (configured["log"] / "entries.jsonl").read_text(encoding="utf-8").splitlines()
    kinds = [json.loads(line)["kind"] for line in lines]
    assert kinds == ["finding"] + ["activation"] * len(notices)
    # One CAP alert per notice, each valid against the OASIS schema.
    schema = xmlschema.XMLSchema(str(CAP_XSD))
    assert len(published.alert_files) == len(notices)
    for path in published.alert_files:
        schema.validate(str(path))


def test_a_finding_against_no_party_activates_nothing_but_is_logged(
    configured: dict[str, Path],
) -> None:
    consequences = _record(configured["db"], _finding(None))
    assert len(consequences) == 1
    (published,) = consequences
    assert isinstance(published, Published)
    assert len(published.log_indices) == 1 and published.alert_files == ()
    assert verify_log(configured["log"]).ok
