"""Fuse reports on simulated quiet and busy periods: association F1, fabrications, vs DBSCAN.

For each profile and seed, a period (``--hours``) on the synthetic theatre (135 km of line)
is simulated and its arrivals located by the engine; then the same reports are fused with
the located events by ``fuse_reports`` and by the naive baseline, in the same run.

Scoring (against truth/reports.csv and truth/arrivals.csv). Only fire reports are scored
(roles observation, repost, repeat, fabricated; weapon sightings and denials of access are
not fused). A sensor event *is* true event ``e`` when most of its arrivals belong to ``e``.
For a report ``r`` with true event ``T(r)`` (none for a fabricated complaint):

- **TP**: ``T(r)`` was located and ``r`` joined a sensor event that is ``T(r)``;
- **FP**: ``r`` joined a sensor event that is not ``T(r)`` (a wrong event, or any event for a
  fabricated complaint);
- **FN**: ``T(r)`` was located and ``r`` did not join a sensor event that is ``T(r)``.

Reports whose event was not located are correct when they stay out of sensor events (they
then form report-only events; the purity of those is printed apart: the share of report
pairs in one report-only event that share a true salvo). precision = TP / (TP + FP), recall =
TP / (TP + FN), F1 their harmonic mean. Two levels are printed: **salvo**, where "is T(r)"
means "most of its arrivals come from rounds of the same firing mission and the same kind
(launch or impact) as T(r)": rounds of one salvo fire 0.6-9 s apart from one spot and land
within a few hundred metres, so that a report of "an explosion, 3-5 km NE" or a UAV's
sighting of the launcher cannot tell them apart (a report whose own round was not located
but that joined another round of its salvo is then neither TP nor FP); and **round**, the
strict one: "most of its arrivals come from T(r)".

Fabricated complaints: the share whose event reached ``corroborated`` or ``verified``.
Corroboration confusion: for each true salvo (and each fabricated complaint), the level that
perfect association would give (the same rules on the true grouping of reports, reposts and
repeats collapsed by the truth, the sensors counted when a round of it was located) against
the best level any event of it obtained, summed over seeds.

Baseline: scikit-learn DBSCAN (``min_samples`` 2) over sensor events and reports as points
``(x, y, t * eps_m / eps_s)``: a located report at its location, a bearing at the middle of
its bracket, reported times as they are; a report joins the nearest sensor event of its
cluster; corroboration counts distinct source ids (no repost detection, no grades).
scikit-learn is an optional dependency (the ``bench`` extra); without it an equivalent
re-implementation on scipy's KD-tree is used and labelled so.

    python -m bench fuse_sim                            # quiet and busy, seeds 1 2 3, 6 h
    python -m bench fuse_sim --profiles busy --seeds 4 5 --hours 12
    python -m bench fuse_sim --fabricated-per-day 200   # many fabricated complaints
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from truceline.domain import Event, Report
from truceline.engine.fuse import fuse_reports
from truceline.engine.pipeline import analyze_arrivals
from truceline.engine.report_config import MISSION_MEANS, FuseConfig
from truceline.engine.report_sources import corroborate, logit, report_evidence
from truceline.geo.projection import LocalProjection
from truceline.sim.profiles import PROFILES
from truceline.sim.scenario import Scenario, simulate
from truceline.sim.theatres import synthetic_theatre

START = datetime(2026, 11, 21, tzinfo=UTC)
FIRE_ROLES = ("observation", "repost", "repeat", "fabricated")
LEVELS = ("single_source", "corroborated", "verified")
FloatArray = NDArray[np.float64]


@dataclass(frozen=True)
class Fused:
    """What a fusion method concluded: report -> sensor event, and every event's level."""

    joined: dict[str, str]  # report_id -> sensor event_id (reports that joined one)
    event_of: dict[str, str]  # report_id -> any event_id (sensor or report-only)
    level: dict[str, str]  # event_id -> corroboration
    members: dict[str, list[str]]  # report-only event_id -> report ids
    wall_s: float


