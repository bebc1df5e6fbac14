"""Cases, findings, remedies and commitments through the store, on every backend."""

from __future__ import annotations

import dataclasses

import pytest
from sqlalchemy import Engine

from tests.store.samples import CASE, COMMITMENTS, FINDING, REMEDY
from truceline.domain import CaseStatus
from truceline.errors import ConflictError, NotFoundError
from truceline.store import (
    AddResult,
    add_case,
    add_commitments,
    add_finding,
    add_remedy,
    count_rows,
    get_case,
    get_cases,
    get_commitments,
    get_finding,
    get_findings,
    get_remedies,
)


def test_the_commission_record_round_trips(engine: Engine) -> None:
    with engine.begin() as conn:
        assert add_case(conn, case=CASE) == AddResult(new=1)
        assert add_finding(conn, finding=FINDING) == AddResult(new=1)
        assert add_remedy(conn, remedy=REMEDY) == AddResult(new=1)
        assert add_commitments(conn, commitments=COMMITMENTS) == AddResult(new=2)
    with engine.connect() as conn:
        assert get_case(conn, case_id="C1") == CASE
        assert get_cases(conn) == [CASE]
        assert get_cases(conn, status=CaseStatus.CLOSED) == []
        assert get_finding(conn, finding_id="F1") == FINDING
        assert get_findings(conn, case_id="C1") == [FINDING]
        assert get_remedies(conn, finding_id="F1") == [REMEDY]
        assert get_commitments(conn) == list(COMMITMENTS)
        assert get_commitments(conn, guarantor="UK") == [COMMITMENTS[1]]


def test_the_same_records_again_change_nothing(engine: Engine) -> None:
    for _ in range(2):
        with engine.begin() as conn:
            add_case(conn, case=CASE)
            add_finding(conn, finding=FINDING)
            add_remedy(conn, remedy=REMEDY)
            add_commitments(conn, commitments=COMMITMENTS)
    with engine.connect() as conn:
        counts = count_rows(conn)
    assert [counts[t] for t in ("cases", "findings", "remedies", "commitments")] == [1, 1, 1, 2]


def test_changed_records_conflict(engine: Engine) -> None:
    with engine.begin() as conn:
        add_case(conn, case=CASE)
        add_commitments(conn, commitments=COMMITMENTS)
    with pytest.raises(ConflictError, match=r"case 'C1'.*status"), engine.begin() as conn:
        add_case(conn, case=dataclasses.replace(CASE, status=CaseStatus.CLOSED))
    notes = {**COMMITMENTS[0].notes, "chamber": "Sénat"}
    changed = dataclasses.replace(COMMITMENTS[0], notes=notes)
    with pytest.raises(ConflictError, match=r"commitment 'K1'.*notes"), engine.begin() as conn:
        add_commitments(conn, commitments=[changed])


def test_findings_and_remedies_need_what_they_refer_to(engine: Engine) -> None:
    with (
        pytest.raises(NotFoundError, match="finding 'F1' refers to unknown case 'C1'"),
        engine.begin() as conn,
    ):
        add_finding(conn, finding=FINDING)
    with (
        pytest.raises(NotFoundError, match="remedy 'M1' refers to unknown finding 'F1'"),
        engine.begin() as conn,
    ):
        add_remedy(conn, remedy=REMEDY)
    with pytest.raises(NotFoundError, match="case 'C9' is not stored"), engine.connect() as conn:
        get_case(conn, case_id="C9")
