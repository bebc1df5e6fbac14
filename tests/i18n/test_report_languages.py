"""The daily report in Ukrainian and Russian: their words, their dates and numbers, no English
sentence of the catalogue left; the CLI's --lang."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from typer.testing import CliRunner

from truceline.cli import app
from truceline.i18n.catalogue import read_catalogue
from truceline.reports.online import daily_report_html

from .conftest import DEMO_DAY, GENERATED_AT

PLACEHOLDER_RE = re.compile(r"%\(\w+\)[sd]|%%")
WORDS = {
    "uk": ("Щоденний звіт, 21 листопада 2026", "механізм зафіксував", "лінії зіткнення"),
    "ru": ("Ежедневный отчёт, 21 ноября 2026", "механизм зафиксировал", "линии соприкосновения"),
}


def text_of(html: str) -> str:
    """The visible text of the report: no tags, styles or images."""
    body = re.sub(r"<style>.*?</style>|<img[^>]*>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


def english_sentences() -> set[str]:
    """The literal pieces (4 words or more) of the catalogue's report messages, in English."""
    pieces = set()
    for message in read_catalogue("en"):
        if not message.id or not any("reports/" in where for where, _ in message.locations):
            continue
        texts = [message.id] if isinstance(message.id, str) else list(message.id)
        for text in texts:
            for piece in PLACEHOLDER_RE.split(re.sub(r"<[^>]+>", " ", text)):
                piece = re.sub(r"\s+", " ", piece).strip(" .,;:()")
                if len(piece.split()) >= 4:
                    pieces.add(piece)
    return pieces


@pytest.fixture(scope="module")
def reports(demo_db: str) -> dict[str, str]:
    engine = create_engine(demo_db)
    try:
        return {
            lang: daily_report_html(engine, DEMO_DAY, lang=lang, now=GENERATED_AT)
            for lang in ("en", "uk", "ru")
        }
    finally:
        engine.dispose()


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_daily_report_is_in_the_language_asked(reports: dict[str, str], lang: str) -> None:
    html = reports[lang]
    assert f'<html lang="{lang}">' in html
    text = text_of(html)
    for words in WORDS[lang]:
        assert words in text, words
    assert "November" not in text and "Daily report" not in text
    leftovers = sorted(p for p in english_sentences() if p in text)
    assert leftovers == []


def test_the_english_report_is_unchanged_by_the_catalogue(reports: dict[str, str]) -> None:
    text = text_of(reports["en"])
    assert '<html lang="en">' in reports["en"]
    assert "Daily report, 21 November 2026" in text
    assert "Generated 22 November 2026, 06:00 UTC" in reports["en"]  # the page footer
    assert "the mechanism's store" in text and "sqlite" not in text  # no database URL online


def test_numbers_and_dates_are_written_the_local_way(reports: dict[str, str]) -> None:
    uk, ru = text_of(reports["uk"]), text_of(reports["ru"])
    assert "22 листопада 2026, 06:00 UTC" in uk and "22 ноября 2026, 06:00 UTC" in ru
    # ICD 203 words with the probability written with a decimal comma
    assert re.search(r"(майже напевно|дуже ймовірно) \(p = \d,\d\d\)", uk)
    assert re.search(r"(почти наверняка|весьма вероятно) \(p = \d,\d\d\)", ru)
    assert "критичних" in uk and "критических" in ru


def test_the_cli_writes_a_report_per_language_beside_the_english_one(
    demo_db: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    out = tmp_path / "reports"
    common = ["report", "daily", "--date", "2026-11-21", "--out", str(out), "--database", demo_db]
    english = runner.invoke(app, common)
    ukrainian = runner.invoke(app, [*common, "--lang", "uk"])
    assert english.exit_code == 0 and ukrainian.exit_code == 0, ukrainian.output
    assert sorted(p.name for p in out.iterdir()) == [
        "daily-2026-11-21.html",
        "daily-2026-11-21.pdf",
        "daily-2026-11-21.uk.html",
        "daily-2026-11-21.uk.pdf",
    ]
    assert "Щоденний звіт" in (out / "daily-2026-11-21.uk.html").read_text(encoding="utf-8")
    assert "Daily report" in (out / "daily-2026-11-21.html").read_text(encoding="utf-8")
    assert (out / "daily-2026-11-21.uk.pdf").read_bytes().startswith(b"%PDF-")
