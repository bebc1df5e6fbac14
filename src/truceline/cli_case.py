"""`truceline case ...`: the commission's cases on the command line (convert, call, print)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from truceline.app import commission as ops
from truceline.app import evidence as evidence_ops
from truceline.app.publication import Published
from truceline.cli_options import DatabaseOpt
from truceline.commission.evidence import CheckResult
from truceline.commission.membership import DEFAULT_MECHANISM
from truceline.commission.workflow import parse_status
from truceline.domain import Activation, StandardOfProof
from truceline.domain.commission import EvidenceKind, VoteChoice
from truceline.errors import InputError

case_app = typer.Typer(
    help="The commission's cases: workflow, evidence, locks, votes, findings, remedies.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True)

ActorOpt = Annotated[str, typer.Option("--actor", help="Who does this (recorded in the audit).")]
CaseArg = Annotated[str, typer.Argument(help="Case id, e.g. C-0001.")]
EvidenceDirOpt = Annotated[
    Path | None,
    typer.Option(help="Evidence directory (default: TRUCELINE_OUTPUT_DIR/evidence)."),
]
MechanismOpt = Annotated[str, typer.Option(help="The voting body whose members and rules apply.")]


@contextmanager
def _store(database: str | None) -> Iterator[Engine]:
    from truceline.store.database import open_store

    engine = open_store(database)
    try:
        yield engine
    finally:
        engine.dispose()


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _time(text: str | None, option: str) -> datetime | None:
    from truceline.io.timefmt import parse_time

    if text is None:
        return None
    try:
        return parse_time(text)
    except ValueError as exc:
        raise InputError(str(exc), column=option) from None


def _vote_choice(text: str) -> VoteChoice:
    try:
        return VoteChoice(text.strip().lower())
    except ValueError:
        names = ", ".join(c.value for c in VoteChoice)
        raise InputError(f"{text!r} is not one of: {names}", column="--choice") from None


def _standard(text: str) -> StandardOfProof:
    try:
        return StandardOfProof(text.strip().lower())
    except ValueError:
        names = ", ".join(c.value for c in StandardOfProof)
        raise InputError(f"{text!r} is not one of: {names}", column="--standard") from None


def _evidence_dir(given: Path | None) -> Path:
    return given if given is not None else evidence_ops.default_evidence_dir()


@case_app.command("members")
def members(
    path: Annotated[Path, typer.Argument(help="Membership file (JSON): rules and members.")],
    actor: ActorOpt,
    database: DatabaseOpt = None,
) -> None:
    """Load a mechanism's voting rules and members (members left out become inactive)."""
    with _store(database) as engine:
        membership, changes = ops.load_members(engine, path=path, actor=actor)
    summary = ", ".join(f"{len(ids)} {what}" for what, ids in changes.items())
    out.print(f"Mechanism {membership.mechanism}: {len(membership.members)} members ({summary})")


@case_app.command("open")
def open_(
    actor: ActorOpt,
    violation: Annotated[
        list[str] | None, typer.Option(help="A stored violation id (repeat for several).")
    ] = None,
    alleged_by: Annotated[str | None, typer.Option(help="The alleging party.")] = None,
    accused: Annotated[str | None, typer.Option(help="The accused party (allegations).")] = None,
    title: Annotated[str | None, typer.Option(help="Title of the case.")] = None,
    database: DatabaseOpt = None,
) -> None:
    """Open a case from stored violations or from a party's allegation."""
    with _store(database) as engine:
        if accused is not None:
            if alleged_by is None:
                raise InputError("an allegation needs --alleged-by", column="--alleged-by")
            case = ops.open_case_from_allegation(
                engine,
                alleged_by=alleged_by,
                accused_party=accused,
                title=title or "",
                actor=actor,
                violation_ids=violation or (),
            )
        else:
            case = ops.open_case_from_violations(
                engine,
                violation_ids=violation or [],
                actor=actor,
                title=title,
                alleged_by=alleged_by,
            )
    out.print(f"Opened case {case.case_id} ({case.status.value}): {case.title}")