@dataclass(frozen=True)
class Truth:
    """The scenario's truth as the scoring needs it."""

    sc: Scenario
    fire: list[int]  # indices of fire reports
    event_is: dict[str, int]  # sensor event id -> true event most of its arrivals come from
    salvo_is: dict[str, tuple[int, str]]  # sensor event id -> salvo (mission, kind) likewise

    def key(self, e: int, salvo: bool) -> tuple[int, str] | int:
        ev = self.sc.events
        return (int(ev.mission[e]), str(ev.kind[e])) if salvo else e

    def event_key(self, event_id: str | None, salvo: bool) -> tuple[int, str] | int | None:
        table: dict[str, tuple[int, str]] | dict[str, int] = (
            self.salvo_is if salvo else self.event_is
        )
        return table.get(event_id or "")


def _majority(labels: list[object]) -> object | None:
    top, n = Counter(labels).most_common(1)[0]
    return top if top is not None and 2 * n >= len(labels) else None


def truth_of(sc: Scenario, events: list[Event]) -> Truth:
    index = {a: i for i, a in enumerate(sc.arrival_ids())}
    owner = sc.arrivals.event
    ev = sc.events
    event_is: dict[str, int] = {}
    salvo_is: dict[str, tuple[int, str]] = {}
    for e in events:
        o = owner[[index[a] for a in e.arrival_ids]].tolist()
        top = _majority([x if x >= 0 else None for x in o])
        if isinstance(top, int):
            event_is[e.event_id] = top
        salvo = _majority([(int(ev.mission[x]), str(ev.kind[x])) if x >= 0 else None for x in o])
        if isinstance(salvo, tuple):
            salvo_is[e.event_id] = (int(salvo[0]), str(salvo[1]))
    fire = [i for i, t in enumerate(sc.report_truth) if t.role in FIRE_ROLES]
    return Truth(sc, fire, event_is, salvo_is)


def association_f1(truth: Truth, fused: Fused, salvo: bool) -> tuple[float, float, float]:
    """Precision, recall, F1 of report-to-sensor-event links (see the module docstring)."""
    located = set(truth.event_is.values())
    tp = fp = fn = 0
    for i in truth.fire:
        rid, te = truth.sc.reports[i].report_id, truth.sc.report_truth[i].event_index
        want = truth.key(te, salvo) if te >= 0 else None
        got = fused.joined.get(rid)
        hit = got is not None and want is not None and truth.event_key(got, salvo) == want
        tp += hit and te in located
        fp += got is not None and not hit
        fn += te in located and not hit
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def report_only_purity(truth: Truth, fused: Fused) -> float:
    """Share of report pairs within report-only events that share a true salvo (or item)."""
    label = {t.report_id: _item_label(truth, t) for t in truth.sc.report_truth}
    same = pairs = 0
    for ids in fused.members.values():
        labs = [label[r] for r in ids]
        for a in range(len(labs)):
            for b in range(a + 1, len(labs)):
                pairs += 1
                same += labs[a] == labs[b]
    return same / pairs if pairs else 1.0


def fabricated_corroborated(truth: Truth, fused: Fused) -> tuple[int, int]:
    """(fabricated complaints whose event reached corroborated or verified, all of them)."""
    fab = [
        truth.sc.reports[i].report_id
        for i in truth.fire
        if truth.sc.report_truth[i].role == "fabricated"
    ]
    up = sum(fused.level.get(fused.event_of.get(r, ""), "single_source") != LEVELS[0] for r in fab)
    return up, len(fab)


def _salvo_label(truth: Truth, event_index: int) -> str:
    mission, kind = truth.key(event_index, salvo=True)  # type: ignore[misc]
    return f"S{mission}-{kind}"


def _item_label(truth: Truth, t: object) -> str:
    """The true salvo a report describes, or the fabricated item it belongs to."""
    e, report_id, dup = t.event_index, t.report_id, t.duplicate_of  # type: ignore[attr-defined]
    return _salvo_label(truth, e) if e >= 0 else f"F{dup or report_id}"


