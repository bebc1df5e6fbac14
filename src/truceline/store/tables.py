"""The tables of the store (SQLAlchemy Core); columns mirror the domain dataclasses.

Enumerations are stored as their string values; lists of ids (``Event.arrival_ids``,
``Event.report_ids``, ``Case.violation_ids``) as ``;``-joined text, as in events.csv.
Every change here needs a migration in ``migrations/versions`` (a test compares them).
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
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
    Column("sound_speed_sigma_ms", Double),
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
    Column("serials", Text, nullable=False, server_default=""),  # ';'-separated
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

# The commission's workflow (migration 0003): status history, evidence and its custody,
# edit locks, membership and voting rules, drafts, votes, and the audit log of every change.

case_transitions = Table(
    "case_transitions",
    metadata,
    Column("transition_id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("from_status", String),
    Column("to_status", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("reason", Text, nullable=False),
)

evidence = Table(
    "evidence",
    metadata,
    Column("evidence_id", String, primary_key=True),
    Column("case_id", String, ForeignKey("cases.case_id"), nullable=False, index=True),
    Column("kind", String, nullable=False),
    Column("reference", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("size_bytes", BigInteger),
    Column("description", Text, nullable=False),
    Column("added_by", String, nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
)

custody_log = Table(
    "custody_log",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("evidence_id", String, ForeignKey("evidence.evidence_id"), nullable=False, index=True),
    Column("actor", String, nullable=False),
    Column("action", String, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("details", JSON, nullable=False),
)

case_locks = Table(
    "case_locks",
    metadata,
    Column("case_id", String, ForeignKey("cases.case_id"), primary_key=True),
    Column("holder", String, nullable=False),
    Column("acquired_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

voting_rules = Table(
    "voting_rules",
    metadata,
    Column("mechanism", String, primary_key=True),
    Column("rules", JSON, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

members = Table(
    "members",
    metadata,
    Column("member_id", String, primary_key=True),
    Column("mechanism", String, ForeignKey("voting_rules.mechanism"), nullable=False, index=True),
    Column("name", Text, nullable=False),
    Column("affiliation_kind", String, nullable=False),
    Column("affiliation", String),
    Column("active", Boolean, nullable=False),
)

case_drafts = Table(
    "case_drafts",
    metadata,
    Column("case_id", String, ForeignKey("cases.case_id"), primary_key=True),
    Column("responsible_party", String),
    Column("standard_of_proof", String, nullable=False),
    Column("severity", String, nullable=False),
    Column("summary", Text, nullable=False),
    Column("drafted_by", String, nullable=False),
    Column("drafted_at", UTCDateTime, nullable=False),
)

votes = Table(
    "votes",
    metadata,
    Column("case_id", String, ForeignKey("cases.case_id"), primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("member_id", String, ForeignKey("members.member_id"), primary_key=True, index=True),
    Column("choice", String, nullable=False),
    Column("statement", Text, nullable=False),
    Column("cast_at", UTCDateTime, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("audit_id", Integer, primary_key=True, autoincrement=True),
    Column("entity", String, nullable=False),
    Column("entity_id", String, nullable=False, index=True),
    Column("action", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("details", JSON, nullable=False),
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
    Column("delivered", Double, nullable=False),  # the sum of its deliveries
    Column("notes", JSON, nullable=False),
    # "1" (not true()): SQLite adds such a column in place, PostgreSQL reads it as true
    Column("requires_parliament", Boolean, nullable=False, server_default="1"),
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
    "audit_log",
    "case_drafts",
    "case_locks",
    "case_transitions",
    "cases",
    "commitments",
    "custody_log",
    "events",
    "evidence",
    "findings",
    "members",
    "metadata",
    "remedies",
    "reports",
    "runs",
    "sensors",
    "theatres",
    "violations",
    "votes",
    "voting_rules",
    "weather",
]
