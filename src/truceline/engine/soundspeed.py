"""The speed of sound from weather: temperature, and wind along the path."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from truceline.domain import Weather

FloatArray = NDArray[np.float64]
DEFAULT_TEMPERATURE_C = 10.0


def speed_of_sound_ms(temperature_c: FloatArray | float) -> FloatArray:
    """Speed of sound in dry air (m/s) at a temperature in degrees Celsius.

    >>> round(float(speed_of_sound_ms(0.0)), 1)
    331.3
    """
    return np.asarray(331.3 * np.sqrt(1.0 + np.asarray(temperature_c) / 273.15))


@dataclass(frozen=True)
class WeatherModel:
    """Weather interpolated in time; one row applies to the whole period."""

    time_s: FloatArray
    temperature_c: FloatArray
    wind_east_ms: FloatArray  # components of the vector the wind blows TOWARDS
    wind_north_ms: FloatArray
    known: bool = True
    # How well each row gives the speed of sound along the paths (m/s); NaN: not stated.
    speed_sigma_ms: FloatArray | None = None

    @classmethod
    def from_rows(cls, rows: Sequence[Weather]) -> WeatherModel:
        """From weather.csv rows; with no rows, 10 degrees C and calm, marked as not known."""
        if not rows:
            z = np.zeros(1)
            return cls(z, z + DEFAULT_TEMPERATURE_C, z, z, known=False)
        ordered = sorted(rows, key=lambda w: w.time)
        t = np.array([w.time.timestamp() for w in ordered])
        towards = np.radians(np.array([w.wind_from_deg for w in ordered]) + 180.0)
        speed = np.array([w.wind_speed_ms for w in ordered])
        temp = np.array([w.temperature_c for w in ordered])
        sigma = np.array(
            [np.nan if w.sound_speed_sigma_ms is None else w.sound_speed_sigma_ms for w in ordered]
        )
        return cls(t, temp, speed * np.sin(towards), speed * np.cos(towards), True, sigma)

    def at(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Speed of sound in still air and the wind vector (east, north) at POSIX times."""
        temp = np.interp(t, self.time_s, self.temperature_c)
        east = np.interp(t, self.time_s, self.wind_east_ms)
        north = np.interp(t, self.time_s, self.wind_north_ms)
        return speed_of_sound_ms(temp), east, north

    def speed_sigma_at(self, t: FloatArray) -> FloatArray:
        """The stated sigma of the speed of sound at POSIX times (m/s): the larger of the two
        rows around each time; NaN where a row does not state it, or with no weather at all."""
        if self.speed_sigma_ms is None:
            return np.full(np.shape(t), np.nan)
        t = np.asarray(t, dtype=np.float64)
        after = np.clip(np.searchsorted(self.time_s, t), 0, len(self.time_s) - 1)
        before = np.clip(after - 1, 0, len(self.time_s) - 1)
        a, b = self.speed_sigma_ms[before], self.speed_sigma_ms[after]
        return np.asarray(np.where(np.isnan(a) | np.isnan(b), np.nan, np.maximum(a, b)))
