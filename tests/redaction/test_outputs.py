"""The redaction test: publish every kind of public output of a simulated day, find nothing
withheld in any of them; and find the leaks when the policy is turned off.

The day is the demo's (three simulated hours). On top of it a monitor team's access denial
is published through a case and a finding, with secrets planted in its free text: a phone
number, an e-mail address, a monitor's name, coordinates in three notations, and a report id
that embeds the team's name.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pyogrio
import pytest
import shapely
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from pyogrio import raw
from typer.testing import CliRunner

from tests.redaction.leaks import Point, Published, Secrets, decimals_of, find_leaks
from truceline.api import create_app
from truceline.api.auth import add_user, issue_token
from truceline.app.demo import DEMO_START, DemoSummary, run_demo
from truceline.app.outbox import write_violation_alerts
from truceline.app.publication import publish_finding
from truceline.cli import app as cli
from truceline.domain import (
    Activation,
    ActivationStatus,
    Case,
    CaseStatus,
    Finding,
    Report,
    Severity,
    SourceKind,
    StandardOfProof,
    Violation,
    ViolationType,
)
from truceline.domain.theatre import Theatre
from truceline.engine.rules import violation_id
from truceline.io.theatre import read_theatre
from truceline.ledger import init_log
from truceline.redaction import coarsen_position
from truceline.reports import write_daily_report
from truceline.reports.areas import divide_theatre
from truceline.settings import Settings
from truceline.store.analysis import add_violations, get_events, get_violations
from truceline.store.auth import get_users
from truceline.store.commission import open_case, record_finding
from truceline.store.database import open_store
from truceline.store.guarantees import list_commitments
from truceline.store.observations import add_reports, get_reports, get_sensors
from truceline.web.baselayer import base_layer

DAY = DEMO_START.date()
PLANTED_AT = DEMO_START + timedelta(hours=1, minutes=7)
MONITOR_NAME = "Ivan Petrenko"
PHONE = "+380 44 123 4567"
EMAIL = "ivan.petrenko@mission.example.org"
DMS = "48°07'24\"N 37°34'04\"E"
MGRS = "37U DQ 12345 67890"
DECIMAL = "48.1234, 37.5678"
MARKERS = frozenset({PHONE, EMAIL, DMS, MGRS, DECIMAL, "+380441234567", "37UDQ"})
VIEWERS = {"public": None, "liaison-officer-ua": "party_liaison", "guarantor-fr": "guarantor"}
BINDINGS = {"party_liaison": {"party": "UA"}, "guarantor": {"state": "FR"}}
SKIPPED_ROUTES = ("/ui/static/{path:path}", "/ui/sw.js", "/docs", "/redoc", "/docs/oauth2-redirect")


@dataclass(frozen=True)
class Day:
    """The demo day with the planted access denial published."""

    demo: DemoSummary
    url: str
    theatre: Path
    team: Report  # the planted report (a monitor team at its own position)
    finding: Finding
    activation: Activation
    names_file: Path


@pytest.fixture(scope="module")
def day(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Day]:
    root = tmp_path_factory.mktemp("redaction")
    names = root / "names.txt"
    names.write_text(f"# monitors\n{MONITOR_NAME}\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRUCELINE_REDACTION_NAMES_FILE", str(names))
        # The analysis writes its violation alerts here (the demo's commission stage
        # writes the activations' alerts to its own directory).
        env.setenv("TRUCELINE_ALERTS_DIR", str(root / "analysis-alerts"))
        demo = run_demo(root / "demo", hours=3)
        url = f"sqlite:///{demo.database_path}"
        team, finding, activation = _plant(url)
        yield Day(demo, url, demo.scenario_dir / "theatre.geojson", team, finding, activation,
                  names)  # fmt: skip


def _plant(url: str) -> tuple[Report, Finding, Activation]:
    """A monitor team's access denial at its own position, published with a finding."""
    engine = open_store(url)
    try:
        with engine.begin() as conn:
            first = next(
                r
                for r in get_reports(conn)
                if r.source_kind == SourceKind.MONITOR and r.observer_lon is not None
            )
            team = Report(
                f"R-{first.source_id}-DENIAL",
                first.source_id,
                SourceKind.MONITOR,
                PLANTED_AT,
                "access_denied",
                reliability="A",
                credibility="1",
                observer_lon=first.observer_lon,
                observer_lat=first.observer_lat,
                lon=first.observer_lon,
                lat=first.observer_lat,
                accused_party="RU",
                text=f"{MONITOR_NAME} ({PHONE}, {EMAIL}) stopped at {DECIMAL}, i.e. {DMS}, {MGRS}",
            )
            violation = Violation(
                violation_id(ViolationType.ACCESS_DENIED, team.report_id),
                ViolationType.ACCESS_DENIED,
                Severity.MEDIUM,
                PLANTED_AT,
                report_id=team.report_id,
                party="RU",
                lon=team.lon,
                lat=team.lat,
                description=f"monitors denied access ({team.source_id}; {team.report_id})",
            )
            add_reports(conn, reports=[team])
            add_violations(conn, violations=[violation])
            case = Case("C-DENIAL", f"Denial of access to {team.source_id}", CaseStatus.FINDING,
                        PLANTED_AT, (violation.violation_id,), alleged_by="UA",
                        accused_party="RU")  # fmt: skip
            open_case(conn, case=case, actor="demo-analyst", reason=f"call {PHONE}")
            finding = Finding(
                "F-DENIAL", "C-DENIAL", PLANTED_AT + timedelta(days=1), "RU",
                StandardOfProof.CLEAR_AND_CONVINCING, "high", votes_for=3, votes_against=1,
                dissent=f"{MONITOR_NAME} of {team.source_id} says the team at {DECIMAL} "
                f"was let through",
            )  # fmt: skip
            record_finding(conn, finding=finding, actor="demo-analyst")
            commitment = list_commitments(conn)[0]
    finally:
        engine.dispose()
    activation = Activation(
        "ACT-DENIAL", commitment.commitment_id, commitment.guarantor, finding.finding_id,
        ActivationStatus.ACTIVATED, finding.decided_at, reason=f"asked for by {EMAIL}",
    )  # fmt: skip
    return team, finding, activation


