"""The guarantees: trigger rules over findings, the ratification ladder, deliveries against
pledges, and the activations a finding produces (pure functions over domain dataclasses)."""

from truceline.guarantees.activation import (
    activation_id,
    activations_for,
    lapse_pending,
    notice_text,
    promote_pending,
)
from truceline.guarantees.deliveries import (
    Delivery,
    TrackerLine,
    check_delivery,
    delivered_total,
    fraction_delivered,
    kind_totals,
    tracker_lines,
)
from truceline.guarantees.ratification import (
    LADDER,
    RatificationStep,
    advance,
    history_from_dates,
    next_statuses,
    pledge,
)
from truceline.guarantees.triggers import (
    TriggerContext,
    Verdict,
    evaluate_trigger,
    parse_trigger,
    parse_trigger_text,
    trigger_text,
)

__all__ = [
    "LADDER",
    "Delivery",
    "RatificationStep",
    "TrackerLine",
    "TriggerContext",
    "Verdict",
    "activation_id",
    "activations_for",
    "advance",
    "check_delivery",
    "delivered_total",
    "evaluate_trigger",
    "fraction_delivered",
    "history_from_dates",
    "kind_totals",
    "lapse_pending",
    "next_statuses",
    "notice_text",
    "parse_trigger",
    "parse_trigger_text",
    "pledge",
    "promote_pending",
    "tracker_lines",
    "trigger_text",
]
