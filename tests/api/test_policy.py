"""Every route of the app declares who may call it, and the declaration is the intended one."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from tests.api.conftest import Api
from tests.api.world import (
    DOCUMENTATION_ROUTES,
    EVERYONE,
    EXPECTED_POLICY,
    ROLE_OF,
    STAFF_ROLES,
)

# The dashboard (src/truceline/api/web.py): pages and assets hold no data and are served to
# anyone; its data routes follow the API's (an event's file: the staff, like /events).
DASHBOARD_POLICY: dict[tuple[str, str], frozenset[str]] = {
    ("GET", "/"): EVERYONE,
    ("GET", "/ui"): EVERYONE,
    ("GET", "/ui/login"): EVERYONE,
    ("GET", "/ui/events/{event_id}"): EVERYONE,
    ("GET", "/ui/cases"): EVERYONE,
    ("GET", "/ui/cases/{case_id}"): EVERYONE,
    ("GET", "/ui/report"): EVERYONE,
    ("GET", "/ui/review"): EVERYONE,  # the page holds no data; /review refuses all but staff
    ("GET", "/ui/reports/daily/{day}"): EVERYONE,  # the published daily report
    ("GET", "/ui/static/{path:path}"): EVERYONE,
    ("GET", "/ui/sw.js"): EVERYONE,
    ("GET", "/web/me"): EVERYONE,
    ("GET", "/web/theatre"): EVERYONE,
    ("GET", "/web/events/{event_id}"): STAFF_ROLES,
}
INTENDED_POLICY = EXPECTED_POLICY | DASHBOARD_POLICY


def declared_policies(app: FastAPI) -> dict[tuple[str, str], frozenset[str] | None]:
    """(method, path) of every route of the app -> the roles its ``require`` allows."""
    found: dict[tuple[str, str], frozenset[str] | None] = {}
    for context in iter_route_contexts(app.routes):
        route = context.original_route
        if not isinstance(route, APIRoute):
            assert context.path in DOCUMENTATION_ROUTES, f"unexpected route {context.path}"
            continue
        policies = [
            getattr(dep.call, "roles", None)
            for dep in route.dependant.dependencies
            if getattr(dep.call, "roles", None) is not None
        ]
        assert len(policies) <= 1, f"{context.path}: more than one policy"
        roles = frozenset(str(r) for r in policies[0]) if policies else None
        for method in context.methods or ():
            found[(method, context.path)] = roles
    return found


def as_roles(viewers: frozenset[str]) -> frozenset[str]:
    return frozenset(ROLE_OF.get(v, v) for v in viewers)


def test_every_route_declares_a_policy(api: Api) -> None:
    declared = declared_policies(api.client.app)  # type: ignore[arg-type]
    missing = [route for route, roles in declared.items() if roles is None]
    assert declared and not missing, f"routes without a declared policy: {missing}"


def test_declared_policies_are_the_intended_ones(api: Api) -> None:
    declared = declared_policies(api.client.app)  # type: ignore[arg-type]
    assert set(declared) == set(INTENDED_POLICY), "routes added or removed: update the matrix"
    for route, viewers in INTENDED_POLICY.items():
        assert declared[route] == as_roles(viewers), route
