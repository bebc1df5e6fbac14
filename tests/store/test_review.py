"""The analysts' review through the store, on every backend: claims and decisions, merge and
undo (exactly the previous rows), and re-runs that keep analysts' decisions."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text

from tests.review.scenario import Scene, build_scene
from truceline.domain import EventKind, Severity, Violation, ViolationType
from truceline.errors import ConflictError, InputError, NotFoundError
from truceline.review.editing import merge_stored_events, split_stored_event, undo_edit
from truceline.review.items import Action
from truceline.review.rerun import rerun_analysis
from truceline.review.work import claim_item, decide_item, release_item, review_queue
from truceline.store import add_arrivals, add_reports, add_sensors, add_violations, get_events
from truceline.store import commission as case_store
from truceline.store import review as store


@pytest.fixture(scope="module")
def scene() -> Scene:
    return build_scene()


@pytest.fixture
def analysed(engine: Engine, scene: Scene) -> Engine:
    """The scene's observations stored and analysed by a first automatic run."""
    with engine.begin() as conn:
        add_sensors(conn, sensors=scene.sensors)
        add_arrivals(conn, arrivals=scene.all_arrivals)
        add_reports(conn, reports=[scene.report])
    result = rerun_analysis(engine, start=scene.start, end=scene.end, now=scene.end)
    assert result.events == 3 and result.violations is None and result.notes
    return engine


def events_by_size(engine: Engine) -> dict[int, str]:
    """Event id by number of sensors (16: shot 0, 5: shot 1, 0: the report's own event)."""
    with engine.connect() as conn:
        return {e.n_sensors: e.event_id for e in get_events(conn)}


def raw_rows(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """The events and violations tables as the database returns them (no type conversion)."""
    with engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in ("events", "violations")
        }


def test_merge_then_undo_restores_the_exact_previous_state(analysed: Engine, scene: Scene) -> None:
    ids = events_by_size(analysed)
    serious = Violation(
        "V-1", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, scene.start, event_id=ids[16]
    )
    with analysed.begin() as conn:
        add_violations(conn, violations=[serious])
    before = raw_rows(analysed)
    done = merge_stored_events(
        analysed, event_ids=[ids[16], ids[0]], actor="ana", reason="the report is this shot",
        now=scene.end,
    )  # fmt: skip
    (merged,) = done.edit.after
    assert merged.report_ids == (scene.report.report_id,) and merged.n_sensors == 16
    assert raw_rows(analysed) != before
    assert raw_rows(analysed)["violations"] == []  # left with the replaced event
    undone = undo_edit(analysed, edit_id=done.edit.edit_id, actor="bob", reason="wrong report")
    assert raw_rows(analysed) == before
    assert undone.edit.undoes == done.edit.edit_id
    with analysed.connect() as conn:
        edits = store.get_edits(conn)
    assert [(e.kind.value, e.actor, e.undone_by) for e in edits] == [
        ("merge", "ana", undone.edit.edit_id),
        ("undo", "bob", None),
    ]
    assert edits[0].reason == "the report is this shot"


def test_undo_is_refused_twice_and_after_a_later_edit(analysed: Engine, scene: Scene) -> None:
    ids = events_by_size(analysed)
    merge = merge_stored_events(analysed, event_ids=[ids[16], ids[0]], actor="ana", reason="one")
    (merged,) = merge.edit.after
    half = sorted(merged.arrival_ids)[:7]
    split = split_stored_event(
        analysed, event_id=merged.event_id, arrival_ids=half, report_ids=[], actor="ana",
        reason="two shots after all",
    )  # fmt: skip
    with pytest.raises(ConflictError, match="undo the later edit first"):
        undo_edit(analysed, edit_id=merge.edit.edit_id, actor="ana", reason="x")
    undo = undo_edit(analysed, edit_id=split.edit.edit_id, actor="ana", reason="back to one")
    with pytest.raises(ConflictError, match="already undone"):
        undo_edit(analysed, edit_id=split.edit.edit_id, actor="ana", reason="x")
    with pytest.raises(ConflictError, match="is an undo"):
        undo_edit(analysed, edit_id=undo.edit.edit_id, actor="ana", reason="x")
    with pytest.raises(NotFoundError):
        undo_edit(analysed, edit_id="ED-9999", actor="ana", reason="x")
    with pytest.raises(InputError, match="reason"):
        merge_stored_events(analysed, event_ids=[ids[5], merged.event_id], actor="a", reason=" ")


def test_an_edit_refuses_events_whose_violations_are_on_a_case(
    analysed: Engine, scene: Scene
) -> None:
    ids = events_by_size(analysed)
    serious = Violation(
        "V-1", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, scene.start, event_id=ids[16]
    )
    with analysed.begin() as conn:
        add_violations(conn, violations=[serious])
    decide_item(
        analysed, item_id=f"event:{ids[16]}", analyst="ana", action=Action.ESCALATE,
        reason="fire across the line",
    )  # fmt: skip
    before = raw_rows(analysed)
    with pytest.raises(ConflictError, match="on case C-0001"):
        merge_stored_events(analysed, event_ids=[ids[16], ids[0]], actor="ana", reason="one")
    assert raw_rows(analysed) == before


