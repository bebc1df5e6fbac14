"""The Cramer-Rao bound: the smallest position error any unbiased locator can reach.

For arrival times t_i = t0 + d_i / c + noise(sigma_i) the Fisher information of (east, north,
[height], t0) is J^T diag(1/sigma^2) J with J the derivatives of the predicted times. The bound
on the horizontal position is sqrt(trace) of the east-north block of its inverse. Height is
either known (2D bound) or given a Gaussian prior, the same the locator uses.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]


def crlb_horizontal_m(
    source_enu: FloatArray,
    sensor_enu: FloatArray,
    sigma_s: FloatArray,
    mask: BoolArray,
    speed_ms: FloatArray | float,
    height_sigma_m: float | None = None,
) -> FloatArray:
    """RMS horizontal bound (m) for sources (E, 3) heard by sensors (E, K, 3).

    >>> sensors = np.array([[[1000.0, 0, 0], [-1000, 0, 0], [0, 1000, 0], [0, -1000, 0]]])
    >>> bound = crlb_horizontal_m(np.zeros((1, 3)), sensors, np.full((1, 4), 0.001),
    ...                           np.ones((1, 4), bool), 340.0)
    >>> round(float(bound[0]), 3)  # c * sigma for this symmetric cross
    0.34
    """
    c = np.asarray(speed_ms, dtype=np.float64)
    c = c[:, None] if c.ndim == 1 else c
    diff = source_enu[:, None, :] - sensor_enu
    d = np.maximum(np.linalg.norm(diff, axis=-1), 1e-3)
    unit = diff / d[..., None]
    ones = np.ones(d.shape)
    cols = [unit[..., 0] / c, unit[..., 1] / c]
    if height_sigma_m is not None:
        cols.append(unit[..., 2] / c)
    cols.append(ones)
    jac = np.stack(cols, axis=-1)
    w = mask / sigma_s**2
    fim = np.einsum("eki,ekj,ek->eij", jac, jac, w)
    if height_sigma_m is not None:
        fim[:, 2, 2] += 1.0 / height_sigma_m**2
    p = fim.shape[-1]
    cov = np.linalg.inv(fim + 1e-18 * np.eye(p))
    return np.asarray(np.sqrt(cov[:, 0, 0] + cov[:, 1, 1]))