def ideal_levels(truth: Truth, cfg: FuseConfig) -> dict[str, str]:
    """Per true salvo (or fabricated item): the level perfect association would give."""
    sc = truth.sc
    by_id = {r.report_id: r for r in sc.reports}
    rows: list[tuple[str, str, float, bool]] = [
        (f"S{m}-{k}", "sensors", logit(cfg.sensor_p), True) for m, k in set(truth.salvo_is.values())
    ]
    for i in truth.fire:
        r, t = sc.reports[i], sc.report_truth[i]
        speaker = by_id[t.duplicate_of].source_id if t.duplicate_of else r.source_id
        mission = r.source_kind in MISSION_MEANS
        rows.append(
            (_item_label(truth, t), f"{r.source_kind}:{speaker}", report_evidence(r, cfg), mission)
        )
    names = sorted({row[0] for row in rows})
    keys = sorted({row[1] for row in rows})
    ev = np.array([names.index(row[0]) for row in rows], dtype=np.int64)
    key = np.array([keys.index(row[1]) for row in rows], dtype=np.int64)
    evidence = np.array([row[2] for row in rows])
    mission_rows = np.array([row[3] for row in rows], dtype=bool)
    levels, _ = corroborate(ev, key, evidence, mission_rows, len(names), cfg)
    return {n: str(v) for n, v in zip(names, levels, strict=True)}


def confusion(truth: Truth, fused: Fused, ideal: dict[str, str]) -> Counter[tuple[str, str]]:
    """(ideal level, best level obtained by an event of it) over true salvos and fabrications."""
    got: dict[str, list[str]] = {}
    for i in truth.fire:
        ev = fused.event_of.get(truth.sc.reports[i].report_id)
        if ev:
            got.setdefault(_item_label(truth, truth.sc.report_truth[i]), []).append(fused.level[ev])
    for event_id, (m, k) in truth.salvo_is.items():
        got.setdefault(f"S{m}-{k}", []).append(fused.level[event_id])
    out: Counter[tuple[str, str]] = Counter()
    for name, want in ideal.items():
        obtained = max(got.get(name, [LEVELS[0]]), key=LEVELS.index)
        out[(want, obtained)] += 1
    return out


def ours(events: list[Event], reports: list[Report]) -> Fused:
    t0 = time.perf_counter()
    out = fuse_reports(events, reports)
    wall = time.perf_counter() - t0
    sensor = {e.event_id for e in out.events}
    return Fused(
        joined={r: e for r, e in out.assignment.items() if e in sensor},
        event_of=dict(out.assignment),
        level={e.event_id: str(e.corroboration) for e in out.all_events},
        members={e.event_id: list(e.report_ids) for e in out.report_events},
        wall_s=wall,
    )


def _dbscan_fallback(points: FloatArray, eps: float, min_samples: int) -> NDArray[np.int64]:
    """DBSCAN labels with scikit-learn's clusters (a border point next to two clusters may
    take the other one; with ``min_samples`` 2 there are no border points)."""
    tree = cKDTree(points)
    pairs = tree.query_pairs(eps, output_type="ndarray")
    n = len(points)
    degree = 1 + np.bincount(pairs.ravel(), minlength=n)
    core = degree >= min_samples
    both = core[pairs[:, 0]] & core[pairs[:, 1]]
    g = coo_matrix((np.ones(int(both.sum())), (pairs[both, 0], pairs[both, 1])), shape=(n, n))
    _, comp = connected_components(g, directed=False)
    label = np.where(core, comp, -1)
    for a, b in pairs[core[pairs[:, 0]] ^ core[pairs[:, 1]]][::-1]:
        c, border = (a, b) if core[a] else (b, a)
        label[border] = comp[c]
    _, label[label >= 0] = np.unique(label[label >= 0], return_inverse=True)
    return label


def dbscan_labels() -> tuple[Callable[[FloatArray, float], NDArray[np.int64]], str]:
    try:
        from sklearn.cluster import DBSCAN
    except ImportError:
        return (lambda p, eps: _dbscan_fallback(p, eps, 2)), "DBSCAN (scipy; no scikit-learn)"
    return (lambda p, eps: DBSCAN(eps=eps, min_samples=2).fit_predict(p)), "scikit-learn DBSCAN"


