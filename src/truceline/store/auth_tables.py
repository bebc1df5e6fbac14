"""Tables of the HTTP API (migration 0005): users, their API tokens, who filed which report.

They join the one ``metadata`` of :mod:`truceline.store.tables`; ``truceline.store`` imports
this module, so the tables are registered whenever the store is used. Token secrets are
never stored: only their argon2 hash.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, String, Table, Text

from truceline.store.tables import metadata
from truceline.store.types import UTCDateTime

users = Table(
    "users",
    metadata,
    Column("name", String, primary_key=True),
    Column("role", String, nullable=False),
    Column("party", String),  # party_liaison: the party the user speaks for
    Column("state", String),  # guarantor: the state
    Column("member_id", String),  # commissioner: the commission member who votes
    Column("active", Boolean, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("token_id", String, primary_key=True),
    Column("user_name", String, ForeignKey("users.name"), nullable=False, index=True),
    Column("secret_hash", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

# Reports filed through the API by a party's liaison: the report is that party's submission,
# visible to it (and to the mechanism's staff), never to the other party.
report_submissions = Table(
    "report_submissions",
    metadata,
    Column("report_id", String, ForeignKey("reports.report_id"), primary_key=True),
    Column("party", String, index=True),
    Column("user_name", String, ForeignKey("users.name"), nullable=False),
    Column("submitted_at", UTCDateTime, nullable=False),
)

__all__ = ["api_tokens", "report_submissions", "users"]
