"""Alerts: OASIS CAP 1.2 messages for serious violations and activations, and webhooks.

``cap`` builds alerts from domain objects, ``message`` writes CAP XML, ``mapping`` maps
severities and probabilities onto CAP's value lists, ``texts`` words them per language, and
``webhooks`` delivers them, signed, to subscribers. See docs/alerts.md.
"""

from truceline.alerts.cap import (
    DEFAULT_POLICY,
    AlertPolicy,
    activation_alert,
    alert_identifier,
    serious_violation_alerts,
    violation_alert,
)
from truceline.alerts.message import (
    CAP_MEDIA_TYPE,
    CAP_NAMESPACE,
    Alert,
    AlertReference,
    AlertStatus,
    Area,
    Circle,
    alert_to_xml,
    read_reference,
)

__all__ = [
    "CAP_MEDIA_TYPE",
    "CAP_NAMESPACE",
    "DEFAULT_POLICY",
    "Alert",
    "AlertPolicy",
    "AlertReference",
    "AlertStatus",
    "Area",
    "Circle",
    "activation_alert",
    "alert_identifier",
    "alert_to_xml",
    "read_reference",
    "serious_violation_alerts",
    "violation_alert",
]
