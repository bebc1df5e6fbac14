"""Tables of the guarantees (migration 0004): ratification history, deliveries, activations.

They join the one ``metadata`` of :mod:`truceline.store.tables`; ``truceline.store`` imports
this module, so the tables are registered whenever the store is used.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, Double, ForeignKey, Integer, String, Table, Text

from truceline.store.tables import metadata
from truceline.store.types import UTCDateTime

ratification_steps = Table(
    "ratification_steps",
    metadata,
    Column("step_id", Integer, primary_key=True, autoincrement=True),
    Column(
        "commitment_id",
        String,
        ForeignKey("commitments.commitment_id"),
        nullable=False,
        index=True,
    ),
    Column("status", String, nullable=False),
    Column("previous_status", String),
    Column("effective_on", Date, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False),
)

commitment_deliveries = Table(
    "commitment_deliveries",
    metadata,
    Column("delivery_id", Integer, primary_key=True, autoincrement=True),
    Column(
        "commitment_id",
        String,
        ForeignKey("commitments.commitment_id"),
        nullable=False,
        index=True,
    ),
    Column("delivered_on", Date, nullable=False),
    Column("quantity", Double, nullable=False),
    Column("recorded_at", UTCDateTime, nullable=False),
    Column("note", Text, nullable=False),
)

activations = Table(
    "activations",
    metadata,
    Column("activation_id", String, primary_key=True),
    Column(
        "commitment_id",
        String,
        ForeignKey("commitments.commitment_id"),
        nullable=False,
        index=True,
    ),
    Column("guarantor", String, nullable=False, index=True),
    Column("finding_id", String, ForeignKey("findings.finding_id"), nullable=False, index=True),
    Column("status", String, nullable=False, index=True),
    Column("issued_at", UTCDateTime, nullable=False),
    Column("promoted_at", UTCDateTime),
    Column("lapsed_at", UTCDateTime),
    Column("reason", Text, nullable=False),
)

__all__ = ["activations", "commitment_deliveries", "ratification_steps"]
