"""Error ellipses from a 2x2 east-north covariance."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
CHI2_2DOF_95 = 5.991464547107979  # 95 % quantile of chi-square with 2 degrees of freedom


def error_ellipse(cov_en: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """One-sigma semi-axes (major, minor, metres) and major-axis azimuth (degrees from north,
    in [0, 180)) of east-north covariances (E, 2, 2).

    >>> major, minor, az = error_ellipse(np.array([[[1.0, 0.0], [0.0, 4.0]]]))
    >>> float(major[0]), float(minor[0]), float(az[0])
    (2.0, 1.0, 0.0)
    """
    vals, vecs = np.linalg.eigh(cov_en)
    major = np.sqrt(np.maximum(vals[:, 1], 0.0))
    minor = np.sqrt(np.maximum(vals[:, 0], 0.0))
    east, north = vecs[:, 0, 1], vecs[:, 1, 1]
    azimuth = np.degrees(np.arctan2(east, north)) % 180.0
    return major, minor, np.where(np.isclose(azimuth, 180.0), 0.0, azimuth)
