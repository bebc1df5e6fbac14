"""Groups of arrivals as padded per-event arrays in each event's own east-north-up frame."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truceline.engine.frames import (
    EARTH_RADIUS_M,
    enu_rotation,
    from_enu,
    geodetic_to_ecef,
    to_enu,
)
from truceline.engine.network import Network
from truceline.engine.soundspeed import WeatherModel

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]
BoolArray = NDArray[np.bool_]


@dataclass(frozen=True)
class EventBatch:
    """E events with up to K arrivals each; padded entries have mask False."""

    arrival: IntArray  # (E, K) arrival index, -1 for padding
    sensor_enu: FloatArray  # (E, K, 3) sensor positions in the event's frame
    sensor_height: FloatArray  # (E, K) up + curvature drop: height above the frame's sphere
    time_s: FloatArray  # (E, K) arrival time minus t_ref
    sigma_s: FloatArray  # (E, K)
    mask: BoolArray  # (E, K)
    t_ref: FloatArray  # (E,) POSIX seconds
    origin_ecef: FloatArray  # (E, 3) frame origin
    rotation: FloatArray  # (E, 3, 3) ECEF -> ENU
    c_still: FloatArray  # (E,) speed of sound from temperature
    wind_en: FloatArray  # (E, 2) wind vector (towards), m/s
    weather_known: BoolArray  # (E,) temperature and wind measured (else assumed)
    speed_sigma_ms: FloatArray  # (E,) how well the weather gives the speed of sound; NaN: unstated

    def __len__(self) -> int:
        return int(self.arrival.shape[0])

    def source_ecef(self, params: FloatArray) -> FloatArray:
        """Earth-centred positions (E, 3) of sources at (east, north, height above the
        frame's sphere) = params[:, :3] in each event's frame."""
        x, y, h = params[:, 0], params[:, 1], params[:, 2]
        up = h - (x**2 + y**2) / (2.0 * EARTH_RADIUS_M)
        return from_enu(np.stack([x, y, up], axis=-1), self.origin_ecef, self.rotation)

    def take(self, idx: IntArray, mask: BoolArray | None = None) -> EventBatch:
        """The events ``idx`` only (optionally with another arrival mask)."""
        fields = {f: getattr(self, f)[idx] for f in self.__dataclass_fields__}
        if mask is not None:
            fields["mask"] = mask
        return EventBatch(**fields)


# Below this signal-to-noise ratio a pulse's onset is picked less precisely: its timing sigma
# grows as the noise-to-signal amplitude ratio (x2 at 4 dB, x3.2 at 0 dB). Clear pulses keep
# the sensor's own sigma. (Measured on the Pittsburgh live-fire data, where far pulses barely
# above the noise arrive late through buildings; the simulator detects nothing below 10 dB.)
CLEAR_SNR_DB = 10.0


def pick_sigma_factor(snr_db: FloatArray) -> FloatArray:
    """How much a pulse's timing sigma grows with a low SNR; 1 when unknown (NaN).

    >>> pick_sigma_factor(np.array([20.0, 10.0, 4.0, np.nan])).round(2).tolist()
    [1.0, 1.0, 2.0, 1.0]
    """
    known = np.where(np.isfinite(snr_db), snr_db, CLEAR_SNR_DB)
    return np.asarray(np.maximum(1.0, 10.0 ** ((CLEAR_SNR_DB - known) / 20.0)))


def build_batch(
    groups: Sequence[IntArray],
    network: Network,
    arrival_sensor: IntArray,
    arrival_time_s: FloatArray,
    weather: WeatherModel,
    arrival_snr_db: FloatArray | None = None,
) -> EventBatch:
    """Padded arrays for ``groups`` (arrival indices); each frame is centred on its sensors.

    With the arrivals' signal-to-noise ratios, faint pulses get a wider timing sigma
    (:func:`pick_sigma_factor`)."""
    e = len(groups)
    k = max((len(g) for g in groups), default=1)
    arrival = np.full((e, k), -1, dtype=np.int64)
    for i, g in enumerate(groups):
        arrival[i, : len(g)] = g
    mask = arrival >= 0
    safe = np.where(mask, arrival, 0)
    sensor = arrival_sensor[safe]
    counts = np.maximum(mask.sum(axis=1), 1)
    lon0 = np.where(mask, network.lon[sensor], 0.0).sum(axis=1) / counts
    lat0 = np.where(mask, network.lat[sensor], 0.0).sum(axis=1) / counts
    origin = geodetic_to_ecef(lon0, lat0, np.zeros(e))
    rotation = enu_rotation(lon0, lat0)
    enu = to_enu(network.ecef[sensor], origin, rotation)
    height = enu[..., 2] + (enu[..., 0] ** 2 + enu[..., 1] ** 2) / (2.0 * EARTH_RADIUS_M)
    times = arrival_time_s[safe]
    t_ref = np.where(mask, times, np.inf).min(axis=1)
    t_ref = np.where(np.isfinite(t_ref), t_ref, 0.0)
    c_still, wind_e, wind_n = weather.at(t_ref)
    return EventBatch(
        arrival=arrival,
        sensor_enu=enu,
        sensor_height=height,
        time_s=np.where(mask, times - t_ref[:, None], 0.0),
        sigma_s=network.clock_sigma_s[sensor]
        * (1.0 if arrival_snr_db is None else pick_sigma_factor(arrival_snr_db[safe])),
        mask=mask,
        t_ref=t_ref,
        origin_ecef=origin,
        rotation=rotation,
        c_still=c_still,
        wind_en=np.stack([wind_e, wind_n], axis=-1),
        weather_known=np.full(e, weather.known),
        speed_sigma_ms=weather.speed_sigma_at(t_ref),
    )
