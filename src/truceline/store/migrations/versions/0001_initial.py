"""Initial schema: observations, events, violations, commission, theatres, runs.

Revision ID: 0001
Revises:
Create Date: 2026-05-10
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "sensors",
        sa.Column("sensor_id", sa.String(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("elev_m", sa.Double(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("clock_sigma_s", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("sensor_id", name="pk_sensors"),
    )
    op.create_table(
        "arrivals",
        sa.Column("arrival_id", sa.String(), nullable=False),
        sa.Column("sensor_id", sa.String(), nullable=False),
        sa.Column("time", TIME, nullable=False),
        sa.Column("label", sa.String(), nullable=True),
        sa.Column("snr_db", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("arrival_id", name="pk_arrivals"),
        sa.ForeignKeyConstraint(
            ["sensor_id"], ["sensors.sensor_id"], name="fk_arrivals_sensor_id_sensors"
        ),
    )
    op.create_index("ix_arrivals_sensor_id", "arrivals", ["sensor_id"])
    op.create_index("ix_arrivals_time", "arrivals", ["time"])
    op.create_table(
        "weather",
        sa.Column("time", TIME, nullable=False),
        sa.Column("temperature_c", sa.Double(), nullable=False),
        sa.Column("wind_speed_ms", sa.Double(), nullable=False),
        sa.Column("wind_from_deg", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("time", name="pk_weather"),
    )
    op.create_table(
        "reports",
        sa.Column("report_id", sa.String(), nullable=False),
        sa.Column("source_id", sa.String(), nullable=False),
        sa.Column("source_kind", sa.String(), nullable=False),
        sa.Column("time", TIME, nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        sa.Column("reliability", sa.String(), nullable=True),
        sa.Column("credibility", sa.String(), nullable=True),
        sa.Column("time_sigma_s", sa.Double(), nullable=True),
        sa.Column("observer_lon", sa.Double(), nullable=True),
        sa.Column("observer_lat", sa.Double(), nullable=True),
        sa.Column("bearing_deg", sa.Double(), nullable=True),
        sa.Column("bearing_sigma_deg", sa.Double(), nullable=True),
        sa.Column("distance_min_m", sa.Double(), nullable=True),
        sa.Column("distance_max_m", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("loc_sigma_m", sa.Double(), nullable=True),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("assessment", sa.String(), nullable=True),
        sa.Column("weapon", sa.String(), nullable=True),
        sa.Column("accused_party", sa.String(), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("report_id", name="pk_reports"),
    )
    op.create_index("ix_reports_source_id", "reports", ["source_id"])
    op.create_index("ix_reports_time", "reports", ["time"])
    op.create_table(
        "events",
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("time", TIME, nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("n_sensors", sa.Integer(), nullable=False),
        sa.Column("err_major_m", sa.Double(), nullable=True),
        sa.Column("err_minor_m", sa.Double(), nullable=True),
        sa.Column("err_azimuth_deg", sa.Double(), nullable=True),
        sa.Column("arrival_ids", sa.Text(), nullable=False),
        sa.Column("report_ids", sa.Text(), nullable=False),
        sa.Column("corroboration", sa.String(), nullable=False),
        sa.Column("party_control", sa.String(), nullable=True),
        sa.Column("p_control", sa.Double(), nullable=True),
        sa.Column("responsible_party", sa.String(), nullable=True),
        sa.Column("p_responsible", sa.Double(), nullable=True),
        sa.Column("paired_event_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("event_id", name="pk_events"),
    )
    op.create_index("ix_events_time", "events", ["time"])
    op.create_table(
        "violations",
        sa.Column("violation_id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("time", TIME, nullable=False),
        sa.Column("event_id", sa.String(), nullable=True),
        sa.Column("report_id", sa.String(), nullable=True),
        sa.Column("party", sa.String(), nullable=True),
        sa.Column("p_party", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("violation_id", name="pk_violations"),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.event_id"], name="fk_violations_event_id_events"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.report_id"], name="fk_violations_report_id_reports"
        ),
    )
    op.create_index("ix_violations_event_id", "violations", ["event_id"])
    op.create_index("ix_violations_report_id", "violations", ["report_id"])
    op.create_index("ix_violations_time", "violations", ["time"])
    op.create_table(
        "cases",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("opened_at", TIME, nullable=False),
        sa.Column("violation_ids", sa.Text(), nullable=False),
        sa.Column("alleged_by", sa.String(), nullable=True),
        sa.Column("accused_party", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("case_id", name="pk_cases"),
    )
    op.create_index("ix_cases_opened_at", "cases", ["opened_at"])
    op.create_table(
        "findings",
        sa.Column("finding_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("decided_at", TIME, nullable=False),
        sa.Column("responsible_party", sa.String(), nullable=True),
        sa.Column("standard_of_proof", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("votes_for", sa.Integer(), nullable=False),
        sa.Column("votes_against", sa.Integer(), nullable=False),
        sa.Column("abstentions", sa.Integer(), nullable=False),
        sa.Column("dissent", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("finding_id", name="pk_findings"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.case_id"], name="fk_findings_case_id_cases"),
    )
    op.create_index("ix_findings_case_id", "findings", ["case_id"])
    op.create_table(
        "remedies",
        sa.Column("remedy_id", sa.String(), nullable=False),
        sa.Column("finding_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=False),
        sa.Column("due_at", TIME, nullable=True),
        sa.Column("complied_at", TIME, nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("remedy_id", name="pk_remedies"),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.finding_id"], name="fk_remedies_finding_id_findings"
        ),
    )
    op.create_index("ix_remedies_finding_id", "remedies", ["finding_id"])
    op.create_table(
        "commitments",
        sa.Column("commitment_id", sa.String(), nullable=False),
        sa.Column("guarantor", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("trigger", sa.Text(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("delivered", sa.Double(), nullable=False),
        sa.Column("notes", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("commitment_id", name="pk_commitments"),
    )
    op.create_index("ix_commitments_guarantor", "commitments", ["guarantor"])
    op.create_table(
        "theatres",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("geojson", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_theatres"),
    )
    op.create_index("ix_theatres_sha256", "theatres", ["sha256"])
    op.create_table(
        "runs",
        sa.Column("run_id", sa.String(), nullable=False),
        sa.Column("started_at", TIME, nullable=False),
        sa.Column("input_hashes", sa.JSON(), nullable=False),
        sa.Column("parameters", sa.JSON(), nullable=False),
        sa.Column("code_version", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("run_id", name="pk_runs"),
    )
    op.create_index("ix_runs_started_at", "runs", ["started_at"])


def downgrade() -> None:
    for table in (
        "runs",
        "theatres",
        "commitments",
        "remedies",
        "findings",
        "cases",
        "violations",
        "events",
        "reports",
        "weather",
        "arrivals",
        "sensors",
    ):
        op.drop_table(table)
