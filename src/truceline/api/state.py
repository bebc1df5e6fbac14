"""What one running API holds: settings, the engine, the authenticator, the rate limiter and
the write gate."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event

from truceline.api.auth import Authenticator
from truceline.api.ratelimit import RateLimiter
from truceline.settings import Settings
from truceline.store.database import open_store


@dataclass
class ApiState:
    """The shared objects of one app (one per process)."""

    settings: Settings
    engine: Engine
    authenticator: Authenticator
    limiter: RateLimiter
    _write_lock: threading.Lock = field(default_factory=threading.Lock)

    @contextmanager
    def writing(self) -> Iterator[None]:
        """Serialise writes on SQLite (one writer at a time; readers go on in WAL mode).

        SQLite lets only one transaction write; two that read first and then write can fail
        at once with "database is locked" instead of waiting. PostgreSQL needs no gate.
        """
        gate: Any = self._write_lock if self.engine.dialect.name == "sqlite" else nullcontext()
        with gate:
            yield


def build_state(settings: Settings) -> ApiState:
    """Open (and migrate) the store and build the state of an app."""
    engine = open_store(settings.database_url)
    if engine.dialect.name == "sqlite":
        _make_durable(engine)
    return ApiState(
        settings=settings,
        engine=engine,
        authenticator=Authenticator(
            engine, key=settings.api_secret_key, cache_seconds=settings.api_token_cache_seconds
        ),
        limiter=RateLimiter(rate=settings.api_rate_per_second, burst=settings.api_rate_burst),
    )


def _make_durable(engine: Engine) -> None:
    """An acknowledged write is on disk: WAL with ``synchronous=FULL`` (the store's
    default, NORMAL, may lose the last transactions on power loss)."""
    engine.dispose()  # connections opened while migrating had NORMAL

    @event.listens_for(engine, "connect")
    def _full_sync(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