def publish_everything(day: Day, out: Path) -> Published:
    """Every public output of the store as the current settings make it."""
    out.mkdir(parents=True, exist_ok=True)
    published = Published()
    _api_outputs(day, out, published)
    _report_outputs(day, out, published)
    _alert_and_log_outputs(day, out, published)
    _export_outputs(day, out, published)
    return published


def _api_outputs(day: Day, out: Path, published: Published) -> None:
    """Every GET route of the API and the dashboard, as the public, a liaison, a guarantor."""
    settings = Settings(database_url=day.url, output_dir=out / "api", api_rate_per_second=0)
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.truceline.engine  # type: ignore[attr-defined]
        with engine.connect() as conn:
            known = {u.name for u in get_users(conn)}
        headers: dict[str, dict[str, str]] = {"public": {}}
        for name, role in VIEWERS.items():
            if role is None:
                continue
            key = settings.api_secret_key
            if name in known:  # a token is only shown when issued: issue another
                token = issue_token(engine, name=name, key=key)
            else:
                token = add_user(engine, name=name, role=role, key=key, **BINDINGS[role])
            headers[name] = {"Authorization": f"Bearer {token.text}"}
        for path in _get_paths(client, day):
            for viewer, header in headers.items():
                response = client.get(path, headers=header)
                where = f"API {viewer} GET {path} ({response.status_code})"
                published.texts[where] = response.text
                published.own_names[where] = frozenset({viewer})