def test_a_rerun_after_a_manual_merge_keeps_the_merge_and_rejections(
    analysed: Engine, scene: Scene
) -> None:
    ids = events_by_size(analysed)
    poor = f"event:{ids[5]}"
    assert poor in [e.item.item_id for e in review_queue(analysed, analyst="ana")]
    decide_item(analysed, item_id=poor, analyst="ana", action=Action.REJECT, reason="echo")
    merge = merge_stored_events(
        analysed, event_ids=[ids[16], ids[0]], actor="ana", reason="the report is this shot"
    )
    (merged,) = merge.edit.after
    result = rerun_analysis(analysed, start=scene.start, end=scene.end)
    assert result.decided_kept == (merged.event_id,)
    with analysed.connect() as conn:
        stored = {e.event_id: e for e in get_events(conn)}
    assert stored[merged.event_id].report_ids == (scene.report.report_id,)
    assert [e for e in stored.values() if e.n_sensors == 0] == []  # no report event again
    assert ids[5] in stored  # the rejected event is made again, with the same id
    queue = [e.item.item_id for e in review_queue(analysed, analyst="bob")]
    assert poor not in queue


def test_a_rerun_after_a_split_keeps_the_two_events(analysed: Engine, scene: Scene) -> None:
    ids = events_by_size(analysed)
    with analysed.connect() as conn:
        (whole,) = store.get_events_by_id(conn, event_ids=[ids[16]])
    split = split_stored_event(
        analysed, event_id=whole.event_id, arrival_ids=sorted(whole.arrival_ids)[:8],
        report_ids=[], actor="ana", reason="two launchers",
    )  # fmt: skip
    rerun_analysis(analysed, start=scene.start, end=scene.end)
    with analysed.connect() as conn:
        stored = {e.event_id for e in get_events(conn)}
    assert {e.event_id for e in split.edit.after} <= stored
    assert whole.event_id not in stored


def test_reclassified_kind_survives_a_rerun(analysed: Engine, scene: Scene) -> None:
    ids = events_by_size(analysed)
    item = f"event:{ids[5]}"
    decision = decide_item(
        analysed, item_id=item, analyst="ana", action=Action.RECLASSIFY, reason="crater seen",
        kind=EventKind.IMPACT,
    )  # fmt: skip
    assert decision.details == {"kind": "impact", "from_kind": "unknown"}
    rerun_analysis(analysed, start=scene.start, end=scene.end)
    with analysed.connect() as conn:
        (event,) = store.get_events_by_id(conn, event_ids=[ids[5]])
    assert event.kind == EventKind.IMPACT


def test_claims_hide_items_from_other_analysts_until_released_or_expired(
    analysed: Engine, scene: Scene
) -> None:
    t = scene.end
    item = f"event:{events_by_size(analysed)[5]}"
    seen = lambda who, now: [e.item.item_id for e in review_queue(analysed, analyst=who, now=now)]  # noqa: E731
    claim_item(analysed, item_id=item, analyst="ana", minutes=30, now=t)
    assert item not in seen("bob", t + timedelta(minutes=29))
    assert item in seen("ana", t + timedelta(minutes=29))
    with pytest.raises(ConflictError, match="claimed by ana"):
        claim_item(analysed, item_id=item, analyst="bob", now=t)
    with pytest.raises(ConflictError, match="claimed by ana"):
        decide_item(analysed, item_id=item, analyst="bob", action=Action.CONFIRM, reason="r", now=t)
    assert item in seen("bob", t + timedelta(minutes=30))  # expired
    claim_item(analysed, item_id=item, analyst="ana", now=t + timedelta(minutes=1))  # renewed
    release_item(analysed, item_id=item, analyst="ana", now=t + timedelta(minutes=2))
    assert item in seen("bob", t + timedelta(minutes=2))
    decide_item(analysed, item_id=item, analyst="bob", action=Action.CONFIRM, reason="ok", now=t)
    with pytest.raises(ConflictError, match="already decided"):
        claim_item(analysed, item_id=item, analyst="ana", now=t)
    with analysed.connect() as conn:
        audit = case_store.get_audit(conn, entity="review_item", entity_ids=[item])
    assert [a.action for a in audit] == [
        "claimed", "claim renewed", "released", "decided: confirm",
    ]  # fmt: skip


def test_decisions_refuse_bad_input_and_unknown_items(analysed: Engine) -> None:
    ids = events_by_size(analysed)
    with pytest.raises(NotFoundError):
        decide_item(analysed, item_id="event:NOPE", analyst="a", action=Action.CONFIRM, reason="r")
    with pytest.raises(InputError, match="item id"):
        claim_item(analysed, item_id="EV-1", analyst="a")
    with pytest.raises(InputError, match="reason"):
        decide_item(
            analysed, item_id=f"event:{ids[5]}", analyst="a", action=Action.REJECT, reason=""
        )
    with pytest.raises(InputError, match="no violation"):
        decide_item(
            analysed, item_id=f"event:{ids[5]}", analyst="a", action=Action.ESCALATE, reason="r"
        )
    with pytest.raises(InputError, match="either"):
        decide_item(
            analysed, item_id=f"event:{ids[5]}", analyst="a", action=Action.RECLASSIFY, reason="r"
        )
    with analysed.connect() as conn:
        assert store.get_decisions(conn) == []
