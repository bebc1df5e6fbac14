"""The tables of the store (SQLAlchemy Core); columns mirror the domain dataclasses.

Enumerations are stored as their string values; lists of ids (``Event.arrival_ids``,
``Event.report_ids``, ``Case.violation_ids``) as ``;``-joined text, as in events.csv.
Every change here needs a migration in ``migrations/versions`` (a test compares them).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Double,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

from truceline.store.types import UTCDateTime

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_name)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

metadata = MetaData(naming_convention=NAMING_CONVENTION)

sensors = Table(
    "sensors",
    metadata,
    Column("sensor_id", String, primary_key=True),
    Column("lon", Double, nullable=False),
    Column("lat", Double, nullable=False),
    Column("elev_m", Double, nullable=False),
    Column("kind", String, nullable=False),
    Column("clock_sigma_s", Double, nullable=False),
)

arrivals = Table(
    "arrivals",
    metadata,
    Column("arrival_id", String, primary_key=True),
    Column("sensor_id", String, ForeignKey("sensors.sensor_id"), nullable=False, index=True),
    Column("time", UTCDateTime, nullable=False, index=True),
    Column("label", String),
    Column("snr_db", Double),
)

weather = Table(
    "weather",
    metadata,
    Column("time", UTCDateTime, primary_key=True),
    Column("temperature_c", Double, nullable=False),
    Column("wind_speed_ms", Double, nullable=False),
    Column("wind_from_deg", Double, nullable=False),
)

reports = Table(
    "reports",
    metadata,
    Column("report_id", String, primary_key=True),
    Column("source_id", String, nullable=False, index=True),
    Column("source_kind", String, nullable=False),
    Column("time", UTCDateTime, nullable=False, index=True),
    Column("event_type", String, nullable=False),
    Column("reliability", String),
    Column("credibility", String),
    Column("time_sigma_s", Double),
    Column("observer_lon", Double),
    Column("observer_lat", Double),
    Column("bearing_deg", Double),
    Column("bearing_sigma_deg", Double),
    Column("distance_min_m", Double),
    Column("distance_max_m", Double),
    Column("lon", Double),
    Column("lat", Double),
    Column("loc_sigma_m", Double),
    Column("count", Integer, nullable=False),
    Column("assessment", String),
    Column("weapon", String),
    Column("accused_party", String),
    Column("text", Text),
)

events = Table(
    "events",
    metadata,
    Column("event_id", String, primary_key=True),
    Column("time", UTCDateTime, nullable=False, index=True),
    Column("lon", Double, nullable=False),
    Column("lat", Double, nullable=False),
    Column("kind", String, nullable=False),
    Column("n_sensors", Integer, nullable=False),
    Column("err_major_m", Double),
    Column("err_minor_m", Double),
    Column("err_azimuth_deg", Double),
    Column("arrival_ids", Text, nullable=False),
    Column("report_ids", Text, nullable=False),
    Column("corroboration", String, nullable=False),
    Column("party_control", String),
    Column("p_control", Double),
    Column("responsible_party", String),
    Column("p_responsible", Double),
    Column("paired_event_id", String),
    Column("crlb_m", Double),
)

violations = Table(
    "violations",
    metadata,
    Column("violation_id", String, primary_key=True),
    Column("type", String, nullable=False),
    Column("severity", String, nullable=False),
    Column("time", UTCDateTime, nullable=False, index=True),
    Column("event_id", String, ForeignKey("events.event_id"), index=True),
    Column("report_id", String, ForeignKey("reports.report_id"), index=True),
    Column("party", String),
    Column("p_party", Double),
    Column("lon", Double),
    Column("lat", Double),
    Column("description", Text, nullable=False),
)

cases = Table(
    "cases",
    metadata,
    Column("case_id", String, primary_key=True),
    Column("title", Text, nullable=False),
    Column("status", String, nullable=False),
    Column("opened_at", UTCDateTime, nullable=False, index=True),
    Column("violation_ids", Text, nullable=False),
    Column("alleged_by", String),
    Column("accused_party", String),
)

findings = Table(
    "findings",
    metadata,
    Column("finding_id", String, primary_key=True),
    Column("case_id", String, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("decided_at", UTCDateTime, nullable=False),
    Column("responsible_party", String),
    Column("standard_of_proof", String, nullable=False),
    Column("severity", String, nullable=False),
    Column("votes_for", Integer, nullable=False),
    Column("votes_against", Integer, nullable=False),
    Column("abstentions", Integer, nullable=False),
    Column("dissent", Text, nullable=False),
)

remedies = Table(
    "remedies",
    metadata,
    Column("remedy_id", String, primary_key=True),
    Column("finding_id", String, ForeignKey("findings.finding_id"), nullable=False, index=True),
    Column("kind", String, nullable=False),
    Column("party", String, nullable=False),
    Column("due_at", UTCDateTime),
    Column("complied_at", UTCDateTime),
    Column("description", Text, nullable=False),
)

commitments = Table(
    "commitments",
    metadata,
    Column("commitment_id", String, primary_key=True),
    Column("guarantor", String, nullable=False, index=True),
    Column("kind", String, nullable=False),
    Column("quantity", Double, nullable=False),
    Column("unit", String, nullable=False),
    Column("trigger", Text, nullable=False),
    Column("status", String, nullable=False),
    Column("delivered", Double, nullable=False),
    Column("notes", JSON, nullable=False),
)

theatres = Table(
    "theatres",
    metadata,
    Column("name", String, primary_key=True),
    Column("geojson", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", String, primary_key=True),
    Column("started_at", UTCDateTime, nullable=False, index=True),
    Column("input_hashes", JSON, nullable=False),
    Column("parameters", JSON, nullable=False),
    Column("code_version", String, nullable=False),
)

__all__ = [
    "arrivals",
    "cases",
    "commitments",
    "events",
    "findings",
    "metadata",
    "remedies",
    "reports",
    "runs",
    "sensors",
    "theatres",
    "violations",
    "weather",
]
