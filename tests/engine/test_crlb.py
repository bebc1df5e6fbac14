"""The Cramer-Rao bound: the right value, and the right way round as the geometry changes."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from truceline.engine.crlb import crlb_horizontal_m

C = 340.0
CROSS = np.array([[[1000.0, 0, 0], [-1000, 0, 0], [0, 1000, 0], [0, -1000, 0]]])


def bound(
    source: np.ndarray,
    sensors: np.ndarray,
    sigma: float | np.ndarray = 0.002,
    height_sigma_m: float | None = None,
    speed: float = C,
) -> float:
    sensors = np.asarray(sensors, float).reshape(1, -1, 3)
    k = sensors.shape[1]
    sig = np.broadcast_to(np.asarray(sigma, float), (1, k))
    out = crlb_horizontal_m(
        np.asarray(source, float).reshape(1, 3),
        sensors,
        sig,
        np.ones((1, k), bool),
        speed,
        height_sigma_m,
    )
    return float(out[0])


def ring(n: int, radius: float = 3000.0, heights: np.ndarray | None = None) -> np.ndarray:
    az = 2 * np.pi * np.arange(n) / n
    z = np.zeros(n) if heights is None else heights
    return np.stack([radius * np.sin(az), radius * np.cos(az), z], axis=-1)


def test_the_docstring_cross_is_sigma_times_c() -> None:
    """Four sensors in a cross, source at the centre: each axis has variance (sigma c)^2 / 2,
    so the RMS horizontal bound is sigma * c = 0.001 s * 340 m/s = 0.340 m."""
    b = crlb_horizontal_m(
        np.zeros((1, 3)), CROSS, np.full((1, 4), 0.001), np.ones((1, 4), bool), 340.0
    )
    assert round(float(b[0]), 3) == 0.340


def test_a_regular_ring_gives_the_textbook_bound() -> None:
    """N sensors evenly round the source: variance per axis 2 (sigma c)^2 / N."""
    for n in (4, 6, 12):
        expect = np.sqrt(2 * 2 * (0.002 * C) ** 2 / n)
        assert bound(np.zeros(3), ring(n)) == pytest.approx(expect, rel=1e-9)


def test_bound_scales_linearly_with_sigma_and_the_speed() -> None:
    sensors = ring(7, heights=np.linspace(100, 250, 7))
    source = np.array([400.0, -900.0, 150.0])
    base = bound(source, sensors, 0.002)
    for k in (0.5, 2.0, 3.0, 10.0):
        assert bound(source, sensors, 0.002 * k) == pytest.approx(k * base, rel=1e-9)
        assert bound(source, sensors, 0.002, speed=C * k) == pytest.approx(k * base, rel=1e-9)


def test_per_arrival_sigmas_weigh_arrivals() -> None:
    sensors = ring(6)
    source = np.array([200.0, 300.0, 0.0])
    uniform = bound(source, sensors, np.full(6, 0.002))
    one_worse = bound(source, sensors, np.array([0.002] * 5 + [0.02]))
    one_better = bound(source, sensors, np.array([0.002] * 5 + [0.0005]))
    assert one_better < uniform < one_worse


def test_more_sensors_lower_the_bound() -> None:
    rng = np.random.default_rng(4)
    sensors = np.concatenate([rng.uniform(-5000, 5000, (20, 2)), rng.uniform(100, 300, (20, 1))], 1)
    source = np.array([300.0, -200.0, 180.0])
    bounds = [bound(source, sensors[:k]) for k in range(4, 21)]
    assert all(b1 <= b0 * (1 + 1e-12) for b0, b1 in pairwise(bounds))
    assert bounds[-1] < 0.6 * bounds[0]
    # a masked-out sensor is as good as absent
    k = sensors.shape[0]
    mask = np.ones((1, k), bool)
    mask[0, 10:] = False
    masked = crlb_horizontal_m(source[None], sensors[None], np.full((1, k), 0.002), mask, C)[0]
    assert masked == pytest.approx(bound(source, sensors[:10]), rel=1e-9)


def test_a_source_outside_the_array_is_bounded_worse_than_one_at_its_centre() -> None:
    sensors = ring(8, radius=3000.0)
    centre = bound(np.zeros(3), sensors)
    edge = bound(np.array([3500.0, 0.0, 0.0]), sensors)
    far = bound(np.array([15_000.0, 0.0, 0.0]), sensors)
    very_far = bound(np.array([40_000.0, 0.0, 0.0]), sensors)
    assert centre < edge < far < very_far
    assert far > 5 * centre  # range is poorly determined from outside the array


def test_an_unknown_height_never_helps() -> None:
    rng = np.random.default_rng(8)
    for _ in range(20):
        sensors = np.concatenate(
            [rng.uniform(-4000, 4000, (6, 2)), rng.uniform(50, 400, (6, 1))], axis=1
        )
        source = np.concatenate([rng.uniform(-6000, 6000, 2), rng.uniform(50, 300, 1)])
        known = bound(source, sensors)
        for sigma_h in (1.0, 30.0, 100.0, 1000.0):
            assert bound(source, sensors, height_sigma_m=sigma_h) >= known * (1 - 1e-9)
        # a tight prior is nearly as good as knowing the height
        assert bound(source, sensors, height_sigma_m=1e-3) == pytest.approx(known, rel=1e-4)


def test_vectorised_over_events_like_one_at_a_time() -> None:
    rng = np.random.default_rng(2)
    e, k = 30, 9
    sensors = np.concatenate(
        [rng.uniform(-5000, 5000, (e, k, 2)), rng.uniform(100, 300, (e, k, 1))], 2
    )
    sources = np.concatenate([rng.uniform(-5000, 5000, (e, 2)), rng.uniform(100, 300, (e, 1))], 1)
    sigma = rng.choice([0.002, 0.003, 0.005], (e, k))
    mask = rng.random((e, k)) < 0.8
    mask[:, :4] = True
    speed = rng.uniform(330, 345, e)
    together = crlb_horizontal_m(sources, sensors, sigma, mask, speed, 100.0)
    for i in range(e):
        alone = crlb_horizontal_m(
            sources[i : i + 1],
            sensors[i : i + 1][:, mask[i]],
            sigma[i : i + 1][:, mask[i]],
            np.ones((1, int(mask[i].sum())), bool),
            speed[i : i + 1],
            100.0,
        )
        assert together[i] == pytest.approx(alone[0], rel=1e-9)
