"""Attribution and pairing on simulated days, beside the naive baseline, against the truth.

For each profile (busy, quiet) and seed, a day (``--hours``) on the synthetic theatre is
simulated, located, attributed (exact Gaussian-over-polygon integration over the control
areas) and paired (time of flight per weapon class). Each located event is matched to the true
event most of its arrivals come from (events with less than 90 % of their arrivals from one
true event are left out of the scores). Printed per run:

- launches: attribution accuracy over located launches (a launch left "not attributable"
  counts as wrong), the share attributed, accuracy among those attributed, and the Brier
  score of P(true party) (mean of (1 - p)^2 over located launches);
- impacts whose true launch was located: attributed correctly through pairing (ours), beside
  the naive baseline "the party opposite the side where the impact landed";
- pairing: among located impacts whose true launch was located, paired with exactly that
  launch (round), with a launch of the same firing mission (salvo: the rockets of one
  launcher, fired 0.6 s apart from one place and landing in no fixed order within a 250 m
  spread, cannot be told apart by sound), and by round outside MLRS salvos.

Medians over seeds are printed per profile.

    python -m bench attribute_sim                      # busy and quiet, seeds 1 2 3, 6 h
    python -m bench attribute_sim --seeds 4 5 --hours 12 --profiles busy
"""

from __future__ import annotations

import argparse
import statistics
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np

from truceline.domain import Event
from truceline.engine.attribute import attribute_events, with_attribution
from truceline.engine.pair import pair_impacts, with_pairs
from truceline.engine.pipeline import analyze_arrivals
from truceline.sim.scenario import Scenario, simulate
from truceline.sim.theatres import synthetic_theatre

START = datetime(2026, 11, 21, tzinfo=UTC)
PURITY = 0.9  # share of an event's arrivals that must come from its true event


@dataclass(frozen=True)
class Scores:
    launches: int
    launch_accuracy: float
    attributed_share: float
    accuracy_when_attributed: float
    brier: float
    impacts: int
    impact_accuracy: float
    impact_naive: float
    pairing_round: float
    pairing_salvo: float
    pairing_round_single: float  # rounds not fired in a multi-round rocket salvo


def true_event_of(sc: Scenario, events: list[Event]) -> list[int]:
    """Index of the true event each located event stands for (-1 when impure)."""
    index = {aid: i for i, aid in enumerate(sc.arrival_ids())}
    owner = sc.arrivals.event
    out = []
    for e in events:
        o = owner[[index[a] for a in e.arrival_ids]]
        if not (o >= 0).any():
            out.append(-1)
            continue
        top = int(np.bincount(o[o >= 0]).argmax())
        out.append(top if np.mean(o == top) >= PURITY else -1)
    return out


def score(sc: Scenario, events: list[Event]) -> Scores:
    truth = sc.events
    true_of = true_event_of(sc, events)
    attributions = {a.event_id: a for a in attribute_events(events, sc.theatre)}
    located = {t: e for e, t in zip(events, true_of, strict=True) if t >= 0}
    launch_ok, attributed, right_attributed, brier = [], [], [], []
    for t, e in located.items():
        if truth.kind[t] != "launch" or e.kind != "launch":
            continue
        party = str(truth.party[t])
        p_true = attributions[e.event_id].p_by_party.get(party, 0.0)
        launch_ok.append(e.responsible_party == party)
        attributed.append(e.responsible_party is not None)
        if e.responsible_party is not None:
            right_attributed.append(e.responsible_party == party)
        brier.append((1.0 - p_true) ** 2)
    parties = {p.id for p in sc.theatre.parties}
    impact_ok, naive_ok, round_ok, salvo_ok, single_ok = [], [], [], [], []
    round_of = {int(r): i for i, r in enumerate(truth.round_id) if truth.kind[i] == "launch"}
    for t, e in located.items():
        if truth.kind[t] != "impact" or e.kind != "impact":
            continue
        true_launch = round_of.get(int(truth.round_id[t]), -1)
        if true_launch not in located:
            continue
        party = str(truth.party[t])
        impact_ok.append(e.responsible_party == party)
        others = sorted(parties - {e.party_control or ""})
        naive_ok.append(len(others) == 1 and others[0] == party)
        paired = _true_of_id(events, true_of, e.paired_event_id)
        round_ok.append(paired == true_launch)
        salvo_ok.append(paired >= 0 and truth.mission[paired] == truth.mission[true_launch])
        if not str(truth.weapon[t]).startswith("mlrs"):
            single_ok.append(paired == true_launch)
    return Scores(
        len(launch_ok),
        _mean(launch_ok),
        _mean(attributed),
        _mean(right_attributed),
        _mean(brier),
        len(impact_ok),
        _mean(impact_ok),
        _mean(naive_ok),
        _mean(round_ok),
        _mean(salvo_ok),
        _mean(single_ok),
    )


def _true_of_id(events: list[Event], true_of: list[int], event_id: str | None) -> int:
    for e, t in zip(events, true_of, strict=True):
        if e.event_id == event_id:
            return t
    return -1


def _mean(values: list[bool] | list[float]) -> float:
    return float(np.mean(values)) if values else float("nan")


def run(profile: str, seed: int, hours: int) -> Scores:
    theatre = synthetic_theatre()
    sc = simulate(theatre, seed=seed, profile=profile, start=START, hours=hours)
    events = analyze_arrivals(sc.sensors(), sc.domain_arrivals(), sc.domain_weather()).events
    events = with_attribution(events, attribute_events(events, theatre))
    events = with_pairs(events, pair_impacts(events))
    return score(sc, events)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seeds", type=int, nargs="*", default=[1, 2, 3])
    ap.add_argument("--hours", type=int, default=6)
    ap.add_argument("--profiles", nargs="*", default=["busy", "quiet"])
    args = ap.parse_args(argv)
    head = (
        f"{'profile':<7} {'seed':>4} {'launches':>8} {'acc':>6} {'attrib':>6} {'acc|att':>7} "
        f"{'Brier':>7} {'impacts':>7} {'imp acc':>7} {'naive':>6} {'pair rnd':>8} "
        f"{'pair salvo':>10} {'pair rnd non-MLRS':>17}"
    )
    print(head)
    print("-" * len(head))
    for profile in args.profiles:
        rows = []
        for seed in args.seeds:
            s = run(profile, seed, args.hours)
            rows.append(s)
            print(
                f"{profile:<7} {seed:>4} {s.launches:>8} {s.launch_accuracy:6.3f} "
                f"{s.attributed_share:6.3f} {s.accuracy_when_attributed:7.3f} {s.brier:7.4f} "
                f"{s.impacts:>7} {s.impact_accuracy:7.3f} {s.impact_naive:6.3f} "
                f"{s.pairing_round:8.3f} {s.pairing_salvo:10.3f} {s.pairing_round_single:17.3f}"
            )

        def med(name: str, rows: list[Scores] = rows) -> float:
            return statistics.median(getattr(r, name) for r in rows)

        print(
            f"{profile} median: launch attribution accuracy {med('launch_accuracy'):.3f} "
            f"(Brier {med('brier'):.4f}); impacts through pairing {med('impact_accuracy'):.3f} "
            f"vs naive {med('impact_naive'):.3f} "
            f"(+{med('impact_accuracy') - med('impact_naive'):.3f}); pairing "
            f"{med('pairing_round'):.3f} by round, {med('pairing_salvo'):.3f} by salvo, "
            f"{med('pairing_round_single'):.3f} by round outside MLRS salvos"
        )
    return 0
