"""What a recorded finding sets off beyond the store: the transparency log and CAP alerts.

Both are optional and configured in the settings (``TRUCELINE_TRANSPARENCY_LOG_DIR`` with
``TRUCELINE_TRANSPARENCY_LOG_KEY``, ``TRUCELINE_ALERTS_DIR``). They run inside the transaction
that records the finding, so a failure to log or alert rolls the finding back: nothing is
decided that is not published. (The reverse cannot be promised: a database commit failing
after the append leaves a log entry for a finding the store does not hold; the entry says
what was decided and when, and `truceline log verify` still holds.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from truceline.alerts.cap import activation_alert
from truceline.alerts.message import alert_to_xml
from truceline.domain import Activation, Finding
from truceline.errors import InputError
from truceline.ledger import append_entries
from truceline.redaction import Audience, Publication, redactor_for
from truceline.settings import Settings, get_settings
from truceline.store.guarantees import get_commitment


@dataclass(frozen=True)
class Published:
    """Where a finding and its activations went."""

    log_indices: tuple[int, ...] = ()
    tree_size: int | None = None
    alert_files: tuple[Path, ...] = ()


def publish_finding(
    conn: Connection,
    finding: Finding,
    activations: list[Activation],
    settings: Settings | None = None,
) -> Published:
    """Append the finding and its activations to the log; write the activations' alerts."""
    settings = settings or get_settings()
    # Both are public: free text (a dissent, a reason) is screened before it goes out.
    log = redactor_for(conn, Audience.PUBLIC, Publication.LOG, settings)
    alerting = redactor_for(conn, Audience.PUBLIC, Publication.ALERT, settings)
    indices: tuple[int, ...] = ()
    size = None
    if settings.transparency_log_dir is not None:
        if settings.transparency_log_key is None:
            raise InputError(
                "the transparency log needs its signing key",
                column="TRUCELINE_TRANSPARENCY_LOG_KEY",
            )
        items = [("finding", _payload(log.finding(finding)))]
        items += [("activation", _payload(log.activation(a))) for a in activations]
        result = append_entries(settings.transparency_log_dir, settings.transparency_log_key, items)
        indices, size = tuple(result.indices), result.tree_head.tree_size
    files: list[Path] = []
    if settings.alerts_dir is not None:
        settings.alerts_dir.mkdir(parents=True, exist_ok=True)
        for a in activations:
            commitment = get_commitment(conn, commitment_id=a.commitment_id)
            alert = activation_alert(alerting.activation(a), alerting.finding(finding), commitment)
            path = settings.alerts_dir / f"{a.activation_id}.cap.xml"
            path.write_bytes(alert_to_xml(alert))
            files.append(path)
    return Published(indices, size, tuple(files))


def _payload(record: Finding | Activation) -> dict[str, Any]:
    return {k: _plain(v) for k, v in asdict(record).items()}


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value
