"""Claims on queue items: one analyst at a time, renewable, ending at their expiry."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from truceline.errors import ConflictError, InputError
from truceline.review.claims import claim, release, require_may_decide

T = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
ITEM = "event:E1"


def test_a_claim_lasts_its_time_and_renewing_keeps_when_it_began() -> None:
    first = claim(None, item_id=ITEM, analyst="ana", now=T)
    assert (first.analyst, first.expires_at) == ("ana", T + timedelta(minutes=30))
    renewed = claim(first, item_id=ITEM, analyst="ana", now=T + timedelta(minutes=20))
    assert renewed.claimed_at == T
    assert renewed.expires_at == T + timedelta(minutes=50)


def test_another_analyst_is_refused_until_the_claim_expires() -> None:
    held = claim(None, item_id=ITEM, analyst="ana", now=T, ttl=timedelta(minutes=10))
    with pytest.raises(ConflictError, match="claimed by ana until 2026-12-01T08:10:00Z"):
        claim(held, item_id=ITEM, analyst="bob", now=T + timedelta(minutes=9))
    taken = claim(held, item_id=ITEM, analyst="bob", now=T + timedelta(minutes=10))
    assert (taken.analyst, taken.claimed_at) == ("bob", T + timedelta(minutes=10))


def test_only_the_holder_releases_and_only_while_it_holds() -> None:
    held = claim(None, item_id=ITEM, analyst="ana", now=T)
    with pytest.raises(ConflictError, match="claimed by ana"):
        release(held, item_id=ITEM, analyst="bob", now=T)
    release(held, item_id=ITEM, analyst="ana", now=T)
    with pytest.raises(ConflictError, match="not claimed"):
        release(held, item_id=ITEM, analyst="ana", now=T + timedelta(hours=1))
    with pytest.raises(ConflictError, match="not claimed"):
        release(None, item_id=ITEM, analyst="ana", now=T)


def test_deciding_is_for_the_claimant_or_anyone_once_the_claim_expired() -> None:
    held = claim(None, item_id=ITEM, analyst="ana", now=T)
    require_may_decide(held, analyst="ana", now=T)
    require_may_decide(None, analyst="bob", now=T)
    with pytest.raises(ConflictError):
        require_may_decide(held, analyst="bob", now=T + timedelta(minutes=29))
    require_may_decide(held, analyst="bob", now=T + timedelta(minutes=30))


def test_a_claim_must_last_a_positive_time() -> None:
    with pytest.raises(InputError, match="positive"):
        claim(None, item_id=ITEM, analyst="ana", now=T, ttl=timedelta(0))
