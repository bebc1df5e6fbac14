"""ShotSpotter Pittsburgh 2018 live fire: located shots, extra events and error per position.

Each firing position FP1..FP6 is loaded as one data set (its 18 tests' ``allpulses.json``
pooled; the vendor's tuples are not shown to the engine) and analysed with ONE default
:class:`EngineConfig`, built once and used for every position.

Matching events to shots (the shot times are unknown; ``approximate_time_utc`` is not the
discharge time):

1. an event belongs to the test most of its pulses come from (every pulse is in exactly one
   test's ``allpulses.json``);
2. within a test, events are matched one-to-one to the test's shots to share the most pulses
   with the vendor's tuple for each shot (Hungarian method); events and shots left over
   (no shared pulse, or a shot without a vendor tuple) are paired in time order (event
   origin time, shot_index 0..num_rounds-1);
3. an event that is not matched is *extra*: a second event for the same shot (a duplicate or
   an echo group) or a test with more events than rounds. A shot with no matched event is
   *missed*.

All rounds of a test were fired from the same surveyed point, so which round an event is
matched to never changes its error; the matching only decides which events count as extras.
The horizontal error is measured in the vendor's local frame (event lon/lat projected back
with the data set's projection, against the survey x, y). The survey is good to ~2.5 m.

Data: ShotSpotter/research.accuracy-of-gunshot-location (CC BY 4.0), ShotSpotter Tech Note
098 (2020). Run: ``python -m bench shotspotter [--fp FP3]``. Exit status 0 whatever the
outcome: it reports.
"""

from __future__ import annotations

import argparse
import math
import time
import traceback
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt
from scipy.optimize import linear_sum_assignment

from truceline.domain import Event
from truceline.engine.ellipse import CHI2_2DOF_95
from truceline.engine.pipeline import EngineConfig, analyze_arrivals
from truceline.io.shotspotter import ShotSpotterSet, ShotTruth, load_firing_position

DATA_ROOT = Path(__file__).resolve().parents[1].parent / "shared" / "data"
SHOTSPOTTER_DIR = DATA_ROOT / "shotspotter-pittsburgh-2018"
FIRING_POSITIONS = ("FP1", "FP2", "FP3", "FP4", "FP5", "FP6")
# Tech Note 098, preferred algorithm (Mathias-Leonardi-Galati, 2D): RMS horizontal metres.
VENDOR_RMS_M = {"FP1": 2.94, "FP2": 4.03, "FP3": 0.29, "FP4": 4.55, "FP5": 4.20, "FP6": 5.28}
VENDOR_OVERALL_RMS_M = 3.9
SURVEY_RMS_M = 2.5  # the survey's own horizontal accuracy (GPS)
TARGET_LOCATED, TOTAL_SHOTS = 215, 216
TARGET_RMS_M = 4.3
MAX_WORSE_THAN_VENDOR_M = 1.5
CONFIG = EngineConfig()  # one configuration for every firing position
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]


@dataclass(frozen=True)
class Match:
    """One shot and the event matched to it (None when missed)."""

    shot: ShotTruth
    event: Event | None
    by_time_order: bool  # paired by time order, not by pulses shared with the vendor tuple


@dataclass(frozen=True)
class PositionResult:
    """What one firing position gave."""

    fp: str
    shots: int
    matches: list[Match]
    extra: list[Event]
    errors_m: FloatArray  # horizontal error of each located shot
    inside95: BoolArray  # survey point inside the 95 % ellipse
    inside95_survey: BoolArray  # the same, ellipse widened by the survey's own error
    crlb_m: FloatArray
    seconds: float
    failure: str = ""

    @property
    def located(self) -> int:
        return len(self.errors_m)

    @property
    def rms_m(self) -> float:
        return _rms(self.errors_m)


def _rms(values: FloatArray) -> float:
    return float(np.sqrt(np.mean(np.square(values)))) if len(values) else math.nan


def event_test(event: Event, ds: ShotSpotterSet) -> int:
    """The test most of the event's pulses come from."""
    tests = [ds.pulses[a].test_id for a in event.arrival_ids]
    values, counts = np.unique(tests, return_counts=True)
    return int(values[np.argmax(counts)])


