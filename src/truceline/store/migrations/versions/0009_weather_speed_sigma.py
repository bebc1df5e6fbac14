"""Weather rows may state how well they give the speed of sound along the paths.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-23
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("weather") as batch:
        batch.add_column(sa.Column("sound_speed_sigma_ms", sa.Double()))


def downgrade() -> None:
    with op.batch_alter_table("weather") as batch:
        batch.drop_column("sound_speed_sigma_ms")
