"""Edit locks: one holder at a time; expired locks can be taken; only the holder releases."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from truceline.commission.locks import acquire, is_held, release, renew, require_holder
from truceline.domain.commission import CaseLock
from truceline.errors import ConflictError, InputError

T0 = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
TTL = timedelta(minutes=30)


def _held_by_ana() -> CaseLock:
    return acquire(None, case_id="C-0001", actor="ana", now=T0, ttl=TTL)


def test_a_free_case_is_locked_for_the_ttl() -> None:
    lock = _held_by_ana()
    assert lock == CaseLock("C-0001", "ana", T0, T0 + TTL)
    assert is_held(lock, T0 + TTL - timedelta(seconds=1))
    assert not is_held(lock, T0 + TTL)
    assert not is_held(None, T0)


def test_another_analyst_cannot_take_a_held_lock() -> None:
    lock = _held_by_ana()
    with pytest.raises(ConflictError, match="locked by ana until 2026-11-22T09:30:00Z"):
        acquire(lock, case_id="C-0001", actor="bob", now=T0 + timedelta(minutes=29), ttl=TTL)
    with pytest.raises(ConflictError, match="locked by ana"):
        require_holder(lock, case_id="C-0001", actor="bob", now=T0 + timedelta(minutes=1))


def test_an_expired_lock_can_be_taken_by_another() -> None:
    later = T0 + TTL
    lock = acquire(_held_by_ana(), case_id="C-0001", actor="bob", now=later, ttl=TTL)
    assert (lock.holder, lock.acquired_at, lock.expires_at) == ("bob", later, later + TTL)


def test_the_holder_renews_keeping_the_acquisition_time() -> None:
    later = T0 + timedelta(minutes=20)
    again = acquire(_held_by_ana(), case_id="C-0001", actor="ana", now=later, ttl=TTL)
    assert (again.acquired_at, again.expires_at) == (T0, later + TTL)
    renewed = renew(again, actor="ana", now=later, ttl=timedelta(hours=2))
    assert renewed.expires_at == later + timedelta(hours=2)
    with pytest.raises(ConflictError, match="only the holder"):
        renew(again, actor="bob", now=later)
    with pytest.raises(ConflictError, match="bob holds no lock"):
        renew(None, actor="bob", now=later)


def test_only_the_holder_releases() -> None:
    lock = _held_by_ana()
    release(lock, actor="ana")
    with pytest.raises(ConflictError, match="locked by ana, not bob: only the holder may"):
        release(lock, actor="bob")
    with pytest.raises(ConflictError, match="holds no lock"):
        release(None, actor="ana")


def test_writes_need_the_writers_unexpired_lock() -> None:
    lock = _held_by_ana()
    require_holder(lock, case_id="C-0001", actor="ana", now=T0)
    with pytest.raises(ConflictError, match="not locked: ana must lock it first"):
        require_holder(lock, case_id="C-0001", actor="ana", now=T0 + TTL)
    with pytest.raises(ConflictError, match="not locked"):
        require_holder(None, case_id="C-0001", actor="ana", now=T0)


def test_a_lock_must_last() -> None:
    with pytest.raises(InputError, match="positive time"):
        acquire(None, case_id="C-0001", actor="ana", now=T0, ttl=timedelta(0))
