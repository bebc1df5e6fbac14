"""Applying a policy: grid centres, pseudonyms, and each kind of record redacted."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from pyproj import Geod

from truceline.domain import (
    Activation,
    ActivationStatus,
    Case,
    CaseStatus,
    Event,
    EventKind,
    Finding,
    Report,
    SourceKind,
    StandardOfProof,
    Violation,
    ViolationType,
)
from truceline.domain.commission import CaseTransition
from truceline.domain.events import Severity
from truceline.redaction import (
    WITHHELD,
    Audience,
    Naming,
    Placement,
    PositionRule,
    Publication,
    RedactionSettings,
    Redactor,
    coarsen_position,
    coarsen_positions,
    place,
    policy_for,
)
from truceline.redaction.apply import pseudonym

GEOD = Geod(ellps="WGS84")
T0 = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
TEAM = (37.61234, 48.04321)  # where monitor team MT07 stands
NAMES = frozenset({"MT07", "S0042", "Ivan Petrenko"})

lons = st.floats(-179.9, 179.9)
lats = st.floats(-80.0, 80.0)
grids = st.sampled_from([100.0, 1000.0, 5000.0, 20000.0])


@given(lons, lats, grids)
def test_a_position_moves_to_its_cell_centre_at_most_half_a_diagonal_away(
    lon: float, lat: float, grid: float
) -> None:
    c_lon, c_lat = coarsen_position(lon, lat, grid)
    _, _, distance = GEOD.inv(lon, lat, c_lon, c_lat)
    assert distance <= grid * 0.75  # half the diagonal of a cell (0.707) plus the ellipsoid


@given(lons, lats, grids)
def test_a_centre_is_its_own_centre(lon: float, lat: float, grid: float) -> None:
    centre = coarsen_position(lon, lat, grid)
    assert coarsen_position(*centre, grid) == centre


def test_nearby_posts_in_one_cell_cannot_be_told_apart() -> None:
    lon, lat = coarsen_positions([37.5001, 37.5009], [48.1001, 48.1004], 5000.0)
    assert lon[0] == lon[1] and lat[0] == lat[1]
    assert coarsen_position(37.5001, 48.1001, 5000.0) == (float(lon[0]), float(lat[0]))
    assert np.all(np.isfinite(coarsen_positions([0.0], [89.99], 5000.0)[0]))


def test_place_follows_its_rule() -> None:
    assert place(*TEAM, PositionRule(Placement.EXACT)) == TEAM
    assert place(*TEAM, PositionRule(Placement.WITHHOLD)) == (None, None)
    assert place(*TEAM, PositionRule(Placement.COARSEN, 5000.0)) == coarsen_position(*TEAM, 5000)
    assert place(None, 48.0, PositionRule(Placement.EXACT)) == (None, None)


def test_pseudonyms_are_stable_keyed_and_do_not_contain_the_id() -> None:
    one = pseudonym("MT07", "monitor team", Naming.PSEUDONYM, "key-1")
    assert one == pseudonym("MT07", "monitor team", Naming.PSEUDONYM, "key-1")
    assert one.startswith("monitor team ") and "MT07" not in one
    assert one != pseudonym("MT08", "monitor team", Naming.PSEUDONYM, "key-1")
    assert one != pseudonym("MT07", "monitor team", Naming.PSEUDONYM, "key-2")
    assert pseudonym("MT07", "monitor team", Naming.PSEUDONYM, "") == "monitor team"
    assert pseudonym("MT07", "monitor team", Naming.EXACT) == "MT07"


def _report(**fields: object) -> Report:
    base: dict[str, object] = {
        "report_id": "R-MT07-0001",
        "source_id": "MT07",
        "source_kind": SourceKind.MONITOR,
        "time": T0,
        "event_type": "access_denied",
        "observer_lon": TEAM[0],
        "observer_lat": TEAM[1],
        "bearing_deg": 120.0,
        "distance_min_m": 3000.0,
        "distance_max_m": 5000.0,
        "lon": TEAM[0],
        "lat": TEAM[1],
        "text": "Ivan Petrenko's patrol stopped at 48.04321, 37.61234; call +380 44 123 4567",
    }
    return Report(**(base | fields))  # type: ignore[arg-type]


def _redactor(audience: Audience, key: str = "") -> Redactor:
    config = RedactionSettings(pseudonym_key=key)
    return Redactor(policy_for(audience, Publication.API, config), NAMES)


def test_a_monitor_report_loses_its_source_position_geometry_and_secrets() -> None:
    public = _redactor(Audience.PUBLIC).report(_report())
    centre = coarsen_position(*TEAM, 5000.0)
    assert (public.observer_lon, public.observer_lat) == centre
    assert (public.lon, public.lat) == centre
    assert public.bearing_deg is None and public.distance_max_m is None
    assert public.source_id == "monitor team" and "MT07" not in public.report_id
    assert public.text == f"{WITHHELD}'s patrol stopped at {WITHHELD}; call {WITHHELD}"
    liaison = _redactor(Audience.PARTY_LIAISON).report(_report())
    assert (liaison.observer_lon, liaison.observer_lat) == (None, None)
    guarantor = _redactor(Audience.GUARANTOR, key="k" * 32).report(_report())
    assert guarantor.source_id.startswith("monitor team ") and "MT07" not in guarantor.source_id


def test_staff_get_the_record_unchanged() -> None:
    report = _report()
    assert _redactor(Audience.STAFF).report(report) is report


def test_a_violation_on_a_report_is_placed_as_its_report_and_loses_the_report_id() -> None:
    v = Violation(
        "VIO-1",
        ViolationType.ACCESS_DENIED,
        Severity.MEDIUM,
        T0,
        report_id="R-MT07-0001",
        party="RU",
        lon=TEAM[0],
        lat=TEAM[1],
        description="monitors denied access (MT07), report R-MT07-0001",
    )
    for report in (_report(), None, _report(lon=None, lat=None)):
        public = _redactor(Audience.PUBLIC).violation(v, report)
        assert (public.lon, public.lat) == coarsen_position(*TEAM, 5000.0)
        assert public.report_id is None
        assert public.description == f"monitors denied access ({WITHHELD}), report {WITHHELD}"
    # A liaison: an observer's position (the report located nothing) is withheld.
    liaison = _redactor(Audience.PARTY_LIAISON).violation(v, _report(lon=None, lat=None))
    assert (liaison.lon, liaison.lat) == (None, None)


def test_a_party_complaint_is_placed_by_the_complaint_rule() -> None:
    complaint = _report(source_kind=SourceKind.PARTY, source_id="LO-UA", observer_lon=None,
                        observer_lat=None, lon=37.7, lat=48.2)  # fmt: skip
    strict = Redactor(
        policy_for(Audience.PUBLIC, Publication.API, RedactionSettings("strict")), NAMES
    )
    assert (strict.report(complaint).lon, strict.report(complaint).lat) == (None, None)
    public = _redactor(Audience.PUBLIC).report(complaint)
    assert (public.lon, public.lat) == coarsen_position(37.7, 48.2, 5000.0)
    assert public.source_id == "party liaison"


def test_events_stay_where_they_were_located_without_their_ids() -> None:
    event = Event("E-1", T0, 37.9, 48.1, EventKind.IMPACT, arrival_ids=("S0042-1",),
                  report_ids=("R-MT07-0001",))  # fmt: skip
    public = _redactor(Audience.PUBLIC).event(event)
    assert (public.lon, public.lat) == (37.9, 48.1)
    assert public.arrival_ids == () and public.report_ids == ()
    on_event = Violation("VIO-2", ViolationType.FIRE_ACROSS_LINE, Severity.HIGH, T0,
                         event_id="E-1", lon=37.9, lat=48.1)  # fmt: skip
    assert _redactor(Audience.PUBLIC).violation(on_event).lon == 37.9


def test_commission_texts_are_screened_and_staff_names_withheld() -> None:
    redactor = _redactor(Audience.PUBLIC)
    finding = Finding("F-1", "C-1", T0, "RU", StandardOfProof.CLEAR_AND_CONVINCING, "high",
                      dissent="Ivan Petrenko saw it from 48.1234N 37.5678E")  # fmt: skip
    assert redactor.finding(finding).dissent == f"{WITHHELD} saw it from {WITHHELD}"
    activation = Activation("A-1", "FR-1", "FR", "F-1", ActivationStatus.ACTIVATED, T0,
                            reason="as reported by MT07")  # fmt: skip
    assert redactor.activation(activation).reason == f"as reported by {WITHHELD}"
    case = Case("C-1", "Denial reported by MT07", CaseStatus.INQUIRY, T0)
    assert redactor.case(case).title == f"Denial reported by {WITHHELD}"
    step = CaseTransition("C-1", None, CaseStatus.ALLEGATION, "demo-analyst", T0, "MT07 said so")
    assert redactor.transition(step).actor == "mechanism staff"
    assert redactor.transition(step, own="demo-analyst").actor == "demo-analyst"
    assert redactor.transition(step).reason == f"{WITHHELD} said so"


def test_a_sensor_is_coarsened_for_the_public_and_withheld_for_a_liaison() -> None:
    from truceline.domain import Sensor

    station = Sensor("S0042", 37.51234, 48.01234)
    public = _redactor(Audience.PUBLIC).sensor(station)
    assert (public.lon, public.lat) == coarsen_position(37.51234, 48.01234, 5000.0)
    assert public.sensor_id == "sensor"
    liaison = _redactor(Audience.PARTY_LIAISON).sensor(station)
    assert (liaison.lon, liaison.lat) == (0.0, 0.0)