@case_app.command("list")
def list_(
    status: Annotated[str | None, typer.Option(help="Only cases in this status.")] = None,
    database: DatabaseOpt = None,
) -> None:
    """List cases, oldest first."""
    wanted = parse_status(status) if status is not None else None
    with _store(database) as engine:
        cases = ops.list_cases(engine, status=wanted)
    for case in cases:
        parties = f"{case.alleged_by or '-'} v {case.accused_party or '-'}"
        out.print(f"{case.case_id}  {case.status.value:<13} {parties:<9} {case.title}")
    if not cases:
        out.print("No cases.")


@case_app.command("show")
def show(case_id: CaseArg, database: DatabaseOpt = None) -> None:
    """Show a case: status history, lock, draft, votes, findings, remedies, evidence."""
    with _store(database) as engine:
        file = ops.show_case(engine, case_id=case_id)
    case = file.case
    out.print(f"Case {case.case_id}: {case.title}")
    out.print(
        f"  status {case.status.value}; {case.alleged_by or '-'} v {case.accused_party or '-'}"
    )
    out.print(f"  violations: {', '.join(case.violation_ids) or '-'}")
    if file.lock is not None:
        out.print(f"  lock: {file.lock.holder} until {_when(file.lock.expires_at)}")
    for step in file.transitions:
        source = step.from_status.value if step.from_status else "(opened)"
        reason = f" - {step.reason}" if step.reason else ""
        out.print(f"  {_when(step.at)} {source} -> {step.to_status.value} by {step.actor}{reason}")
    if file.draft is not None:
        d = file.draft
        party = d.responsible_party or "not attributable"
        out.print(f"  draft: {party}, {d.standard_of_proof.value}, severity {d.severity}")
    for vote in file.votes:
        out.print(f"  vote (round {vote.round}): {vote.member_id} {vote.choice.value}")
    for f in file.findings:
        party = f.responsible_party or "not attributable"
        counts = f"{f.votes_for} for, {f.votes_against} against, {f.abstentions} abstaining"
        out.print(f"  finding {f.finding_id}: {party}, {f.standard_of_proof.value} ({counts})")
    for r in file.remedies:
        dates = f"due {_when(r.due_at)}, complied {_when(r.complied_at)}"
        out.print(f"  remedy {r.remedy_id}: {r.kind} on {r.party}, {dates}")
    out.print(f"  evidence: {', '.join(file.evidence_ids) or '-'}")


@case_app.command("advance")
def advance(
    case_id: CaseArg,
    status: Annotated[str, typer.Argument(help="The next status, e.g. inquiry.")],
    actor: ActorOpt,
    reason: Annotated[str, typer.Option(help="Why (needed when leaving the main path).")] = "",
    database: DatabaseOpt = None,
) -> None:
    """Move a case to its next status (only allowed transitions)."""
    with _store(database) as engine:
        step = ops.advance_case(
            engine, case_id=case_id, to_status=parse_status(status), actor=actor, reason=reason
        )
    out.print(f"Case {case_id}: {step.from_status} -> {step.to_status.value}")


@case_app.command("lock")
def lock(
    case_id: CaseArg,
    actor: ActorOpt,
    minutes: Annotated[float, typer.Option(help="How long the lock lasts.")] = 30,
    database: DatabaseOpt = None,
) -> None:
    """Lock a case for editing (or renew your lock)."""
    with _store(database) as engine:
        held = ops.lock_case(engine, case_id=case_id, actor=actor, minutes=minutes)
    out.print(f"Case {case_id} locked by {held.holder} until {_when(held.expires_at)}")


@case_app.command("unlock")
def unlock(case_id: CaseArg, actor: ActorOpt, database: DatabaseOpt = None) -> None:
    """Release your lock on a case."""
    with _store(database) as engine:
        ops.unlock_case(engine, case_id=case_id, actor=actor)
    out.print(f"Case {case_id} unlocked")


@case_app.command("draft")
def draft(
    case_id: CaseArg,
    actor: ActorOpt,
    severity: Annotated[str, typer.Option(help="low, medium, high or critical.")],
    standard: Annotated[str, typer.Option(help="Standard of proof reached.")],
    responsible: Annotated[str | None, typer.Option(help="The responsible party.")] = None,
    not_attributable: Annotated[
        bool, typer.Option("--not-attributable", help="No party can be held responsible.")
    ] = False,
    summary: Annotated[str, typer.Option(help="The draft's reasoning.")] = "",
    database: DatabaseOpt = None,
) -> None:
    """Write the draft finding the commission will vote on."""
    if (responsible is None) != not_attributable:
        raise InputError("give either --responsible PARTY or --not-attributable")
    with _store(database) as engine:
        written = ops.draft_finding(
            engine,
            case_id=case_id,
            actor=actor,
            responsible_party=responsible,
            standard_of_proof=_standard(standard),
            severity=severity,
            summary=summary,
        )
    party = written.responsible_party or "not attributable"
    out.print(f"Draft for case {case_id}: {party}, {written.standard_of_proof.value}")