def _report_point(r: Report, proj: LocalProjection) -> tuple[float, float] | None:
    if r.lon is not None and r.lat is not None:
        x, y = proj.forward([r.lon], [r.lat])
    elif r.observer_lon is not None and r.observer_lat is not None:
        x, y = proj.forward([r.observer_lon], [r.observer_lat])
        if r.bearing_deg is not None:
            lo, hi = r.distance_min_m or 0.0, r.distance_max_m or 10_000.0
            b = np.radians(r.bearing_deg)
            x, y = x + (lo + hi) / 2 * np.sin(b), y + (lo + hi) / 2 * np.cos(b)
    else:
        return None
    return float(x[0]), float(y[0])


def baseline(
    events: list[Event], reports: list[Report], eps_m: float, eps_s: float
) -> tuple[Fused, str]:
    labels_of, name = dbscan_labels()
    t0 = time.perf_counter()
    fire = [r for r in reports if r.event_type not in ("weapon_sighting", "access_denied")]
    proj = LocalProjection.centred_on([e.lon for e in events], [e.lat for e in events])
    ex, ey = proj.forward([e.lon for e in events], [e.lat for e in events])
    pts = [(float(x), float(y), e.time.timestamp()) for x, y, e in zip(ex, ey, events, strict=True)]
    placed = [(r, p) for r in fire if (p := _report_point(r, proj)) is not None]
    pts += [(p[0], p[1], r.time.timestamp()) for r, p in placed]
    xyz = np.array(pts)
    xyz[:, 2] = (xyz[:, 2] - xyz[:, 2].min()) * eps_m / eps_s
    label = labels_of(xyz, eps_m)
    n_ev = len(events)
    joined: dict[str, str] = {}
    event_of: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    sensors_in: dict[int, list[int]] = {}
    for k in range(n_ev):
        if label[k] >= 0:
            sensors_in.setdefault(int(label[k]), []).append(k)
    for j, (r, _) in enumerate(placed):
        lab, row = int(label[n_ev + j]), xyz[n_ev + j]
        if lab >= 0 and lab in sensors_in:
            cand = sensors_in[lab]
            best = cand[int(np.argmin(np.linalg.norm(xyz[cand] - row, axis=1)))]
            joined[r.report_id] = event_of[r.report_id] = events[best].event_id
        else:
            eid = f"DB-{lab}" if lab >= 0 else f"DB-{r.report_id}"
            event_of[r.report_id] = eid
            members.setdefault(eid, []).append(r.report_id)
    by_id = {r.report_id: r for r in fire}
    sources: dict[str, set[str]] = {e.event_id: {"sensors"} for e in events}
    for rid, eid in event_of.items():
        sources.setdefault(eid, set()).add(f"{by_id[rid].source_kind}:{by_id[rid].source_id}")
    level = {}
    for eid, s in sources.items():
        own = any(k == "sensors" or k.split(":")[0] in {m.value for m in MISSION_MEANS} for k in s)
        level[eid] = LEVELS[0] if len(s) < 2 else LEVELS[2] if own else LEVELS[1]
    return Fused(joined, event_of, level, members, time.perf_counter() - t0), name


@dataclass(frozen=True)
class Scores:
    """One method's figures on one scenario."""

    salvo: tuple[float, float, float]  # precision, recall, F1
    round: tuple[float, float, float]
    fab: tuple[int, int]  # fabricated complaints corroborated or verified, all of them
    purity: float
    wall_s: float
    conf: Counter[tuple[str, str]]


def score(truth: Truth, fused: Fused, ideal: dict[str, str]) -> Scores:
    return Scores(
        salvo=association_f1(truth, fused, salvo=True),
        round=association_f1(truth, fused, salvo=False),
        fab=fabricated_corroborated(truth, fused),
        purity=report_only_purity(truth, fused),
        wall_s=fused.wall_s,
        conf=confusion(truth, fused, ideal),
    )


