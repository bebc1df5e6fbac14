"""Who speaks, how independently, and how much to believe them: sources and corroboration.

Independent sources: the sensor network is one source; each monitor team, UAV and camera is
one; a party's liaison is one however often it repeats itself (``source_groups`` can declare
several source ids to be one party); an OSINT item and its reposts are one, even under other
accounts: two OSINT reports are one item when their texts, times and locations are nearly the
same (word-set Jaccard, ``repost_time_s``, ``repost_distance_m``).

Belief: each report's Admiralty grades are mapped to probabilities
(:data:`~truceline.engine.report_config.RELIABILITY_P`, ``CREDIBILITY_P``) and read as
evidence in log-odds, ``logit(p_reliability) + logit(p_credibility)``; a source counts once,
with the strongest of its reports; the sources of an event add up:
``logit(P) = logit(prior_p) + sum over sources``. The sensor network adds ``logit(sensor_p)``.

Corroboration: ``verified`` when two independent sources or more, one of them the mission's
own (sensors, monitors, UAV, camera), give ``P >= p_verified``; ``corroborated`` when two or
more give ``P >= p_corroborated``; otherwise ``single_source``. A complaint alone, or repeated,
or reposted, is one source and stays ``single_source``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from truceline.domain import Corroboration, Report
from truceline.engine.report_config import CREDIBILITY_P, RELIABILITY_P, FuseConfig
from truceline.engine.report_likelihood import expand_ranges

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]
_WORD = re.compile(r"\w+")
LEVELS = (Corroboration.SINGLE_SOURCE, Corroboration.CORROBORATED, Corroboration.VERIFIED)


def logit(p: float) -> float:
    """Log-odds of a probability.

    >>> round(logit(0.8), 4)
    1.3863
    """
    return math.log(p / (1.0 - p))


def report_evidence(report: Report, cfg: FuseConfig) -> float:
    """Log-odds a report adds, from its Admiralty grades (or the defaults of its kind).

    >>> from datetime import UTC, datetime
    >>> from truceline.domain import SourceKind
    >>> r = Report("R1", "LO-UA", SourceKind.PARTY, datetime(2026, 1, 1, tzinfo=UTC),
    ...            "explosion", reliability="D", credibility="4")
    >>> round(report_evidence(r, FuseConfig()), 3)
    -0.606
    """
    rel, cred = cfg.default_grades.get(report.source_kind, ("F", "6"))
    rel = report.reliability or rel
    cred = report.credibility or cred
    return logit(RELIABILITY_P[rel]) + logit(CREDIBILITY_P[cred])


def _words(text: str | None) -> frozenset[str]:
    return frozenset(_WORD.findall((text or "").lower()))


def text_similarity(a: str | None, b: str | None) -> float:
    """Jaccard similarity of the word sets of two texts (two empty texts are alike).

    >>> text_similarity("Explosions in Avdiivka", "explosions in avdiivka!")
    1.0
    """
    wa, wb = _words(a), _words(b)
    if not wa and not wb:
        return 1.0
    return len(wa & wb) / len(wa | wb)


def repost_representatives(
    reports: Sequence[Report], x: FloatArray, y: FloatArray, cfg: FuseConfig
) -> IntArray:
    """For each report, the index of the first report of its item (itself unless a repost).

    ``x``, ``y`` are the reports' positions in metres (located position or observer).
    """
    n = len(reports)
    t = np.array([r.time.timestamp() for r in reports], dtype=np.float64)
    eligible = np.array([r.source_kind in cfg.repost_kinds for r in reports], dtype=bool)
    order = np.argsort(t, kind="stable")
    hi = np.searchsorted(t[order], t[order] + cfg.repost_time_s, side="right")
    row, col = expand_ranges(np.arange(1, n + 1), hi)
    i, j = order[row], order[col]
    near = np.hypot(x[i] - x[j], y[i] - y[j]) <= cfg.repost_distance_m
    keep = eligible[i] & eligible[j] & near
    i, j = i[keep], j[keep]
    alike = np.array(
        [
            text_similarity(reports[a].text, reports[b].text) >= cfg.repost_text_similarity
            for a, b in zip(i, j, strict=True)
        ],
        dtype=bool,
    )
    graph = coo_matrix((np.ones(int(alike.sum())), (i[alike], j[alike])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    first = np.full(label.max() + 1 if n else 0, n, dtype=np.int64)
    np.minimum.at(first, label, order.argsort())  # earliest (then first listed) of each item
    return np.asarray(order[first[label]], dtype=np.int64)


def source_keys(
    reports: Sequence[Report], x: FloatArray, y: FloatArray, cfg: FuseConfig
) -> list[str]:
    """One key per independent source: reports sharing a key count once."""
    rep = repost_representatives(reports, x, y, cfg)
    keys = []
    for r, k in zip(reports, rep, strict=True):
        speaker = reports[k].source_id
        keys.append(f"{r.source_kind.value}:{cfg.source_groups.get(speaker, speaker)}")
    return keys


def corroborate(
    event: IntArray,
    key: IntArray,
    evidence: FloatArray,
    mission: BoolArray,
    n_events: int,
    cfg: FuseConfig,
) -> tuple[list[Corroboration], FloatArray]:
    """Corroboration level and combined probability of each event from its sources' rows.

    One row per (event, report): the event's index, the source key (an integer code), the
    report's evidence (log-odds) and whether the source is the mission's own.

    >>> cfg = FuseConfig()
    >>> levels, p = corroborate(np.array([0, 0, 1]), np.array([0, 1, 2]),
    ...     np.array([logit(0.95), logit(0.8), -0.6]), np.array([True, True, False]), 2, cfg)
    >>> [str(v) for v in levels], [round(float(v), 3) for v in p]
    (['verified', 'single_source'], [0.987, 0.354])
    """
    order = np.lexsort((-evidence, key, event))
    ev, k, e, m = event[order], key[order], evidence[order], mission[order]
    first = np.ones(len(ev), dtype=bool)
    first[1:] = (ev[1:] != ev[:-1]) | (k[1:] != k[:-1])  # strongest report of each source
    n_sources = np.bincount(ev[first], minlength=n_events)
    total = np.bincount(ev[first], e[first], minlength=n_events) + logit(cfg.prior_p)
    own = np.bincount(ev[first], m[first].astype(np.float64), n_events) > 0
    p = 1.0 / (1.0 + np.exp(-total))
    level = np.zeros(n_events, dtype=np.int64)
    level[(n_sources >= 2) & (p >= cfg.p_corroborated)] = 1
    level[(n_sources >= 2) & own & (p >= cfg.p_verified)] = 2
    return [LEVELS[v] for v in level], p
