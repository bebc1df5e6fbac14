"""`truceline serve`: the API under uvicorn, on the store of TRUCELINE_DATABASE_URL."""

from __future__ import annotations

from truceline.settings import Settings, get_settings


def serve(
    *, host: str, port: int, settings: Settings | None = None, log_level: str = "info"
) -> None:
    """Run the API until interrupted (one process; writes to SQLite are serialised)."""
    import uvicorn

    from truceline.api.app import create_app

    app = create_app(settings or get_settings())
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=False)
