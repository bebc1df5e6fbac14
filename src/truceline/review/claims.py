"""Claims on review items: one analyst at a time, until the claim expires.

Pure decisions, like the commission's edit locks (:mod:`truceline.commission.locks`): each
function takes the stored claim (or None) and the clock and returns the claim to store, or
raises ConflictError. A claim ends at its expiry instant; then anyone may claim or decide.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from truceline.errors import ConflictError, InputError
from truceline.review.items import Claim

DEFAULT_CLAIM_TTL = timedelta(minutes=30)


def is_held(claim: Claim | None, now: datetime) -> bool:
    """Whether ``claim`` still holds at ``now``.

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> is_held(Claim("event:E", "ana", t, t + timedelta(minutes=30)), t + timedelta(minutes=30))
    False
    """
    return claim is not None and now < claim.expires_at


def claim(
    held: Claim | None,
    *,
    item_id: str,
    analyst: str,
    now: datetime,
    ttl: timedelta = DEFAULT_CLAIM_TTL,
) -> Claim:
    """The claim ``analyst`` holds after asking: new, taken over when expired, or renewed.

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> claim(None, item_id="event:E", analyst="ana", now=t).expires_at.minute
    30
    """
    if ttl <= timedelta(0):
        raise InputError(f"a claim must last a positive time, not {ttl}", column="minutes")
    if held is not None and is_held(held, now):
        if held.analyst != analyst:
            raise ConflictError(held_message(held))
        return Claim(item_id, analyst, held.claimed_at, now + ttl)
    return Claim(item_id, analyst, now, now + ttl)


def release(held: Claim | None, *, item_id: str, analyst: str, now: datetime) -> None:
    """Check that ``analyst`` may release the claim: only its holder, while it holds."""
    if held is None or not is_held(held, now):
        raise ConflictError(f"{item_id} is not claimed")
    if held.analyst != analyst:
        raise ConflictError(held_message(held))


def require_may_decide(held: Claim | None, *, analyst: str, now: datetime) -> None:
    """Refuse a decision while another analyst holds an unexpired claim on the item."""
    if held is not None and is_held(held, now) and held.analyst != analyst:
        raise ConflictError(held_message(held))


def held_message(held: Claim) -> str:
    """Who holds an item, and until when."""
    until = held.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"{held.item_id} is claimed by {held.analyst} until {until}"
