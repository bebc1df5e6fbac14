"""`truceline demo`: a fresh store, the demo theatre, a simulated busy day, every stage there is."""

from __future__ import annotations

import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from rich.console import Console
from rich.table import Table

from truceline.app import commission as ops
from truceline.app.analysis import analyze_files
from truceline.app.guarantees import register_commitments_file
from truceline.app.intake import ingest_files
from truceline.app.scenarios import simulate_scenario
from truceline.domain import Activation, CaseStatus, Event, StandardOfProof, Violation
from truceline.domain.commission import VoteChoice
from truceline.engine.pipeline import EngineConfig
from truceline.errors import InputError
from truceline.geo.demo import load_demo_theatre
from truceline.io.violations import read_violations
from truceline.ledger import init_log, verify_log
from truceline.sim.files import write_scenario
from truceline.sim.linepath import GEOD
from truceline.sim.scenario import Scenario
from truceline.store.analysis import add_events, add_violations
from truceline.store.database import count_rows, open_store
from truceline.store.theatres import save_theatre

DEMO_START = datetime(2026, 11, 21, tzinfo=UTC)


@dataclass(frozen=True)
class StageResult:
    name: str
    status: str  # done | not available
    detail: str


@dataclass
class DemoContext:
    """What the stages share."""

    out_dir: Path
    database_url: str
    scenario_dir: Path
    scenario: Scenario
    outputs: dict[str, Path] = field(default_factory=dict)
    console: Console | None = None
    events: list[Event] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    dashboard: str = ""


Stage = Callable[[DemoContext], str]


def _locate_stage(ctx: DemoContext) -> str:
    """Analyse the day (locate, attribute, pair, rules); store the events and violations;
    check the locations against truth."""
    cfg = EngineConfig(workers=max(1, min(2, os.cpu_count() or 1)))
    result, paths = analyze_files(
        sensors=ctx.scenario_dir / "sensors.csv",
        arrivals=ctx.scenario_dir / "arrivals.csv",
        weather=ctx.scenario_dir / "weather.csv",
        theatre=ctx.scenario_dir / "theatre.geojson",
        reports=ctx.scenario_dir / "reports.csv",
        register=ctx.scenario_dir / "register.json",
        out_dir=ctx.out_dir / "analysis",
        cfg=cfg,
        console=ctx.console,
    )
    ctx.events = result.events
    ctx.violations = read_violations(paths["violations"])
    engine = open_store(ctx.database_url)
    theatre_file = ctx.scenario_dir / "theatre.geojson"
    with engine.begin() as conn:  # the theatre too: review re-runs and the queue use it
        save_theatre(conn, name="demo", geojson=theatre_file.read_text(encoding="utf-8"))
        add_events(conn, events=result.events)
        add_violations(conn, violations=ctx.violations)
    engine.dispose()
    ctx.outputs["Events (CSV)"] = paths["events"]
    ctx.outputs["Violations (CSV)"] = paths["violations"]
    ctx.outputs["Daily ledger per party (CSV)"] = paths["ledger"]
    errors = _errors_against_truth(ctx.scenario, result.events)
    kinds = {k: sum(1 for e in result.events if e.kind == k) for k in ("launch", "impact")}
    return (
        f"{len(result.events)} events ({kinds['launch']} launches, {kinds['impact']} impacts); "
        f"median error {np.median(errors):.1f} m against the simulated truth"
    )


def _errors_against_truth(sc: Scenario, events: list[Event]) -> NDArray[np.float64]:
    """Horizontal error of each event against the true event most of its arrivals came from."""
    index = {aid: i for i, aid in enumerate(sc.arrival_ids())}
    truth = sc.arrivals.event
    errors = []
    for e in events:
        owners = truth[[index[a] for a in e.arrival_ids]]
        owners = owners[owners >= 0]
        if len(owners):
            t = int(np.bincount(owners).argmax())
            _, _, d = GEOD.inv(e.lon, e.lat, sc.events.lon[t], sc.events.lat[t])
            errors.append(d)
    return np.asarray(errors if errors else [np.nan])


