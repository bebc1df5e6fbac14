"""Analysts' decisions as constraints on automatic re-runs (pure).

A re-run associates and locates the stored arrivals afresh; the analysts' merges and splits
must survive it. The approach: the events the standing edits produced (those not undone,
nor replaced by a later edit) are *decided* and stand as stored. Every event of the re-run
that shares an arrival or a report with a decided event gives them up: what remains of it is
located again (as a split would), or, when too little remains for a fix, is left
unassociated. A merged event therefore stays one event, and the two halves of a split stay
two, whatever the association would now do. Reclassifications (an event's kind, a
violation's type) are applied to the re-run's records with the same id; event ids derive
from their arrivals, so the same arrivals give the same id and the same decision.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum

from truceline.domain import Event, EventKind, Violation, ViolationType
from truceline.errors import InputError
from truceline.review.edits import EditContext, recompute_event


class EditKind(StrEnum):
    MERGE = "merge"
    SPLIT = "split"
    UNDO = "undo"


@dataclass(frozen=True)
class EventEdit:
    """One merge, split or undo: who, when, why, and the events before and after it."""

    edit_id: str
    kind: EditKind
    actor: str
    at: datetime
    reason: str
    before: tuple[Event, ...]
    after: tuple[Event, ...]
    undoes: str | None = None  # an undo: the edit it undid
    undone_by: str | None = None  # a merge or split: the undo that reverted it
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConstrainedEvents:
    """The re-run's events once the decisions are applied, and what they displaced."""

    events: list[Event]
    unassociated: list[str]  # arrivals that left an event and could not be located again
    relocated: list[str]  # ids of re-run events located again without the decided arrivals


def decided_events(edits: Iterable[EventEdit]) -> list[Event]:
    """The events the standing merges and splits produced and no later edit replaced.

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> a, b, m = (Event(i, t, 37.0, 48.0, EventKind.LAUNCH) for i in ("A", "B", "M"))
    >>> merge = EventEdit("ED-1", EditKind.MERGE, "ana", t, "one shot", (a, b), (m,))
    >>> [e.event_id for e in decided_events([merge])]
    ['M']
    >>> decided_events([replace(merge, undone_by="ED-2")])
    []
    """
    standing = [e for e in edits if e.kind != EditKind.UNDO and e.undone_by is None]
    decided: dict[str, Event] = {}
    for edit in sorted(standing, key=lambda e: (e.at, e.edit_id)):
        for old in edit.before:
            decided.pop(old.event_id, None)
        for new in edit.after:
            decided[new.event_id] = new
    return sorted(decided.values(), key=lambda e: (e.time, e.event_id))


def apply_decisions(
    rerun: Sequence[Event], decided: Sequence[Event], ctx: EditContext
) -> ConstrainedEvents:
    """The re-run's events with the decided ones standing and the rest giving way to them."""
    taken_a = {a for d in decided for a in d.arrival_ids}
    taken_r = {r for d in decided for r in d.report_ids}
    decided_ids = {d.event_id for d in decided}
    events: list[Event] = list(decided)
    unassociated: list[str] = []
    relocated: list[str] = []
    for e in rerun:
        if e.event_id in decided_ids:
            continue  # the same arrivals: the decided version stands
        rest_a = [a for a in e.arrival_ids if a not in taken_a]
        rest_r = [r for r in e.report_ids if r not in taken_r]
        if len(rest_a) == len(e.arrival_ids) and len(rest_r) == len(e.report_ids):
            events.append(e)
            continue
        relocated.append(e.event_id)
        try:
            if rest_a or rest_r:
                events.append(recompute_event(rest_a, rest_r, ctx, parts=[e])[0])
                continue
        except InputError:
            pass  # too little left for a fix
        unassociated += rest_a
    events.sort(key=lambda e: (e.time, e.event_id))
    return ConstrainedEvents(events, sorted(unassociated), relocated)


def reclassified(events: Sequence[Event], kinds: Mapping[str, EventKind]) -> list[Event]:
    """Events with the kind an analyst gave them (by event id).

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> e = Event("E1", t, 37.0, 48.0, EventKind.UNKNOWN)
    >>> reclassified([e], {"E1": EventKind.IMPACT})[0].kind
    <EventKind.IMPACT: 'impact'>
    """
    return [replace(e, kind=kinds[e.event_id]) if e.event_id in kinds else e for e in events]


def retyped(violations: Sequence[Violation], types: Mapping[str, ViolationType]) -> list[Violation]:
    """Violations with the type an analyst gave them (by violation id)."""
    return [
        replace(v, type=types[v.violation_id]) if v.violation_id in types else v for v in violations
    ]
