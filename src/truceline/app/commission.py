"""The commission's operations, as the CLI (and later the HTTP API) calls them.

Each operation runs in one transaction: its rows and audit rows are stored together, or
nothing is. Writes to a case need its edit lock: a write by an actor takes the lock
implicitly when it is free or expired (or renews the actor's own lock), and is refused while
another actor holds it. Explicit `lock_case` keeps a case reserved between writes.
Recorded findings pass through `on_finding_recorded`, the one place where what follows a
finding (guarantee activation, CAP alerts, the transparency log) is to be wired in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Connection, Engine

from truceline.commission import locks, remedies, votes, workflow
from truceline.commission.jsonfile import Fields
from truceline.commission.membership import (
    DEFAULT_MECHANISM,
    Membership,
    load_membership,
    parse_rules,
    rules_as_json,
)
from truceline.domain import Case, CaseStatus, Finding, Remedy, StandardOfProof
from truceline.domain.commission import (
    AuditEntry,
    CaseLock,
    CaseTransition,
    DraftFinding,
    Vote,
    VoteChoice,
)
from truceline.errors import ConflictError, InputError
from truceline.store import commission as store
from truceline.store import tables
from truceline.store import votes as vote_store
from truceline.store.commission import next_id
from truceline.store.evidence import get_evidence

# Statuses reached only through their own operation (they need a tally or a remedy choice).
_REACHED_BY = {CaseStatus.FINDING: "case decide", CaseStatus.REMEDY: "case remedy"}


@dataclass(frozen=True)
class CaseFile:
    """Everything known about a case, as `case show` prints it."""

    case: Case
    transitions: list[CaseTransition]
    lock: CaseLock | None
    draft: DraftFinding | None
    votes: list[Vote]
    findings: list[Finding]
    remedies: list[Remedy]
    evidence_ids: list[str]


@dataclass(frozen=True)
class Decision:
    """The outcome of `decide_case`: the tally, and the finding when the draft was adopted."""

    tally: votes.Tally
    finding: Finding | None
    consequences: tuple[object, ...] = ()


def on_finding_recorded(conn: Connection, finding: Finding) -> tuple[object, ...]:
    """Hook run in the transaction that records ``finding``; what it returns is reported.

    The single place for what a finding sets off: the guarantors' commitments it activates
    (or queues while ratification is outstanding), then its publication: the transparency
    log entry and the CAP alerts of the activations (when configured). All of it runs in the
    same transaction, so a failure leaves no finding without its consequences.
    """
    from truceline.app.guarantees import activate_for_finding
    from truceline.app.publication import publish_finding

    notices = activate_for_finding(conn, finding.finding_id, at=finding.decided_at)
    published = publish_finding(conn, finding, notices)
    return (*notices, published)


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


# --- opening and moving cases ----------------------------------------------------------------


def open_case_from_violations(
    engine: Engine,
    *,
    violation_ids: Sequence[str],
    actor: str,
    title: str | None = None,
    alleged_by: str | None = None,
    now: datetime | None = None,
) -> Case:
    """Open a case on stored violations; the accused party is theirs when they agree."""
    if not violation_ids:
        raise InputError("give at least one violation id", column="violation")
    now = now or now_utc()
    with engine.begin() as conn:
        found = store.get_violations_by_id(conn, violation_ids=violation_ids)
        parties = {v.party for v in found if v.party is not None}
        accused = parties.pop() if len(parties) == 1 else None
        case = Case(
            case_id=next_id(conn, table=tables.cases, prefix="C-"),
            title=title or f"{found[0].type.value.replace('_', ' ')}: {', '.join(violation_ids)}",
            status=CaseStatus.ALLEGATION,
            opened_at=now,
            violation_ids=tuple(violation_ids),
            alleged_by=alleged_by,
            accused_party=accused,
        )
        store.open_case(conn, case=case, actor=actor, reason="opened from stored violations")
    return case


def open_case_from_allegation(
    engine: Engine,
    *,
    alleged_by: str,
    accused_party: str,
    title: str,
    actor: str,
    violation_ids: Sequence[str] = (),
    now: datetime | None = None,
) -> Case:
    """Open a case on a party's allegation against another party."""
    if alleged_by == accused_party:
        raise InputError(f"a party cannot allege against itself ({alleged_by})", column="accused")
    if not title.strip():
        raise InputError("an allegation needs a title", column="title")
    now = now or now_utc()
    with engine.begin() as conn:
        if violation_ids:
            store.get_violations_by_id(conn, violation_ids=violation_ids)
        case = Case(
            case_id=next_id(conn, table=tables.cases, prefix="C-"),
            title=title.strip(),
            status=CaseStatus.ALLEGATION,
            opened_at=now,
            violation_ids=tuple(violation_ids),
            alleged_by=alleged_by,
            accused_party=accused_party,
        )
        store.open_case(conn, case=case, actor=actor, reason=f"allegation by {alleged_by}")
    return case


