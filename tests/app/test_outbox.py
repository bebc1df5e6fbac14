"""The alerts outbox: serious violations written as CAP, sent once to each subscriber."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
import xmlschema

from truceline import cli
from truceline.alerts.webhooks import SIGNATURE_HEADER, verify_signature
from truceline.app.outbox import read_subscribers, send_outbox, write_violation_alerts
from truceline.domain import Severity, Violation, ViolationType
from truceline.errors import InputError

CAP_XSD = Path(__file__).resolve().parents[1] / "alerts" / "data" / "CAP-v1.2.xsd"
T = datetime(2026, 11, 22, 6, tzinfo=UTC)
SECRET = "s3cret-for-tests"


def _violation(vid: str, severity: Severity) -> Violation:
    return Violation(
        vid, ViolationType.FIRE_ACROSS_LINE, severity, T, party="RU", p_party=0.97,
        lon=37.6, lat=48.0, description="mlrs_122 fire across the line",
    )  # fmt: skip


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[bytes, bool]]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        ok = verify_signature(SECRET, body, self.headers[SIGNATURE_HEADER])
        type(self).received.append((body, ok))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture()
def receiver() -> Iterator[str]:
    _Receiver.received, _Receiver.status = [], 200
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    server.shutdown()


def test_only_serious_violations_become_valid_cap_files(tmp_path: Path) -> None:
    paths = write_violation_alerts(
        tmp_path,
        [_violation("V-low", Severity.LOW), _violation("V-crit", Severity.CRITICAL)],
        {},
        T,
    )
    assert len(paths) == 1
    xmlschema.XMLSchema(str(CAP_XSD)).validate(str(paths[0]))
    assert b"V-crit" in paths[0].read_bytes()


def test_each_alert_reaches_each_subscriber_once_signed(tmp_path: Path, receiver: str) -> None:
    write_violation_alerts(tmp_path, [_violation("V1", Severity.HIGH)], {}, T)
    subs = tmp_path / "subscribers.json"
    subs.write_text(json.dumps([{"id": "guarantors", "url": receiver, "secret": SECRET}]))
    first = send_outbox(tmp_path, read_subscribers(subs))
    second = send_outbox(tmp_path, read_subscribers(subs))
    assert (first.delivered, first.failed, second.delivered, second.already) == (1, 0, 0, 1)
    assert len(_Receiver.received) == 1 and _Receiver.received[0][1]  # signature verifies


def test_a_failed_delivery_is_retried_on_the_next_send(tmp_path: Path, receiver: str) -> None:
    write_violation_alerts(tmp_path, [_violation("V1", Severity.HIGH)], {}, T)
    subs = read_subscribers(_file(tmp_path, [{"id": "g", "url": receiver, "secret": SECRET}]))
    _Receiver.status = 503
    failed = send_outbox(tmp_path, subs, sleep=lambda s: None)
    _Receiver.status = 200
    retried = send_outbox(tmp_path, subs, sleep=lambda s: None)
    assert (failed.failed, retried.delivered) == (1, 1)


def _file(tmp_path: Path, rows: object) -> Path:
    path = tmp_path / "subscribers.json"
    path.write_text(json.dumps(rows))
    return path


@pytest.mark.parametrize(
    "rows",
    [{"id": "x"}, [{"url": "http://127.0.0.1/"}], [{"id": "g", "url": "ftp://h/", "secret": "s"}]],
)
def test_a_bad_subscribers_file_is_one_clear_error(tmp_path: Path, rows: object) -> None:
    with pytest.raises(InputError, match=r"subscribers\.json"):
        read_subscribers(_file(tmp_path, rows))


def test_the_cli_sends_and_reports(
    tmp_path: Path,
    receiver: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_violation_alerts(tmp_path / "out", [_violation("V1", Severity.CRITICAL)], {}, T)
    subs = _file(tmp_path, [{"id": "g", "url": receiver, "secret": SECRET}])
    args = ["alert", "send", "--subscribers", str(subs), "--alerts-dir", str(tmp_path / "out")]
    monkeypatch.setattr(sys, "argv", ["truceline", *args])
    with pytest.raises(SystemExit) as done:
        cli.main()
    assert done.value.code in (0, None)
    assert "1 delivered, 0 failed" in capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", ["truceline", *args[:4], "--alerts-dir", "/nonexistent"])
    with pytest.raises(SystemExit) as bad:
        cli.main()
    assert bad.value.code == 2
    assert capsys.readouterr().err.count("\n") == 1