def _attribute_stage(ctx: DemoContext) -> str:
    """How the attributions and pairs of the day compare with the simulated truth."""
    sc = ctx.scenario
    index = {aid: i for i, aid in enumerate(sc.arrival_ids())}
    right = total = paired = 0
    for e in ctx.events:
        owners = sc.arrivals.event[[index[a] for a in e.arrival_ids]]
        owners = owners[owners >= 0]
        if e.kind != "launch" or not len(owners):
            continue
        t = int(np.bincount(owners).argmax())
        total += 1
        right += e.responsible_party == sc.events.party[t]
        paired += e.paired_event_id is not None
    return (
        f"{right} of {total} located launches attributed to the party that fired them "
        f"(threshold 0.9); {paired} paired with their impact"
    )


def _fusion_stage(ctx: DemoContext) -> str:
    """How the day's reports were fused, and what became of the fabricated complaints."""
    by = Counter(e.corroboration.value for e in ctx.events)
    report_only = sum(1 for e in ctx.events if e.n_sensors == 0)
    fabricated = {t.report_id for t in ctx.scenario.report_truth if t.role == "fabricated"}
    lifted = sum(
        1
        for e in ctx.events
        if e.corroboration.value != "single_source" and fabricated & set(e.report_ids)
    )
    return (
        f"{by['verified']} events verified, {by['corroborated']} corroborated, "
        f"{by['single_source']} single source ({report_only} from reports alone); "
        f"{len(fabricated) - lifted} of {len(fabricated)} fabricated complaints never "
        f"corroborated"
    )


def _violations_stage(ctx: DemoContext) -> str:
    """The day's violations by type and party."""
    by = Counter((v.type.value, v.party or "unattributed") for v in ctx.violations)
    top = ", ".join(f"{n} {t} by {p}" for (t, p), n in by.most_common(4))
    return f"{len(ctx.violations)} violations stored ({top})"


DASHBOARD_PORT = 8000


def _dashboard_stage(ctx: DemoContext) -> str:
    """Users for the dashboard (an analyst and a party liaison); how to open it."""
    from truceline.api.auth import add_user
    from truceline.settings import get_settings

    key = get_settings().api_secret_key
    engine = open_store(ctx.database_url)
    try:
        analyst = add_user(engine, name="demo-analyst", role="analyst", key=key)
        liaison = add_user(
            engine, name="demo-liaison-ua", role="party_liaison", party="UA", key=key
        )
    finally:
        engine.dispose()
    ctx.dashboard = (
        f"TRUCELINE_DATABASE_URL={ctx.database_url} .venv/bin/truceline serve --port "
        f"{DASHBOARD_PORT}, then http://127.0.0.1:{DASHBOARD_PORT}/ui "
        f"(analyst token {analyst.text}; UA liaison token {liaison.text}; or as the public)"
    )
    return "users demo-analyst and demo-liaison-ua created; their tokens are printed below"


def _report_stage(ctx: DemoContext) -> str:
    """The daily report of the simulated day, as HTML and PDF."""
    from truceline.reports import write_daily_report

    html, pdf = write_daily_report(
        ctx.database_url,
        DEMO_START.date(),
        ctx.out_dir / "reports",
        ctx.scenario_dir / "theatre.geojson",
        now=DEMO_START + timedelta(days=1, hours=12),
    )
    ctx.outputs["Daily report (HTML)"] = html
    ctx.outputs["Daily report (PDF)"] = pdf
    return f"{pdf.name}, {pdf.stat().st_size // 1024} KiB, with its HTML twin"


SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}


