"""Error responses: every refusal is a 4xx naming what was wrong, never a 5xx.

Shapes: validation errors (FastAPI's, and ours for CSV bodies and cross-field checks) are
422 ``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``; ours add ``file``, ``line``
and ``column``. Every other error is ``{"detail": "..."}``.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError

from truceline.api.intake import BatchTooLarge, ItemError
from truceline.api.models.common import ErrorPublic, ValidationErrorPublic
from truceline.errors import ConflictError, InputError, NotFoundError, TrucelineError

# For `responses=` of routes: the shapes their refusals take in the OpenAPI document.
Responses = dict[int | str, dict[str, Any]]
ERROR: dict[str, Any] = {"model": ErrorPublic}
AUTH_ERRORS: Responses = {
    401: ERROR | {"description": "No valid token (or a token is needed)."},
    403: ERROR | {"description": "The caller's role may not call this route."},
    429: ERROR | {"description": "Rate limit reached; see Retry-After."},
}
NOT_FOUND: Responses = {
    404: ERROR | {"description": "No such record (or not visible to the caller)."}
}
CONFLICT: Responses = {
    409: ERROR | {"description": "Contradicts what is stored (the message names it)."}
}
TOO_LARGE: Responses = {413: ERROR | {"description": "Body or batch over the configured limit."}}
INVALID: Responses = {
    422: {"model": ValidationErrorPublic, "description": "Malformed input, located."},
}
BAD_BODY: Responses = {
    400: ERROR | {"description": "The body cannot be parsed (e.g. not UTF-8 JSON)."}
}
INTAKE_ERRORS: Responses = AUTH_ERRORS | BAD_BODY | CONFLICT | TOO_LARGE | INVALID


def input_error_detail(error: InputError) -> list[dict[str, Any]]:
    """The 422 detail of an InputError: its location as ``loc`` and as named fields."""
    loc: list[str | int] = ["body"]
    if isinstance(error, ItemError):  # a record of a JSON batch: its index in the list
        loc.append(error.index)
    if error.line is not None:
        loc.append(error.line)
    if error.column is not None:
        loc.append(error.column)
    item: dict[str, Any] = {"loc": loc, "msg": error.message, "type": "input_error"}
    for name in ("file", "line", "column"):
        if getattr(error, name) is not None:
            item[name] = getattr(error, name)
    return [item]


def install_error_handlers(app: FastAPI) -> None:
    """Map Truceline's errors (and the store's refusals) to 4xx responses."""
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(InputError, _input_error)
    app.add_exception_handler(NotFoundError, _status(404))
    app.add_exception_handler(ConflictError, _status(409))
    app.add_exception_handler(TrucelineError, _status(400))
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(OperationalError, _operational_error)


async def _validation_error(_request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's 422 without echoing the input (it may be bytes that are not UTF-8, or huge)."""
    assert isinstance(exc, RequestValidationError)
    detail = [
        {
            "loc": list(e.get("loc", ())),
            "msg": str(e.get("msg", "")),
            "type": str(e.get("type", "")),
        }
        for e in exc.errors()
    ]
    return JSONResponse({"detail": detail}, status_code=422)


async def _input_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    if isinstance(exc, BatchTooLarge):
        return JSONResponse({"detail": str(exc)}, status_code=413)
    return JSONResponse({"detail": input_error_detail(exc)}, status_code=422)


def _status(code: int) -> Any:
    async def handler(_request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=code)

    return handler


async def _integrity_error(_request: Request, _exc: Exception) -> JSONResponse:
    # Two writers took the same new id at once (e.g. the next case number); the loser retries.
    detail = "a concurrent write took the same id; nothing was stored, retry the request"
    return JSONResponse({"detail": detail}, status_code=409)


async def _operational_error(_request: Request, exc: Exception) -> JSONResponse:
    if "database is locked" in str(exc):
        detail = "the store is busy with another writer; nothing was stored, retry"
        return JSONResponse({"detail": detail}, status_code=503, headers={"Retry-After": "1"})
    raise exc
