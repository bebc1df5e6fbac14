"""The HTTP API: users, API tokens (argon2 hashes only), report submissions.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=True),
        sa.Column("state", sa.String(), nullable=True),
        sa.Column("member_id", sa.String(), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_users"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_id", sa.String(), nullable=False),
        sa.Column("user_name", sa.String(), nullable=False),
        sa.Column("secret_hash", sa.Text(), nullable=False),
        sa.Column("created_at", TIME, nullable=False),
        sa.Column("revoked_at", TIME, nullable=True),
        sa.PrimaryKeyConstraint("token_id", name="pk_api_tokens"),
        sa.ForeignKeyConstraint(
            ["user_name"], ["users.name"], name="fk_api_tokens_user_name_users"
        ),
    )
    op.create_index("ix_api_tokens_user_name", "api_tokens", ["user_name"])
    op.create_table(
        "report_submissions",
        sa.Column("report_id", sa.String(), nullable=False),
        sa.Column("party", sa.String(), nullable=True),
        sa.Column("user_name", sa.String(), nullable=False),
        sa.Column("submitted_at", TIME, nullable=False),
        sa.PrimaryKeyConstraint("report_id", name="pk_report_submissions"),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.report_id"], name="fk_report_submissions_report_id_reports"
        ),
        sa.ForeignKeyConstraint(
            ["user_name"], ["users.name"], name="fk_report_submissions_user_name_users"
        ),
    )
    op.create_index("ix_report_submissions_party", "report_submissions", ["party"])


def downgrade() -> None:
    for table in ("report_submissions", "api_tokens", "users"):
        op.drop_table(table)
