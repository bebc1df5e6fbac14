"""Surface weather over a simulated period, and the speed of sound it implies."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
SECONDS_PER_HOUR = 3600.0


def speed_of_sound_ms(temperature_c: FloatArray | float) -> FloatArray:
    """Speed of sound in dry air (m/s) at a temperature in degrees Celsius.

    >>> round(float(speed_of_sound_ms(20.0)), 1)
    343.2
    """
    return np.asarray(331.3 * np.sqrt(1.0 + np.asarray(temperature_c) / 273.15))


@dataclass(frozen=True)
class WeatherSeries:
    """Hourly surface weather; wind_from_deg is where the wind blows from (METAR)."""

    time_s: FloatArray  # POSIX seconds
    temperature_c: FloatArray
    wind_speed_ms: FloatArray
    wind_from_deg: FloatArray

    def at(self, t: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Temperature and wind vector (east, north components, m/s, blowing towards) at times."""
        temp = np.interp(t, self.time_s, self.temperature_c)
        to_rad = np.radians(self.wind_from_deg + 180.0)
        east = np.interp(t, self.time_s, self.wind_speed_ms * np.sin(to_rad))
        north = np.interp(t, self.time_s, self.wind_speed_ms * np.cos(to_rad))
        return temp, east, north


def simulate_weather(
    rng: np.random.Generator, start_s: float, hours: int, *, windy: bool = True
) -> WeatherSeries:
    """A plausible autumn day on the steppe: diurnal temperature, wandering wind."""
    n = hours + 1
    t = start_s + SECONDS_PER_HOUR * np.arange(n, dtype=np.float64)
    hour_of_day = (t / SECONDS_PER_HOUR) % 24
    temp = 4.0 + 4.0 * np.sin(2 * np.pi * (hour_of_day - 9.0) / 24.0) + rng.normal(0, 0.4, n)
    if windy:
        speed = np.clip(3.5 + np.cumsum(rng.normal(0, 0.6, n)), 0.0, 10.0)
        direction = (rng.uniform(0, 360) + np.cumsum(rng.normal(0, 8.0, n))) % 360.0
    else:
        speed = np.zeros(n)
        direction = np.zeros(n)
    return WeatherSeries(t, np.round(temp, 2), np.round(speed, 2), np.round(direction, 1))