def _commission_stage(ctx: DemoContext) -> str:
    """Take the day's most serious violation attributed to RU (the party the demo's guarantees
    are written against) through a case: inquiry, investigation, a draft, a vote, a finding,
    remedies, and the activation of the commitments it meets; publish to the transparency log
    and as CAP alerts."""
    against = [v for v in ctx.violations if v.party == "RU" and v.p_party is not None]
    if not against:
        return "no violation attributed to RU today: no case opened"
    v = max(against, key=lambda v: (SEVERITY_RANK[v.severity.value], v.p_party, v.violation_id))
    log_dir, key = ctx.out_dir / "transparency-log", ctx.out_dir / "keys" / "log.key"
    key.parent.mkdir(parents=True, exist_ok=True)
    init_log(log_dir, key)
    alerts = ctx.out_dir / "alerts"
    engine = open_store(ctx.database_url)
    clock = iter(DEMO_START + timedelta(days=1, hours=h) for h in range(1, 100))
    try:
        with engine.begin() as conn:
            register_commitments_file(conn, _data("demo_commitments.json"), at=DEMO_START)
        ops.load_members(engine, path=_data("demo_members.json"), actor="secretary")
        case = ops.open_case_from_violations(
            engine, violation_ids=[v.violation_id], actor="analyst", now=next(clock)
        )
        cid = case.case_id
        for status in (CaseStatus.INQUIRY, CaseStatus.INVESTIGATION, CaseStatus.DRAFT_FINDING):
            ops.advance_case(
                engine, case_id=cid, to_status=status, actor="analyst", now=next(clock)
            )
        proof = _standard_of_proof(v.p_party or 0.0)
        ops.draft_finding(
            engine, case_id=cid, actor="analyst", responsible_party=v.party,
            standard_of_proof=proof, severity=v.severity.value, summary=v.description,
            now=next(clock),
        )  # fmt: skip
        ops.advance_case(
            engine, case_id=cid, to_status=CaseStatus.VOTE, actor="analyst", now=next(clock)
        )
        for member, choice in DEMO_VOTES:
            ops.cast_vote(engine, case_id=cid, member_id=member, choice=choice, now=next(clock))
        with _environment(
            TRUCELINE_TRANSPARENCY_LOG_DIR=str(log_dir),
            TRUCELINE_TRANSPARENCY_LOG_KEY=str(key),
            TRUCELINE_ALERTS_DIR=str(alerts),
        ):
            decision = ops.decide_case(engine, case_id=cid, actor="chair", now=next(clock))
        remedies = ops.impose_remedies(engine, case_id=cid, actor="chair", now=next(clock))
    finally:
        engine.dispose()
    ctx.outputs["Transparency log"] = log_dir
    ctx.outputs["CAP alerts"] = alerts
    finding = decision.finding
    if finding is None:
        return f"case {cid} on {v.violation_id}: draft not adopted ({decision.tally.explanation})"
    notices = [c for c in decision.consequences if isinstance(c, Activation)]
    acts = ", ".join(f"{a.commitment_id} {a.status.value}" for a in notices) or "none"
    return (
        f"case {cid} on {v.type.value} by {v.party} ({v.severity.value}, p = {v.p_party:.3f}): "
        f"finding {finding.finding_id} against {finding.responsible_party} "
        f"({finding.standard_of_proof.value}; {finding.votes_for} for, "
        f"{finding.votes_against} against, recused: {', '.join(decision.tally.recused)}); "
        f"remedies: "
        f"{', '.join(r.kind for r in remedies)}; activations: {acts}; "
        f"log verifies: {verify_log(log_dir).ok}"
    )


DEMO_VOTES = (
    ("chair", VoteChoice.FOR),
    ("fr", VoteChoice.FOR),
    ("gb", VoteChoice.FOR),
    ("de", VoteChoice.ABSTAIN),
    ("ua", VoteChoice.FOR),
)


def _standard_of_proof(p: float) -> StandardOfProof:
    """The standard an attribution probability reaches (the demo's reading of it)."""
    if p >= 0.99:
        return StandardOfProof.BEYOND_REASONABLE_DOUBT
    if p >= 0.9:
        return StandardOfProof.CLEAR_AND_CONVINCING
    if p > 0.5:
        return StandardOfProof.BALANCE_OF_PROBABILITIES
    return StandardOfProof.REASONABLE_GROUNDS


def _data(name: str) -> Path:
    return Path(str(resources.files("truceline") / "data" / name))


@contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables for the duration (the publication settings of the demo)."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, old in saved.items():
            if old is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = old


# Every analysis and publication stage of the mechanism, in order. A stage not built yet is
# listed with the issue that brings it, and reported as not available: no fake output.
STAGES: list[tuple[str, str, Stage | None]] = [
    ("associate and locate sensor arrivals", "issue #3 (locate)", _locate_stage),
    ("fuse reports into events (corroboration)", "issue #4", _fusion_stage),
    ("attribute launches, pair impacts with launches", "issue #4", _attribute_stage),
    ("detect violations and keep the daily ledger", "issue #4", _violations_stage),
    ("commission: case, finding, remedy, activation", "issue #5", _commission_stage),
    ("dashboard", "issue #7", _dashboard_stage),
    ("daily report (HTML and PDF)", "issue #7", _report_stage),
]


