"""Deliveries against pledges, summed per guarantor and kind as the Kiel tracker counts them.

The Kiel Ukraine Support Tracker sets what donors committed against what they delivered, per
donor and per category. Here a commitment's ``quantity`` is the pledge and its deliveries are
dated quantities in the same unit; quantities in different units are never added together, so
every summary line is per unit. Withdrawn commitments are left out of the summaries.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from truceline.domain import Commitment, RatificationStatus
from truceline.errors import ConflictError, InputError

# Rounding slack when comparing sums of floats with the pledge (a millionth of it).
RELATIVE_SLACK = 1e-6
ALL = "all"  # the guarantor column of the totals over every guarantor


@dataclass(frozen=True)
class Delivery:
    """A dated quantity delivered against one commitment (id assigned by the store)."""

    commitment_id: str
    delivered_on: date
    quantity: float
    recorded_at: datetime
    note: str = ""
    delivery_id: int | None = None


@dataclass(frozen=True)
class TrackerLine:
    """Pledged, in force and delivered for one guarantor (or ``all``), kind and unit."""

    guarantor: str
    kind: str
    unit: str
    commitments: int
    pledged: float
    in_force: float
    delivered: float

    @property
    def fraction_delivered(self) -> float:
        return self.delivered / self.pledged if self.pledged > 0 else 0.0


def check_delivery(commitment: Commitment, quantity: float) -> None:
    """Refuse a delivery that is not a positive quantity or that exceeds the pledge.

    >>> check_delivery(Commitment("K1", "FR", "troops", 100, "personnel", "{}"), 150)
    Traceback (most recent call last):
    ...
    truceline.errors.ConflictError: commitment 'K1': a delivery of 150 personnel would bring \
deliveries to 150 of the 100 personnel pledged
    """
    if isinstance(quantity, bool) or not math.isfinite(quantity) or quantity <= 0:
        raise InputError(f"a delivery must be a positive quantity, got {quantity!r}")
    name = f"commitment {commitment.commitment_id!r}"
    if commitment.status is RatificationStatus.WITHDRAWN:
        raise ConflictError(f"{name} is withdrawn: nothing more can be delivered against it")
    total = commitment.delivered + quantity
    if exceeds_pledge(total, commitment.quantity):
        unit, q = commitment.unit, format_quantity
        raise ConflictError(
            f"{name}: a delivery of {q(quantity)} {unit} would bring deliveries "
            f"to {q(total)} of the {q(commitment.quantity)} {unit} pledged"
        )


def exceeds_pledge(total: float, pledged: float) -> bool:
    """Whether a delivered total is beyond the pledge (allowing for float rounding)."""
    return total > pledged * (1 + RELATIVE_SLACK)


def delivered_total(deliveries: Iterable[Delivery]) -> float:
    """The sum of the quantities delivered."""
    return math.fsum(d.quantity for d in deliveries)


def fraction_delivered(commitment: Commitment) -> float:
    """Delivered as a fraction of the pledge (0 to 1).

    >>> fraction_delivered(Commitment("K1", "UK", "funds", 2e9, "EUR", "{}", delivered=5e8))
    0.25
    """
    return commitment.delivered / commitment.quantity if commitment.quantity > 0 else 0.0


def tracker_lines(commitments: Iterable[Commitment]) -> list[TrackerLine]:
    """One line per guarantor, kind and unit, sorted; withdrawn commitments are left out."""
    return _summarise(commitments, lambda c: (c.guarantor, c.kind, c.unit))


def kind_totals(commitments: Iterable[Commitment]) -> list[TrackerLine]:
    """One line per kind and unit over every guarantor (guarantor ``all``)."""
    return _summarise(commitments, lambda c: (ALL, c.kind, c.unit))


def _summarise(
    commitments: Iterable[Commitment], key: Callable[[Commitment], tuple[str, str, str]]
) -> list[TrackerLine]:
    groups: dict[tuple[str, str, str], list[Commitment]] = {}
    for commitment in commitments:
        if commitment.status is not RatificationStatus.WITHDRAWN:
            groups.setdefault(key(commitment), []).append(commitment)
    return [_line(k, members) for k, members in sorted(groups.items())]


def _line(key: tuple[str, str, str], members: list[Commitment]) -> TrackerLine:
    in_force = [c.quantity for c in members if c.status is RatificationStatus.IN_FORCE]
    return TrackerLine(
        *key,
        commitments=len(members),
        pledged=math.fsum(c.quantity for c in members),
        in_force=math.fsum(in_force),
        delivered=math.fsum(c.delivered for c in members),
    )


def format_quantity(value: float) -> str:
    """A quantity as people read it: ``2,000,000,000``, ``12``, ``2.5``."""
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.6g}"
