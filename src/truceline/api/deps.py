"""Dependencies of the routes: the app's state, the caller, who may call a route, paging.

Every route declares its policy with ``require(roles...)``: the caller is authenticated
(bearer token, or the public without one), rate limited, and refused unless its role is one
of those given. A test walks ``app.routes`` and fails on a route without such a policy.

The quick dependencies are ``async``: FastAPI runs a plain ``def`` dependency in a worker
thread, and each such hop costs a thread switch and a wake-up of the event loop per request
(~0.3 ms each on a busy 2-core machine: with four hops, about half of the server's time
for a one-report POST).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, HTTPException, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import Engine

from truceline.api.models.common import Code, Limit, Offset, UtcTime
from truceline.api.ratelimit import retry_after
from truceline.api.roles import PUBLIC, Principal, Role
from truceline.api.security import parse_token
from truceline.api.state import ApiState
from truceline.store.listings import BBox, Filters, Window

_bearer = HTTPBearer(
    auto_error=False,
    description="An API token `tl_<id>.<secret>` from `truceline user add`; none for the public.",
)
BearerDep = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


async def get_state(request: Request) -> ApiState:
    """The state of the app serving this request."""
    state: ApiState = request.app.state.truceline
    return state


StateDep = Annotated[ApiState, Depends(get_state)]


async def get_engine(state: StateDep) -> Engine:
    """The store's engine."""
    return state.engine


EngineDep = Annotated[Engine, Depends(get_engine)]


def require(*roles: Role) -> Any:
    """A dependency giving the caller, refused (401/403) unless its role is in ``roles``."""
    allowed = frozenset(roles)

    async def caller(request: Request, state: StateDep, credentials: BearerDep) -> Principal:
        _limit_rate(request, state, credentials)
        principal = await _authenticate(state, credentials)
        if principal.role not in allowed:
            if principal.role == Role.PUBLIC:
                raise HTTPException(
                    401, "this route needs an API token", {"WWW-Authenticate": "Bearer"}
                )
            raise HTTPException(403, f"the role {principal.role.value} may not call this route")
        return principal

    caller.roles = allowed  # type: ignore[attr-defined]  # read by the policy test and docs
    return Depends(caller)


async def _authenticate(
    state: ApiState, credentials: HTTPAuthorizationCredentials | None
) -> Principal:
    """On the event loop when the token is cached; the argon2 check goes to a thread."""
    if credentials is None:
        return PUBLIC
    token = credentials.credentials
    principal = state.authenticator.cached(token)
    if principal is None:
        principal = await run_in_threadpool(state.authenticator.authenticate, token)
    if principal is None:
        raise HTTPException(
            401, "invalid, revoked or unknown API token", {"WWW-Authenticate": "Bearer"}
        )
    return principal


def _limit_rate(
    request: Request, state: ApiState, credentials: HTTPAuthorizationCredentials | None
) -> None:
    """One bucket per token id (checked before the slow hash); per client address otherwise."""
    parsed = None if credentials is None else parse_token(credentials.credentials)
    client = request.client.host if request.client is not None else "unknown"
    key = f"token:{parsed[0]}" if parsed is not None else f"addr:{client}"
    wait = state.limiter.take(key)
    if wait > 0:
        raise HTTPException(
            429,
            "rate limit reached for this token; retry later",
            {"Retry-After": retry_after(wait)},
        )


# --- paging and filters ----------------------------------------------------------------------


def get_window(limit: Limit = 100, offset: Offset = 0) -> Window:
    """The page asked for: ``limit`` records after ``offset``."""
    return Window(limit=limit, offset=offset)


WindowDep = Annotated[Window, Depends(get_window)]

BBOX_HELP = "min_lon,min_lat,max_lon,max_lat (WGS 84 degrees)."
_BBOX_PATTERN = r"^[-+0-9.eE]+(,[-+0-9.eE]+){3}$"


def get_filters(
    start: Annotated[UtcTime | None, Query(description="Only from this time on.")] = None,
    end: Annotated[UtcTime | None, Query(description="Only before this time.")] = None,
    bbox: Annotated[
        str | None, Query(description=BBOX_HELP, max_length=200, pattern=_BBOX_PATTERN)
    ] = None,
    party: Annotated[Code | None, Query(description="Only of this party.")] = None,
) -> Filters:
    """Time window, bounding box and party of a list request."""
    return Filters(
        start=start, end=end, bbox=None if bbox is None else parse_bbox(bbox), party=party
    )


FiltersDep = Annotated[Filters, Depends(get_filters)]


def parse_bbox(text: str) -> BBox:
    """Four finite degrees, min before max, within WGS 84 (422 naming ``bbox`` otherwise)."""
    try:
        values = [float(part) for part in text.split(",")]
    except ValueError:
        values = []
    ok = len(values) == 4 and all(v == v and abs(v) != float("inf") for v in values)
    if ok:
        min_lon, min_lat, max_lon, max_lat = values
        ok = -180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90
    if not ok:
        raise RequestValidationError(
            [
                {
                    "loc": ("query", "bbox"),
                    "msg": f"bbox must be {BBOX_HELP[:-1]}, min <= max, got {text!r}",
                    "type": "value_error",
                }
            ]
        )
    return values[0], values[1], values[2], values[3]
