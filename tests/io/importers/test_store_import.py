"""Both real feeds stored with no row lost or doubled; a second import adds nothing (SQLite and
PostgreSQL); a conflicting file stores nothing; the CLI prints the counts and exits 2 on errors."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from sqlalchemy import Engine

from truceline.app.feeds import import_feed
from truceline.errors import InputError
from truceline.io.importers import FeedImport, read_provenance
from truceline.io.reports import read_reports
from truceline.store.observations import get_reports

from .conftest import CIR_CSV, KOBO_EXPORT, KOBO_MAPPING, UCDP_CSV, run_cli


def _stored_ids(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return [r.report_id for r in get_reports(conn)]


def test_both_feeds_store_once_and_again_add_nothing(
    engine: Engine, store_url: str, ucdp_import: FeedImport, cir_import: FeedImport
) -> None:
    for feed in (ucdp_import, cir_import):
        first = import_feed(feed, database_url=store_url)
        assert (first.stored_new, first.stored_existing) == (len(feed.reports), 0)
        again = import_feed(feed, database_url=store_url)
        assert (again.stored_new, again.stored_existing) == (0, len(feed.reports))
    ids = _stored_ids(engine)
    assert len(ids) == len(set(ids)) == len(ucdp_import.reports) + len(cir_import.reports)
    with engine.connect() as conn:
        stored = {r.report_id: r for r in get_reports(conn)}
    assert stored["cir-UW0640"] == next(
        r for r in cir_import.reports if r.report_id == "cir-UW0640"
    )
    assert stored["ucdp-147997"] == ucdp_import.reports[0]


def test_a_changed_report_is_refused_and_nothing_of_its_file_is_stored(
    engine: Engine, store_url: str, ucdp_import: FeedImport
) -> None:
    head = dataclasses.replace(ucdp_import, reports=ucdp_import.reports[:10])
    import_feed(head, database_url=store_url)
    changed = [dataclasses.replace(ucdp_import.reports[0], count=2), *ucdp_import.reports[10:20]]
    with pytest.raises(InputError, match="nothing stored") as caught:
        import_feed(dataclasses.replace(ucdp_import, reports=changed), database_url=store_url)
    assert caught.value.file == str(UCDP_CSV)
    assert sorted(_stored_ids(engine)) == sorted(r.report_id for r in ucdp_import.reports[:10])


def test_cli_imports_writes_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = f"sqlite:///{tmp_path / 'store.db'}"
    out = tmp_path / "cir.csv"
    code, stdout, _ = run_cli(
        monkeypatch, capsys, "import", "cir", str(CIR_CSV), "--database", db, "--out", str(out)
    )
    assert code == 0
    assert "6650 rows read" in stdout and "imported: 5931" in stdout
    assert "5931 new, 0 already present" in stdout and "skipped:  719" in stdout
    assert "167  outside scope: country Belarus" in stdout
    assert len(read_reports(out)) == 5931
    outcomes = read_provenance(tmp_path / "cir.provenance.csv")
    assert len(outcomes) == 6650 and len({o.line for o in outcomes}) == 6650
    assert sum(o.outcome == "imported" for o in outcomes) == 5931
    code, stdout, _ = run_cli(monkeypatch, capsys, "import", "cir", str(CIR_CSV), "--database", db)
    assert code == 0 and "0 new, 5931 already present" in stdout


def test_cli_kobo_without_storing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "store.db"
    out = tmp_path / "kobo.csv"
    args = ["import", "kobo", str(KOBO_EXPORT), "--mapping", str(KOBO_MAPPING), "--no-store"]
    code, stdout, _ = run_cli(
        monkeypatch, capsys, *args, "--database", f"sqlite:///{db}", "--out", str(out)
    )
    assert code == 0 and "imported: 4" in stdout and "stored" not in stdout
    assert not db.exists()
    assert read_reports(out)[0].report_id.startswith("kobo-3c8f8a8e")


def test_cli_malformed_row_exits_2_and_stores_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = UCDP_CSV.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = tmp_path / "ged.csv"
    bad.write_text("".join([*lines[:3], lines[3].replace(",50.45,", ",95.5,", 1)]))
    db = f"sqlite:///{tmp_path / 'store.db'}"
    code, stdout, stderr = run_cli(
        monkeypatch, capsys, "import", "ucdp", str(bad), "--database", db
    )
    assert code == 2 and stdout == ""
    assert stderr.startswith(f"error: {bad}, line 4, column 'latitude': must be within")
    assert stderr.count("\n") == 1
    code, stdout, _ = run_cli(monkeypatch, capsys, "db", "counts", "--database", db)
    assert "reports      0" in stdout
