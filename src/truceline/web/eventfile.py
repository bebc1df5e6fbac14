"""An event as its page shows it: the event, the reasoning of its attribution, its pair and
its violations (staff only: the analysis is not published as such)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from truceline.domain import Event, Theatre, Violation
from truceline.engine.attribute import ATTRIBUTION_THRESHOLD, Attribution, attribute_events
from truceline.store.analysis import EVENTS, _event, get_violations
from truceline.store.queries import get_one
from truceline.web.baselayer import current_theatre

# A violation is dated by its event; the margin only guards against rounding of stored times.
VIOLATION_MARGIN = timedelta(minutes=1)


@dataclass(frozen=True)
class EventFile:
    """An event with what its page explains."""

    event: Event
    attribution: Attribution  # recomputed with the engine's own function on the theatre
    theatre_name: str
    paired_event: Event | None
    violations: list[Violation]

    @property
    def reason(self) -> dict[str, Any]:
        """The attribution's machine-readable reason, parsed."""
        parsed: dict[str, Any] = json.loads(self.attribution.reason)
        return parsed


def event_file(engine: Engine, event_id: str) -> EventFile:
    """The event ``event_id`` with its attribution, pair and violations (NotFoundError if
    it is not stored)."""
    with engine.connect() as conn:
        event = read_event(conn, event_id)
        paired = None if event.paired_event_id is None else read_event(conn, event.paired_event_id)
        violations = violations_of(conn, event)
        theatre = current_theatre(conn)
    return EventFile(event, explain_attribution(event, theatre), theatre.name, paired, violations)


def read_event(conn: Connection, event_id: str) -> Event:
    """One stored event (NotFoundError naming it otherwise)."""
    return _event(get_one(conn, EVENTS, event_id))


def violations_of(conn: Connection, event: Event) -> list[Violation]:
    """The violations found on ``event``."""
    near = get_violations(
        conn, start=event.time - VIOLATION_MARGIN, end=event.time + VIOLATION_MARGIN
    )
    return [v for v in near if v.event_id == event.event_id]


def explain_attribution(event: Event, theatre: Theatre) -> Attribution:
    """Where the event's origin lies, in the ICD 203 wording the engine uses, and why."""
    return attribute_events([event], theatre, threshold=ATTRIBUTION_THRESHOLD)[0]
