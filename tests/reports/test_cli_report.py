"""`truceline report ...`: the paths of the files it wrote, or one error line and exit 2."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from truceline import cli


def run(
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


def test_thematic_report_of_an_area_prints_the_paths_it_wrote(
    demo_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out_dir = tmp_path / "reports"
    code, out, err = run(
        monkeypatch,
        capsys,
        "report",
        "thematic",
        "--from",
        "2026-11-20",
        "--to",
        "2026-11-22",
        "--area",
        "s07",
        "--database",
        demo_db,
        "--out",
        str(out_dir),
    )
    assert code == 0, err
    html = out_dir / "thematic-2026-11-20_2026-11-22-S07.html"
    pdf = out_dir / "thematic-2026-11-20_2026-11-22-S07.pdf"
    assert out.split() == ["HTML:", str(html), "PDF:", str(pdf)]
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = html.read_text(encoding="utf-8")
    assert "Thematic report, 20-22 November 2026, area S07" in text
    assert "The busiest day was 21 November 2026" in text


def test_areas_lists_the_sectors_of_the_theatre(
    demo_db: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(monkeypatch, capsys, "report", "areas", "--database", demo_db)
    assert code == 0
    names = [line.split()[0] for line in out.splitlines()]
    assert names[0] == "S01" and names[-2:] == ["rear", "unlocated"]
    assert "km 0-100 of the line from its northern end" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["daily", "--date", "2026-11-31"], "column '--date': invalid date '2026-11-31'"),
        (["daily", "--date", "21/11/2026"], "expected a date like 2026-11-21"),
        (["thematic", "--from", "2026-11-22", "--to", "2026-11-20"], "ends (2026-11-20) before"),
        (
            ["thematic", "--from", "2026-11-20", "--to", "2026-11-22", "--area", "S99"],
            "unknown area 'S99'; the areas are S01",
        ),
        (["daily", "--date", "2026-11-21", "--theatre", "missing.geojson"], "no such theatre file"),
        (["daily", "--date", "2026-11-21", "--lang", "de"], "unknown language 'de'"),
        (["thematic", "--from", "2026-11-20", "--to", "2026-11-21", "--lang", "x"], "en, uk, ru"),
    ],
)
def test_bad_input_is_one_line_and_exit_2_and_writes_nothing(
    demo_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    out_dir = tmp_path / "reports"
    code, _, err = run(
        monkeypatch, capsys, "report", *args, "--database", demo_db, "--out", str(out_dir)
    )
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert not out_dir.exists()


def test_a_missing_database_is_an_error_not_an_empty_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo.db"
    code, _, err = run(
        monkeypatch,
        capsys,
        "report",
        "daily",
        "--date",
        "2026-11-21",
        "--database",
        f"sqlite:///{missing}",
        "--out",
        str(tmp_path / "r"),
    )
    assert code == 2 and "no database at this path" in err
    assert not missing.exists() and not (tmp_path / "r").exists()
