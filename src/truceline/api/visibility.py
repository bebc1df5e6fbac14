"""What each caller may see: every read of the API goes through here (no web framework).

- The mechanism's staff (monitor, analyst, commissioner) see what is stored.
- Published, for everyone: findings, the activations they set off (both are appended to the
  transparency log and alerted when a finding is recorded), and the violations on a case
  that reached a finding.
- A party's liaison also sees its own party's submissions: the reports its liaisons filed
  and the cases its party alleged (the case, its history and findings; not the commission's
  drafts, votes or evidence). Never another party's submissions, never anything unpublished.
- A guarantor also sees its own state's commitments.

A record the caller may not see is "not found", so its existence is not revealed either.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, Engine

from truceline.api.roles import Principal, Role
from truceline.app import commission as case_ops
from truceline.app.commission import CaseFile
from truceline.domain import (
    Activation,
    ActivationStatus,
    Arrival,
    Case,
    CaseStatus,
    Commitment,
    Event,
    Finding,
    Report,
    Sensor,
    Violation,
)
from truceline.domain.commission import Evidence
from truceline.errors import NotFoundError
from truceline.redaction import Audience, Publication, Redactor, audience_of_role, redactor_for
from truceline.store import listings
from truceline.store.commission import get_case, get_findings
from truceline.store.evidence import get_evidence
from truceline.store.guarantees import get_activations, list_commitments
from truceline.store.listings import BBox, Filters, Page, Window, paginate
from truceline.store.protected import reports_by_id


def sensors(engine: Engine, window: Window) -> Page[Sensor]:
    """Sensors (staff and sensor feeds)."""
    with engine.connect() as conn:
        return listings.list_sensors(conn, window=window)


def arrivals(
    engine: Engine, filters: Filters, window: Window, sensor_id: str | None
) -> Page[Arrival]:
    """Arrivals (staff and sensor feeds)."""
    with engine.connect() as conn:
        return listings.list_arrivals(conn, filters=filters, window=window, sensor_id=sensor_id)


def reports(engine: Engine, principal: Principal, filters: Filters, window: Window) -> Page[Report]:
    """Reports: all for staff, a liaison's own party's filings for a liaison."""
    filed_by = None if principal.is_staff else _bound_party(principal)
    if not principal.is_staff and filed_by is None:
        return Page([], 0)
    with engine.connect() as conn:
        return listings.list_reports(conn, filters=filters, window=window, filed_by=filed_by)


def events(engine: Engine, filters: Filters, window: Window) -> Page[Event]:
    """Events (staff only: the analysis is not published as such)."""
    with engine.connect() as conn:
        return listings.list_events(conn, filters=filters, window=window)


def violations(
    engine: Engine, principal: Principal, filters: Filters, window: Window
) -> Page[Violation]:
    """Violations: all for staff, the published ones (on decided cases) for everyone else,
    redacted for them (the bounding box then applies to the published positions, so that it
    cannot be used to find a coarsened position exactly)."""
    with engine.connect() as conn:
        if principal.is_staff:
            return listings.list_violations(conn, filters=filters, window=window)
        only = listings.published_violation_ids(conn)
        everything = Window(limit=max(len(only), 1), offset=0)
        found = listings.list_violations(
            conn, filters=replace(filters, bbox=None), window=everything, only_ids=only
        ).items
        redactor = _redactor(conn, principal)
        reports = reports_by_id(conn, {v.report_id for v in found if v.report_id})
    public = [redactor.violation(v, reports.get(v.report_id or "")) for v in found]
    return paginate([v for v in public if _in_bbox(v, filters.bbox)], window)


def cases(
    engine: Engine, principal: Principal, status: CaseStatus | None, window: Window
) -> Page[Case]:
    """Cases: all for staff, those its party alleged for a liaison."""
    found = case_ops.list_cases(engine, status=status)
    if not principal.is_staff:
        party = _bound_party(principal)
        with engine.connect() as conn:
            redactor = _redactor(conn, principal)
        found = [redactor.case(c) for c in found if party is not None and c.alleged_by == party]
    return paginate(found, window)


def case_file(engine: Engine, principal: Principal, case_id: str) -> CaseFile:
    """A case file; a liaison gets its own party's case without the commission's workings."""
    if principal.is_staff:
        return case_ops.show_case(engine, case_id=case_id)
    with engine.connect() as conn:
        case = _visible_case(conn, principal, case_id)
    full = case_ops.show_case(engine, case_id=case.case_id)
    with engine.connect() as conn:
        redactor = _redactor(conn, principal)
    return replace(
        full,
        case=redactor.case(full.case),
        transitions=[redactor.transition(t, own=principal.name) for t in full.transitions],
        findings=[redactor.finding(f) for f in full.findings],
        lock=None,
        draft=None,
        votes=[],
        remedies=[],
        evidence_ids=[],
    )


def require_visible_case(engine: Engine, principal: Principal, case_id: str) -> Case:
    """The case if the caller may see it (NotFoundError otherwise, as for a missing case)."""
    with engine.connect() as conn:
        return _visible_case(conn, principal, case_id)


def evidence(engine: Engine, case_id: str, window: Window) -> Page[Evidence]:
    """A case's evidence items (staff only)."""
    with engine.connect() as conn:
        get_case(conn, case_id=case_id)
        return paginate(get_evidence(conn, case_id=case_id), window)


