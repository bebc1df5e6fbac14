"""KoboToolbox / ODK exports through a column mapping: values mapped and checked, errors located."""

from __future__ import annotations

import json
import tomllib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from truceline.domain import Assessment, SourceKind
from truceline.errors import InputError
from truceline.io.importers import parse_mapping, read_kobo, read_mapping

from .conftest import KOBO_EXPORT, KOBO_MAPPING

MAPPING_DATA = tomllib.loads(KOBO_MAPPING.read_text(encoding="utf-8"))


def _mapping(**changes: Any) -> dict[str, Any]:
    data = json.loads(json.dumps(MAPPING_DATA))
    data.update(changes)
    return data


def test_the_example_export_imports() -> None:
    result = read_kobo(KOBO_EXPORT, read_mapping(KOBO_MAPPING))
    assert result.rows == 5 and len(result.reports) == 4
    assert result.skipped_by_reason() == {"_validation_status = validation_status_not_approved": 1}
    first, sighting, burst, denial = result.reports
    assert first.report_id == "kobo-3c8f8a8e-6a1b-4e0f-9d8b-0c0f1a2b3c41"
    assert first.source_kind is SourceKind.MONITOR and first.reliability == "A"
    assert first.time == datetime(2026, 11, 21, 3, 58, tzinfo=UTC)  # 05:58+02:00
    assert (first.event_type, first.count, first.weapon) == ("explosion", 3, "mortar_120")
    assert first.assessment is Assessment.INCOMING
    assert (first.observer_lat, first.observer_lon) == (48.0212, 37.7655)
    assert (first.distance_min_m, first.distance_max_m, first.bearing_deg) == (3000, 5000, 95)
    # A time without offset is local (Europe/Kyiv, UTC+2 in November).
    assert sighting.time == datetime(2026, 11, 21, 5, 10, 30, tzinfo=UTC)
    assert (sighting.lat, sighting.lon, sighting.loc_sigma_m) == (48.0561, 37.6904, 50.0)
    assert sighting.weapon == "artillery_152"
    assert burst.weapon is None  # "dont_know" maps to empty
    # A date alone is the middle of the day with the sigma of a uniform day.
    assert denial.time == datetime(2026, 11, 21, 12, tzinfo=UTC)
    assert denial.time_sigma_s == pytest.approx(24_941.5, abs=0.1)
    assert result.provenance[0].line == 2 and result.provenance[0].original_id.startswith("3c8f")


def test_a_json_mapping_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "mapping.json"
    path.write_text(json.dumps(MAPPING_DATA), encoding="utf-8")
    from_json = read_kobo(KOBO_EXPORT, read_mapping(path))
    assert from_json.reports == read_kobo(KOBO_EXPORT, read_mapping(KOBO_MAPPING)).reports


@pytest.mark.parametrize(
    ("changes", "key", "words"),
    [
        ({"columns": {**MAPPING_DATA["columns"], "calibre": "cal"}}, "columns.calibre", "field"),
        ({"colums": {}}, "colums", "unknown key"),
        ({"constants": {"source_kind": "drone"}}, "constants.source_kind", "must be one of"),
        ({"values": {"assessment": {"out": "outbound"}}}, "values.assessment.out", "one of"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "time zone"),
        ({"id_column": ""}, "id_column", "id_column"),
        ({"delimiter": ";;"}, "delimiter", "one character"),
    ],
)
def test_a_bad_mapping_names_its_key(changes: dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_mapping(_mapping(**changes), file="m.toml")
    assert (caught.value.file, caught.value.column) == ("m.toml", key)
    assert words in caught.value.message


def test_a_mapping_without_a_required_field_is_refused() -> None:
    columns = {k: v for k, v in MAPPING_DATA["columns"].items() if k != "time"}
    with pytest.raises(InputError, match="required field 'time'"):
        parse_mapping(_mapping(columns=columns))


def test_a_mapping_with_bad_toml_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "m.toml"
    path.write_text('id_column = "_uuid\n', encoding="utf-8")
    with pytest.raises(InputError, match="not valid TOML") as caught:
        read_mapping(path)
    assert caught.value.file == str(path)


def _export(tmp_path: Path, old: str, new: str) -> Path:
    text = KOBO_EXPORT.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "export.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "line", "column", "words"),
    [
        (";3;in;", ";3;sideways;", 2, "direction (assessment)", "must be one of"),
        (";3;in;", ";three;in;", 2, "how_many (count)", "not an integer"),
        ("2026-11-21T07:10:30;", "21.11.2026 07:10;", 3, "observed_at (time)", "ISO 8601"),
        (";95;3000;5000;", ";95;6000;5000;", 2, "distance_max_m", "less than"),
        (";48.0561;37.6904;", ";48.0561;;", 3, "_crater_longitude", "lon is required"),
        ("48.0212 37.7655 180 8", "48.0212", 2, "observer_location", "geopoint"),
        (";OSCE-3;", ";;", 4, "team (source_id)", "required value is empty"),
    ],
)
def test_a_bad_value_names_line_and_form_column(
    tmp_path: Path, old: str, new: str, line: int, column: str, words: str
) -> None:
    path = _export(tmp_path, old, new)
    with pytest.raises(InputError) as caught:
        read_kobo(path, read_mapping(KOBO_MAPPING))
    assert (caught.value.file, caught.value.line, caught.value.column) == (str(path), line, column)
    assert words in caught.value.message


def test_a_naive_time_needs_a_time_zone() -> None:
    data = _mapping()
    del data["time_zone"]
    with pytest.raises(InputError, match="no offset") as caught:
        read_kobo(KOBO_EXPORT, parse_mapping(data))
    assert caught.value.line == 3


def test_a_form_column_missing_from_the_export_is_refused() -> None:
    data = _mapping(columns={**MAPPING_DATA["columns"], "credibility": "grade"})
    with pytest.raises(InputError, match="missing from the header") as caught:
        read_kobo(KOBO_EXPORT, parse_mapping(data))
    assert (caught.value.line, caught.value.column) == (1, "grade")


def test_a_submission_repeated_with_other_content_is_refused(tmp_path: Path) -> None:
    text = KOBO_EXPORT.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "export.csv"
    path.write_text("\n".join([*text, text[1], text[1].replace(";3;in;", ";4;in;")]) + "\n")
    with pytest.raises(InputError, match="repeated with other content") as caught:
        read_kobo(path, read_mapping(KOBO_MAPPING))
    assert (caught.value.line, caught.value.column) == (8, "_uuid")
