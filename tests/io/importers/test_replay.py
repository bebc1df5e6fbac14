"""UCDP 2014-2022 replayed against the Minsk-era line: every event a side and a distance."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest
import shapely

from truceline.app.replay import (
    OUTSIDE,
    REPLAY,
    RU_HELD,
    UA,
    ReplayedEvent,
    minsk_era_theatre,
    place_against_line,
    replay_reports,
)
from truceline.domain.theatre import Theatre
from truceline.geo.theatre_build import read_polygons
from truceline.io.csvtable import read_table
from truceline.io.importers import FeedImport

from .conftest import ISW_OCCUPIED, OBLASTS, UCDP_CSV, run_cli


@pytest.fixture(scope="module")
def minsk_line() -> Theatre:
    return minsk_era_theatre(read_polygons(ISW_OCCUPIED), read_polygons(OBLASTS))


@pytest.fixture(scope="module")
def replayed(minsk_line: Theatre, ucdp_import: FeedImport) -> dict[str, ReplayedEvent]:
    return {e.ucdp_id: e for e in replay_reports(ucdp_import.reports, minsk_line)}


def test_every_event_gets_a_side_and_a_finite_distance(
    replayed: dict[str, ReplayedEvent], ucdp_import: FeedImport
) -> None:
    assert len(replayed) == len(ucdp_import.reports) == 3077
    assert {e.side for e in replayed.values()} <= {UA, RU_HELD, OUTSIDE}
    assert all(math.isfinite(e.distance_to_line_m) for e in replayed.values())
    sides = Counter(e.side for e in replayed.values())
    assert sides[OUTSIDE] <= 5 and sides[UA] > 1000 and sides[RU_HELD] > 1000


def test_the_minsk_era_line_has_its_length(minsk_line: Theatre) -> None:
    # The Donbas line of 2015-2022 was about 420-500 km long.
    from truceline.geo.projection import LocalProjection

    line = minsk_line.contact_line
    assert line is not None
    proj = LocalProjection.centred_on_geometry(line)
    donbas = [p for p in shapely.get_parts(line) if p.centroid.x > 37]
    longest = max(proj.to_metric(p).length for p in donbas) / 1000
    assert 400 < longest < 520


@pytest.mark.parametrize(
    ("place", "lon", "lat", "side", "low_km", "high_km"),
    [
        ("Donetsk city centre", 37.80, 48.00, RU_HELD, 3, 20),
        ("Luhansk", 39.31, 48.57, RU_HELD, 5, 30),
        ("Mariupol", 37.55, 47.10, UA, 10, 35),
        ("Kramatorsk", 37.56, 48.72, UA, 30, 70),
        ("Kyiv", 30.52, 50.45, UA, 450, 650),
        ("Simferopol", 34.10, 44.95, RU_HELD, 50, 120),
    ],
)
def test_places_fall_on_their_side(
    minsk_line: Theatre,
    place: str,
    lon: float,
    lat: float,
    side: str,
    low_km: float,
    high_km: float,
) -> None:
    sides, metres = place_against_line(minsk_line, [lon], [lat])
    assert sides[0] == side, place
    assert low_km < metres[0] / 1000 < high_km, place


def test_ucdp_spot_checks(replayed: dict[str, ReplayedEvent]) -> None:
    # 147997: Maidan, Kyiv, 22 Jan 2014: far on the government side.
    assert replayed["147997"].side == UA and replayed["147997"].distance_to_line_m > 450_000
    in_donetsk = [
        e for e in replayed.values() if abs(e.lon - 37.80) < 0.05 and abs(e.lat - 48.00) < 0.03
    ]
    assert in_donetsk and all(e.side == RU_HELD for e in in_donetsk)
    # 408161: the Marynivka border checkpoint lies on the border: snapped to the held side.
    assert replayed["408161"].side == RU_HELD
    # 154671: Donetsk, Rostov oblast, Russia: outside both areas.
    assert replayed["154671"].side == OUTSIDE


def test_side_is_uncertain_only_near_the_line(replayed: dict[str, ReplayedEvent]) -> None:
    for e in replayed.values():
        assert e.side_uncertain == (e.distance_to_line_m < 2 * (e.loc_sigma_m or 0.0))


def test_snap_leaves_far_points_outside() -> None:
    theatre = minsk_era_theatre(shapely.box(32, 45, 35, 51), shapely.box(30, 46, 34, 50))
    lon, lat = np.array([29.995, 29.9, 34.005]), np.array([48.0, 48.0, 48.0])
    sides, _ = place_against_line(theatre, lon, lat, snap_m=1000.0)
    assert sides.tolist() == [UA, OUTSIDE, RU_HELD]
    sides, _ = place_against_line(theatre, lon, lat, snap_m=0.0)
    assert sides.tolist() == [OUTSIDE] * 3


def test_cli_replay_writes_every_event(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "replay.csv"
    args = ["import", "replay-ucdp", str(UCDP_CSV), "--line", str(ISW_OCCUPIED)]
    code, _, stderr = run_cli(monkeypatch, capsys, *args, "--out", str(out))
    assert code == 2 and "--border" in stderr and not out.exists()
    code, stdout, _ = run_cli(
        monkeypatch, capsys, *args, "--border", str(OBLASTS), "--out", str(out)
    )
    assert code == 0 and stdout.startswith("3077 events placed (UA ")
    rows = read_table(out, REPLAY)
    assert len(rows) == 3077 and len({r.ucdp_id for r in rows}) == 3077
    assert all(r.side in (UA, RU_HELD, OUTSIDE) for r in rows)


def test_a_theatre_file_is_used_as_it_is(
    minsk_line: Theatre, tmp_path: Path, ucdp_import: FeedImport
) -> None:
    from truceline.app.replay import replay_ucdp_file
    from truceline.io.theatre import write_theatre

    theatre_path = tmp_path / "minsk.geojson"
    write_theatre(theatre_path, minsk_line)
    events = replay_ucdp_file(UCDP_CSV, theatre_path, tmp_path / "replay.csv")
    direct = replay_reports(ucdp_import.reports, minsk_line)
    assert [e.side for e in events] == [e.side for e in direct]
    assert np.allclose(
        [e.distance_to_line_m for e in events], [e.distance_to_line_m for e in direct], atol=1.0
    )
