"""Working the queue: list it, claim and release items, decide (one transaction each).

Who decides: the analyst holding an unexpired claim on the item, or anyone when nobody holds
one (expired claims count as none). An item is decided once; its decision takes it out of
every analyst's queue for good, re-runs included (decisions are kept by item id, and event
ids derive from their arrivals). Every claim, release and decision is also in the audit log.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from truceline.domain import Case, CaseStatus, EventKind, Theatre, ViolationType
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.io.theatre import parse_theatre
from truceline.review import claims
from truceline.review.items import (
    Action,
    Claim,
    ItemKind,
    ReviewDecision,
    ReviewItem,
    parse_item_id,
)
from truceline.review.queue import QueueConfig, find_review_items, visible_queue
from truceline.store import analysis, tables, theatres
from truceline.store import commission as case_store
from truceline.store import review as store
from truceline.store.observations import get_reports


@dataclass(frozen=True)
class QueueEntry:
    """An item of an analyst's queue, with the analyst's own claim on it (if any)."""

    item: ReviewItem
    claim: Claim | None


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(UTC)


def load_theatre(conn: Connection, name: str | None = None) -> tuple[Theatre | None, str | None]:
    """The stored theatre named ``name``, or the only one stored; (None, None) when none is.

    Several theatres stored and none named: InputError (the choice would be arbitrary).
    """
    if name is not None:
        stored = theatres.get_theatre(conn, name=name)
    else:
        every = theatres.get_theatres(conn)
        if not every:
            return None, None
        if len(every) > 1:
            names = ", ".join(t.name for t in every)
            raise InputError(f"several theatres are stored ({names}): name one", column="theatre")
        stored = every[0]
    return parse_theatre(json.loads(stored.geojson), file=f"theatre {stored.name}"), stored.name


def review_queue(
    engine: Engine,
    *,
    analyst: str,
    start: datetime | None = None,
    end: datetime | None = None,
    theatre: str | None = None,
    cfg: QueueConfig | None = None,
    now: datetime | None = None,
) -> list[QueueEntry]:
    """The queue as ``analyst`` sees it: undecided items not claimed by anyone else, in order."""
    now = now or now_utc()
    with engine.connect() as conn:
        events = analysis.get_events(conn, start=start, end=end)
        violations = analysis.get_violations(conn, start=start, end=end)
        reports = get_reports(conn, start=start, end=end)
        found, _ = load_theatre(conn, theatre)
        every_claim = store.get_claims(conn)
        decided = {d.item_id for d in store.get_decisions(conn)}
    sites = found.protected_sites if found is not None else ()
    items = find_review_items(events, violations, reports, sites, cfg)
    shown = visible_queue(items, analyst=analyst, claims=every_claim, decided=decided, now=now)
    mine = {c.item_id: c for c in every_claim if c.analyst == analyst and claims.is_held(c, now)}
    return [QueueEntry(item, mine.get(item.item_id)) for item in shown]


def claim_item(
    engine: Engine,
    *,
    item_id: str,
    analyst: str,
    minutes: float = claims.DEFAULT_CLAIM_TTL.total_seconds() / 60,
    now: datetime | None = None,
) -> Claim:
    """Claim an item (or renew one's claim) for ``minutes``; refused while another holds it."""
    now = now or now_utc()
    try:
        with engine.begin() as conn:
            _require_item(conn, item_id)
            _require_undecided(conn, item_id)
            held = store.get_claim(conn, item_id=item_id)
            new = claims.claim(
                held, item_id=item_id, analyst=analyst, now=now, ttl=timedelta(minutes=minutes)
            )
            store.save_claim(conn, claim=new, replacing=held)
            renewed = held is not None and held.analyst == analyst
            action = "claim renewed" if renewed else "claimed"
            _audit(conn, item_id, action, analyst, now, {"until": new.expires_at.isoformat()})
    except IntegrityError:  # two analysts claimed at the same instant: the other one got it
        raise ConflictError(
            f"{item_id} was claimed by another analyst at the same moment: reload the queue"
        ) from None
    return new


def release_item(
    engine: Engine, *, item_id: str, analyst: str, now: datetime | None = None
) -> None:
    """Give an item back to the queue; only the analyst holding the claim may."""
    now = now or now_utc()
    with engine.begin() as conn:
        claims.release(
            store.get_claim(conn, item_id=item_id), item_id=item_id, analyst=analyst, now=now
        )
        store.delete_claim(conn, item_id=item_id)
        _audit(conn, item_id, "released", analyst, now, {})


def decide_item(
    engine: Engine,
    *,
    item_id: str,
    analyst: str,
    action: Action,
    reason: str,
    kind: EventKind | None = None,
    violation_id: str | None = None,
    violation_type: ViolationType | None = None,
    now: datetime | None = None,
) -> ReviewDecision:
    """Record a decision: confirm, reject, reclassify (an event's kind or a violation's
    type), or escalate (a case is opened on the item's violations); the claim ends."""
    now = now or now_utc()
    if not reason.strip():
        raise InputError("a decision needs a reason", column="reason")
    with engine.begin() as conn:
        kind_of_item, ref = _require_item(conn, item_id)
        _require_undecided(conn, item_id)
        held = store.get_claim(conn, item_id=item_id)
        claims.require_may_decide(held, analyst=analyst, now=now)
        details: dict[str, Any] = {}
        if action == Action.RECLASSIFY:
            details = _reclassify(conn, kind_of_item, ref, kind, violation_id, violation_type)
        elif action == Action.ESCALATE:
            details = {"case_id": _escalate(conn, kind_of_item, ref, analyst, reason, now)}
        decision = ReviewDecision(item_id, action, analyst, now, reason.strip(), details)
        store.add_decision(conn, decision=decision)
        store.delete_claim(conn, item_id=item_id)
        _audit(
            conn, item_id, f"decided: {action.value}", analyst, now, {"reason": reason, **details}
        )
    return decision


def item_decisions(engine: Engine, *, item_id: str | None = None) -> list[ReviewDecision]:
    """Decisions taken (on one item, or all), oldest first."""
    with engine.connect() as conn:
        return store.get_decisions(conn, item_ids=None if item_id is None else [item_id])


def _require_item(conn: Connection, item_id: str) -> tuple[ItemKind, str]:
    kind, ref = parse_item_id(item_id)
    if kind == ItemKind.EVENT:
        store.get_events_by_id(conn, event_ids=[ref])
    elif not store.get_reports_by_id(conn, report_ids=[ref]):
        raise NotFoundError(f"report {ref!r} is not stored")
    return kind, ref


def _require_undecided(conn: Connection, item_id: str) -> None:
    done = store.get_decisions(conn, item_ids=[item_id])
    if done:
        first = done[0]
        raise ConflictError(
            f"{item_id} was already decided ({first.action.value}) by {first.actor} "
            f"at {first.at.strftime('%Y-%m-%dT%H:%M:%SZ')}"
        )


def _reclassify(
    conn: Connection,
    item_kind: ItemKind,
    ref: str,
    kind: EventKind | None,
    violation_id: str | None,
    violation_type: ViolationType | None,
) -> dict[str, Any]:
    """Apply a reclassification and say what changed from what."""
    if (kind is None) == (violation_type is None):
        raise InputError("reclassify either the event's kind or a violation's type", column="kind")
    if kind is not None:
        if item_kind != ItemKind.EVENT:
            raise InputError("only an event has a kind to reclassify", column="kind")
        (event,) = store.get_events_by_id(conn, event_ids=[ref])
        store.set_event_kind(conn, event_id=ref, kind=kind)
        return {"kind": kind.value, "from_kind": event.kind.value}
    mine = {v.violation_id: v for v in _violations_of(conn, item_kind, ref)}
    if violation_id is None or violation_id not in mine or violation_type is None:
        raise InputError(f"name a violation of {ref} to retype", column="violation_id")
    store.set_violation_type(conn, violation_id=violation_id, type=violation_type)
    was = mine[violation_id].type.value
    return {"violation_id": violation_id, "type": violation_type.value, "from_type": was}


def _violations_of(conn: Connection, item_kind: ItemKind, ref: str) -> list[Any]:
    every = analysis.get_violations(conn)
    key = "event_id" if item_kind == ItemKind.EVENT else "report_id"
    return [v for v in every if getattr(v, key) == ref]


def _escalate(
    conn: Connection, item_kind: ItemKind, ref: str, actor: str, reason: str, now: datetime
) -> str:
    """Open a case on the item's violations (as ``truceline case open`` does) in this
    transaction; an item with no violation cannot be escalated."""
    found = sorted(_violations_of(conn, item_kind, ref), key=lambda v: v.violation_id)
    if not found:
        raise InputError(f"{item_kind.value} {ref} has no violation to escalate", column="action")
    _refuse_violations_on_cases(conn, [v.violation_id for v in found])
    parties = {v.party for v in found if v.party is not None}
    case = Case(
        case_id=case_store.next_id(conn, table=tables.cases, prefix="C-"),
        title=f"{found[0].type.value.replace('_', ' ')}: {item_kind.value} {ref}",
        status=CaseStatus.ALLEGATION,
        opened_at=now,
        violation_ids=tuple(v.violation_id for v in found),
        accused_party=parties.pop() if len(parties) == 1 else None,
    )
    case_store.open_case(conn, case=case, actor=actor, reason=f"escalated from review: {reason}")
    return case.case_id


def _refuse_violations_on_cases(conn: Connection, violation_ids: Sequence[str]) -> None:
    """A violation already before the commission is not escalated again (ConflictError)."""
    wanted = set(violation_ids)
    for case in case_store.get_cases(conn):
        taken = sorted(wanted.intersection(case.violation_ids))
        if taken:
            raise ConflictError(
                f"violation {taken[0]} is already on case {case.case_id}: work it there"
            )


def _audit(
    conn: Connection, item_id: str, action: str, actor: str, at: datetime, details: dict[str, Any]
) -> None:
    case_store.record_audit(
        conn,
        entity="review_item",
        entity_id=item_id,
        action=action,
        actor=actor,
        at=at,
        details=details,
    )


__all__: Sequence[str] = [
    "QueueEntry",
    "claim_item",
    "decide_item",
    "item_decisions",
    "load_theatre",
    "release_item",
    "review_queue",
]
