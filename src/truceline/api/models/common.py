"""Shared field types and shapes: ids, text, times, coordinates, errors, intake results."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

# No control characters (PostgreSQL refuses NUL in text; none belong in an id or a code).
_PRINTABLE = r"^[^\x00-\x1f\x7f]+$"
# Free text may hold tabs and line breaks, nothing else below 0x20.
_TEXT = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"

Id = Annotated[str, StringConstraints(min_length=1, max_length=200, pattern=_PRINTABLE)]
Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=_PRINTABLE)]
Text = Annotated[str, StringConstraints(max_length=20_000, pattern=_TEXT)]


def _as_utc(value: datetime) -> datetime:
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("time out of range once converted to UTC") from None


UtcTime = Annotated[AwareDatetime, AfterValidator(_as_utc)]
Finite = Annotated[float, Field(allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Lon = Annotated[float, Field(ge=-180, le=180, allow_inf_nan=False)]
Lat = Annotated[float, Field(ge=-90, le=90, allow_inf_nan=False)]
Limit = Annotated[int, Field(ge=1, le=1000, description="Records per page (1-1000).")]
Offset = Annotated[int, Field(ge=0, le=1_000_000_000, description="Records to skip.")]


class CreateModel(BaseModel):
    """An input shape: unknown fields are refused (a typo names the field)."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class PublicModel(BaseModel):
    """An output shape, built from a domain dataclass."""

    model_config = ConfigDict(from_attributes=True)


class ErrorPublic(BaseModel):
    """Every error but validation: a sentence saying what was refused and why."""

    detail: str


class ValidationItem(BaseModel):
    """One refused value: where (``loc``), why (``msg``); CSV bodies add file, line, column."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str
    file: str | None = None
    line: int | None = None
    column: str | None = None


class ValidationErrorPublic(BaseModel):
    """422: every malformed input, located (FastAPI's shape, extended)."""

    detail: list[ValidationItem]


class IntakeResult(BaseModel):
    """What an intake batch did: records stored now, and records already stored as sent."""

    new: int = Field(description="Records stored by this request.")
    existing: int = Field(description="Records already stored with the same content.")
