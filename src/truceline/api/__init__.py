"""The HTTP API (FastAPI): `create_app(settings)`; run it with `truceline serve`."""

from truceline.api.app import create_app

__all__ = ["create_app"]