def _get_paths(client: TestClient, day: Day) -> list[str]:
    """Each GET route with its path filled in with every id it may take."""
    engine = open_store(day.url)
    with engine.connect() as conn:
        events = get_events(conn)
    engine.dispose()
    values = {
        "finding_id": ["F-0001", day.finding.finding_id],
        "case_id": ["C-DENIAL", "C-0001"],
        "event_id": [events[0].event_id],
    }
    paths = []
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        path = context.path
        if not isinstance(context.original_route, APIRoute) or "GET" not in (context.methods or ()):
            continue
        if path in SKIPPED_ROUTES:
            continue
        params = re.findall(r"{(\w+)}", path)
        if not params:
            paths.append(path)
        for param in params[:1]:
            for value in values.get(param, ["x"]):
                paths.append(path.replace(f"{{{param}}}", value))
    return paths


def _report_outputs(day: Day, out: Path, published: Published) -> None:
    html, pdf = write_daily_report(
        day.url, DAY, out / "reports", day.theatre, now=DEMO_START + timedelta(days=2)
    )
    published.texts["daily report HTML"] = html.read_text(encoding="utf-8")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    published.texts["daily report PDF"] = text


def _alert_and_log_outputs(day: Day, out: Path, published: Published) -> None:
    """Violation alerts as the analysis writes them, the planted finding's log entry and
    activation alert, and the Atom feed of the alerts."""
    alerts, log = out / "alerts", out / "log"
    init_log(log, out / "log.key")
    engine = open_store(day.url)
    try:
        with engine.begin() as conn:
            violations = get_violations(conn)
            events = {e.event_id: e for e in get_events(conn)}
            reports, sensors = get_reports(conn), get_sensors(conn)
            sent = datetime(2026, 11, 21, 12, tzinfo=UTC)
            write_violation_alerts(alerts, violations, events, sent, reports=reports,
                                   names=[s.sensor_id for s in sensors])  # fmt: skip
            settings = Settings(transparency_log_dir=log, transparency_log_key=out / "log.key",
                                alerts_dir=alerts)  # fmt: skip
            publish_finding(conn, day.finding, [day.activation], settings)
    finally:
        engine.dispose()
    _run(["export", "atom", "--alerts-dir", str(alerts), "--out", str(out / "feed.atom")])
    for directory in (alerts, log):
        _read_dir(directory, published)
    published.texts["Atom feed"] = (out / "feed.atom").read_text(encoding="utf-8")


def _export_outputs(day: Day, out: Path, published: Published) -> None:
    database = ["--database", day.url]
    theatre = ["--theatre", str(day.theatre)]
    for layer in ("events", "violations"):
        for fmt, suffix in (("geojson", "geojson"), ("csv", "csv")):
            path = out / f"{layer}.{suffix}"
            _run(["export", fmt, "--layer", layer, "--out", str(path), *database])
            published.texts[f"export {path.name}"] = path.read_text(encoding="utf-8")
            if fmt == "geojson":
                published.points[path.name] = _geojson_points(path)
                published.parsed.add(f"export {path.name}")
    for fmt, suffix in (("kml", "kml"), ("acled", "csv"), ("ucdp", "csv")):
        path = out / f"{fmt}.{suffix}"
        _run(["export", fmt, "--out", str(path), *database, *theatre])
        published.texts[f"export {path.name}"] = path.read_text(encoding="utf-8")
    kml = published.texts["export kml.kml"]
    published.parsed.add("export kml.kml")
    published.points["kml"] = [
        Point(float(x), float(y), decimals_of(float(x)), "kml")
        for block in re.findall(r"<coordinates>(.*?)</coordinates>", kml, re.S)
        for x, y, *_ in (t.split(",") for t in block.split())
    ]
    _gpkg(out / "open-data.gpkg", database + theatre, published)


