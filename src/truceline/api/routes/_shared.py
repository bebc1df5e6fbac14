"""What the routers share: the CSV request body, role groups, retry responses."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request

from truceline.api.roles import Role

# Role groups (the matrix test in tests/api checks every route against its own table).
STAFF = (Role.MONITOR, Role.ANALYST, Role.COMMISSIONER)
EVERYONE = tuple(Role)


async def _read_body(request: Request) -> bytes:
    return await request.body()


CsvBody = Annotated[bytes, Depends(_read_body)]


def csv_body(header: str, *rows: str) -> dict[str, Any]:
    """The OpenAPI request body of a CSV intake route, with an example."""
    example = "\n".join((header, *rows)) + "\n"
    body = {"required": True, "content": {"text/csv": {"schema": {"type": "string"}}}}
    body["content"]["text/csv"]["example"] = example  # type: ignore[index]
    return {"requestBody": body}


def stored_as_sent(model: type) -> dict[int | str, dict[str, Any]]:
    """The 200 of a creating route (201) when the same request was already stored (a retry)."""
    return {200: {"model": model, "description": "Already stored as sent (a retry)."}}
