"""The dashboard's routes: its pages and assets (``/ui``), and the data only it needs
(``/web``: who the caller is, the offline base layer, an event with its attribution).

The pages hold no data and are served to anyone: their scripts fetch the data with the
session's token, so each role sees what the API lets it see; a page whose data the caller may
not read sends it to the login page without showing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse
from pydantic import BaseModel

from truceline.api.deps import EngineDep, require
from truceline.api.errors import AUTH_ERRORS, NOT_FOUND
from truceline.api.models.analysis import EventPublic, ViolationPublic
from truceline.api.models.common import Id, PublicModel
from truceline.api.roles import Principal
from truceline.api.routes._shared import EVERYONE, STAFF
from truceline.web.assets import PAGES, media_type, static_file
from truceline.web.baselayer import base_layer, current_theatre
from truceline.web.eventfile import event_file
from truceline.web.render import LANG_COOKIE, page_language, render_page

router = APIRouter()
Anyone = Annotated[Principal, require(*EVERYONE)]
# Pages and scripts change with each release: revalidate rather than serve a stale copy.
REVALIDATE = {"Cache-Control": "no-cache"}
LangQuery = Annotated[str | None, Query(description="Language: en, uk or ru.")]
LANG_COOKIE_SECONDS = 365 * 24 * 3600


@router.get("/", include_in_schema=False)
def home(_caller: Anyone) -> RedirectResponse:
    """The dashboard's map."""
    return RedirectResponse("/ui", status_code=307)


def _page(file_name: str) -> Callable[[Request, Principal, str | None], HTMLResponse]:
    def page(request: Request, _caller: Anyone, lang: LangQuery = None) -> HTMLResponse:
        chosen = _language(request, lang)
        response = HTMLResponse(render_page(file_name, chosen), headers=REVALIDATE)
        _remember_language(response, lang, chosen)
        return response

    page.__doc__ = f"The dashboard page {file_name}, in the caller's language."
    return page


def _language(request: Request, lang: str | None) -> str:
    """?lang=, then the language cookie, then Accept-Language, then English."""
    return page_language(
        lang, request.cookies.get(LANG_COOKIE), request.headers.get("accept-language")
    )


def _remember_language(response: HTMLResponse, asked: str | None, chosen: str) -> None:
    """A valid ?lang= (the language switcher's links) is kept in a cookie for later pages."""
    if asked is not None and asked.strip().lower() == chosen:
        response.set_cookie(
            LANG_COOKIE, chosen, max_age=LANG_COOKIE_SECONDS, samesite="lax", path="/"
        )


for _path, _file in PAGES.items():
    router.add_api_route(_path, _page(_file), methods=["GET"], include_in_schema=False)


@router.get("/ui/reports/daily/{day}", include_in_schema=False)
def daily_report_page(
    request: Request, day: date, _caller: Anyone, engine: EngineDep, lang: LangQuery = None
) -> HTMLResponse:
    """The public daily report of ``day`` (YYYY-MM-DD) as HTML, in the caller's language."""
    from truceline.reports.online import daily_report_html  # matplotlib: loaded on first use

    chosen = _language(request, lang)
    response = HTMLResponse(daily_report_html(engine, day, lang=chosen), headers=REVALIDATE)
    _remember_language(response, lang, chosen)
    return response


@router.get("/ui/static/{path:path}", include_in_schema=False)
def static_asset(path: str, _caller: Anyone) -> FileResponse:
    """A script, style sheet or vendored library of the dashboard."""
    return _asset(path)


@router.get("/ui/sw.js", include_in_schema=False)
def service_worker(_caller: Anyone) -> FileResponse:
    """The report form's service worker (served under /ui so that its scope covers it)."""
    return _asset("sw.js")


def _asset(path: str) -> FileResponse:
    file = static_file(path)
    if file is None:
        raise HTTPException(404, f"no dashboard file {path!r}")
    return FileResponse(file, media_type=media_type(file), headers=REVALIDATE)


class CallerPublic(BaseModel):
    """Who the token belongs to (the public without one)."""

    name: str
    role: str
    party: str | None
    state: str | None
    member_id: str | None


@router.get("/web/me", response_model=CallerPublic, responses=AUTH_ERRORS, tags=["dashboard"])
def who_am_i(caller: Anyone) -> CallerPublic:
    """The caller: its name, role and binding (what the dashboard shows depends on it)."""
    return CallerPublic(
        name=caller.name,
        role=caller.role.value,
        party=caller.party,
        state=caller.state,
        member_id=caller.member_id,
    )


@router.get("/web/theatre", responses=AUTH_ERRORS, tags=["dashboard"])
def theatre_base_layer(_caller: Anyone, engine: EngineDep) -> dict[str, Any]:
    """The map's offline base layer: border, control areas, zones, line of contact and
    protected sites of the current theatre, as GeoJSON (``layer`` names each feature)."""
    with engine.connect() as conn:
        theatre = current_theatre(conn)
    return base_layer(theatre)


class AttributionPublic(PublicModel):
    party: str | None
    p_party: float
    attributed: bool
    wording: str
    p_by_party: dict[str, float]
    reason: dict[str, Any]
    theatre: str


class EventFilePublic(PublicModel):
    """An event, the reasoning of its attribution, its paired event and its violations."""

    event: EventPublic
    attribution: AttributionPublic
    paired_event: EventPublic | None
    violations: list[ViolationPublic]


EventId = Annotated[Id, Path(description="Event id, e.g. E-000123.")]


@router.get(
    "/web/events/{event_id}",
    response_model=EventFilePublic,
    responses=AUTH_ERRORS | NOT_FOUND,
    tags=["dashboard"],
)
def get_event_file(
    event_id: EventId, _caller: Annotated[Principal, require(*STAFF)], engine: EngineDep
) -> EventFilePublic:
    """An event with the attribution's wording and reason (staff only, like /events)."""
    found = event_file(engine, event_id)
    a = found.attribution
    paired = found.paired_event
    return EventFilePublic(
        event=EventPublic.model_validate(found.event),
        attribution=AttributionPublic(
            party=a.party,
            p_party=a.p_party,
            attributed=a.attributed,
            wording=a.wording,
            p_by_party=a.p_by_party,
            reason=found.reason,
            theatre=found.theatre_name,
        ),
        paired_event=None if paired is None else EventPublic.model_validate(paired),
        violations=[ViolationPublic.model_validate(v) for v in found.violations],
    )
