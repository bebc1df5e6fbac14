"""Fixtures for the importer tests: the real feeds read once, the store on each backend."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pytest

from tests.store.conftest import engine, pytest_generate_tests, store_url  # noqa: F401
from truceline import cli
from truceline.io.importers import FeedImport, read_cir, read_ucdp

DATA_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data"
UCDP_CSV = DATA_DIR / "ucdp-ged-ukraine" / "UCDP-Ukraine.csv"
CIR_CSV = DATA_DIR / "osint-cir-2022" / "events.csv"
ISW_OCCUPIED = DATA_DIR / "frontline" / "isw_20220224_pre2022_occupied.geojson"
OBLASTS = DATA_DIR / "ukraine-oblasts" / "oblast.geojson"
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"
KOBO_EXPORT = EXAMPLES / "kobo-export.csv"
KOBO_MAPPING = EXAMPLES / "kobo-mapping.toml"


@pytest.fixture(scope="session")
def ucdp_import() -> FeedImport:
    return read_ucdp(UCDP_CSV)


@pytest.fixture(scope="session")
def cir_import() -> FeedImport:
    return read_cir(CIR_CSV)


def raw_rows(path: Path) -> list[dict[str, str]]:
    """A feed's rows as the csv module reads them (an independent count)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_rows(path: Path, header: list[str], rows: list[dict[str, str]]) -> Path:
    """Write a small feed file with the real header."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def run_cli(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], *args: str
) -> tuple[int, str, str]:
    """Run `truceline ARGS` in-process through the real entry point."""
    monkeypatch.setattr(sys, "argv", ["truceline", *args])
    code = 0
    try:
        cli.main()
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
