"""Every route of the app declares who may call it, and the declaration is the intended one."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts

from tests.api.conftest import Api
from tests.api.world import DOCUMENTATION_ROUTES, EXPECTED_POLICY, ROLE_OF


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
    assert set(declared) == set(EXPECTED_POLICY), "routes added or removed: update the matrix"
    for route, viewers in EXPECTED_POLICY.items():
        assert declared[route] == as_roles(viewers), route
