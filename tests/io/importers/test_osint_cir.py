"""CIR incidents: every row imported or skipped with a reason, shared ids kept apart."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from truceline.errors import InputError
from truceline.io.importers import FeedImport, read_cir
from truceline.io.importers.osint_cir import event_type_of

from .conftest import CIR_CSV, raw_rows, write_rows

ROWS = raw_rows(CIR_CSV)
HEADER = list(ROWS[0])


def test_no_row_lost_or_doubled(cir_import: FeedImport) -> None:
    ids = [r.report_id for r in cir_import.reports]
    assert cir_import.rows == len(ROWS) == 6650
    assert len(ids) + len(cir_import.skipped) == cir_import.rows
    assert len(ids) == len(set(ids))
    lines = [p.line for p in cir_import.provenance] + [s.line for s in cir_import.skipped]
    assert sorted(lines) == list(range(2, 2 + len(ROWS)))  # one line per row, no row twice


def test_skipped_rows_say_why(cir_import: FeedImport) -> None:
    reasons = cir_import.skipped_by_reason()
    assert reasons["outside scope: country Belarus"] == sum(
        r["country"] in ("Belarus", "Belaurs") for r in ROWS
    )
    assert reasons["duplicate row"] == 1  # UW3355 appears twice, identical
    assert all(
        r == "duplicate row" or r == "country not given" or r.startswith("outside scope")
        for r in reasons
    )
    imported = {p.original_id for p in cir_import.provenance}
    assert "UW3355" in imported


def test_an_entry_shared_by_different_rows_keeps_each(cir_import: FeedImport) -> None:
    # UW5227 names two different rows (Bucha graves, a video of equipment): both kept.
    shared = [r.report_id for r in cir_import.reports if r.report_id.startswith("cir-UW5227")]
    assert len(shared) == 2 and all(len(i) == len("cir-UW5227-") + 10 for i in shared)
    noid = [r for r in cir_import.reports if r.report_id.startswith("cir-noid-")]
    assert len(noid) == sum(1 for r in ROWS if not r["entry"] and r["country"] == "Ukraine")
    assert any(r.report_id == "cir-UW0640" for r in cir_import.reports)


def test_time_position_and_narrative(cir_import: FeedImport) -> None:
    report = next(r for r in cir_import.reports if r.report_id == "cir-UW0640")
    assert report.time == datetime(2022, 2, 24, 12, tzinfo=UTC)
    assert report.time_sigma_s == pytest.approx(24_941.5, abs=0.1)
    assert (report.lon, report.lat, report.loc_sigma_m) == (36.647049, 49.82932, 5000.0)
    assert report.event_type == "damage"
    assert "https://twitter.com/Michael1Sheldon" in (report.text or "")
    located = next(r for r in ROWS if r["geolocation"] and r["country"] == "Ukraine")
    report = next(r for r in cir_import.reports if r.report_id == f"cir-{located['entry']}")
    assert report.loc_sigma_m == 250.0


def test_a_row_without_date_takes_the_title_date(cir_import: FeedImport) -> None:
    # UW0331 has an empty date; its title starts "17/02/2022 Shelling audible".
    report = next(r for r in cir_import.reports if r.report_id == "cir-UW0331")
    assert report.time == datetime(2022, 2, 17, 12, tzinfo=UTC)


def test_event_types_and_weapons(cir_import: FeedImport) -> None:
    types = Counter(r.event_type for r in cir_import.reports)
    assert types["damage"] > types["explosion"] > types["armed_clash"] > 0
    assert event_type_of("Russian Military Presence November 2022") == "weapon_sighting"
    assert event_type_of("Something new") == "other"
    smerch = [r for r in ROWS if r["arms/munition"] == "9M55K" and r["country"] == "Ukraine"]
    ids = {f"cir-{r['entry']}" for r in smerch}
    assert {r.weapon for r in cir_import.reports if r.report_id in ids} == {"mlrs_300"}


def test_more_countries_in_scope_import_more(cir_import: FeedImport) -> None:
    wider = read_cir(CIR_CSV, countries=("Ukraine", "Russia"))
    russia = cir_import.skipped_by_reason()["outside scope: country Russia"]
    assert len(wider.reports) == len(cir_import.reports) + russia
    assert len(wider.reports) + len(wider.skipped) == wider.rows


@pytest.mark.parametrize(
    ("change", "column", "words"),
    [
        ({"lat": "48,5"}, "lat", "not a number"),
        ({"lon": "-200"}, "lon", "within"),
        ({"date": "2022-02-30"}, "date", "not a date"),
        ({"date": "", "title": "31/02/2022 Shelling"}, "title", "not a date"),
    ],
)
def test_a_malformed_row_names_file_line_and_column(
    tmp_path: Path, change: dict[str, str], column: str, words: str
) -> None:
    rows = [ROWS[100], {**ROWS[101], **change}]
    path = write_rows(tmp_path / "events.csv", HEADER, rows)
    with pytest.raises(InputError) as caught:
        read_cir(path)
    assert (caught.value.file, caught.value.line, caught.value.column) == (str(path), 3, column)
    assert words in caught.value.message


def test_ragged_row_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    path.write_text(",".join(HEADER) + "\nUW1,2022-03-01,Other\n", encoding="utf-8")
    with pytest.raises(InputError, match="row has 3 fields") as caught:
        read_cir(path)
    assert caught.value.line == 2