def findings(engine: Engine, party: str | None, window: Window) -> Page[Finding]:
    """Findings (published), optionally against one party, in the order decided."""
    with engine.connect() as conn:
        redactor = _published(conn)
        found = [redactor.finding(f) for f in get_findings(conn)]
    if party is not None:
        found = [f for f in found if f.responsible_party == party]
    return paginate(found, window)


def finding(engine: Engine, finding_id: str) -> Finding:
    """One finding (published)."""
    with engine.connect() as conn:
        for item in get_findings(conn):
            if item.finding_id == finding_id:
                return _published(conn).finding(item)
    raise NotFoundError(f"finding {finding_id!r} is not stored")


def commitments(
    engine: Engine, principal: Principal, guarantor: str | None, window: Window
) -> Page[Commitment]:
    """Commitments: all for staff, its own state's for a guarantor."""
    if principal.role == Role.GUARANTOR:
        if guarantor is not None and guarantor != principal.state:
            return Page([], 0)
        guarantor = principal.state
    with engine.connect() as conn:
        return paginate(list_commitments(conn, guarantor=guarantor), window)


def activations(
    engine: Engine, guarantor: str | None, status: ActivationStatus | None, window: Window
) -> Page[Activation]:
    """Activations and pending notices (published with their finding), oldest first."""
    with engine.connect() as conn:
        redactor = _published(conn)
        found = get_activations(conn, guarantor=guarantor, status=status)
    return paginate([redactor.activation(a) for a in found], window)


def publications(
    engine: Engine, window: Window
) -> Page[tuple[str, datetime, Finding | Activation]]:
    """Everything published, newest last: findings and the notices they set off."""
    with engine.connect() as conn:
        redactor = _published(conn)
        items: list[tuple[str, datetime, Finding | Activation]] = [
            ("finding", f.decided_at, redactor.finding(f)) for f in get_findings(conn)
        ]
        items += [
            ("activation", a.issued_at, redactor.activation(a)) for a in get_activations(conn)
        ]
    items.sort(key=lambda item: (item[1], item[0] == "activation"))
    return paginate(items, window)


def _redactor(conn: Connection, principal: Principal) -> Redactor:
    """The redaction of the caller's audience for the API (nothing for staff)."""
    return redactor_for(conn, audience_of_role(principal.role.value), Publication.API)


def _published(conn: Connection) -> Redactor:
    """Findings and activations read as the transparency log publishes them, for everyone:
    the commission's record is one text (staff read the unscreened one in the case file)."""
    return redactor_for(conn, Audience.PUBLIC, Publication.API)


def _in_bbox(violation: Violation, bbox: BBox | None) -> bool:
    if bbox is None:
        return True
    if violation.lon is None or violation.lat is None:
        return False
    min_lon, min_lat, max_lon, max_lat = bbox
    return min_lon <= violation.lon <= max_lon and min_lat <= violation.lat <= max_lat


def _visible_case(conn: Connection, principal: Principal, case_id: str) -> Case:
    case = get_case(conn, case_id=case_id)
    party = _bound_party(principal)
    if principal.is_staff or (party is not None and case.alleged_by == party):
        return case
    raise NotFoundError(f"case {case_id!r} is not stored")


def _bound_party(principal: Principal) -> str | None:
    """The party of a liaison; anyone else has none (and sees no party's submissions)."""
    if principal.role == Role.PARTY_LIAISON and principal.party:
        return principal.party
    return None
