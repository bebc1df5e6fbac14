"""Merge and split recompute the events from their arrivals; decisions bind re-runs."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import numpy as np
import pytest

from tests.engine.conftest import C10, GEOD, make_shots, small_theatre
from tests.review.scenario import SIGMA_S, Scene, build_scene, shot_arrivals
from truceline.domain import Corroboration, Event
from truceline.engine.pipeline import analyze_arrivals
from truceline.errors import InputError, NotFoundError
from truceline.review.constraints import (
    EditKind,
    EventEdit,
    apply_decisions,
    decided_events,
)
from truceline.review.edits import (
    NO_THEATRE_NOTE,
    EditContext,
    merge_events,
    recompute_event,
    split_event,
)


@pytest.fixture(scope="module")
def scene() -> Scene:
    return build_scene()


def context(scene: Scene, theatre: bool = False) -> EditContext:
    return EditContext(
        scene.sensors,
        {a.arrival_id: a for a in scene.all_arrivals},
        {scene.report.report_id: scene.report},
        theatre=small_theatre() if theatre else None,
    )


def halves(scene: Scene, ctx: EditContext) -> tuple[Event, Event]:
    """Shot 0 cut in two as a poor association would: western and eastern sensors."""
    east_of = dict(zip((s.sensor_id for s in scene.sensors), scene.array.east, strict=True))
    shot = sorted(scene.arrivals[0], key=lambda a: east_of[a.sensor_id])
    west, _ = recompute_event([a.arrival_id for a in shot[:8]], [], ctx)
    east, _ = recompute_event([a.arrival_id for a in shot[8:]], [], ctx)
    return west, east


def test_a_merged_pair_is_one_event_with_a_tighter_fix(scene: Scene) -> None:
    ctx = context(scene)
    west, east = halves(scene, ctx)
    made = merge_events([west, east], ctx)
    (merged,) = made.events
    assert merged.n_sensors == 16 and made.dropped_arrivals == ()
    assert merged.arrival_ids == tuple(sorted(a.arrival_id for a in scene.arrivals[0]))
    assert merged.err_major_m < min(west.err_major_m, east.err_major_m)  # type: ignore[operator]
    assert merged.crlb_m < min(west.crlb_m, east.crlb_m)  # type: ignore[operator]
    assert made.notes == (NO_THEATRE_NOTE,)
    assert merged.p_control is None


def test_a_merged_pair_locates_better_than_either_half() -> None:
    """Over ten noise draws, the merged fix's RMS error is below either half's."""
    array = build_scene().array
    east_of = dict(zip((s.sensor_id for s in array.sensors), array.east, strict=True))
    errors = []
    for seed in range(10):
        shots = make_shots(
            array, [800.0], [-400.0], 150.0, speed_ms=C10, sigma_s=SIGMA_S, seed=seed
        )
        arrivals = sorted(shot_arrivals(array, shots, "A"), key=lambda a: east_of[a.sensor_id])
        ctx = EditContext(array.sensors, {a.arrival_id: a for a in arrivals}, {})
        west, _ = recompute_event([a.arrival_id for a in arrivals[:8]], [], ctx)
        east, _ = recompute_event([a.arrival_id for a in arrivals[8:]], [], ctx)
        (merged,) = merge_events([west, east], ctx).events
        truth = (float(shots.lon[0]), float(shots.lat[0]))
        errors.append([GEOD.inv(e.lon, e.lat, *truth)[2] for e in (west, east, merged)])
    rms_west, rms_east, rms_merged = np.sqrt(np.mean(np.square(errors), axis=0))
    assert rms_merged < 0.75 * min(rms_west, rms_east)


def test_a_merge_keeps_the_better_fitting_arrival_of_a_sensor_heard_twice(scene: Scene) -> None:
    ctx = context(scene)
    shot = sorted(scene.arrivals[0], key=lambda a: a.arrival_id)
    bad = replace(shot[0], arrival_id="BAD", time=shot[0].time + timedelta(milliseconds=40))
    ctx = replace(ctx, arrivals={**ctx.arrivals, "BAD": bad})
    good_part, _ = recompute_event([a.arrival_id for a in shot[:8]], [], ctx)
    other_ids = ["BAD", *[a.arrival_id for a in shot[8:]]]
    other = Event("OTHER", shot[8].time, 37.7, 48.0, good_part.kind, arrival_ids=tuple(other_ids))
    made = merge_events([good_part, other], ctx)
    (merged,) = made.events
    assert shot[0].arrival_id in merged.arrival_ids and "BAD" not in merged.arrival_ids
    assert "BAD" in made.dropped_arrivals
    assert len(merged.arrival_ids) == 16


def test_merging_attributes_with_the_theatre_and_grades_corroboration(scene: Scene) -> None:
    ctx = context(scene, theatre=True)
    west, east = halves(scene, ctx)
    report_only, _ = recompute_event([], [scene.report.report_id], ctx)
    assert report_only.n_sensors == 0
    (merged,) = merge_events([west, east, report_only], ctx).events
    assert merged.report_ids == (scene.report.report_id,)
    assert merged.party_control in {"UA", "RU"} and merged.p_control is not None
    assert merged.corroboration == Corroboration.VERIFIED  # sensors plus the mission's monitor


def test_a_split_moves_the_given_arrivals_and_reports_to_a_new_event(scene: Scene) -> None:
    ctx = context(scene)
    ids = sorted(a.arrival_id for a in scene.arrivals[0])
    (whole,) = merge_events(list(halves(scene, ctx)), ctx).events
    whole = replace(whole, report_ids=(scene.report.report_id,))
    made = split_event(whole, arrival_ids=ids[:7], report_ids=[scene.report.report_id], ctx=ctx)
    rest, new = made.events
    assert set(new.arrival_ids) <= set(ids[:7]) and len(new.arrival_ids) >= 5
    assert set(rest.arrival_ids) <= set(ids[7:]) and new.report_ids == (scene.report.report_id,)
    assert rest.report_ids == () and rest.event_id != whole.event_id != new.event_id


def test_a_split_refuses_what_is_not_in_the_event_or_leaves_nothing(scene: Scene) -> None:
    ctx = context(scene)
    (whole,) = merge_events(list(halves(scene, ctx)), ctx).events
    with pytest.raises(InputError, match="not part of event"):
        split_event(whole, arrival_ids=["A1-S000"], report_ids=[], ctx=ctx)
    with pytest.raises(InputError, match="at least one"):
        split_event(whole, arrival_ids=[], report_ids=[], ctx=ctx)
    with pytest.raises(InputError, match="nothing of event"):
        split_event(whole, arrival_ids=list(whole.arrival_ids), report_ids=[], ctx=ctx)
    with pytest.raises(InputError, match="do not give a fix"):
        split_event(whole, arrival_ids=list(whole.arrival_ids[:3]), report_ids=[], ctx=ctx)


def test_recomputing_needs_stored_arrivals(scene: Scene) -> None:
    with pytest.raises(NotFoundError, match="arrival 'NOPE' is not stored"):
        recompute_event(["NOPE"], [], context(scene))


def test_the_decided_events_stand_and_the_re_run_gives_way(scene: Scene) -> None:
    ctx = context(scene)
    west, east = halves(scene, ctx)
    split = EventEdit("ED-1", EditKind.SPLIT, "ana", scene.start, "two shots", (), (west, east))
    decided = decided_events([split])
    rerun = analyze_arrivals(scene.sensors, scene.all_arrivals).events
    assert any(len(e.arrival_ids) == 16 for e in rerun)  # the engine alone makes one event
    out = apply_decisions(rerun, decided, ctx)
    ids = {e.event_id for e in out.events}
    assert {west.event_id, east.event_id} <= ids
    assert all(len(e.arrival_ids) < 16 for e in out.events)
    every = [a for e in out.events for a in e.arrival_ids]
    assert len(every) == len(set(every))  # no arrival in two events
