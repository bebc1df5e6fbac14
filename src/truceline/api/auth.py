"""Users and tokens as the CLI and the API use them: create, issue, authenticate.

No web framework here: ``authenticate`` returns a Principal or None, the dependency in
``truceline.api.deps`` turns None into 401.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, Engine

from truceline.api.roles import Principal, Role, check_binding
from truceline.api.security import make_token, parse_token, token_fingerprint, verify_secret
from truceline.errors import InputError, NotFoundError
from truceline.store import auth as auth_store


@dataclass(frozen=True)
class IssuedToken:
    """A token handed out once: its full text and the user it belongs to."""

    text: str
    token_id: str
    user: auth_store.User


def add_user(
    engine: Engine,
    *,
    name: str,
    role: str,
    key: str,
    party: str | None = None,
    state: str | None = None,
    member_id: str | None = None,
) -> IssuedToken:
    """Create a user with its first token (one transaction); the token is shown once."""
    if not name.strip() or any(c.isspace() or not c.isprintable() for c in name):
        raise InputError(f"a user name has no spaces or control characters, got {name!r}")
    parsed = _role(role)
    why = check_binding(parsed, party=party, state=state, member_id=member_id)
    if why is not None:
        raise InputError(why, column="--role")
    if parsed == Role.COMMISSIONER and member_id is None:
        member_id = name
    user = auth_store.User(name, parsed.value, datetime.now(UTC), party, state, member_id)
    with engine.begin() as conn:
        auth_store.add_user(conn, user=user)
        return _issue(conn, user, key)


def issue_token(engine: Engine, *, name: str, key: str) -> IssuedToken:
    """Another token for an existing user (its other tokens stay valid)."""
    with engine.begin() as conn:
        user = auth_store.get_user(conn, name=name)
        if user is None:
            raise NotFoundError(f"user {name!r} does not exist")
        return _issue(conn, user, key)


def revoke_user_tokens(engine: Engine, *, name: str) -> int:
    """Revoke every token of a user; how many."""
    with engine.begin() as conn:
        if auth_store.get_user(conn, name=name) is None:
            raise NotFoundError(f"user {name!r} does not exist")
        return auth_store.revoke_tokens(conn, user_name=name, at=datetime.now(UTC))


def principal_of(user: auth_store.User, token_id: str | None = None) -> Principal:
    """The principal a stored user acts as."""
    return Principal(user.name, Role(user.role), user.party, user.state, user.member_id, token_id)


class Authenticator:
    """Checks bearer tokens against the store, caching successes for ``cache_seconds``.

    Argon2 is deliberately slow (tens of milliseconds, 64 MiB); the cache keeps busy feeds
    fast. Only verified tokens are cached, keyed by a SHA-256 of the whole token. While one
    request verifies a token, the other requests with the same token wait for its result
    instead of hashing too: without that, a busy feed whose cache entry expires starts a
    herd of argon2 verifications that can stall the server for seconds.
    """

    def __init__(self, engine: Engine, *, key: str, cache_seconds: float) -> None:
        self._engine = engine
        self._key = key
        self._cache_seconds = cache_seconds
        self._cache: dict[str, tuple[float, Principal]] = {}
        self._verifying: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def cached(self, text: str) -> Principal | None:
        """The principal of a token verified less than ``cache_seconds`` ago, else None
        (quick: no hashing, no store)."""
        return self._fresh(token_fingerprint(text))

    def authenticate(self, text: str) -> Principal | None:
        """The principal of a token, or None (malformed, unknown, revoked, wrong secret)."""
        if self._cache_seconds <= 0:
            return self._verify(text)
        fingerprint = token_fingerprint(text)
        while True:
            with self._lock:
                principal = self._fresh(fingerprint)
                if principal is not None:
                    return principal
                underway = self._verifying.get(fingerprint)
                if underway is None:
                    underway = self._verifying[fingerprint] = threading.Event()
                    break  # this request verifies
            underway.wait()  # then the cache has it, or (refused) the next one tries
        try:
            principal = self._verify(text)
            if principal is not None:
                with self._lock:
                    if len(self._cache) > 10_000:
                        self._cache.clear()
                    expires = time.monotonic() + self._cache_seconds
                    self._cache[fingerprint] = (expires, principal)
            return principal
        finally:
            with self._lock:
                del self._verifying[fingerprint]
            underway.set()

    def _fresh(self, fingerprint: str) -> Principal | None:
        entry = self._cache.get(fingerprint)
        return entry[1] if entry is not None and entry[0] > time.monotonic() else None

    def _verify(self, text: str) -> Principal | None:
        parsed = parse_token(text)
        if parsed is None:
            return None
        token_id, secret = parsed
        with self._engine.connect() as conn:
            found = auth_store.get_token(conn, token_id=token_id)
        if found is None or not verify_secret(secret, found[0].secret_hash, self._key):
            return None
        return principal_of(found[1], token_id)


def _issue(conn: Connection, user: auth_store.User, key: str) -> IssuedToken:
    new = make_token(key)
    stored = auth_store.StoredToken(new.token_id, user.name, new.secret_hash, datetime.now(UTC))
    auth_store.add_token(conn, token=stored)
    return IssuedToken(new.text, new.token_id, user)


def _role(text: str) -> Role:
    try:
        return Role(text.strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role if r != Role.PUBLIC)
        raise InputError(f"{text!r} is not one of: {names}", column="--role") from None
