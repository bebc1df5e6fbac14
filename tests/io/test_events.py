"""events.csv specifics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.domain import Corroboration, Event, EventKind
from truceline.io.events import format_id_list, parse_id_list, read_events, write_events

# The contract's columns, in its order; added optional columns follow them.
CONTRACT_HEADER = (
    "event_id,time,lon,lat,kind,n_sensors,err_major_m,err_minor_m,err_azimuth_deg,arrival_ids,"
    "report_ids,corroboration,party_control,p_control,responsible_party,p_responsible,"
    "paired_event_id"
)
T = datetime(2026, 3, 1, 4, 12, 30, 500000, tzinfo=UTC)


def test_located_launch_paired_with_an_impact(tmp_path: Path) -> None:
    launch = Event(
        "E1",
        T,
        37.61,
        48.02,
        EventKind.LAUNCH,
        n_sensors=3,
        err_major_m=120.0,
        err_minor_m=80.0,
        err_azimuth_deg=45.0,
        arrival_ids=("A1", "A2", "A3"),
        report_ids=("R1",),
        corroboration=Corroboration.CORROBORATED,
        party_control="RU",
        p_control=0.93,
        responsible_party="RU",
        p_responsible=0.93,
        paired_event_id="E2",
    )
    from_reports = Event("E2", T, 37.7, 48.1, EventKind.IMPACT, report_ids=("R2", "R3"))
    path = tmp_path / "events.csv"
    write_events(path, [launch, from_reports])
    lines = path.read_text().splitlines()
    assert lines[0] == CONTRACT_HEADER + ",crlb_m"
    assert lines[1] == (
        "E1,2026-03-01T04:12:30.500000Z,37.61,48.02,launch,3,120.0,80.0,45.0,A1;A2;A3,R1,"
        "corroborated,RU,0.93,RU,0.93,E2,"
    )
    assert (
        lines[2]
        == "E2,2026-03-01T04:12:30.500000Z,37.7,48.1,impact,0,,,,,R2;R3,single_source,,,,,,"
    )
    assert read_events(path) == [launch, from_reports]


def test_minimal_columns(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text("event_id,time,lon,lat,kind\nE1,2026-03-01T04:12:30.5Z,37.61,48.02,unknown\n")
    assert read_events(path) == [Event("E1", T, 37.61, 48.02, EventKind.UNKNOWN)]


@pytest.mark.parametrize(
    ("text", "ids"), [("A1", ("A1",)), ("A1;A2", ("A1", "A2")), (" a ; b", (" a ", " b"))]
)
def test_id_lists(text: str, ids: tuple[str, ...]) -> None:
    assert parse_id_list(text) == ids
    assert format_id_list(ids) == text