def match_test(
    test_events: Sequence[Event], test_shots: Sequence[ShotTruth]
) -> tuple[list[Match], list[Event]]:
    """One-to-one matching of one test's events to its shots; returns matches and extras."""
    events = sorted(test_events, key=lambda e: (e.time, e.event_id))
    shots = sorted(test_shots, key=lambda s: s.shot_index)
    shared = np.array(
        [[len(set(e.arrival_ids) & set(s.vendor_pulse_ids)) for s in shots] for e in events],
        dtype=float,
    ).reshape(len(events), len(shots))
    pair: dict[int, int] = {}  # shot -> event
    if shared.size:
        rows, cols = linear_sum_assignment(shared, maximize=True)
        pair = {int(c): int(r) for r, c in zip(rows, cols, strict=True) if shared[r, c] > 0}
    by_pulses = set(pair)
    free_events = [i for i in range(len(events)) if i not in pair.values()]
    free_shots = [j for j in range(len(shots)) if j not in pair]
    for j, i in zip(free_shots, free_events, strict=False):
        pair[j] = i
    matches = [
        Match(s, events[pair[j]] if j in pair else None, j in pair and j not in by_pulses)
        for j, s in enumerate(shots)
    ]
    extra = [e for i, e in enumerate(events) if i not in pair.values()]
    return matches, extra


def _inside(dx: float, dy: float, event: Event, extra_var: float = 0.0) -> bool:
    """Is the offset (east dx, north dy) inside the event's 95 % ellipse?"""
    az = math.radians(event.err_azimuth_deg or 0.0)
    major = np.array([math.sin(az), math.cos(az)])
    minor = np.array([math.cos(az), -math.sin(az)])
    d = np.array([dx, dy])
    var_major = (event.err_major_m or 0.0) ** 2 + extra_var
    var_minor = (event.err_minor_m or 0.0) ** 2 + extra_var
    if var_major <= 0 or var_minor <= 0:
        return False
    m2 = float(d @ major) ** 2 / var_major + float(d @ minor) ** 2 / var_minor
    return m2 <= CHI2_2DOF_95


def run_position(fp: str, cfg: EngineConfig = CONFIG, merge_twins: bool = False) -> PositionResult:
    """Load one firing position, analyse it, match events to shots, measure errors."""
    start = time.perf_counter()
    ds = load_firing_position(SHOTSPOTTER_DIR / fp, merge_twins=merge_twins)
    analysis = analyze_arrivals(ds.sensors, ds.arrivals, ds.weather, cfg)
    return score_position(ds, analysis.events, time.perf_counter() - start)


def score_position(ds: ShotSpotterSet, events: Sequence[Event], seconds: float) -> PositionResult:
    """Match one firing position's events to its shots and measure the errors."""
    by_test: dict[int, list[Event]] = defaultdict(list)
    for event in events:
        by_test[event_test(event, ds)].append(event)
    shots_by_test: dict[int, list[ShotTruth]] = defaultdict(list)
    for shot in ds.shots:
        shots_by_test[shot.test_id].append(shot)
    matches: list[Match] = []
    extra: list[Event] = []
    for test_id in sorted(set(by_test) | set(shots_by_test)):
        test_matches, test_extra = match_test(
            by_test.get(test_id, []), shots_by_test.get(test_id, [])
        )
        matches += test_matches
        extra += test_extra
    errors: list[float] = []
    inside: list[bool] = []
    inside_survey: list[bool] = []
    crlb: list[float] = []
    survey_var = SURVEY_RMS_M**2 / 2.0  # per axis
    for match in matches:
        if match.event is None:
            continue
        event = match.event
        east, north = ds.projection.forward(event.lon, event.lat)
        dx, dy = float(east) - match.shot.x, float(north) - match.shot.y
        errors.append(math.hypot(dx, dy))
        inside.append(_inside(dx, dy, event))
        inside_survey.append(_inside(dx, dy, event, survey_var))
        crlb.append(event.crlb_m if event.crlb_m is not None else math.nan)
    return PositionResult(
        fp=ds.firing_position,
        shots=len(ds.shots),
        matches=matches,
        extra=extra,
        errors_m=np.array(errors),
        inside95=np.array(inside, dtype=bool),
        inside95_survey=np.array(inside_survey, dtype=bool),
        crlb_m=np.array(crlb),
        seconds=seconds,
    )


def _fmt(value: float, spec: str = "6.2f") -> str:
    width = spec.split(".")[0].lstrip("+")
    return f"{'n/a':>{width}}" if math.isnan(value) else format(value, spec)


def _pct(flags: BoolArray) -> str:
    return f"{100 * flags.mean():5.1f} %" if len(flags) else "    n/a"


def _median(values: FloatArray) -> float:
    return float(np.nanmedian(values)) if len(values) else math.nan


def _max(values: FloatArray) -> float:
    return float(np.max(values)) if len(values) else math.nan


