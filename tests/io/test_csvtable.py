"""The generic table reader and writer, exercised through sensors.csv."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from truceline.domain import Sensor
from truceline.errors import InputError
from truceline.io.arrivals import ARRIVALS
from truceline.io.csvtable import Table
from truceline.io.events import EVENTS
from truceline.io.reports import REPORTS
from truceline.io.sensors import SENSORS, read_sensors, write_sensors
from truceline.io.weather import WEATHER

S1 = Sensor("S1", 30.5, 50.25)


def write_bytes(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "sensors.csv"
    path.write_bytes(data)
    return path


def refused(path: Path | str, line: int | None, column: str | None) -> InputError:
    with pytest.raises(InputError) as caught:
        read_sensors(path)
    assert (caught.value.file, caught.value.line, caught.value.column) == (str(path), line, column)
    return caught.value


@pytest.mark.parametrize("table", [SENSORS, ARRIVALS, WEATHER, REPORTS, EVENTS])
def test_column_defaults_are_the_domain_defaults(table: Table[object]) -> None:
    fields = {f.name: f for f in dataclasses.fields(table.record)}  # type: ignore[arg-type]
    assert sorted(c.name for c in table.columns) == sorted(fields)  # every field, once
    for column in table.columns:
        field = fields[column.name]
        if column.required:
            assert field.default is dataclasses.MISSING
        elif field.default_factory is not dataclasses.MISSING:
            assert column.default == field.default_factory()
        else:
            assert column.default == field.default


def test_bom_crlf_padded_header_unknown_columns_and_any_order(tmp_path: Path) -> None:
    data = "\ufeff note , lat ,sensor_id,lon\r\nhello,50.25,S1,30.5\r\n".encode()
    assert read_sensors(write_bytes(tmp_path, data)) == [S1]


def test_blank_lines_are_skipped_and_lines_still_counted(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"\nsensor_id,lon,lat\n\nS1,30.5,50.25\n\nS2,30,91\n\n")
    refused(path, 6, "lat")


def test_line_of_a_record_spanning_lines_is_its_first_line(tmp_path: Path) -> None:
    data = b'sensor_id,lon,lat,kind\nS1,30.5,50.25,"two\nlines"\nS2,30,-91,x\n'
    refused(write_bytes(tmp_path, data), 4, "lat")


def test_header_only_gives_no_records(tmp_path: Path) -> None:
    assert read_sensors(write_bytes(tmp_path, b"sensor_id,lon,lat\n")) == []


def test_short_row_names_the_first_missing_column(tmp_path: Path) -> None:
    error = refused(write_bytes(tmp_path, b"sensor_id,lon,lat\nS1,30.5\n"), 2, "lat")
    assert "2 fields but the header has 3" in error.message


def test_long_row_is_refused(tmp_path: Path) -> None:
    error = refused(write_bytes(tmp_path, b"sensor_id,lon,lat\nS1,30.5,50,x\n"), 2, None)
    assert "4 fields" in error.message


def test_column_twice_in_header(tmp_path: Path) -> None:
    refused(write_bytes(tmp_path, b"sensor_id,lon,lat,lon\nS1,30.5,50,31\n"), 1, "lon")


def test_missing_file(tmp_path: Path) -> None:
    error = refused(tmp_path / "nope.csv", None, None)
    assert "cannot read" in error.message


def test_error_names_path_as_given_and_the_bad_value(tmp_path: Path) -> None:
    write_bytes(tmp_path, b"sensor_id,lon,lat\nS1,30.5,abc\n")
    as_str = str(tmp_path / "sensors.csv")
    error = refused(as_str, 2, "lat")
    assert str(error) == f"{as_str}, line 2, column 'lat': not a number, got 'abc'"


def test_long_bad_values_are_shortened_in_messages(tmp_path: Path) -> None:
    error = refused(
        write_bytes(tmp_path, b"sensor_id,lon,lat\nS1,30.5," + b"9" * 500 + b"\n"), 2, "lat"
    )
    assert len(str(error)) < 200


def test_floats_are_written_exactly(tmp_path: Path) -> None:
    path = tmp_path / "sensors.csv"
    write_sensors(path, [Sensor("S1", 0.1 + 0.2, np.float64(1 / 3), elev_m=1e-300)])  # type: ignore[arg-type]
    assert (
        path.read_text().splitlines()[1]
        == "S1,0.30000000000000004,0.3333333333333333,1e-300,acoustic,0.005"
    )
    assert read_sensors(path)[0].lat == 1 / 3


def test_empty_optional_cells_take_defaults(tmp_path: Path) -> None:
    path = write_bytes(tmp_path, b"sensor_id,lon,lat,elev_m,kind,clock_sigma_s\nS1,30.5,50.25,,,\n")
    assert read_sensors(path) == [S1]


def test_failed_write_keeps_the_previous_file(tmp_path: Path) -> None:
    path = tmp_path / "sensors.csv"
    write_sensors(path, [S1])
    before = path.read_bytes()
    with pytest.raises(ValueError, match="column 'lat'"):
        write_sensors(path, [Sensor("S2", 30.0, 50.0), Sensor("S3", 30.0, 91.0)])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["sensors.csv"]


def test_write_into_missing_directory_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        write_sensors(tmp_path / "absent" / "sensors.csv", [S1])
    assert list(tmp_path.iterdir()) == []


def test_writer_failure_from_the_iterable_leaves_nothing(tmp_path: Path) -> None:
    def broken() -> list[Sensor]:
        raise RuntimeError("upstream failed")

    def records():  # type: ignore[no-untyped-def]
        yield S1
        broken()

    with pytest.raises(RuntimeError):
        write_sensors(tmp_path / "sensors.csv", records())
    assert list(tmp_path.iterdir()) == []


def test_written_file_is_rfc4180_utf8(tmp_path: Path) -> None:
    path = tmp_path / "sensors.csv"
    write_sensors(path, [Sensor("S,1", 30.5, 50.25, kind='Сейсмічний "x"')])
    expected = (
        "sensor_id,lon,lat,elev_m,kind,clock_sigma_s\r\n"
        '"S,1",30.5,50.25,0.0,"Сейсмічний ""x""",0.005\r\n'
    )
    assert path.read_bytes() == expected.encode()
