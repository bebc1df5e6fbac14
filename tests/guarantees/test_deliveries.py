"""Deliveries against pledges and the tracker's sums (per guarantor, kind and unit)."""

from __future__ import annotations

import dataclasses
import math

import pytest

from tests.guarantees.samples import D0, T0
from truceline.domain import Commitment, RatificationStatus
from truceline.errors import ConflictError, InputError
from truceline.guarantees.deliveries import (
    Delivery,
    TrackerLine,
    check_delivery,
    delivered_total,
    fraction_delivered,
    kind_totals,
    tracker_lines,
)

S = RatificationStatus
TROOPS = Commitment("GB-1", "GB", "troops", 5000, "personnel", "{}", S.IN_FORCE, 1500)


@pytest.mark.parametrize("quantity", [0.0, -1.0, math.nan, math.inf])
def test_a_delivery_must_be_a_positive_quantity(quantity: float) -> None:
    with pytest.raises(InputError, match="positive quantity"):
        check_delivery(TROOPS, quantity)


def test_deliveries_may_reach_but_not_exceed_the_pledge() -> None:
    check_delivery(TROOPS, 3500)
    with pytest.raises(ConflictError, match="bring deliveries to 5,001 of the 5,000 personnel"):
        check_delivery(TROOPS, 3501)


def test_nothing_is_delivered_against_a_withdrawn_commitment() -> None:
    withdrawn = dataclasses.replace(TROOPS, status=S.WITHDRAWN)
    with pytest.raises(ConflictError, match="withdrawn"):
        check_delivery(withdrawn, 1)


def test_delivered_total_and_fraction() -> None:
    deliveries = [Delivery("GB-1", D0, q, T0) for q in (1000.0, 500.0)]
    assert delivered_total(deliveries) == 1500
    assert fraction_delivered(TROOPS) == pytest.approx(0.3)


def test_tracker_sums_per_guarantor_kind_and_unit_never_across_units() -> None:
    commitments = [
        TROOPS,
        Commitment("GB-2", "GB", "troops", 1000, "personnel", "{}", S.PLEDGED, 0),
        Commitment("GB-3", "GB", "funds", 3e9, "GBP", "{}", S.IN_FORCE, 1e9),
        Commitment("FR-1", "FR", "funds", 2e9, "EUR", "{}", S.APPROVED_BY_GOVERNMENT, 5e8),
        Commitment("FR-2", "FR", "troops", 2000, "personnel", "{}", S.WITHDRAWN, 0),
    ]
    assert tracker_lines(commitments) == [
        TrackerLine("FR", "funds", "EUR", 1, 2e9, 0.0, 5e8),
        TrackerLine("GB", "funds", "GBP", 1, 3e9, 3e9, 1e9),
        TrackerLine("GB", "troops", "personnel", 2, 6000.0, 5000.0, 1500.0),
    ]
    totals = kind_totals(commitments)
    assert [(t.guarantor, t.kind, t.unit, t.pledged) for t in totals] == [
        ("all", "funds", "EUR", 2e9),
        ("all", "funds", "GBP", 3e9),
        ("all", "troops", "personnel", 6000.0),
    ]
    assert totals[2].fraction_delivered == pytest.approx(0.25)