@dataclass(frozen=True)
class DemoSummary:
    out_dir: Path
    database_path: Path
    scenario_dir: Path
    stored: dict[str, int]
    truth: dict[str, int]
    stages: list[StageResult]
    outputs: dict[str, Path]
    dashboard: str = ""


def _truth_counts(sc: Scenario) -> dict[str, int]:
    ev = sc.events
    launches = Counter(str(p) for p, k in zip(ev.party, ev.kind, strict=True) if k == "launch")
    counts = {f"true launches by {party}": n for party, n in sorted(launches.items())}
    counts["firing missions"] = len(set(ev.mission.tolist()))
    counts["fabricated complaints"] = sum(t.role == "fabricated" for t in sc.report_truth)
    return counts


MARKER = ".truceline-demo"


def _prepare_output(out_dir: Path) -> None:
    """Replace an earlier demo in ``out_dir``; refuse to touch a directory with anything else."""
    if out_dir.exists():
        if not out_dir.is_dir() or (any(out_dir.iterdir()) and not (out_dir / MARKER).exists()):
            raise InputError(
                f"{out_dir} exists and is not an earlier demo output; choose another --out",
                column="--out",
            )
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    (out_dir / MARKER).write_text("written by truceline demo; replaced by the next demo\n")


def run_demo(
    out_dir: Path, *, seed: int = 2026, hours: int = 24, console: Console | None = None
) -> DemoSummary:
    """Run the demo into ``out_dir`` (replacing a previous demo there)."""
    _prepare_output(out_dir)
    db_path = out_dir / "truceline.db"
    url = f"sqlite:///{db_path}"
    scenario_dir = out_dir / "scenario"
    theatre = load_demo_theatre()
    scenario = simulate_scenario(
        seed=seed, profile="busy", theatre=theatre, start=DEMO_START, hours=hours, console=console
    )
    paths = write_scenario(scenario, scenario_dir)
    ingest_files(
        url,
        sensors=paths["sensors.csv"],
        arrivals=paths["arrivals.csv"],
        weather=paths["weather.csv"],
        reports=paths["reports.csv"],
        console=console,
    )
    ctx = DemoContext(out_dir, url, scenario_dir, scenario, console=console)
    results = []
    for name, issue, stage in STAGES:
        if stage is None:
            results.append(StageResult(name, "not available", f"comes with {issue}"))
        else:
            results.append(StageResult(name, "done", stage(ctx)))
    engine = open_store(url)
    with engine.connect() as conn:
        stored = count_rows(conn)
    engine.dispose()
    return DemoSummary(
        out_dir,
        db_path,
        scenario_dir,
        stored,
        _truth_counts(scenario),
        results,
        ctx.outputs,
        ctx.dashboard,
    )


def print_summary(summary: DemoSummary, console: Console) -> None:
    """The demo's closing summary: what was stored, what ran, where to look."""
    stored = Table(title="Stored in the database", show_header=False)
    for table, n in summary.stored.items():
        if n:
            stored.add_row(table, str(n))
    console.print(stored)
    truth = Table(
        title="Simulated ground truth (for checking, not an analysis result)", show_header=False
    )
    for key, n in summary.truth.items():
        truth.add_row(key, str(n))
    console.print(truth)
    stages = Table(title="Analysis and publication stages")
    stages.add_column("stage")
    stages.add_column("status")
    stages.add_column("")
    for r in summary.stages:
        colour = "green" if r.status == "done" else "yellow"
        stages.add_row(r.name, f"[{colour}]{r.status}[/{colour}]", r.detail)
    console.print(stages)
    console.print(f"Database:        {summary.database_path}")
    console.print(
        f"Scenario inputs: {summary.scenario_dir}/ (truth in {summary.scenario_dir}/truth/)"
    )
    for name, path in summary.outputs.items():
        console.print(f"{name + ':':<16} {path}")
    if summary.dashboard:
        console.print(f"Dashboard:       {summary.dashboard}")
