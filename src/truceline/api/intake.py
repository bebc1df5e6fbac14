"""Intake through the API: each batch is validated whole, then stored in ONE transaction.

No web framework here (routes only convert). Ids are idempotency keys: a batch sent again
stores nothing new; an id stored with other content is a ConflictError naming it. A party's
liaison files reports as its party: they must say ``source_kind`` ``party``, and an id
already used by anyone else is refused without saying what is stored under it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, Engine

from truceline.api.roles import Principal, Role
from truceline.domain import Arrival, Report, Sensor, SourceKind
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.io.csvtable import ColumnError
from truceline.io.reports import check_report
from truceline.store import auth as auth_store
from truceline.store.observations import add_arrivals, add_reports, add_sensors
from truceline.store.records import AddResult

R = TypeVar("R")


def store_sensors(engine: Engine, sensors: Sequence[Sensor]) -> AddResult:
    """Store a batch of sensors (all or none)."""
    with _refs_as_input(), engine.begin() as conn:
        return add_sensors(conn, sensors=sensors)


def store_arrivals(engine: Engine, arrivals: Sequence[Arrival]) -> AddResult:
    """Store a batch of arrivals of stored sensors (all or none)."""
    with _refs_as_input(), engine.begin() as conn:
        return add_arrivals(conn, arrivals=arrivals)


def store_reports(engine: Engine, reports: Sequence[Report], principal: Principal) -> AddResult:
    """Store a batch of reports (all or none); a liaison's are recorded as its party's."""
    for index, report in enumerate(reports):
        _check_report(report, index, principal)
    with engine.begin() as conn:
        if principal.role == Role.PARTY_LIAISON:
            _refuse_foreign_ids(conn, [r.report_id for r in reports], principal)
        result = add_reports(conn, reports=reports)
        if principal.role == Role.PARTY_LIAISON and principal.party is not None:
            auth_store.record_submissions(
                conn,
                report_ids=[r.report_id for r in reports],
                party=principal.party,
                user_name=principal.name,
                at=datetime.now(UTC),
            )
        return result


def read_csv_body(body: bytes, reader: Callable[[Path], list[R]], *, name: str) -> list[R]:
    """Parse a CSV request body with an interchange reader; errors name ``name`` and the line."""
    handle, path = tempfile.mkstemp(suffix=".csv", prefix="truceline-intake-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(body)
        try:
            return reader(Path(path))
        except InputError as error:
            raise InputError(
                error.message, file=name, line=error.line, column=error.column
            ) from None
    finally:
        os.unlink(path)


def check_batch_size(rows: int, limit: int) -> None:
    """Refuse a batch of more than ``limit`` records (BatchTooLarge)."""
    if rows > limit:
        raise BatchTooLarge(f"{rows} records in one batch; the limit is {limit}")


class BatchTooLarge(InputError):
    """More records in one batch than the configured limit (HTTP 413)."""


class ItemError(InputError):
    """A record of a JSON batch is refused: ``index`` in the list, ``column`` the field."""

    def __init__(self, message: str, *, index: int, column: str) -> None:
        self.index = index
        super().__init__(message, column=column)

    def __str__(self) -> str:
        return f"record {self.index}, field {self.column!r}: {self.message}"


def _check_report(report: Report, index: int, principal: Principal) -> None:
    try:
        check_report(report)
    except ColumnError as error:
        raise ItemError(str(error), index=index, column=error.column) from None
    if principal.role == Role.PARTY_LIAISON and report.source_kind != SourceKind.PARTY:
        raise ItemError(
            f"a party's liaison files reports with source_kind 'party', "
            f"got {report.source_kind.value!r}",
            index=index,
            column="source_kind",
        )


def _refuse_foreign_ids(conn: Connection, report_ids: list[str], principal: Principal) -> None:
    for report_id, party in auth_store.submitters_of(conn, report_ids=report_ids).items():
        if party != principal.party:
            raise ConflictError(f"report {report_id!r} is already taken: choose another id")


@contextmanager
def _refs_as_input() -> Iterator[None]:
    """A reference to a record that is not stored (an unknown sensor) is bad input: 422."""
    try:
        yield
    except NotFoundError as error:
        raise InputError(f"{error} (nothing stored)") from None
