"""What the store tells redaction: the names to screen, the reports violations rest on."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from truceline.api.auth import add_user
from truceline.domain import Report, Sensor, SourceKind
from truceline.redaction import Audience, Publication, redactor_for
from truceline.store.database import open_store
from truceline.store.observations import add_reports, add_sensors
from truceline.store.protected import protected_names, reports_by_id

T0 = datetime(2026, 11, 21, 9, tzinfo=UTC)


def _report(report_id: str, source_id: str, kind: SourceKind) -> Report:
    return Report(report_id, source_id, kind, T0, "explosion", text=f"seen by {source_id}")


def test_names_are_sensor_ids_source_ids_and_user_names(store_url: str) -> None:
    engine = open_store(store_url)
    try:
        with engine.begin() as conn:
            add_sensors(conn, sensors=[Sensor("S0042", 37.5, 48.1)])
            add_reports(
                conn,
                reports=[
                    _report("R1", "MT07", SourceKind.MONITOR),
                    _report("R2", "MT07", SourceKind.MONITOR),
                    _report("R3", "LO-UA", SourceKind.PARTY),
                ],
            )
        add_user(engine, name="olena-liaison", role="party_liaison", party="UA", key="k" * 32)
        with engine.connect() as conn:
            assert protected_names(conn) == {"S0042", "MT07", "LO-UA", "olena-liaison"}
            found = reports_by_id(conn, {"R1", "R3", "R-absent"})
            assert set(found) == {"R1", "R3"} and found["R3"].source_kind == SourceKind.PARTY
            assert reports_by_id(conn, set()) == {}
            redactor = redactor_for(conn, Audience.PUBLIC, Publication.API)
            assert redactor.text("MT07 met olena-liaison at S0042") == (
                "[withheld] met [withheld] at [withheld]"
            )
            assert redactor_for(conn, Audience.STAFF, Publication.API).names == frozenset()
    finally:
        engine.dispose()


def test_a_bad_setting_stops_before_the_store_is_read(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from truceline.errors import InputError

    monkeypatch.setenv("TRUCELINE_REDACTION_GRID_M", "0")
    engine = open_store(store_url)
    try:
        with engine.connect() as conn, pytest.raises(InputError, match="GRID_M"):
            redactor_for(conn, Audience.PUBLIC, Publication.EXPORT)
    finally:
        engine.dispose()