def run_one(profile: str, seed: int, args: argparse.Namespace) -> tuple[int, Scores, Scores, str]:
    """(fire reports, our scores, the baseline's, the baseline's name) on one scenario."""
    prof = PROFILES[profile]
    if args.fabricated_per_day is not None:
        prof = replace(prof, fabricated_complaints_per_day=args.fabricated_per_day)
    sc = simulate(synthetic_theatre(), seed=seed, profile=prof, start=START, hours=args.hours)
    events = analyze_arrivals(sc.sensors(), sc.domain_arrivals(), sc.domain_weather()).events
    truth = truth_of(sc, events)
    ideal = ideal_levels(truth, FuseConfig())
    mine = score(truth, ours(events, sc.reports), ideal)
    base, base_name = baseline(events, sc.reports, args.eps_m, args.eps_s)
    return len(truth.fire), mine, score(truth, base, ideal), base_name


def _print_confusion(title: str, conf: Counter[tuple[str, str]]) -> None:
    print(f"  {title}: rows ideal, columns obtained ({' / '.join(LEVELS)})")
    for want in LEVELS:
        print(f"    {want:<14}" + "".join(f"{conf[(want, got)]:>8}" for got in LEVELS))


def _cells(s: Scores) -> str:
    return (
        f"{s.salvo[2]:>8.4f} {s.salvo[0]:>6.3f} {s.salvo[1]:>6.3f} {s.round[2]:>8.4f} "
        f"{s.fab[0]:>3}/{s.fab[1]:<3} {s.purity:>6.3f} {s.wall_s:>5.2f}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    ap.add_argument("--hours", type=int, default=6)
    ap.add_argument("--profiles", nargs="*", default=["quiet", "busy"], choices=list(PROFILES))
    ap.add_argument(
        "--fabricated-per-day", type=float, default=None, help="instead of the profile's rate"
    )
    ap.add_argument("--eps-m", type=float, default=10_000.0, help="DBSCAN radius (m)")
    ap.add_argument("--eps-s", type=float, default=200.0, help="seconds worth eps-m")
    args = ap.parse_args(argv)
    head = f"{'F1 salvo':>8} {'P':>6} {'R':>6} {'F1 round':>8} {'fab up':>7} {'purity':>6} {'s':>5}"
    print(f"{'':>7} {'':>4} {'':>7} | {'ours':^51} | {'baseline':^51}")
    print(f"{'profile':>7} {'seed':>4} {'reports':>7} | {head} | {head}")
    for profile in args.profiles:
        rows = []
        for seed in args.seeds:
            n, mine, base, base_name = run_one(profile, seed, args)
            rows.append((mine, base))
            print(f"{profile:>7} {seed:>4} {n:>7} | {_cells(mine)} | {_cells(base)}", flush=True)
        _summary(profile, rows, base_name)
    return 0


def _summary(profile: str, rows: list[tuple[Scores, Scores]], base_name: str) -> None:
    def med(pick: Callable[[Scores], float], which: int) -> float:
        return float(statistics.median(pick(r[which]) for r in rows))

    f1 = [med(lambda s: s.salvo[2], k) for k in (0, 1)]
    f1_round = [med(lambda s: s.round[2], k) for k in (0, 1)]
    fab = [(sum(r[k].fab[0] for r in rows), sum(r[k].fab[1] for r in rows)) for k in (0, 1)]
    never = [f"{1 - up / n:.1%} ({n - up}/{n})" if n else "n/a (0/0)" for up, n in fab]
    print(
        f"median {profile}: association F1 (salvo) {f1[0]:.4f} vs {base_name} {f1[1]:.4f} "
        f"(+{f1[0] - f1[1]:.4f}); F1 (round) {f1_round[0]:.4f} vs {f1_round[1]:.4f} "
        f"(+{f1_round[0] - f1_round[1]:.4f})"
    )
    print(f"total {profile}: fabricated complaints never corroborated {never[0]} vs {never[1]}")
    for k, title in enumerate(("ours", "baseline")):
        total: Counter[tuple[str, str]] = Counter()
        for r in rows:
            total.update(r[k].conf)
        _print_confusion(f"corroboration, {title}", total)


if __name__ == "__main__":
    raise SystemExit(main())
