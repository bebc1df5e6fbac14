"""Tables of the analysts' review (migration 0008): claims, decisions, event edits.

They join the one ``metadata`` of :mod:`truceline.store.tables`; ``truceline.store`` imports
this module, so the tables are registered whenever the store is used. An edit keeps the
stored rows it replaced (``before``) and those it wrote (``after``) as JSON, so that undoing
it writes back the very same rows.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table, Text

from truceline.store.tables import metadata
from truceline.store.types import UTCDateTime

review_claims = Table(
    "review_claims",
    metadata,
    Column("item_id", String, primary_key=True),  # "event:<id>" or "report:<id>"
    Column("analyst", String, nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
)

review_decisions = Table(
    "review_decisions",
    metadata,
    Column("decision_id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String, nullable=False, index=True),
    Column("action", String, nullable=False),
    Column("actor", String, nullable=False),
    Column("at", UTCDateTime, nullable=False),
    Column("reason", Text, nullable=False),
    Column("details", JSON, nullable=False),
)

event_edits = Table(
    "event_edits",
    metadata,
    Column("edit_id", String, primary_key=True),
    Column("kind", String, nullable=False),  # merge, split, undo
    Column("actor", String, nullable=False),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("reason", Text, nullable=False),
    Column("before", JSON, nullable=False),  # {"events": [rows], "violations": [rows]}
    Column("after", JSON, nullable=False),
    Column("undoes", String),  # an undo: the edit it reverted
    Column("undone_by", String),  # a merge or split: the undo that reverted it
    Column("notes", JSON, nullable=False),
)

__all__ = ["event_edits", "review_claims", "review_decisions"]
