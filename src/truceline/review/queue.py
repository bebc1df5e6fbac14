"""The review queue: which events and reports need a human, and in which order.

An item enters the queue for one or more reasons (:class:`~truceline.review.items.Reason`):

- ``serious_violation``: a violation of severity ``high`` or ``critical`` rests on it;
- ``near_protected_site``: the event lies within ``near_site_m`` of a protected site's
  protective radius, or an impact on a site was found (``fire_at_protected_site``);
- ``disputed_attribution``: the probability of its origin's control area is within
  ``disputed_band`` of the attribution threshold, or a launch was found not attributable;
- ``uncorroborated_complaint``: a party's report that no other source corroborates;
- ``poor_fix``: a sensor event whose error ellipse is ``poor_fix_ratio`` times its Cramer-Rao
  bound or more, or that rests on fewer than ``few_sensors`` sensors.

The order is lexicographic: severity of the worst violation first (critical, high, medium,
low, none), then near a protected site, then disputed attribution, then uncorroborated
complaint, then poor fix; ties go to the oldest item first (it has waited longest), then by
id. :func:`priority_score` packs this into one integer (higher first).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import shapely

from truceline.domain import (
    Corroboration,
    Event,
    EventKind,
    ProtectedSite,
    Report,
    Severity,
    SourceKind,
    Violation,
    ViolationType,
)
from truceline.engine.attribute import ATTRIBUTION_THRESHOLD
from truceline.geo.projection import LocalProjection
from truceline.review.claims import is_held
from truceline.review.items import Claim, ItemKind, Reason, ReviewItem, item_id_of

SEVERITY_RANK = {
    None: 0,
    Severity.LOW: 1,
    Severity.MEDIUM: 2,
    Severity.HIGH: 3,
    Severity.CRITICAL: 4,
}
# Bit of each reason in the priority score (below the severity rank): earlier reasons weigh more.
REASON_BIT = {
    Reason.NEAR_PROTECTED_SITE: 8,
    Reason.DISPUTED_ATTRIBUTION: 4,
    Reason.UNCORROBORATED_COMPLAINT: 2,
    Reason.POOR_FIX: 1,
}


@dataclass(frozen=True)
class QueueConfig:
    """When an item needs a human."""

    serious: Severity = Severity.HIGH  # violations this severe or worse
    near_site_m: float = 1000.0  # beyond a protected site's radius
    threshold: float = ATTRIBUTION_THRESHOLD
    disputed_band: float = 0.05  # |p - threshold| at most this is disputed (0.85-0.95)
    poor_fix_ratio: float = 3.0  # err_major_m / crlb_m at least this is a poor fix
    few_sensors: int = 6  # fewer sensors than this is a poor fix


def priority_score(item: ReviewItem) -> int:
    """One integer that orders the queue (higher first): severity rank, then reason bits.

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> priority_score(ReviewItem("event:E", ItemKind.EVENT, "E", t,
    ...     (Reason.SERIOUS_VIOLATION, Reason.POOR_FIX), Severity.CRITICAL))
    65
    """
    bits = sum(REASON_BIT.get(reason, 0) for reason in set(item.reasons))
    return SEVERITY_RANK[item.severity] * 16 + bits


def order_queue(items: Iterable[ReviewItem]) -> list[ReviewItem]:
    """Items by priority (highest first), ties by time (oldest first), then by id.

    >>> from datetime import UTC, timedelta
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> fix = ReviewItem("event:A", ItemKind.EVENT, "A", t, (Reason.POOR_FIX,))
    >>> site = ReviewItem("event:B", ItemKind.EVENT, "B", t + timedelta(1),
    ...     (Reason.NEAR_PROTECTED_SITE,))
    >>> [i.ref_id for i in order_queue([fix, site])]
    ['B', 'A']
    """
    return sorted(items, key=lambda i: (-priority_score(i), i.time, i.item_id))


def visible_queue(
    items: Iterable[ReviewItem],
    *,
    analyst: str,
    claims: Iterable[Claim],
    decided: Iterable[str],
    now: datetime,
) -> list[ReviewItem]:
    """The ordered queue as ``analyst`` sees it: decided items gone, and items another
    analyst holds an unexpired claim on hidden."""
    done = set(decided)
    held = {c.item_id for c in claims if is_held(c, now) and c.analyst != analyst}
    return order_queue(i for i in items if i.item_id not in done and i.item_id not in held)


def find_review_items(
    events: Sequence[Event],
    violations: Sequence[Violation],
    reports: Sequence[Report],
    sites: Sequence[ProtectedSite] = (),
    cfg: QueueConfig | None = None,
) -> list[ReviewItem]:
    """Every event and report that needs a human, with its reasons (unordered).

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> launch = Event("E1", t, 37.8, 48.0, EventKind.LAUNCH, p_control=0.85)
    >>> [(i.item_id, [str(r) for r in i.reasons]) for i in find_review_items([launch], [], [])]
    [('event:E1', ['disputed_attribution'])]
    """
    cfg = cfg or QueueConfig()
    worst = _worst_severity(violations)
    on_site = _near_sites(events, sites, cfg.near_site_m) | {
        v.event_id
        for v in violations
        if v.type == ViolationType.FIRE_AT_PROTECTED_SITE and v.event_id is not None
    }
    items = [_event_item(e, worst, on_site, cfg) for e in events]
    corroborated = {
        r for e in events if e.corroboration != Corroboration.SINGLE_SOURCE for r in e.report_ids
    }
    items += [_report_item(r, worst, corroborated, cfg) for r in reports]
    return [i for i in items if i is not None]


def _worst_severity(violations: Sequence[Violation]) -> dict[str, Severity]:
    """The worst severity per item id among the violations resting on events or reports."""
    worst: dict[str, Severity] = {}
    for v in violations:
        for kind, ref in ((ItemKind.EVENT, v.event_id), (ItemKind.REPORT, v.report_id)):
            if ref is None:
                continue
            key = item_id_of(kind, ref)
            if SEVERITY_RANK[v.severity] > SEVERITY_RANK[worst.get(key)]:
                worst[key] = v.severity
    return worst


def _near_sites(
    events: Sequence[Event], sites: Sequence[ProtectedSite], margin_m: float
) -> set[str]:
    """Ids of the events within ``margin_m`` of a site's protective radius."""
    if not events or not sites:
        return set()
    proj = LocalProjection.centred_on([e.lon for e in events], [e.lat for e in events])
    x, y = proj.forward([e.lon for e in events], [e.lat for e in events])
    points = shapely.points(x, y)
    near = np.zeros(len(events), dtype=bool)
    for site in sites:
        distance = shapely.distance(points, proj.to_metric(site.geometry))
        near |= np.asarray(distance <= site.radius_m + margin_m)
    return {e.event_id for e, hit in zip(events, near.tolist(), strict=True) if hit}


