"""Where the dashboard's files are, and a safe lookup of one of them by its URL path."""

from __future__ import annotations

from pathlib import Path

WEB_DIR = Path(__file__).parent
STATIC_DIR = WEB_DIR / "static"
PAGES_DIR = WEB_DIR / "pages"

# URL path of each page -> its HTML file (the pages hold no data: their scripts fetch it
# from the API with the token of the session, so what is shown depends on the role).
PAGES = {
    "/ui": "map.html",
    "/ui/login": "login.html",
    "/ui/events/{event_id}": "event.html",
    "/ui/cases": "cases.html",
    "/ui/cases/{case_id}": "case.html",
    "/ui/report": "report.html",
    "/ui/review": "review.html",
}
MEDIA_TYPES = {
    ".js": "text/javascript",
    ".css": "text/css",
    ".html": "text/html",
    ".json": "application/json",
    ".png": "image/png",
    ".svg": "image/svg+xml",
    ".txt": "text/plain",
}


def static_file(path: str) -> Path | None:
    """The file under ``static/`` at ``path`` (None if missing, hidden or outside it).

    >>> static_file("js/session.js").name
    'session.js'
    >>> static_file("../assets.py") is None
    True
    """
    root = STATIC_DIR.resolve()
    candidate = (root / path).resolve()
    if not candidate.is_relative_to(root) or not candidate.is_file():
        return None
    if any(part.startswith(".") for part in candidate.relative_to(root).parts):
        return None
    if candidate.suffix not in MEDIA_TYPES:
        return None
    return candidate


def media_type(path: Path) -> str:
    """The Content-Type of a dashboard file (JavaScript as text/javascript for modules)."""
    return MEDIA_TYPES.get(path.suffix, "application/octet-stream")
