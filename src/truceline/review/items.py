"""What the review queue holds: items (events and reports), why, and analysts' decisions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from truceline.domain import Severity
from truceline.errors import InputError


class ItemKind(StrEnum):
    EVENT = "event"
    REPORT = "report"


class Reason(StrEnum):
    """Why an item needs a human, in the order of the queue's priority."""

    SERIOUS_VIOLATION = "serious_violation"
    NEAR_PROTECTED_SITE = "near_protected_site"
    DISPUTED_ATTRIBUTION = "disputed_attribution"
    UNCORROBORATED_COMPLAINT = "uncorroborated_complaint"
    POOR_FIX = "poor_fix"


class Action(StrEnum):
    CONFIRM = "confirm"
    REJECT = "reject"
    RECLASSIFY = "reclassify"
    ESCALATE = "escalate"


@dataclass(frozen=True)
class ReviewItem:
    """One event or report that needs a human, with what makes it urgent."""

    item_id: str  # "event:<event_id>" or "report:<report_id>"
    kind: ItemKind
    ref_id: str
    time: datetime
    reasons: tuple[Reason, ...]
    severity: Severity | None = None  # the worst violation resting on it
    p_attribution: float | None = None  # the probability the disputed attribution rests on
    fix_ratio: float | None = None  # error ellipse's major semi-axis over the CRLB
    summary: str = ""


@dataclass(frozen=True)
class Claim:
    """An analyst's hold on an item: the others do not see it until it ends."""

    item_id: str
    analyst: str
    claimed_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ReviewDecision:
    """What an analyst decided about an item, when and why (``details``: JSON values)."""

    item_id: str
    action: Action
    actor: str
    at: datetime
    reason: str
    details: dict[str, Any] = field(default_factory=dict)


def item_id_of(kind: ItemKind, ref_id: str) -> str:
    """The queue's id of an event or report.

    >>> item_id_of(ItemKind.EVENT, "EV-1")
    'event:EV-1'
    """
    return f"{kind.value}:{ref_id}"


def parse_item_id(item_id: str) -> tuple[ItemKind, str]:
    """The kind and the event or report id of a queue id (InputError if malformed).

    >>> parse_item_id("report:R-7")
    (<ItemKind.REPORT: 'report'>, 'R-7')
    """
    kind, sep, ref = item_id.partition(":")
    if not sep or not ref or kind not in {k.value for k in ItemKind}:
        raise InputError(
            f"item id {item_id!r} is not 'event:<id>' or 'report:<id>'", column="item_id"
        )
    return ItemKind(kind), ref