def list_cases(engine: Engine, *, status: CaseStatus | None = None) -> list[Case]:
    """Cases, optionally in one status, oldest first."""
    with engine.connect() as conn:
        return store.get_cases(conn, status=status)


def show_case(engine: Engine, *, case_id: str) -> CaseFile:
    """A case with its history, lock, draft, current votes, findings, remedies and evidence."""
    with engine.connect() as conn:
        case = store.get_case(conn, case_id=case_id)
        findings = store.get_findings(conn, case_id=case_id)
        round_ = store.voting_round(conn, case_id=case_id)
        return CaseFile(
            case=case,
            transitions=store.get_transitions(conn, case_id=case_id),
            lock=store.get_lock(conn, case_id=case_id),
            draft=vote_store.get_draft(conn, case_id=case_id),
            votes=vote_store.get_votes(conn, case_id=case_id, round=round_),
            findings=findings,
            remedies=[
                r for f in findings for r in store.get_remedies(conn, finding_id=f.finding_id)
            ],
            evidence_ids=[e.evidence_id for e in get_evidence(conn, case_id=case_id)],
        )


def advance_case(
    engine: Engine,
    *,
    case_id: str,
    to_status: CaseStatus,
    actor: str,
    reason: str = "",
    now: datetime | None = None,
) -> CaseTransition:
    """Move a case to an allowed next status (finding and remedy have their own operations)."""
    now = now or now_utc()
    with engine.begin() as conn:
        case = store.get_case_for_update(conn, case_id=case_id)
        workflow.check_transition(case.status, to_status, reason=reason, case_id=case_id)
        if to_status in _REACHED_BY:
            raise ConflictError(
                f"case {case_id} reaches {to_status.value!r} through "
                f"`truceline {_REACHED_BY[to_status]}`, not by advancing"
            )
        if to_status == CaseStatus.VOTE and vote_store.get_draft(conn, case_id=case_id) is None:
            raise ConflictError(f"case {case_id} has no draft finding to vote on")
        hold_lock(conn, case_id=case_id, actor=actor, now=now)
        return _move(conn, case, to_status, actor=actor, now=now, reason=reason)


def _move(
    conn: Connection, case: Case, to: CaseStatus, *, actor: str, now: datetime, reason: str
) -> CaseTransition:
    workflow.check_transition(case.status, to, reason=reason, case_id=case.case_id)
    transition = CaseTransition(case.case_id, case.status, to, actor, now, reason)
    store.set_case_status(conn, transition=transition)
    return transition


# --- locks -----------------------------------------------------------------------------------


def hold_lock(
    conn: Connection,
    *,
    case_id: str,
    actor: str,
    now: datetime,
    ttl: timedelta = locks.DEFAULT_LOCK_TTL,
) -> CaseLock:
    """Take (or renew) the case's lock for ``actor`` inside the caller's transaction."""
    current = store.get_lock(conn, case_id=case_id)
    lock = locks.acquire(current, case_id=case_id, actor=actor, now=now, ttl=ttl)
    renewed = current is not None and current.holder == actor and locks.is_held(current, now)
    store.save_lock(
        conn, lock=lock, actor=actor, action="lock renewed" if renewed else "lock acquired", at=now
    )
    return lock


def lock_case(
    engine: Engine, *, case_id: str, actor: str, minutes: float = 30, now: datetime | None = None
) -> CaseLock:
    """Lock a case for ``actor`` for ``minutes`` (or renew the actor's lock)."""
    now = now or now_utc()
    with engine.begin() as conn:
        store.get_case_for_update(conn, case_id=case_id)
        return hold_lock(
            conn, case_id=case_id, actor=actor, now=now, ttl=timedelta(minutes=minutes)
        )


def unlock_case(engine: Engine, *, case_id: str, actor: str, now: datetime | None = None) -> None:
    """Release a case's lock; only its holder may."""
    now = now or now_utc()
    with engine.begin() as conn:
        store.get_case_for_update(conn, case_id=case_id)
        locks.release(store.get_lock(conn, case_id=case_id), actor=actor)
        store.delete_lock(conn, case_id=case_id, actor=actor, at=now)


