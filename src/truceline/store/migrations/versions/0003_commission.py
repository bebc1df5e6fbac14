"""The commission's workflow: evidence, custody, locks, votes, audit.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "case_transitions",
        sa.Column("transition_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("from_status", sa.String(), nullable=True),
        sa.Column("to_status", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("transition_id", name="pk_case_transitions"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name="fk_case_transitions_case_id_cases"
        ),
    )
    op.create_index("ix_case_transitions_case_id", "case_transitions", ["case_id"])
    op.create_table(
        "evidence",
        sa.Column("evidence_id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size_bytes", sa.BigInteger(), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(), nullable=False),
        sa.Column("added_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("evidence_id", name="pk_evidence"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.case_id"], name="fk_evidence_case_id_cases"),
    )
    op.create_index("ix_evidence_case_id", "evidence", ["case_id"])
    op.create_index("ix_evidence_sha256", "evidence", ["sha256"])
    op.create_table(
        "custody_log",
        sa.Column("entry_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("evidence_id", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("entry_id", name="pk_custody_log"),
        sa.ForeignKeyConstraint(
            ["evidence_id"], ["evidence.evidence_id"], name="fk_custody_log_evidence_id_evidence"
        ),
    )
    op.create_index("ix_custody_log_evidence_id", "custody_log", ["evidence_id"])
    op.create_table(
        "case_locks",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("holder", sa.String(), nullable=False),
        sa.Column("acquired_at", TIME, nullable=False),
        sa.Column("expires_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_locks"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.case_id"], name="fk_case_locks_case_id_cases"),
    )
    op.create_table(
        "voting_rules",
        sa.Column("mechanism", sa.String(), nullable=False),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("updated_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("mechanism", name="pk_voting_rules"),
    )
    op.create_table(
        "members",
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("mechanism", sa.String(), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("affiliation_kind", sa.String(), nullable=False),
        sa.Column("affiliation", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("member_id", name="pk_members"),
        sa.ForeignKeyConstraint(
            ["mechanism"], ["voting_rules.mechanism"], name="fk_members_mechanism_voting_rules"
        ),
    )
    op.create_index("ix_members_mechanism", "members", ["mechanism"])
    op.create_table(
        "case_drafts",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("responsible_party", sa.String(), nullable=True),
        sa.Column("standard_of_proof", sa.String(), nullable=False),
        sa.Column("severity", sa.String(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("drafted_by", sa.String(), nullable=False),
        sa.Column("drafted_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("case_id", name="pk_case_drafts"),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.case_id"], name="fk_case_drafts_case_id_cases"
        ),
    )
    op.create_table(
        "votes",
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(), nullable=False),
        sa.Column("choice", sa.String(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("cast_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("case_id", "round", "member_id", name="pk_votes"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.case_id"], name="fk_votes_case_id_cases"),
        sa.ForeignKeyConstraint(
            ["member_id"], ["members.member_id"], name="fk_votes_member_id_members"
        ),
    )
    op.create_index("ix_votes_member_id", "votes", ["member_id"])
    op.create_table(
        "audit_log",
        sa.Column("audit_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("at", TIME, nullable=False),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("audit_id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_entity_id", "audit_log", ["entity_id"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])


def downgrade() -> None:
    for table in (
        "audit_log",
        "votes",
        "case_drafts",
        "members",
        "voting_rules",
        "case_locks",
        "custody_log",
        "evidence",
        "case_transitions",
    ):
        op.drop_table(table)