def print_report(results: list[PositionResult], total_seconds: float, note: str = "") -> None:
    """The per-position table, the overall line and the acceptance checks."""
    head = (
        f"{'FP':<4} {'shots':>5} {'located':>7} {'extra':>5} {'RMS m':>6} {'max m':>7} "
        f"{'vendor':>6} {'diff':>6} {'cov95':>7} {'cov95+s':>7} {'CRLB':>5} {'time s':>6}"
    )
    print(f"ShotSpotter Pittsburgh 2018, allpulses only, one EngineConfig for all FPs{note}")
    print(head)
    print("-" * len(head))
    for r in results:
        if r.failure:
            print(f"{r.fp:<4} FAILED: {r.failure}")
            continue
        diff = r.rms_m - VENDOR_RMS_M[r.fp]
        flag = "" if diff <= MAX_WORSE_THAN_VENDOR_M else " !"
        print(
            f"{r.fp:<4} {r.shots:>5} {r.located:>7} {len(r.extra):>5} {_fmt(r.rms_m)} "
            f"{_fmt(_max(r.errors_m), '7.1f')} {VENDOR_RMS_M[r.fp]:>6.2f} {_fmt(diff, '+6.2f')} "
            f"{_pct(r.inside95)} {_pct(r.inside95_survey)} {_fmt(_median(r.crlb_m), '5.2f')} "
            f"{r.seconds:>6.2f}{flag}"
        )
    ok = [r for r in results if not r.failure]
    errors = np.concatenate([r.errors_m for r in ok] + [np.zeros(0)])
    inside = np.concatenate([r.inside95 for r in ok] + [np.zeros(0, bool)])
    inside_s = np.concatenate([r.inside95_survey for r in ok] + [np.zeros(0, bool)])
    crlb = np.concatenate([r.crlb_m for r in ok] + [np.zeros(0)])
    shots = sum(r.shots for r in ok)
    located = sum(r.located for r in ok)
    extra = sum(len(r.extra) for r in ok)
    overall = _rms(errors)
    vendor = VENDOR_OVERALL_RMS_M if len(ok) == len(FIRING_POSITIONS) else math.nan
    print("-" * len(head))
    print(
        f"{'all':<4} {shots:>5} {located:>7} {extra:>5} {_fmt(overall)} "
        f"{_fmt(_max(errors), '7.1f')} {_fmt(vendor)} {_fmt(overall - vendor, '+6.2f')} "
        f"{_pct(inside)} {_pct(inside_s)} {_fmt(_median(crlb), '5.2f')}"
    )
    print(f"  median horizontal error {_fmt(_median(errors), '.2f')} m")
    print(
        "  vendor: Tech Note 098, preferred algorithm; diff: RMS - vendor (! more than "
        f"{MAX_WORSE_THAN_VENDOR_M} m worse)\n"
        "  cov95: survey point inside the event's 95 % ellipse (one-sigma axes x sqrt(5.991)); "
        f"cov95+s: ellipse widened by the survey's own ~{SURVEY_RMS_M} m RMS\n"
        "  CRLB: median crlb_m of the located shots (m)\n"
        f"  matched by time order (no pulse shared with a vendor tuple): "
        f"{sum(m.by_time_order for r in ok for m in r.matches)}"
    )
    if len(ok) == len(FIRING_POSITIONS):
        worst = max(r.rms_m - VENDOR_RMS_M[r.fp] for r in ok)
        checks = [
            (f"located >= {TARGET_LOCATED} of {TOTAL_SHOTS}", located >= TARGET_LOCATED),
            ("no extra events", extra == 0),
            (f"overall RMS <= {TARGET_RMS_M} m", overall <= TARGET_RMS_M),
            (f"overall RMS < {VENDOR_OVERALL_RMS_M} m (vendor)", overall < VENDOR_OVERALL_RMS_M),
            (f"no FP > {MAX_WORSE_THAN_VENDOR_M} m worse than vendor ({worst:+.2f})", worst <= 1.5),
        ]
        for text, passed in checks:
            print(f"  [{'pass' if passed else 'FAIL'}] {text}")
    print(f"Wall time {total_seconds:.1f} s (load + analyse per FP under 'time s')")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench shotspotter",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--fp", choices=FIRING_POSITIONS, action="append", help="one position")
    parser.add_argument(
        "--merge-twins", action="store_true", help="drop pulses identical but for their uuid"
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    results = []
    for fp in args.fp or FIRING_POSITIONS:
        try:
            results.append(run_position(fp, merge_twins=args.merge_twins))
        except Exception as exc:  # a benchmark reports a failure, it does not stop
            where = traceback.extract_tb(exc.__traceback__)[-1]
            failure = f"{type(exc).__name__}: {exc} ({Path(where.filename).name}:{where.lineno})"
            none, no = np.zeros(0), np.zeros(0, bool)
            results.append(PositionResult(fp, 0, [], [], none, no, no, none, 0.0, failure))
    note = " (twins merged)" if args.merge_twins else ""
    print_report(results, time.perf_counter() - start, note)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
