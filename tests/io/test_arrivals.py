"""arrivals.csv specifics."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.domain import Arrival, ArrivalLabel
from truceline.errors import InputError
from truceline.io.arrivals import read_arrivals, write_arrivals

HEADER = "arrival_id,sensor_id,time,label,snr_db"
T = datetime(2026, 3, 1, 4, 12, 33, 123456, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "arrivals.csv"
    path.write_text(
        f"{HEADER}\n"
        "A1,S1,2026-03-01T04:12:33.123456Z,impact,-3.5\n"
        "A2,S2,2026-03-01T04:12:33.123456+00:00,,\n"
    )
    return path


def test_read(path: Path) -> None:
    assert read_arrivals(path) == [
        Arrival("A1", "S1", T, ArrivalLabel.IMPACT, -3.5),
        Arrival("A2", "S2", T),
    ]


@pytest.mark.parametrize(
    "known", [{"S1", "S2"}, ["S2", "S1", "S3"], ("S1", "S2"), {"S1": 0, "S2": 1}.keys()]
)
def test_known_sensors_in_any_collection(path: Path, known: set[str]) -> None:
    assert len(read_arrivals(path, sensor_ids=known)) == 2


@pytest.mark.parametrize(("known", "line"), [(set(), 2), ({"S1"}, 3)])
def test_first_unknown_sensor_is_refused(path: Path, known: set[str], line: int) -> None:
    with pytest.raises(InputError) as caught:
        read_arrivals(path, sensor_ids=known)
    assert (caught.value.line, caught.value.column) == (line, "sensor_id")


def test_header_is_the_contract_order(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_arrivals(out, [Arrival("A1", "S1", T, ArrivalLabel.LAUNCH, 20.0)])
    assert out.read_text().splitlines() == [HEADER, "A1,S1,2026-03-01T04:12:33.123456Z,launch,20.0"]


def test_plain_string_label_is_written_and_read_as_the_enum(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    write_arrivals(out, [Arrival("A1", "S1", T, "impact")])  # type: ignore[arg-type]
    assert read_arrivals(out)[0].label is ArrivalLabel.IMPACT