def _gpkg(path: Path, options: list[str], published: Published) -> None:
    _run(["export", "gpkg", "--out", str(path), *options])
    texts, points = [], []
    for name, _ in pyogrio.list_layers(path):
        _meta, _, geometry, fields = raw.read(path, layer=name)
        texts += [str(v) for column in fields for v in column]
        coords = shapely.get_coordinates(shapely.from_wkb(np.asarray(geometry)))
        points += [Point(float(x), float(y), decimals_of(float(x)), f"gpkg {name}")
                   for x, y in coords]  # fmt: skip
    published.texts["export gpkg fields"] = "\n".join(texts)
    published.parsed.add("export gpkg fields")  # values of unrelated columns, not positions
    published.points["gpkg"] = points


def _geojson_points(path: Path) -> list[Point]:
    collection = json.loads(path.read_text(encoding="utf-8"))
    points = []
    for feature in collection["features"]:
        if feature["geometry"] is not None:
            geometry = shapely.geometry.shape(feature["geometry"])
            for x, y in shapely.get_coordinates(geometry):
                points.append(Point(float(x), float(y), decimals_of(float(x)), path.name))
    return points


def _read_dir(directory: Path, published: Published) -> None:
    for file in sorted(directory.rglob("*")):
        if file.is_file():
            published.texts[f"{directory.name}/{file.name}"] = file.read_text(encoding="utf-8")


