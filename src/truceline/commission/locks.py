"""Edit locks on cases: one holder at a time, until the lock expires.

Pure decisions: each function takes the stored lock (or None) and the clock, and returns the
lock to store (or None) or raises ConflictError. The store applies what they return.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from truceline.domain.commission import CaseLock
from truceline.errors import ConflictError, InputError

DEFAULT_LOCK_TTL = timedelta(minutes=30)


def is_held(lock: CaseLock | None, now: datetime) -> bool:
    """Whether ``lock`` still holds at ``now`` (a lock ends at its expiry instant).

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> is_held(CaseLock("C1", "ana", t, t + timedelta(minutes=5)), t + timedelta(minutes=5))
    False
    """
    return lock is not None and now < lock.expires_at


def acquire(
    lock: CaseLock | None,
    *,
    case_id: str,
    actor: str,
    now: datetime,
    ttl: timedelta = DEFAULT_LOCK_TTL,
) -> CaseLock:
    """The lock ``actor`` holds after asking for it: new, taken over when expired, or renewed.

    >>> from datetime import UTC
    >>> t = datetime(2026, 1, 1, tzinfo=UTC)
    >>> acquire(None, case_id="C1", actor="ana", now=t).holder
    'ana'
    """
    _check_ttl(ttl)
    if is_held(lock, now) and lock is not None and lock.holder != actor:
        raise ConflictError(_held_message(lock))
    if lock is not None and lock.holder == actor and is_held(lock, now):
        return CaseLock(case_id, actor, lock.acquired_at, now + ttl)
    return CaseLock(case_id, actor, now, now + ttl)


def renew(
    lock: CaseLock | None, *, actor: str, now: datetime, ttl: timedelta = DEFAULT_LOCK_TTL
) -> CaseLock:
    """The holder's lock with a new expiry; refused to anyone else or when nobody holds it."""
    _check_ttl(ttl)
    if lock is None or lock.holder != actor:
        raise ConflictError(_not_holder_message(lock, actor))
    return CaseLock(lock.case_id, actor, lock.acquired_at, now + ttl)


def release(lock: CaseLock | None, *, actor: str) -> None:
    """Check that ``actor`` may release ``lock`` (only its holder may); the lock then goes."""
    if lock is None or lock.holder != actor:
        raise ConflictError(_not_holder_message(lock, actor))


def require_holder(lock: CaseLock | None, *, case_id: str, actor: str, now: datetime) -> None:
    """Refuse a write by ``actor`` unless ``actor`` holds the case's unexpired lock."""
    if lock is None or not is_held(lock, now):
        raise ConflictError(f"case {case_id} is not locked: {actor} must lock it first")
    if lock.holder != actor:
        raise ConflictError(_held_message(lock))


def _check_ttl(ttl: timedelta) -> None:
    if ttl <= timedelta(0):
        raise InputError(f"a lock must last a positive time, not {ttl}", column="minutes")


def _held_message(lock: CaseLock) -> str:
    until = lock.expires_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return f"case {lock.case_id} is locked by {lock.holder} until {until}"


def _not_holder_message(lock: CaseLock | None, actor: str) -> str:
    if lock is None:
        return f"{actor} holds no lock on this case"
    return f"case {lock.case_id} is locked by {lock.holder}, not {actor}: only the holder may"
