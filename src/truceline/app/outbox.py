"""The alerts outbox: CAP files written where the settings say, sent to webhook subscribers.

Alerts are written first (by `truceline analyze` for serious violations, by the commission's
finding hook for activations) and sent afterwards by `truceline alert send`, never inside a
database transaction: a slow or unreachable subscriber must not hold up a decision. What was
delivered to whom is kept in ``deliveries.jsonl`` beside the alerts, so a second send delivers
only what is new or failed before.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from truceline.alerts.cap import serious_violation_alerts
from truceline.alerts.message import alert_to_xml
from truceline.alerts.webhooks import (
    DeliveryRecord,
    DeliveryStatus,
    Payload,
    Subscriber,
    Transport,
    deliver,
)
from truceline.domain import Event, Report, Violation
from truceline.errors import InputError
from truceline.redaction import Audience, Publication, redactor_from_names

ALERT_SUFFIX = ".cap.xml"
JOURNAL = "deliveries.jsonl"
CAP_CONTENT_TYPE = "application/cap+xml"


def write_violation_alerts(
    alerts_dir: Path,
    violations: Iterable[Violation],
    events: Mapping[str, Event],
    sent: datetime,
    *,
    reports: Iterable[Report] = (),
    names: Iterable[str] = (),
) -> list[Path]:
    """One CAP file per serious violation (the policy's minimum severity and above).

    Alerts are public: the violations pass the alert redaction policy first, placed by the
    ``reports`` they rest on and screened for ``names`` (sensor and source ids).
    """
    alerts_dir.mkdir(parents=True, exist_ok=True)
    found = {r.report_id: r for r in reports}
    redactor = redactor_from_names(
        Audience.PUBLIC, Publication.ALERT, {*names, *(r.source_id for r in found.values())}
    )
    public = [redactor.violation(v, found.get(v.report_id or "")) for v in violations]
    paths = []
    for alert in serious_violation_alerts(public, sent=sent, events=events):
        path = alerts_dir / f"{_file_stem(alert.identifier)}{ALERT_SUFFIX}"
        path.write_bytes(alert_to_xml(alert))
        paths.append(path)
    return paths


def read_subscribers(path: Path) -> list[Subscriber]:
    """Subscribers from a JSON list of {"id", "url", "secret" or "secret_env"}."""
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read subscribers: {exc}", file=str(path)) from None
    if not isinstance(rows, list):
        raise InputError("expected a JSON list of subscribers", file=str(path))
    return [_subscriber(row, i, path) for i, row in enumerate(rows)]


def _subscriber(row: Any, i: int, path: Path) -> Subscriber:
    where = f"[{i}]"
    if not isinstance(row, dict) or not isinstance(row.get("id"), str):
        raise InputError("each subscriber needs an id", file=str(path), column=f"{where}.id")
    secret = row.get("secret")
    if secret is None and isinstance(row.get("secret_env"), str):
        secret = os.environ.get(row["secret_env"])
        if secret is None:
            raise InputError(
                f"environment variable {row['secret_env']} is not set",
                file=str(path),
                column=f"{where}.secret_env",
            )
    if not isinstance(secret, str) or not isinstance(row.get("url"), str):
        raise InputError("url and secret are required", file=str(path), column=where)
    try:
        return Subscriber(row["id"], row["url"], secret)
    except InputError as exc:
        raise InputError(exc.message, file=str(path), column=where) from None


@dataclass(frozen=True)
class SendSummary:
    """What one `send_outbox` did."""

    delivered: int
    failed: int
    already: int
    records: tuple[DeliveryRecord, ...]


def send_outbox(
    alerts_dir: Path,
    subscribers: Sequence[Subscriber],
    *,
    transport: Transport | None = None,
    sleep: Callable[[float], None] | None = None,
) -> SendSummary:
    """Send every alert file not yet delivered to each subscriber; journal every attempt."""
    done = _delivered(alerts_dir / JOURNAL)
    records: list[DeliveryRecord] = []
    already = 0
    for path in sorted(alerts_dir.glob(f"*{ALERT_SUFFIX}")):
        payload = Payload(path.read_bytes(), CAP_CONTENT_TYPE)
        for sub in subscribers:
            if (path.name, sub.subscriber_id) in done:
                already += 1
                continue
            kwargs: dict[str, Any] = {"transport": transport}
            if sleep is not None:
                kwargs["sleep"] = sleep
            record = deliver(payload, sub, delivery_id=f"{path.name}:{sub.subscriber_id}", **kwargs)
            _journal(alerts_dir / JOURNAL, path.name, record)
            records.append(record)
    ok = sum(r.status != DeliveryStatus.FAILED for r in records)
    return SendSummary(ok, len(records) - ok, already, tuple(records))


def _delivered(journal: Path) -> set[tuple[str, str]]:
    """(alert file, subscriber) pairs settled for good: delivered, or refused with a 4xx."""
    if not journal.exists():
        return set()
    settled = set()
    for line in journal.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["status"] != DeliveryStatus.FAILED.value:
            settled.add((row["alert"], row["subscriber_id"]))
    return settled


def _journal(journal: Path, alert: str, record: DeliveryRecord) -> None:
    row = {"alert": alert, **{k: _plain(v) for k, v in asdict(record).items()}}
    with journal.open("a", encoding="utf-8") as f:
        f.write(json.dumps(row, sort_keys=True) + "\n")
        f.flush()
        os.fsync(f.fileno())


def _plain(value: object) -> object:
    return value.value if isinstance(value, DeliveryStatus) else value


def _file_stem(identifier: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in identifier)
