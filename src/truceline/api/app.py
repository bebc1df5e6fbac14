"""The FastAPI app: `create_app(settings)` wires the routers, errors, limits and the store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from truceline import __version__
from truceline.api.errors import install_error_handlers
from truceline.api.limits import BodySizeLimit
from truceline.api.routes import (
    activations,
    arrivals,
    cases,
    commitments,
    events,
    evidence,
    findings,
    locks,
    members,
    publications,
    ratification,
    remedies,
    reports,
    review,
    sensors,
    violations,
)
from truceline.api.security import check_secrets
from truceline.api.state import build_state
from truceline.api.web import router as web_router
from truceline.redaction.configured import redaction_settings
from truceline.settings import Settings, get_settings

ROUTERS = (
    sensors.router,
    arrivals.router,
    reports.router,
    events.router,
    violations.router,
    cases.router,
    locks.router,
    members.router,
    evidence.router,
    findings.router,
    remedies.case_router,
    remedies.router,
    commitments.router,
    ratification.router,
    activations.router,
    publications.router,
    review.router,
    web_router,  # the dashboard: pages, assets and its own data (docs/dashboard.md)
)
DESCRIPTION = """Truceline's HTTP API: intake of sensors, arrivals and reports; events,
violations, cases (with their edit locks, members and remedies), evidence, findings, remedies
and compliance, commitments (with ratification and deliveries), activations and publications.

Authenticate with `Authorization: Bearer tl_<id>.<secret>` (tokens from `truceline user add`);
without a token you are the public and see only what is published. See docs/api.md."""


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API on the store of ``settings`` (migrated on start); weak secrets refused
    outside development (InputError naming the setting)."""
    settings = settings or get_settings()
    check_secrets(settings)
    redaction_settings(settings)  # a wrong redaction setting stops the start, not each request
    state = build_state(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        state.engine.dispose()

    app = FastAPI(
        title="Truceline",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.truceline = state
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    app.add_middleware(BodySizeLimit, max_bytes=settings.api_max_body_bytes)
    return app
