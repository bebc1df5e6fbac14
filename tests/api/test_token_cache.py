"""The token cache: one argon2 verification per token however many requests arrive at once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.api.conftest import Api
from truceline.api import auth
from truceline.api.auth import Authenticator
from truceline.api.roles import Principal

CONCURRENT = 8


@pytest.fixture
def verifications(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every argon2 check made from now on (slowed so that concurrent requests overlap)."""
    made: list[str] = []
    real = auth.verify_secret
    lock = threading.Lock()

    def slow_verify(secret: str, secret_hash: str, key: str) -> bool:
        with lock:
            made.append(secret)
        time.sleep(0.2)
        return real(secret, secret_hash, key)

    monkeypatch.setattr(auth, "verify_secret", slow_verify)
    return made


def authenticate_at_once(authenticator: Authenticator, token: str) -> list[Principal | None]:
    with ThreadPoolExecutor(CONCURRENT) as pool:
        return list(pool.map(authenticator.authenticate, [token] * CONCURRENT))


def test_concurrent_requests_with_one_token_hash_it_once(
    api: Api, verifications: list[str]
) -> None:
    token = api.user("feed", "sensor_feed")["Authorization"].removeprefix("Bearer ")
    authenticator = Authenticator(api.engine, key=api.settings.api_secret_key, cache_seconds=60)
    assert authenticator.cached(token) is None
    principals = authenticate_at_once(authenticator, token)
    assert len(verifications) == 1
    assert {p.name if p else None for p in principals} == {"feed"}
    cached = authenticator.cached(token)
    assert cached is not None and cached.name == "feed"


def test_a_wrong_secret_is_refused_every_time_and_never_cached(
    api: Api, verifications: list[str]
) -> None:
    token = api.user("feed", "sensor_feed")["Authorization"].removeprefix("Bearer ")
    wrong = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    authenticator = Authenticator(api.engine, key=api.settings.api_secret_key, cache_seconds=60)
    assert authenticate_at_once(authenticator, wrong) == [None] * CONCURRENT
    assert len(verifications) == CONCURRENT  # each refused attempt is checked (one at a time)
    assert authenticator.cached(wrong) is None
    assert authenticator.authenticate(token) is not None


def test_the_cache_expires_and_zero_seconds_checks_every_request(
    api: Api, verifications: list[str]
) -> None:
    token = api.user("feed", "sensor_feed")["Authorization"].removeprefix("Bearer ")
    key = api.settings.api_secret_key
    briefly = Authenticator(api.engine, key=key, cache_seconds=0.3)
    assert briefly.authenticate(token) is not None and briefly.cached(token) is not None
    time.sleep(0.4)
    assert briefly.cached(token) is None
    never = Authenticator(api.engine, key=key, cache_seconds=0)
    assert never.authenticate(token) is not None and never.authenticate(token) is not None
    assert never.cached(token) is None
    assert len(verifications) == 3