# --- membership, drafts, votes, decisions ----------------------------------------------------


def load_members(
    engine: Engine, *, path: Path, actor: str, now: datetime | None = None
) -> tuple[Membership, dict[str, list[str]]]:
    """Load a membership file (rules and members) for its mechanism; what changed."""
    membership = load_membership(path)
    with engine.begin() as conn:
        changes = vote_store.save_membership(
            conn,
            mechanism=membership.mechanism,
            rules=rules_as_json(membership.rules),
            members=membership.members,
            actor=actor,
            at=now or now_utc(),
        )
    return membership, changes


def draft_finding(
    engine: Engine,
    *,
    case_id: str,
    actor: str,
    responsible_party: str | None,
    standard_of_proof: StandardOfProof,
    severity: str,
    summary: str = "",
    now: datetime | None = None,
) -> DraftFinding:
    """Write (or rewrite) the draft finding of a case in ``draft_finding``."""
    now = now or now_utc()
    with engine.begin() as conn:
        case = store.get_case_for_update(conn, case_id=case_id)
        _require_status(case, CaseStatus.DRAFT_FINDING, "drafted")
        hold_lock(conn, case_id=case_id, actor=actor, now=now)
        draft = DraftFinding(
            case_id, responsible_party, standard_of_proof, severity, actor, now, summary
        )
        vote_store.save_draft(conn, draft=draft)
    return draft


def cast_vote(
    engine: Engine,
    *,
    case_id: str,
    member_id: str,
    choice: VoteChoice,
    statement: str = "",
    now: datetime | None = None,
) -> Vote:
    """Record a member's vote on the case's draft (refused if recused or voted already)."""
    now = now or now_utc()
    with engine.begin() as conn:
        case = store.get_case_for_update(conn, case_id=case_id)
        _require_status(case, CaseStatus.VOTE, "voted on")
        member = vote_store.get_member(conn, member_id=member_id)
        round_ = store.voting_round(conn, case_id=case_id)
        cast = vote_store.get_votes(conn, case_id=case_id, round=round_)
        votes.check_vote(member, member_id=member_id, votes=cast, parties=_parties(case))
        vote = Vote(case_id, round_, member_id, choice, now, statement.strip())
        vote_store.add_vote(conn, vote=vote)
    return vote


def decide_case(
    engine: Engine,
    *,
    case_id: str,
    actor: str,
    mechanism: str = DEFAULT_MECHANISM,
    now: datetime | None = None,
) -> Decision:
    """Tally the current round: adopted, the finding is recorded (case -> finding); not
    adopted, the draft goes back to drafting. Refused, changing nothing, without quorum."""
    now = now or now_utc()
    with engine.begin() as conn:
        case = store.get_case_for_update(conn, case_id=case_id)
        _require_status(case, CaseStatus.VOTE, "decided")
        rules_json = vote_store.get_rules(conn, mechanism=mechanism)
        rules = parse_rules(Fields(rules_json, file=f"rules of mechanism {mechanism!r}"))
        members = vote_store.get_members(conn, mechanism=mechanism)
        cast = vote_store.get_votes(
            conn, case_id=case_id, round=store.voting_round(conn, case_id=case_id)
        )
        tally = votes.tally_votes(cast, members, rules, _parties(case))
        if not tally.quorum_met:
            raise ConflictError(f"case {case_id}: {tally.explanation}; nothing decided")
        hold_lock(conn, case_id=case_id, actor=actor, now=now)
        if not tally.adopted:
            reason = f"draft not adopted: {tally.explanation}"
            _move(conn, case, CaseStatus.DRAFT_FINDING, actor=actor, now=now, reason=reason)
            return Decision(tally, None)
        draft = vote_store.get_draft(conn, case_id=case_id)
        if draft is None:
            raise ConflictError(f"case {case_id} has no draft finding")
        finding = votes.finding_from_tally(
            draft,
            tally,
            finding_id=next_id(conn, table=tables.findings, prefix="F-"),
            decided_at=now,
            dissent=votes.dissent_text(cast, members),
        )
        store.record_finding(conn, finding=finding, actor=actor)
        _move(conn, case, CaseStatus.FINDING, actor=actor, now=now, reason=tally.explanation)
        return Decision(tally, finding, on_finding_recorded(conn, finding))


