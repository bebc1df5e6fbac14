"""The guarantees: ratification history, deliveries, activations.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("commitments") as batch:
        # A literal default: SQLite then adds the column in place (no table copy).
        batch.add_column(
            sa.Column("requires_parliament", sa.Boolean(), nullable=False, server_default="1")
        )
    op.create_table(
        "ratification_steps",
        sa.Column("step_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("commitment_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("previous_status", sa.String(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("step_id", name="pk_ratification_steps"),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.commitment_id"],
            name="fk_ratification_steps_commitment_id_commitments",
        ),
    )
    op.create_index("ix_ratification_steps_commitment_id", "ratification_steps", ["commitment_id"])
    op.create_table(
        "commitment_deliveries",
        sa.Column("delivery_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("commitment_id", sa.String(), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("quantity", sa.Double(), nullable=False),
        sa.Column("recorded_at", TIME, nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("delivery_id", name="pk_commitment_deliveries"),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.commitment_id"],
            name="fk_commitment_deliveries_commitment_id_commitments",
        ),
    )
    op.create_index(
        "ix_commitment_deliveries_commitment_id", "commitment_deliveries", ["commitment_id"]
    )
    op.create_table(
        "activations",
        sa.Column("activation_id", sa.String(), nullable=False),
        sa.Column("commitment_id", sa.String(), nullable=False),
        sa.Column("guarantor", sa.String(), nullable=False),
        sa.Column("finding_id", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("issued_at", TIME, nullable=False),
        sa.Column("promoted_at", TIME, nullable=True),
        sa.Column("lapsed_at", TIME, nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("activation_id", name="pk_activations"),
        sa.ForeignKeyConstraint(
            ["commitment_id"],
            ["commitments.commitment_id"],
            name="fk_activations_commitment_id_commitments",
        ),
        sa.ForeignKeyConstraint(
            ["finding_id"], ["findings.finding_id"], name="fk_activations_finding_id_findings"
        ),
    )
    for column in ("commitment_id", "guarantor", "finding_id", "status"):
        op.create_index(f"ix_activations_{column}", "activations", [column])


def downgrade() -> None:
    for table in ("activations", "commitment_deliveries", "ratification_steps"):
        op.drop_table(table)
    with op.batch_alter_table("commitments") as batch:
        batch.drop_column("requires_parliament")