def _run(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, (args, result.output)


def secrets_of(day: Day) -> Secrets:
    """Everything the policy withholds, read from the store as staff see it."""
    engine = open_store(day.url)
    with engine.connect() as conn:
        sensors, reports = get_sensors(conn), get_reports(conn)
        events, users = get_events(conn), get_users(conn)
    engine.dispose()
    names = {s.sensor_id for s in sensors} | {r.source_id for r in reports}
    names |= {u.name for u in users} | {MONITOR_NAME, day.team.report_id}
    protected = [(s.lon, s.lat) for s in sensors]
    protected += [
        (r.observer_lon, r.observer_lat)
        for r in reports
        if r.observer_lon is not None and r.observer_lat is not None
    ]
    protected += [(r.lon, r.lat) for r in reports if r.lon is not None and r.lat is not None]
    theatre = read_theatre(day.theatre)
    public = [(e.lon, e.lat) for e in events] + _theatre_vertices(theatre)
    return Secrets(
        frozenset(names),
        MARKERS,
        np.asarray(protected, dtype=np.float64),
        np.asarray(public, dtype=np.float64),
        5000.0,
    )


def _theatre_vertices(theatre: Theatre) -> list[tuple[float, float]]:
    """Every vertex of the theatre's public geography (the dashboard's base layer: border,
    areas, zones, line, sites), as stored and as the base layer rounds it."""
    geometries = [a.geometry for a in theatre.control_areas]
    geometries += [z.geometry for z in theatre.zones] + [
        p.geometry for p in theatre.protected_sites
    ]
    if theatre.contact_line is not None:
        geometries.append(theatre.contact_line)
    layer = base_layer(theatre)
    points = [(s.lon, s.lat) for s in divide_theatre(theatre).sectors]  # the reports' areas
    geometries += [shapely.geometry.shape(f["geometry"]) for f in layer["features"]]
    return points + [
        (float(x), float(y)) for g in geometries for x, y in shapely.get_coordinates(g)
    ]


@pytest.fixture(scope="module")
def standard(day: Day, tmp_path_factory: pytest.TempPathFactory) -> Published:
    """Everything published under the default policy, with the demo's own log and alerts."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRUCELINE_REDACTION_NAMES_FILE", str(day.names_file))
        published = publish_everything(day, tmp_path_factory.mktemp("standard"))
    for name in ("Transparency log", "CAP alerts"):
        _read_dir(day.demo.outputs[name], published)
    _read_dir(day.names_file.parent / "analysis-alerts", published)
    published.texts["demo daily report HTML"] = day.demo.outputs["Daily report (HTML)"].read_text(
        encoding="utf-8"
    )
    return published


@pytest.fixture(scope="module")
def unredacted(day: Day, tmp_path_factory: pytest.TempPathFactory) -> Published:
    """The same outputs with the policy turned off."""
    with pytest.MonkeyPatch.context() as env:
        env.setenv("TRUCELINE_REDACTION_NAMES_FILE", str(day.names_file))
        env.setenv("TRUCELINE_REDACTION_POLICY", "off")
        return publish_everything(day, tmp_path_factory.mktemp("off"))


def test_every_kind_of_public_output_was_published(standard: Published) -> None:
    kinds = {
        "API public GET /violations",
        "API public GET /findings",
        "API public GET /publications",
        "API public GET /activations",
        "API public GET /web/me",
        "API public GET /web/theatre",
        "API liaison-officer-ua GET /cases/C-DENIAL",
        "API guarantor-fr GET /commitments",
        "daily report HTML",
        "daily report PDF",
        "export events.geojson",
        "export violations.geojson",
        "export events.csv",
        "export violations.csv",
        "export kml.kml",
        "export acled.csv",
        "export ucdp.csv",
        "export gpkg fields",
        "Atom feed",
    }
    found = {where.rsplit(" (", 1)[0] for where in standard.texts}
    assert kinds <= found, kinds - found
    assert any(w.startswith("log/entries") for w in standard.texts)
    assert any(w.startswith("alerts/") and w.endswith(".cap.xml") for w in standard.texts)
    assert any(w.startswith("analysis-alerts/") for w in standard.texts)  # from the analysis
    assert standard.points["gpkg"] and standard.points["kml"]
    # The planted denial is published, only redacted: its finding, its violation, its case.
    ok = "(200)"
    assert "F-DENIAL" in standard.texts[f"API public GET /findings {ok}"]
    denial = standard.texts[f"API public GET /violations {ok}"]
    assert "access_denied" in denial and "[withheld]" in denial
    assert "[withheld]" in standard.texts["daily report HTML"]
    assert "monitor team" in standard.texts["daily report HTML"]
    assert "withheld" in standard.texts["daily report PDF"]
    assert "C-DENIAL" in standard.texts[f"API liaison-officer-ua GET /cases/C-DENIAL {ok}"]


def test_no_public_output_carries_anything_the_policy_withholds(
    day: Day, standard: Published
) -> None:
    leaks = find_leaks(standard, secrets_of(day))
    assert not leaks, "\n".join(leaks[:40])


def test_the_planted_denial_is_published_at_its_cell_centre(day: Day, standard: Published) -> None:
    centre = coarsen_position(day.team.lon or 0.0, day.team.lat or 0.0, 5000.0)
    violations = json.loads(standard.texts["API public GET /violations (200)"])["data"]
    (denial,) = [v for v in violations if v["type"] == "access_denied"]
    assert (denial["lon"], denial["lat"]) == centre and denial["report_id"] is None
    liaison = json.loads(standard.texts["API liaison-officer-ua GET /violations (200)"])["data"]
    (seen,) = [v for v in liaison if v["type"] == "access_denied"]
    assert (seen["lon"], seen["lat"]) == centre  # the team's report located it: coarsened


def test_the_checker_finds_the_leaks_when_the_policy_is_off(
    day: Day, unredacted: Published
) -> None:
    leaks = find_leaks(unredacted, secrets_of(day))
    text = "\n".join(leaks)
    assert f"name {day.team.source_id!r}" in text  # a monitor team's id
    assert f"name {MONITOR_NAME!r}" in text  # a planted name
    assert f"marker {PHONE!r}" in text and f"marker {EMAIL!r}" in text
    assert f"marker {MGRS!r}" in text
    assert "name 'demo-analyst'" in text  # a user name, in the liaison's case history
    positions = [leak for leak in leaks if "position" in leak]
    where = {leak.split(":", 1)[0] for leak in positions}
    assert "violations.geojson" in where, where
    assert "API public GET /violations (200)" in where, where
