"""UCDP GED: every row imported once, times and positions with their precision, bad rows refused."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.domain import SourceKind
from truceline.errors import InputError
from truceline.io.importers import FeedImport, read_ucdp
from truceline.io.importers.ucdp import WHERE_PREC_SIGMA_M

from .conftest import UCDP_CSV, raw_rows, write_rows

ROWS = raw_rows(UCDP_CSV)
HEADER = list(ROWS[0])


def test_every_row_is_imported_once(ucdp_import: FeedImport) -> None:
    ids = [r.report_id for r in ucdp_import.reports]
    assert ucdp_import.rows == len(ROWS) == 3077
    assert len(ucdp_import.reports) + len(ucdp_import.skipped) == ucdp_import.rows
    assert len(ids) == len(set(ids))
    assert set(ids) == {f"ucdp-{row['id']}" for row in ROWS if row["latitude"]}
    assert [p.report_id for p in ucdp_import.provenance] == ids


def test_reports_carry_position_precision_and_provenance(ucdp_import: FeedImport) -> None:
    by_id = {r.report_id: r for r in ucdp_import.reports}
    for row, prov in zip(ROWS, ucdp_import.provenance, strict=True):
        report = by_id[f"ucdp-{row['id']}"]
        assert report.source_kind is SourceKind.OSINT
        assert (report.lon, report.lat) == (float(row["longitude"]), float(row["latitude"]))
        assert report.loc_sigma_m == WHERE_PREC_SIGMA_M[int(row["where_prec"])]
        assert prov.original_id == row["id"] and prov.file_sha256 == ucdp_import.sha256
        assert f"date_prec={row['date_prec']}" in prov.notes


def test_first_event_spot_check(ucdp_import: FeedImport) -> None:
    report = ucdp_import.reports[0]
    assert report.report_id == "ucdp-147997"
    assert report.time == datetime(2014, 1, 22, 12, tzinfo=UTC)
    assert report.time_sigma_s == pytest.approx(86_400 / math.sqrt(12))
    assert report.event_type == "armed_clash"
    assert "Maidan" in (report.text or "") and "deaths 5" in (report.text or "")
    assert ucdp_import.provenance[0].line == 2


def test_a_span_of_days_is_centred_with_its_width(ucdp_import: FeedImport) -> None:
    row = next(r for r in ROWS if r["date_prec"] == "4")
    days = datetime.fromisoformat(row["date_end"]) - datetime.fromisoformat(row["date_start"])
    n = days.days + 1
    report = next(r for r in ucdp_import.reports if r.report_id == f"ucdp-{row['id']}")
    start = datetime.fromisoformat(row["date_start"]).replace(tzinfo=UTC)
    assert (report.time - start).total_seconds() == pytest.approx(n * 86_400 / 2)
    assert report.time_sigma_s == pytest.approx(n * 86_400 / math.sqrt(12))


@pytest.mark.parametrize(
    ("ucdp_id", "weapon"),
    [("154070", "mortar"), ("155250", "tank"), ("203377", "mlrs_300"), ("147997", None)],
)
def test_weapons_are_read_from_the_headlines(
    ucdp_import: FeedImport, ucdp_id: str, weapon: str | None
) -> None:
    # 203377: "shelling" and "Tornado rockets": the most specific class wins.
    report = next(r for r in ucdp_import.reports if r.report_id == f"ucdp-{ucdp_id}")
    assert report.weapon == weapon


def _feed(tmp_path: Path, *changes: dict[str, str]) -> Path:
    rows = [{**ROWS[i], **change} for i, change in enumerate(changes)]
    return write_rows(tmp_path / "ged.csv", HEADER, rows)


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"latitude": "north"}, "latitude", "not a number"),
        ({"longitude": "181"}, "longitude", "within"),
        ({"where_prec": "9"}, "where_prec", "within [1, 7]"),
        ({"date_start": "22/01/2014"}, "date_start", "not a date"),
        ({"date_end": "2013-12-31"}, "date_end", "before date_start"),
        ({"best": "five"}, "best", "whole number"),
        ({"id": ""}, "id", "required value is empty"),
    ],
)
def test_a_malformed_row_names_file_line_and_column(
    tmp_path: Path, change: dict[str, str], column: str, words: str
) -> None:
    path = _feed(tmp_path, {}, change)
    with pytest.raises(InputError) as caught:
        read_ucdp(path)
    assert (caught.value.file, caught.value.line, caught.value.column) == (str(path), 3, column)
    assert words in caught.value.message


def test_missing_column_is_refused(tmp_path: Path) -> None:
    header = [h for h in HEADER if h != "where_prec"]
    path = write_rows(tmp_path / "ged.csv", header, [{h: ROWS[0][h] for h in header}])
    with pytest.raises(InputError, match="where_prec"):
        read_ucdp(path)


def test_duplicates_and_rows_without_coordinates(tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "ged.csv",
        HEADER,
        [ROWS[0], ROWS[0], {**ROWS[1], "latitude": "", "longitude": ""}],
    )
    result = read_ucdp(path)
    assert [r.report_id for r in result.reports] == ["ucdp-147997"]
    assert result.skipped_by_reason() == {"duplicate row": 1, "no coordinates": 1}
    assert result.skipped[0].detail == "same as line 2"


def test_an_id_reused_with_other_content_is_refused(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "ged.csv", HEADER, [ROWS[0], {**ROWS[0], "best": "6"}])
    with pytest.raises(InputError, match="used again with other content") as caught:
        read_ucdp(path)
    assert (caught.value.line, caught.value.column) == (3, "id")
