"""Webhook delivery: signatures a receiver can check, retries, and failures recorded."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.alerts.conftest import SENT, make_violation
from truceline.alerts.cap import violation_alert
from truceline.alerts.message import alert_to_xml
from truceline.alerts.webhooks import (
    DELIVERY_HEADER,
    SIGNATURE_HEADER,
    DeliveryStatus,
    Payload,
    RetryPolicy,
    Subscriber,
    WebhookRequest,
    cap_payload,
    deliver,
    deliver_to_all,
    json_payload,
    sign_body,
    verify_signature,
)
from truceline.errors import InputError

SECRET = "s3cret-ключ"
SUBSCRIBER = Subscriber("guarantor-fr", "https://hooks.example.org/cap", SECRET)
FAST = RetryPolicy(max_attempts=4, initial_delay_s=1.0, backoff=2.0, max_delay_s=3.0)


@dataclass
class FakeTransport:
    """Answers from a script: an int is an HTTP status, an exception is raised."""

    script: list[int | Exception]
    requests: list[WebhookRequest] = field(default_factory=list)

    def __call__(self, request: WebhookRequest) -> int:
        self.requests.append(request)
        answer = self.script.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


@pytest.fixture
def payload() -> Payload:
    return cap_payload(violation_alert(make_violation(), sent=SENT))


def test_signature_is_hex_hmac_sha256_of_the_body(payload: Payload) -> None:
    transport, sleeps = FakeTransport([200]), list[float]()
    record = deliver(payload, SUBSCRIBER, transport=transport, sleep=sleeps.append)
    [request] = transport.requests
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers[SIGNATURE_HEADER] == expected
    assert verify_signature(SECRET, request.body, request.headers[SIGNATURE_HEADER])
    assert not verify_signature("other secret", request.body, request.headers[SIGNATURE_HEADER])
    assert not verify_signature(SECRET, request.body + b" ", request.headers[SIGNATURE_HEADER])
    assert request.headers["Content-Type"].startswith("application/cap+xml")
    assert request.headers[DELIVERY_HEADER] == record.delivery_id
    assert request.url == SUBSCRIBER.url
    assert (record.status, record.attempts, record.http_status, record.last_error) == (
        DeliveryStatus.DELIVERED,
        1,
        200,
        None,
    )
    assert sleeps == []


def test_retries_on_500_with_exponential_backoff_then_succeeds(payload: Payload) -> None:
    transport, sleeps = FakeTransport([500, 502, 200]), list[float]()
    record = deliver(payload, SUBSCRIBER, transport=transport, retry=FAST, sleep=sleeps.append)
    assert (record.status, record.attempts, record.http_status) == (
        DeliveryStatus.DELIVERED,
        3,
        200,
    )
    assert sleeps == [1.0, 2.0]
    ids = {r.headers[DELIVERY_HEADER] for r in transport.requests}
    assert ids == {record.delivery_id}  # the same delivery id on every retry


def test_gives_up_after_max_attempts_with_bounded_delays(payload: Payload) -> None:
    transport, sleeps = FakeTransport([503] * 4), list[float]()
    record = deliver(payload, SUBSCRIBER, transport=transport, retry=FAST, sleep=sleeps.append)
    assert (record.status, record.attempts, record.http_status, record.last_error) == (
        DeliveryStatus.FAILED,
        4,
        503,
        "HTTP 503",
    )
    assert sleeps == [1.0, 2.0, 3.0]  # 4.0 capped at max_delay_s


@pytest.mark.parametrize("status", [400, 401, 404, 410, 302])
def test_no_retry_on_a_final_answer(payload: Payload, status: int) -> None:
    transport, sleeps = FakeTransport([status, 200]), list[float]()
    record = deliver(payload, SUBSCRIBER, transport=transport, retry=FAST, sleep=sleeps.append)
    assert (record.status, record.attempts, record.last_error) == (
        DeliveryStatus.REJECTED,
        1,
        f"HTTP {status}",
    )
    assert len(transport.requests) == 1 and sleeps == []


def test_network_errors_are_retried_and_recorded_not_raised(payload: Payload) -> None:
    script: list[int | Exception] = [ConnectionRefusedError(111, "Connection refused")]
    script += [TimeoutError("timed out")] * 3
    transport, sleeps = FakeTransport(script), list[float]()
    record = deliver(payload, SUBSCRIBER, transport=transport, retry=FAST, sleep=sleeps.append)
    assert (record.status, record.attempts, record.http_status) == (DeliveryStatus.FAILED, 4, None)
    assert record.last_error == "TimeoutError: timed out"
    recovered = deliver(
        payload,
        SUBSCRIBER,
        transport=FakeTransport([ConnectionResetError("reset"), 204]),
        retry=FAST,
        sleep=sleeps.append,
    )
    assert (recovered.status, recovered.attempts, recovered.last_error) == (
        DeliveryStatus.DELIVERED,
        2,
        None,
    )


def test_each_subscriber_gets_its_own_record_signature_and_id() -> None:
    data = {"violation_id": "V-1", "headline": "Порушення"}
    payload = json_payload(data)
    assert payload.body == '{"headline":"Порушення","violation_id":"V-1"}'.encode()
    others = [SUBSCRIBER, Subscriber("monitor-ua", "http://127.0.0.1:9/hook", "other")]
    transport = FakeTransport([200, 404])
    records = deliver_to_all(payload, others, transport=transport, sleep=lambda s: None)
    assert [(r.subscriber_id, r.status) for r in records] == [
        ("guarantor-fr", DeliveryStatus.DELIVERED),
        ("monitor-ua", DeliveryStatus.REJECTED),
    ]
    assert records[0].delivery_id != records[1].delivery_id
    signatures = [r.headers[SIGNATURE_HEADER] for r in transport.requests]
    assert signatures == [sign_body(SECRET, payload.body), sign_body("other", payload.body)]


@pytest.mark.parametrize(
    ("url", "secret", "message"),
    [
        ("file:///etc/passwd", "x", "is not http"),
        ("ftp://example.org/", "x", "is not http"),
        ("https:///no-host", "x", "is not http"),
        ("https://example.org/", "", "secret is empty"),
    ],
)
def test_bad_subscribers_are_refused(url: str, secret: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        Subscriber("s", url, secret)


def test_secret_is_not_shown() -> None:
    assert SECRET not in repr(SUBSCRIBER)


def test_retry_policy_needs_an_attempt() -> None:
    with pytest.raises(InputError, match="max_attempts"):
        RetryPolicy(max_attempts=0)


# A real HTTP receiver on 127.0.0.1, as a subscriber would run it.


@dataclass
class Receiver:
    """What the local server answers (status, delay in seconds) and what it received."""

    answers: list[tuple[int, float]]
    received: list[tuple[bytes, dict[str, str], bool]] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    state = Receiver(answers=[])

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            signature = self.headers[SIGNATURE_HEADER]
            # the check a subscriber makes, written without Truceline's helpers
            mine = hmac.new(SECRET.encode("utf-8"), body, hashlib.sha256).hexdigest()
            state.received.append((body, dict(self.headers), hmac.compare_digest(mine, signature)))
            status, delay = state.answers.pop(0) if state.answers else (200, 0.0)
            time.sleep(delay)
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", "http://127.0.0.1:9/elsewhere")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output quiet

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/cap"
    yield state
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_real_delivery_is_verified_by_the_receiver(receiver: Receiver) -> None:
    alert = violation_alert(make_violation(description="Обстріл"), sent=SENT)
    receiver.answers = [(500, 0.0), (200, 0.0)]
    subscriber = Subscriber("local", receiver.url, SECRET)
    record = deliver(cap_payload(alert), subscriber, retry=FAST, sleep=lambda s: None)
    assert (record.status, record.attempts, record.http_status) == (
        DeliveryStatus.DELIVERED,
        2,
        200,
    )
    assert len(receiver.received) == 2
    for body, headers, signature_ok in receiver.received:
        assert signature_ok
        assert body == alert_to_xml(alert)
        assert headers[DELIVERY_HEADER] == record.delivery_id
        assert headers["Content-Type"] == "application/cap+xml; charset=utf-8"


def test_real_400_is_not_retried_and_redirect_not_followed(receiver: Receiver) -> None:
    receiver.answers = [(400, 0.0), (302, 0.0)]
    subscriber = Subscriber("local", receiver.url, SECRET)
    payload = json_payload({"a": 1})
    first = deliver(payload, subscriber, retry=FAST, sleep=lambda s: None)
    second = deliver(payload, subscriber, retry=FAST, sleep=lambda s: None)
    assert (first.status, first.attempts, first.http_status) == (DeliveryStatus.REJECTED, 1, 400)
    assert (second.status, second.attempts, second.http_status) == (
        DeliveryStatus.REJECTED,
        1,
        302,
    )
    assert len(receiver.received) == 2  # the redirect was not followed


def test_real_timeout_is_recorded(receiver: Receiver) -> None:
    receiver.answers = [(200, 1.0), (200, 1.0)]
    subscriber = Subscriber("slow", receiver.url, SECRET)
    retry = RetryPolicy(max_attempts=2, initial_delay_s=0.0, timeout_s=0.2)
    record = deliver(json_payload({"a": 1}), subscriber, retry=retry, sleep=lambda s: None)
    assert (record.status, record.attempts, record.http_status) == (DeliveryStatus.FAILED, 2, None)
    assert record.last_error is not None and "timed out" in record.last_error


def test_real_connection_refused_is_recorded() -> None:
    with socket.socket() as probe:  # a port that was free a moment ago: nobody listens
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subscriber = Subscriber("gone", f"http://127.0.0.1:{port}/cap", SECRET)
    sleeps: list[float] = []
    record = deliver(json_payload({"a": 1}), subscriber, retry=FAST, sleep=sleeps.append)
    assert (record.status, record.attempts, record.http_status) == (DeliveryStatus.FAILED, 4, None)
    assert record.last_error is not None and "refused" in record.last_error.lower()
    assert sleeps == [1.0, 2.0, 3.0]
