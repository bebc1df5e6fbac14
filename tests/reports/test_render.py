"""The daily report as files: a self-contained HTML and a PDF whose map and charts are there."""

from __future__ import annotations

import base64
import io
import re
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from PIL import Image

from truceline.geo.demo import load_demo_theatre
from truceline.reports.areas import divide_theatre
from truceline.reports.charts import FIXED_COLOURS
from truceline.reports.daily import Period, ReportMaterial
from truceline.reports.publish import make_report
from truceline.reports.render import Provenance

from .conftest import GENERATED_AT

FIGURE_RE = re.compile(
    r'<figure id="figure-(?P<name>\w+)">\s*<img src="(?P<src>[^"]+)" alt="[^"]*" '
    r'width="(?P<width>\d+)" height="(?P<height>\d+)">'
)
CHARTS = {"trend", "types", "areas", "hours"}


def _rgb(hex_colour: str) -> NDArray[np.float64]:
    return np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=float)


def _share_near(
    pixels: NDArray[np.float64], colour: NDArray[np.float64], tolerance: float = 14.0
) -> float:
    """The share of pixels within ``tolerance`` of ``colour`` on every channel."""
    return float(np.all(np.abs(pixels - colour) <= tolerance, axis=-1).mean())


def _figures(html: str) -> dict[str, tuple[str, int, int]]:
    return {
        m["name"]: (m["src"], int(m["width"]), int(m["height"])) for m in FIGURE_RE.finditer(html)
    }


def test_the_pdf_holds_the_map_and_the_charts_the_html_shows(
    daily_files: tuple[Path, Path],
) -> None:
    html_path, pdf_path = daily_files
    figures = _figures(html_path.read_text(encoding="utf-8"))
    assert set(figures) == {"map"} | CHARTS
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf_path)], check=True, capture_output=True, text=True
    ).stdout.splitlines()[2:]
    in_pdf = [(int(f[3]), int(f[4])) for f in (line.split() for line in listing) if f[2] == "image"]
    assert sorted(in_pdf) == sorted((w, h) for _, w, h in figures.values())


def test_the_rendered_pdf_shows_a_map_shaded_with_the_parties_colours(
    daily_files: tuple[Path, Path], tmp_path: Path
) -> None:
    _, pdf_path = daily_files
    subprocess.run(
        ["pdftoppm", "-r", "50", "-png", str(pdf_path), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) >= 4
    # Control areas are shaded with the party colour at 13 % over white.
    shade = {p: 0.13 * _rgb(FIXED_COLOURS[p]) + 0.87 * 255 for p in ("UA", "RU")}
    shares = []
    for page in pages:
        pixels = np.asarray(Image.open(page).convert("RGB"), dtype=float)
        shares.append({p: _share_near(pixels, c, 5) for p, c in shade.items()})
    map_pages = [i for i, s in enumerate(shares) if s["UA"] > 0.05 and s["RU"] > 0.01]
    assert map_pages == [1], shares  # the map, on the second page, after the summary


def test_the_map_shows_events_in_both_parties_colours(daily_files: tuple[Path, Path]) -> None:
    src, _, _ = _figures(daily_files[0].read_text(encoding="utf-8"))["map"]
    png = base64.b64decode(src.removeprefix("data:image/png;base64,"))
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=float)
    for party in ("UA", "RU"):
        assert _share_near(pixels, _rgb(FIXED_COLOURS[party]), 10) > 0.0005, party


def test_the_html_is_self_contained(daily_files: tuple[Path, Path]) -> None:
    html = daily_files[0].read_text(encoding="utf-8")
    sources = re.findall(r'(?:src|href)\s*=\s*"([^"]*)"', html)
    assert sources and all(s.startswith(("data:image/png;base64,", "#")) for s in sources)
    assert not re.search(r"url\(|@import|<link|<script", html)
    assert "@page" in html and "counter(pages)" in html  # print styles inline


def test_the_report_has_every_section_and_its_provenance(daily_files: tuple[Path, Path]) -> None:
    html = daily_files[0].read_text(encoding="utf-8")
    for heading in (
        "Summary",
        "Violations by type, severity and party",
        "Map",
        "Violations by area",
        "Trend and patterns",
        "Notable violations",
        "Heavy weapons",
        "Denials of access",
        "Findings of the commission",
        "How to read this report",
        "Provenance",
    ):
        assert f"{heading}" in html, heading
    assert "Daily report, 21 November 2026" in html
    assert "22 November 2026, 06:00 UTC" in html  # generation time
    assert "almost certainly (95-100 %)" in html  # the ICD 203 scale explained
    assert "stored in the database as" in html and "truceline.db" in html  # the demo's theatre
    assert "F-0001" in html  # the later finding on this day's violations


def test_a_day_without_data_renders_honestly_and_text_is_escaped(demo_db: str) -> None:
    theatre = replace(load_demo_theatre(), name="<script>alert(1)</script> & Co")
    day = Period(date(2026, 12, 25), date(2026, 12, 25))
    material = ReportMaterial(day, Period(date(2026, 12, 12), date(2026, 12, 25)), (), (), {})
    provenance = Provenance(GENERATED_AT, "0.0.test", "sqlite:///nowhere.db", "test theatre")
    ctx, figures, html = make_report(material, divide_theatre(theatre), provenance)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in html
    assert "On 25 December 2026 no ceasefire violations were recorded." in html
    assert "No serious fire was recorded on this day." in html
    assert "The monitors reported no denial of access on this day." in html
    assert set(figures) == {"map"} | CHARTS  # the map and the charts are still drawn
    assert ctx.totals.total == 0