def _event_item(
    e: Event, worst: dict[str, Severity], on_site: set[str], cfg: QueueConfig
) -> ReviewItem | None:
    item_id = item_id_of(ItemKind.EVENT, e.event_id)
    severity = worst.get(item_id)
    reasons: list[Reason] = []
    if SEVERITY_RANK[severity] >= SEVERITY_RANK[cfg.serious]:
        reasons.append(Reason.SERIOUS_VIOLATION)
    if e.event_id in on_site:
        reasons.append(Reason.NEAR_PROTECTED_SITE)
    if _disputed(e, cfg):
        reasons.append(Reason.DISPUTED_ATTRIBUTION)
    ratio = _fix_ratio(e)
    if _poor_fix(e, ratio, cfg):
        reasons.append(Reason.POOR_FIX)
    if not reasons:
        return None
    summary = f"{e.kind.value} at {e.lat:.4f} N {e.lon:.4f} E, {e.n_sensors} sensors"
    return ReviewItem(
        item_id, ItemKind.EVENT, e.event_id, e.time, tuple(reasons), severity, e.p_control,
        ratio, summary,
    )  # fmt: skip


def _disputed(e: Event, cfg: QueueConfig) -> bool:
    """Near the threshold either way, or a launch whose origin was attributed to nobody."""
    if e.p_control is None:
        return False
    near = abs(e.p_control - cfg.threshold) <= cfg.disputed_band
    return near or (e.kind == EventKind.LAUNCH and e.responsible_party is None)


def _fix_ratio(e: Event) -> float | None:
    if e.err_major_m is None or not e.crlb_m:
        return None
    return round(e.err_major_m / e.crlb_m, 3)


def _poor_fix(e: Event, ratio: float | None, cfg: QueueConfig) -> bool:
    if e.n_sensors == 0:
        return False  # built from reports alone: no fix to judge
    return e.n_sensors < cfg.few_sensors or (ratio is not None and ratio >= cfg.poor_fix_ratio)


def _report_item(
    r: Report, worst: dict[str, Severity], corroborated: set[str], cfg: QueueConfig
) -> ReviewItem | None:
    item_id = item_id_of(ItemKind.REPORT, r.report_id)
    severity = worst.get(item_id)
    reasons: list[Reason] = []
    if SEVERITY_RANK[severity] >= SEVERITY_RANK[cfg.serious]:
        reasons.append(Reason.SERIOUS_VIOLATION)
    if r.source_kind == SourceKind.PARTY and r.report_id not in corroborated:
        reasons.append(Reason.UNCORROBORATED_COMPLAINT)
    if not reasons:
        return None
    summary = f"{r.source_kind.value} report {r.event_type}" + (
        f" accusing {r.accused_party}" if r.accused_party else ""
    )
    return ReviewItem(
        item_id, ItemKind.REPORT, r.report_id, r.time, tuple(reasons), severity, summary=summary
    )
