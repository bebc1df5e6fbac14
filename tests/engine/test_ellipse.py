"""Error ellipses: axes and the azimuth of the major axis, clockwise from north in [0, 180)."""

from __future__ import annotations

import numpy as np
import pytest

from truceline.engine.ellipse import CHI2_2DOF_95, error_ellipse


def covariance(major: float, minor: float, azimuth_deg: float) -> np.ndarray:
    """East-north covariance whose major axis points ``azimuth_deg`` clockwise from north."""
    a = np.radians(azimuth_deg)
    u = np.array([np.sin(a), np.cos(a)])  # (east, north) along the major axis
    v = np.array([np.cos(a), -np.sin(a)])
    return major**2 * np.outer(u, u) + minor**2 * np.outer(v, v)


@pytest.mark.parametrize(
    ("azimuth", "expect"),
    [
        (0.0, 0.0),
        (30.0, 30.0),
        (45.0, 45.0),
        (90.0, 90.0),
        (120.0, 120.0),
        (179.0, 179.0),
        (180.0, 0.0),
        (210.0, 30.0),
        (-30.0, 150.0),
        (300.0, 120.0),
    ],
)
def test_rotated_covariances(azimuth: float, expect: float) -> None:
    major, minor, az = error_ellipse(covariance(12.0, 3.0, azimuth)[None])
    assert major[0] == pytest.approx(12.0, rel=1e-9)
    assert minor[0] == pytest.approx(3.0, rel=1e-9)
    assert az[0] == pytest.approx(expect, abs=1e-6)


def test_thirty_degrees_east_of_north_by_hand() -> None:
    """sigma_e^2 = 7, sigma_n^2 = 13, cov = 3 sqrt(3): axes 4 and 2, major at 30 degrees."""
    cov = np.array([[[7.0, 3.0 * np.sqrt(3.0)], [3.0 * np.sqrt(3.0), 13.0]]])
    major, minor, az = error_ellipse(cov)
    assert (major[0], minor[0]) == (pytest.approx(4.0), pytest.approx(2.0))
    assert az[0] == pytest.approx(30.0)
    # negative correlation: the major axis leans west of north
    cov[0, 0, 1] = cov[0, 1, 0] = -3.0 * np.sqrt(3.0)
    assert error_ellipse(cov)[2][0] == pytest.approx(150.0)


def test_east_west_and_north_south() -> None:
    cov = np.array([[[9.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 9.0]]])
    major, minor, az = error_ellipse(cov)
    np.testing.assert_allclose(major, [3.0, 3.0])
    np.testing.assert_allclose(minor, [1.0, 1.0])
    np.testing.assert_allclose(az, [90.0, 0.0], atol=1e-9)


def test_random_covariances_round_trip() -> None:
    """minor <= major, azimuth in [0, 180), and the three numbers rebuild the covariance."""
    rng = np.random.default_rng(9)
    n = 5000
    a = rng.normal(size=(n, 2, 2)) * rng.lognormal(0, 2, (n, 1, 1))
    cov = a @ np.swapaxes(a, 1, 2) + 1e-9 * np.eye(2)
    major, minor, az = error_ellipse(cov)
    assert np.all(minor <= major)
    assert np.all((az >= 0.0) & (az < 180.0))
    rebuilt = np.array([covariance(M, m, z) for M, m, z in zip(major, minor, az, strict=True)])
    np.testing.assert_allclose(rebuilt, cov, rtol=1e-7, atol=1e-9 * cov.max())


def test_circle_has_equal_axes_and_a_valid_azimuth() -> None:
    major, minor, az = error_ellipse(np.array([[[4.0, 0.0], [0.0, 4.0]]]))
    assert major[0] == pytest.approx(2.0) and minor[0] == pytest.approx(2.0)
    assert 0.0 <= az[0] < 180.0


def test_95_percent_of_gaussian_errors_fall_inside_the_95_percent_ellipse() -> None:
    """The one-sigma axes scaled by sqrt(chi2_2(0.95)) = 2.45 hold 95 % of draws."""
    rng = np.random.default_rng(1)
    cov = covariance(10.0, 2.5, 30.0)
    draws = rng.multivariate_normal([0.0, 0.0], cov, 40_000)
    major, minor, az = error_ellipse(cov[None])
    a = np.radians(az[0])
    along = draws @ np.array([np.sin(a), np.cos(a)])
    across = draws @ np.array([np.cos(a), -np.sin(a)])
    inside = (along / major[0]) ** 2 + (across / minor[0]) ** 2 <= CHI2_2DOF_95
    assert inside.mean() == pytest.approx(0.95, abs=0.005)