@case_app.command("evidence-add")
def evidence_add(
    case_id: CaseArg,
    actor: ActorOpt,
    file: Annotated[Path | None, typer.Option(help="A file (copied, hashed).")] = None,
    link: Annotated[str | None, typer.Option(help="A URL.")] = None,
    event: Annotated[str | None, typer.Option(help="A stored event id.")] = None,
    report: Annotated[str | None, typer.Option(help="A stored report id.")] = None,
    description: Annotated[str, typer.Option(help="What it shows.")] = "",
    evidence_dir: EvidenceDirOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Add one evidence item to a case, with its SHA-256 and a custody entry."""
    given = {
        EvidenceKind.FILE: None if file is None else str(file),
        EvidenceKind.LINK: link,
        EvidenceKind.EVENT: event,
        EvidenceKind.REPORT: report,
    }
    chosen = [(kind, target) for kind, target in given.items() if target is not None]
    if len(chosen) != 1:
        raise InputError("give exactly one of --file, --link, --event, --report")
    kind, target = chosen[0]
    with _store(database) as engine:
        item = evidence_ops.add_evidence(
            engine,
            case_id=case_id,
            actor=actor,
            kind=kind,
            target=target,
            evidence_dir=_evidence_dir(evidence_dir),
            description=description,
        )
    out.print(f"Evidence {item.evidence_id} ({item.kind.value}) sha256 {item.sha256}")


@case_app.command("evidence-view")
def evidence_view(
    evidence_id: Annotated[str, typer.Argument(help="Evidence id, e.g. EV-0001.")],
    actor: ActorOpt,
    database: DatabaseOpt = None,
) -> None:
    """Show an evidence item and its chain of custody (the viewing is recorded)."""
    with _store(database) as engine:
        item, custody = evidence_ops.view_evidence(engine, evidence_id=evidence_id, actor=actor)
    size = "" if item.size_bytes is None else f", {item.size_bytes} bytes"
    out.print(f"{item.evidence_id} ({item.kind.value}) of case {item.case_id}: {item.reference}")
    out.print(f"  sha256 {item.sha256}{size}; {item.description or 'no description'}")
    for entry in custody:
        out.print(f"  {_when(entry.at)} {entry.action.value:<8} by {entry.actor}")


@case_app.command("evidence-export")
def evidence_export(
    evidence_id: Annotated[str, typer.Argument(help="Evidence id of a file.")],
    out_path: Annotated[Path, typer.Option("--out", help="File or directory to copy it to.")],
    actor: ActorOpt,
    evidence_dir: EvidenceDirOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Copy an evidence file out after checking its hash (the export is recorded)."""
    with _store(database) as engine:
        written = evidence_ops.export_evidence(
            engine,
            evidence_id=evidence_id,
            actor=actor,
            evidence_dir=_evidence_dir(evidence_dir),
            destination=out_path,
        )
    out.print(f"Exported {evidence_id} to {written}")


@case_app.command("evidence-verify")
def evidence_verify(
    actor: ActorOpt,
    case: Annotated[str | None, typer.Option(help="Only this case's evidence.")] = None,
    evidence_dir: EvidenceDirOpt = None,
    database: DatabaseOpt = None,
) -> None:
    """Re-hash evidence and report any change; exit status 1 if anything changed or is gone."""
    with _store(database) as engine:
        checks = evidence_ops.verify_evidence(
            engine, actor=actor, evidence_dir=_evidence_dir(evidence_dir), case_id=case
        )
    for check in checks:
        out.print(f"{check.evidence_id}  {check.result.value}")
    bad = [c for c in checks if c.result != CheckResult.INTACT]
    out.print(f"{len(checks)} items checked, {len(bad)} changed or missing")
    if bad:
        raise typer.Exit(1)


@case_app.command("vote")
def vote(
    case_id: CaseArg,
    member: Annotated[str, typer.Option(help="The voting member's id.")],
    choice: Annotated[str, typer.Option(help="for, against or abstain.")],
    statement: Annotated[str, typer.Option(help="Statement (a dissent, if against).")] = "",
    database: DatabaseOpt = None,
) -> None:
    """Cast a member's vote on the case's draft finding."""
    with _store(database) as engine:
        cast = ops.cast_vote(
            engine,
            case_id=case_id,
            member_id=member,
            choice=_vote_choice(choice),
            statement=statement,
        )
    out.print(f"Vote recorded: {cast.member_id} {cast.choice.value} (round {cast.round})")


@case_app.command("decide")
def decide(
    case_id: CaseArg,
    actor: ActorOpt,
    mechanism: MechanismOpt = DEFAULT_MECHANISM,
    database: DatabaseOpt = None,
) -> None:
    """Tally the votes: record the finding if adopted, else send the draft back."""
    with _store(database) as engine:
        decision = ops.decide_case(engine, case_id=case_id, actor=actor, mechanism=mechanism)
    out.print(f"Tally: {decision.tally.explanation}")
    if decision.finding is None:
        out.print(f"Not adopted: case {case_id} is back in draft_finding")
        return
    f = decision.finding
    out.print(f"Finding {f.finding_id}: {f.responsible_party or 'not attributable'}")
    for item in decision.consequences:
        if isinstance(item, Activation):
            out.print(f"Activation {item.activation_id}: {item.guarantor} {item.status.value}")
        elif isinstance(item, Published) and item.log_indices:
            out.print(
                f"Transparency log: entries {item.log_indices[0]}-{item.log_indices[-1]}, "
                f"tree size {item.tree_size}; {len(item.alert_files)} CAP alerts written"
            )


@case_app.command("remedy")
def remedy(
    case_id: CaseArg,
    actor: ActorOpt,
    catalogue: Annotated[
        Path | None, typer.Option(help="Remedy catalogue (JSON; default: the shipped one).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Choose remedies for the case's finding by severity and recurrence."""
    with _store(database) as engine:
        imposed = ops.impose_remedies(engine, case_id=case_id, actor=actor, catalogue=catalogue)
    for r in imposed:
        out.print(f"Remedy {r.remedy_id}: {r.kind} on {r.party}, due {_when(r.due_at)}")


@case_app.command("comply")
def comply(
    remedy_id: Annotated[str, typer.Argument(help="Remedy id, e.g. RM-0001.")],
    actor: ActorOpt,
    at: Annotated[str | None, typer.Option(help="When it complied (default: now).")] = None,
    note: Annotated[str, typer.Option(help="How compliance was verified.")] = "",
    database: DatabaseOpt = None,
) -> None:
    """Record that a party complied with a remedy."""
    with _store(database) as engine:
        done = ops.record_compliance(
            engine, remedy_id=remedy_id, actor=actor, complied_at=_time(at, "--at"), note=note
        )
    out.print(f"Remedy {remedy_id} complied at {_when(done.complied_at)}")


@case_app.command("reminders")
def reminders(
    now: Annotated[str | None, typer.Option(help="As of this time (default: now).")] = None,
    lead_hours: Annotated[
        float | None, typer.Option(help="Warn this many hours ahead (default: catalogue's).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """List remedies whose deadline approaches or has passed with no compliance."""
    lead = None if lead_hours is None else timedelta(hours=lead_hours)
    with _store(database) as engine:
        due = ops.due_reminders(engine, now=_time(now, "--now"), lead=lead)
    for item in due:
        state = "OVERDUE" if item.overdue else f"due in {item.hours_left:.1f} h"
        r = item.remedy
        out.print(f"{r.remedy_id}  {r.party}  {r.kind:<22} {_when(r.due_at)}  {state}")
    if not due:
        out.print("No reminders due.")


@case_app.command("audit")
def audit(case_id: CaseArg, database: DatabaseOpt = None) -> None:
    """Show every audited change to a case, its evidence, findings and remedies."""
    with _store(database) as engine:
        entries = ops.case_audit(engine, case_id=case_id)
    for entry in entries:
        what = f"{entry.entity:<9} {entry.entity_id:<8}"
        out.print(f"{_when(entry.at)}  {what} {entry.action} by {entry.actor}")
