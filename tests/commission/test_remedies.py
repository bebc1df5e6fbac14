"""Remedies: the shipped catalogue, choice by severity and recurrence, deadlines, reminders."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from truceline.commission.remedies import (
    DEFAULT_CATALOGUE,
    choose_remedies,
    count_recurrence,
    load_catalogue,
    parse_catalogue,
    record_compliance,
    remedies_for,
    reminders_due,
)
from truceline.domain import Finding, Remedy, StandardOfProof
from truceline.errors import ConflictError, InputError

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
SHIPPED = Path(__file__).resolve().parents[2] / "src/truceline/commission" / DEFAULT_CATALOGUE


def finding(finding_id: str, party: str | None, days_ago: float, severity: str = "high") -> Finding:
    return Finding(
        finding_id,
        "C-1",
        T0 - timedelta(days=days_ago),
        party,
        StandardOfProof.CLEAR_AND_CONVINCING,
        severity,
    )


def test_the_shipped_catalogue_has_the_five_graduated_remedies() -> None:
    catalogue = load_catalogue()
    assert [(o.kind, o.level) for o in catalogue.options] == [
        ("formal_notice", 1),
        ("withdrawal", 2),
        ("joint_inspection", 3),
        ("compensation", 4),
        ("referral_to_guarantors", 5),
    ]
    assert catalogue.options[1].describe() == (
        "Withdraw the weapons or forces concerned within 48 hours."
    )
    assert catalogue.reminder_lead == timedelta(hours=24)


@pytest.mark.parametrize(
    ("severity", "prior", "kind"),
    [
        ("low", 0, "formal_notice"),
        ("medium", 0, "withdrawal"),
        ("high", 0, "joint_inspection"),
        ("critical", 0, "compensation"),
        ("low", 1, "withdrawal"),  # recurrence raises the response one level per finding
        ("medium", 2, "compensation"),
        ("critical", 1, "referral_to_guarantors"),
        ("critical", 9, "referral_to_guarantors"),  # capped at the top level
    ],
)
def test_remedy_choice_by_severity_and_recurrence(severity: str, prior: int, kind: str) -> None:
    chosen = choose_remedies(load_catalogue(), severity=severity, prior_findings=prior)
    assert [o.kind for o in chosen] == [kind]


def test_a_level_with_no_remedy_falls_back_to_the_one_below(tmp_path: Path) -> None:
    document = json.loads(SHIPPED.read_text(encoding="utf-8"))
    document["remedies"] = [r for r in document["remedies"] if r["level"] != 3]
    catalogue = parse_catalogue(document, file="gapped.json")
    assert [o.kind for o in choose_remedies(catalogue, severity="high", prior_findings=0)] == [
        "withdrawal"
    ]


def test_an_unknown_severity_is_refused() -> None:
    with pytest.raises(InputError, match="severity 'grave' is not in the remedy catalogue"):
        choose_remedies(load_catalogue(), severity="grave", prior_findings=0)


def test_recurrence_counts_earlier_findings_against_the_party_in_the_window() -> None:
    findings = [
        finding("F1", "RU", 10),
        finding("F2", "RU", 179),
        finding("F3", "RU", 181),  # outside the 180-day window
        finding("F4", "UA", 5),  # another party
        finding("F5", None, 5),  # not attributable
        finding("F6", "RU", -1),  # decided later
    ]
    window = load_catalogue().recurrence_window
    assert count_recurrence(findings, party="RU", before=T0, window=window) == 2


def test_remedies_carry_deadlines_from_the_catalogue() -> None:
    options = choose_remedies(load_catalogue(), severity="critical", prior_findings=0)
    [remedy] = remedies_for(finding("F1", "RU", 0), options, remedy_ids=["RM-1"], at=T0)
    assert (remedy.kind, remedy.party, remedy.due_at) == (
        "compensation",
        "RU",
        T0 + timedelta(hours=720),
    )
    top = choose_remedies(load_catalogue(), severity="critical", prior_findings=5)
    [referral] = remedies_for(finding("F1", "RU", 0), top, remedy_ids=["RM-2"], at=T0)
    assert referral.due_at is None
    with pytest.raises(ConflictError, match="not attributable"):
        remedies_for(finding("F2", None, 0), options, remedy_ids=["RM-3"], at=T0)


def test_reminders_list_uncomplied_remedies_near_or_past_their_deadline() -> None:
    remedies = [
        Remedy("RM-1", "F1", "withdrawal", "RU", due_at=T0 - timedelta(hours=1)),
        Remedy("RM-2", "F1", "formal_notice", "RU", due_at=T0 + timedelta(hours=23)),
        Remedy("RM-3", "F1", "formal_notice", "RU", due_at=T0 + timedelta(hours=25)),
        Remedy("RM-4", "F1", "withdrawal", "RU", due_at=T0 - timedelta(hours=5), complied_at=T0),
        Remedy("RM-5", "F1", "referral_to_guarantors", "RU"),
    ]
    due = reminders_due(remedies, now=T0, lead=timedelta(hours=24))
    assert [(r.remedy.remedy_id, r.overdue, r.hours_left) for r in due] == [
        ("RM-1", True, -1.0),
        ("RM-2", False, 23.0),
    ]


def test_compliance_is_recorded_once() -> None:
    remedy = Remedy("RM-1", "F1", "withdrawal", "RU", due_at=T0)
    complied = record_compliance(remedy, at=T0 - timedelta(hours=2))
    assert complied.complied_at == T0 - timedelta(hours=2)
    with pytest.raises(ConflictError, match="already recorded"):
        record_compliance(complied, at=T0)


def _catalogue_with(change: dict[str, Any]) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(SHIPPED.read_text(encoding="utf-8"))
    document.update(change)
    return document


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"severity_levels": {}}, "severity_levels"),
        ({"severity_levels": {"low": 0}}, "severity_levels.low"),
        ({"recurrence": {"window_days": 0, "findings_per_step": 1}}, "recurrence.window_days"),
        ({"recurrence": {"window_days": 90}}, "recurrence.findings_per_step"),
        ({"reminder_hours": "soon"}, "reminder_hours"),
        (
            {"remedies": [{"kind": "x", "level": 1, "deadline_hours": 0, "description": "d"}]},
            "remedies[0].deadline_hours",
        ),
        ({"remedies": [{"kind": "x", "level": 1, "description": "d"}] * 2}, "remedies"),
        ({"remedies": [{"level": 1, "description": "d"}]}, "remedies[0].kind"),
    ],
)
def test_a_malformed_catalogue_names_file_and_field(
    tmp_path: Path, change: dict[str, Any], field: str
) -> None:
    path = tmp_path / "catalogue.json"
    path.write_text(json.dumps(_catalogue_with(change)), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_catalogue(path)
    assert (caught.value.file, caught.value.column) == (str(path), field)