# --- remedies --------------------------------------------------------------------------------


def impose_remedies(
    engine: Engine,
    *,
    case_id: str,
    actor: str,
    catalogue: Path | None = None,
    now: datetime | None = None,
) -> list[Remedy]:
    """Choose remedies for the case's finding by severity and recurrence; case -> remedy."""
    now = now or now_utc()
    chosen_from = remedies.load_catalogue(catalogue)
    with engine.begin() as conn:
        case = store.get_case_for_update(conn, case_id=case_id)
        _require_status(case, CaseStatus.FINDING, "given remedies")
        finding = store.get_findings(conn, case_id=case_id)[-1]
        if finding.responsible_party is None:
            raise ConflictError(
                f"finding {finding.finding_id} is not attributable: close case {case_id} instead"
            )
        hold_lock(conn, case_id=case_id, actor=actor, now=now)
        prior = remedies.count_recurrence(
            [f for f in store.get_findings(conn) if f.finding_id != finding.finding_id],
            party=finding.responsible_party,
            before=finding.decided_at,
            window=chosen_from.recurrence_window,
        )
        options = remedies.choose_remedies(
            chosen_from, severity=finding.severity, prior_findings=prior
        )
        ids = _next_ids(conn, len(options))
        imposed = remedies.remedies_for(finding, options, remedy_ids=ids, at=now)
        store.record_remedies(conn, remedies=imposed, actor=actor, at=now)
        reason = f"{len(imposed)} remedies; {prior} earlier findings against the party"
        _move(conn, case, CaseStatus.REMEDY, actor=actor, now=now, reason=reason)
    return imposed


def record_compliance(
    engine: Engine,
    *,
    remedy_id: str,
    actor: str,
    complied_at: datetime | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Remedy:
    """Record that the party complied with a remedy (once)."""
    now = now or now_utc()
    with engine.begin() as conn:
        remedy = store.get_remedy(conn, remedy_id=remedy_id)
        case_id = store.get_finding(conn, finding_id=remedy.finding_id).case_id
        store.get_case_for_update(conn, case_id=case_id)
        hold_lock(conn, case_id=case_id, actor=actor, now=now)
        complied = remedies.record_compliance(remedy, at=complied_at or now)
        store.record_compliance(conn, remedy=complied, actor=actor, at=now, note=note)
    return complied


def due_reminders(
    engine: Engine,
    *,
    now: datetime | None = None,
    lead: timedelta | None = None,
    catalogue: Path | None = None,
) -> list[remedies.Reminder]:
    """Remedies whose deadline is near (the catalogue's reminder lead) or passed, uncomplied."""
    lead = lead if lead is not None else remedies.load_catalogue(catalogue).reminder_lead
    with engine.connect() as conn:
        open_remedies = store.get_open_remedies(conn)
    return remedies.reminders_due(open_remedies, now=now or now_utc(), lead=lead)


def case_audit(engine: Engine, *, case_id: str) -> list[AuditEntry]:
    """The audit rows of a case and of its evidence, findings and remedies, oldest first."""
    with engine.connect() as conn:
        store.get_case(conn, case_id=case_id)
        findings = store.get_findings(conn, case_id=case_id)
        ids = {case_id} | {f.finding_id for f in findings}
        ids |= {e.evidence_id for e in get_evidence(conn, case_id=case_id)}
        ids |= {
            r.remedy_id for f in findings for r in store.get_remedies(conn, finding_id=f.finding_id)
        }
        return [entry for entry in store.get_audit(conn) if entry.entity_id in ids]


# --- helpers ---------------------------------------------------------------------------------


def _remedies_of(conn: Connection, findings: Sequence[Finding]) -> list[Remedy]:
    return [r for f in findings for r in store.get_remedies(conn, finding_id=f.finding_id)]


def _parties(case: Case) -> votes.CaseParties:
    return votes.CaseParties(accused=case.accused_party, alleging=case.alleged_by)


def _require_status(case: Case, status: CaseStatus, what: str) -> None:
    if case.status != status:
        raise ConflictError(
            f"case {case.case_id} is in {case.status.value!r}: it can be {what} "
            f"only in {status.value!r}"
        )


def _next_ids(conn: Connection, count: int) -> list[str]:
    first = int(next_id(conn, table=tables.remedies, prefix="RM-")[3:])
    return [f"RM-{n:04d}" for n in range(first, first + count)]
