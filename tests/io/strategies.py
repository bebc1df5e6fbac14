"""Hypothesis strategies for the interchange records, respecting the validation rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import strategies as st

from truceline.domain import (
    CREDIBILITY_GRADES,
    RELIABILITY_GRADES,
    Arrival,
    ArrivalLabel,
    Assessment,
    Corroboration,
    Event,
    EventKind,
    Report,
    Sensor,
    SourceKind,
    Weather,
)

# Any UTF-8 encodable text except NUL (refused as binary): commas, quotes, newlines included.
CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
texts = st.text(CHARS, min_size=1, max_size=12)
ids = texts
list_ids = st.text(st.characters(codec="utf-8", exclude_characters="\x00;"), min_size=1)


def floats(
    low: float | None = None, high: float | None = None, **kw: bool
) -> st.SearchStrategy[float]:
    return st.floats(low, high, allow_nan=False, allow_infinity=False, **kw)


lons = floats(-180.0, 180.0)
lats = floats(-90.0, 90.0)
azimuths = floats(0.0, 360.0, exclude_max=True)
nonnegative = floats(0.0)
times = st.datetimes(timezones=st.just(UTC))
# Other fixed offsets are written as the same instant in UTC.
offset_times = st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2100, 1, 1)).flatmap(
    lambda naive: st.builds(
        lambda minutes: naive.replace(tzinfo=timezone(timedelta(minutes=minutes))),
        st.integers(-23 * 60 - 59, 23 * 60 + 59),
    )
)


def optional(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


sensors = st.builds(
    Sensor,
    sensor_id=ids,
    lon=lons,
    lat=lats,
    elev_m=floats(),
    kind=texts,
    clock_sigma_s=nonnegative,
)

arrivals = st.builds(
    Arrival,
    arrival_id=ids,
    sensor_id=ids,
    time=times | offset_times,
    label=optional(st.sampled_from(ArrivalLabel)),
    snr_db=optional(floats()),
)

weather_rows = st.builds(
    Weather,
    time=times | offset_times,
    temperature_c=floats(),
    wind_speed_ms=nonnegative,
    wind_from_deg=azimuths,
    sound_speed_sigma_ms=optional(nonnegative),
)


@st.composite
def reports(draw: st.DrawFn) -> Report:
    observer = draw(optional(st.tuples(lons, lats)))
    located = draw(optional(st.tuples(lons, lats)))
    distances = sorted(draw(st.lists(nonnegative, min_size=2, max_size=2)))
    low = draw(st.sampled_from([None, distances[0]]))
    high = draw(st.sampled_from([None, distances[1]]))
    return Report(
        report_id=draw(ids),
        source_id=draw(ids),
        source_kind=draw(st.sampled_from(SourceKind)),
        time=draw(times),
        event_type=draw(texts),
        reliability=draw(optional(st.sampled_from(RELIABILITY_GRADES))),
        credibility=draw(optional(st.sampled_from(CREDIBILITY_GRADES))),
        time_sigma_s=draw(optional(nonnegative)),
        observer_lon=None if observer is None else observer[0],
        observer_lat=None if observer is None else observer[1],
        bearing_deg=draw(optional(azimuths)),
        bearing_sigma_deg=draw(optional(nonnegative)),
        distance_min_m=low,
        distance_max_m=high,
        lon=None if located is None else located[0],
        lat=None if located is None else located[1],
        loc_sigma_m=draw(optional(nonnegative)),
        count=draw(st.integers(1, 10**12)),
        assessment=draw(optional(st.sampled_from(Assessment))),
        weapon=draw(optional(texts)),
        accused_party=draw(optional(texts)),
        text=draw(optional(st.text(CHARS, min_size=1))),
    )


@st.composite
def events(draw: st.DrawFn) -> Event:
    axes = sorted(draw(st.lists(nonnegative, min_size=2, max_size=2)))
    ellipse = draw(st.booleans())
    probabilities = floats(0.0, 1.0)
    return Event(
        event_id=draw(ids),
        time=draw(times),
        lon=draw(lons),
        lat=draw(lats),
        kind=draw(st.sampled_from(EventKind)),
        n_sensors=draw(st.integers(0, 10_000)),
        err_major_m=axes[1] if ellipse else None,
        err_minor_m=axes[0] if ellipse else None,
        err_azimuth_deg=draw(optional(azimuths)),
        arrival_ids=tuple(draw(st.lists(list_ids, max_size=6))),
        report_ids=tuple(draw(st.lists(list_ids, max_size=3))),
        corroboration=draw(st.sampled_from(Corroboration)),
        party_control=draw(optional(texts)),
        p_control=draw(optional(probabilities)),
        responsible_party=draw(optional(texts)),
        p_responsible=draw(optional(probabilities)),
        paired_event_id=draw(optional(ids)),
        crlb_m=draw(optional(floats(0.0, 1e6))),
    )
