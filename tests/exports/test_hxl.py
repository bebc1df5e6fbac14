"""CSV with HXL hashtags: the hashtag row is there and tags every column."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from truceline.exports.hxl import CUSTOM_ATTRIBUTES, HASHTAG_RE, HXL_TAGS, write_hxl_csv
from truceline.exports.public import OpenData

from .conftest import DemoStore

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# From the HXL 1.1 dictionary (hxlstandard.org): the hashtags and attributes we rely on.
CORE_HASHTAGS = {
    "#event",
    "#date",
    "#geo",
    "#org",
    "#status",
    "#indicator",
    "#severity",
    "#description",
}
CORE_ATTRIBUTES = {"id", "type", "occurred", "lat", "lon", "code", "num"}


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


@pytest.mark.parametrize("layer", ["events", "violations"])
def test_hashtag_row_tags_every_column(
    layer: str, open_data: OpenData, demo: DemoStore, tmp_path: Path
) -> None:
    path = tmp_path / f"{layer}.csv"
    write_hxl_csv(path, getattr(open_data, layer))
    header, tags, *data = _rows(path)
    assert len(tags) == len(header) and all(HASHTAG_RE.fullmatch(t) for t in tags)
    assert len(set(tags)) == len(tags)  # every column told apart
    assert len(data) == len(getattr(demo, layer)) > 0
    assert {"lon", "lat"} <= set(header)
    assert tags[header.index("lat")] == "#geo+lat" and tags[header.index("lon")] == "#geo+lon"


def test_values_read_back(open_data: OpenData, demo: DemoStore, tmp_path: Path) -> None:
    path = tmp_path / "events.csv"
    write_hxl_csv(path, open_data.events)
    header, _, first, *_ = _rows(path)
    row = dict(zip(header, first, strict=True))
    event = demo.events[0]
    assert row["event_id"] == event.event_id
    assert (float(row["lon"]), float(row["lat"])) == (event.lon, event.lat)
    assert row["time"].endswith("Z")


def test_only_core_hashtags_and_declared_attributes() -> None:
    for tags in HXL_TAGS.values():
        for tag in tags.values():
            hashtag, *attributes = tag.split("+")
            assert hashtag in CORE_HASHTAGS
            assert set(attributes) <= CORE_ATTRIBUTES | CUSTOM_ATTRIBUTES, tag


def test_docs_list_every_hashtag_and_custom_attribute() -> None:
    doc = (PROJECT_ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    for layer, tags in HXL_TAGS.items():
        for column, tag in tags.items():
            assert re.search(rf"`{re.escape(column)}`\s*\|\s*`{re.escape(tag)}`", doc), (layer, tag)
    for attribute in CUSTOM_ATTRIBUTES:
        assert f"`+{attribute}`" in doc
