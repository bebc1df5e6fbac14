"""Deliver alerts to subscribers' webhooks: signed POSTs with bounded retries (stdlib only).

Each POST carries ``X-Truceline-Signature`` (hex HMAC-SHA256 of the body under the
subscriber's secret) and ``X-Truceline-Delivery`` (one id per alert and subscriber, the same
on every retry, so a receiver can drop duplicates). Network errors and 5xx answers are retried
with exponential backoff; any other non-2xx answer is final. Nothing is raised for a failed
delivery: each subscriber gets a ``DeliveryRecord``.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

from truceline import __version__
from truceline.alerts.message import CAP_MEDIA_TYPE, Alert, alert_to_xml
from truceline.errors import InputError

SIGNATURE_HEADER = "X-Truceline-Signature"
DELIVERY_HEADER = "X-Truceline-Delivery"
USER_AGENT = f"Truceline/{__version__} (webhooks)"


@dataclass(frozen=True)
class Subscriber:
    """A registered receiver: an http(s) URL and the secret its signatures are made with."""

    subscriber_id: str
    url: str
    secret: str = field(repr=False)  # never printed in logs or reprs

    def __post_init__(self) -> None:
        parts = urlsplit(self.url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise InputError(f"subscriber {self.subscriber_id!r}: {self.url!r} is not http(s)")
        if not self.secret:
            raise InputError(f"subscriber {self.subscriber_id!r}: the secret is empty")


@dataclass(frozen=True)
class Payload:
    """The bytes to POST and their media type."""

    body: bytes
    content_type: str


@dataclass(frozen=True)
class WebhookRequest:
    """One POST as a transport sees it."""

    url: str
    body: bytes
    headers: Mapping[str, str]
    timeout_s: float


# A transport sends one request and returns the HTTP status; it raises OSError (or
# http.client.HTTPException) when no answer came: refused, reset, timed out.
Transport = Callable[[WebhookRequest], int]


class DeliveryStatus(StrEnum):
    DELIVERED = "delivered"  # a 2xx answer
    REJECTED = "rejected"  # a final non-2xx, non-5xx answer (e.g. 400, 404): not retried
    FAILED = "failed"  # every attempt met a network error or a 5xx


@dataclass(frozen=True)
class DeliveryRecord:
    """What became of one alert for one subscriber."""

    subscriber_id: str
    url: str
    delivery_id: str
    status: DeliveryStatus
    attempts: int
    http_status: int | None  # the last answer's status; None if no answer came
    last_error: str | None  # the last attempt's error; None when delivered


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry: delays grow by ``backoff`` up to ``max_delay_s``."""

    max_attempts: int = 5
    initial_delay_s: float = 1.0
    backoff: float = 2.0
    max_delay_s: float = 60.0
    timeout_s: float = 10.0  # per attempt

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise InputError(f"max_attempts must be >= 1, got {self.max_attempts}")

    def delay_before(self, attempt: int) -> float:
        """Seconds to wait before attempt ``attempt`` (the first has no wait).

        >>> [RetryPolicy().delay_before(n) for n in (1, 2, 3, 4)]
        [0.0, 1.0, 2.0, 4.0]
        """
        if attempt <= 1:
            return 0.0
        return min(self.max_delay_s, self.initial_delay_s * self.backoff ** (attempt - 2))


def sign_body(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of ``body`` under ``secret`` (the X-Truceline-Signature value)."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, signature: str) -> bool:
    """True when ``signature`` is the body's signature under ``secret`` (constant time)."""
    return hmac.compare_digest(sign_body(secret, body), signature.strip().lower())


def cap_payload(alert: Alert) -> Payload:
    """A CAP alert as its XML document."""
    return Payload(alert_to_xml(alert), f"{CAP_MEDIA_TYPE}; charset=utf-8")


def json_payload(data: Mapping[str, object]) -> Payload:
    """A JSON body (UTF-8, keys sorted, so the same data always signs the same)."""
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return Payload(body.encode("utf-8"), "application/json; charset=utf-8")


def deliver(
    payload: Payload,
    subscriber: Subscriber,
    *,
    transport: Transport | None = None,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
    delivery_id: str | None = None,
) -> DeliveryRecord:
    """POST ``payload`` to one subscriber, retrying network errors and 5xx; never raises."""
    send = transport or urllib_transport
    policy = retry or RetryPolicy()
    request = signed_request(payload, subscriber, delivery_id or uuid.uuid4().hex, policy)
    http_status: int | None = None
    error: str | None = None
    attempt = 0
    while attempt < policy.max_attempts:
        attempt += 1
        if attempt > 1:
            sleep(policy.delay_before(attempt))
        http_status, error = _attempt(send, request)
        if http_status is not None and http_status < 500:
            break  # delivered, or refused for good: retrying would not help
    return DeliveryRecord(
        subscriber.subscriber_id,
        subscriber.url,
        request.headers[DELIVERY_HEADER],
        _outcome(http_status),
        attempt,
        http_status,
        error,
    )


def deliver_to_all(
    payload: Payload,
    subscribers: Iterable[Subscriber],
    *,
    transport: Transport | None = None,
    retry: RetryPolicy | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> list[DeliveryRecord]:
    """Deliver to each subscriber in turn (its own delivery id); one record each."""
    return [
        deliver(payload, subscriber, transport=transport, retry=retry, sleep=sleep)
        for subscriber in subscribers
    ]


def signed_request(
    payload: Payload, subscriber: Subscriber, delivery_id: str, retry: RetryPolicy
) -> WebhookRequest:
    """The POST for one subscriber, with its signature and delivery id."""
    headers = {
        "Content-Type": payload.content_type,
        "User-Agent": USER_AGENT,
        SIGNATURE_HEADER: sign_body(subscriber.secret, payload.body),
        DELIVERY_HEADER: delivery_id,
    }
    return WebhookRequest(subscriber.url, payload.body, headers, retry.timeout_s)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Refuse redirects: urllib would turn a redirected POST into a GET without the body."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def urllib_transport(request: WebhookRequest) -> int:
    """Send the POST with urllib; an HTTP error status is returned, not raised."""
    outgoing = urllib.request.Request(
        request.url, data=request.body, headers=dict(request.headers), method="POST"
    )
    try:
        with _OPENER.open(outgoing, timeout=request.timeout_s) as response:
            response.read(65536)  # drain a little so the connection closes cleanly
            return int(response.status)
    except urllib.error.HTTPError as exc:
        exc.close()
        return int(exc.code)


def _attempt(send: Transport, request: WebhookRequest) -> tuple[int | None, str | None]:
    """(HTTP status or None, error or None) of one attempt."""
    try:
        status = send(request)
    except (OSError, http.client.HTTPException) as exc:
        return None, f"{type(exc).__name__}: {exc}"
    return status, None if 200 <= status < 300 else f"HTTP {status}"


def _outcome(http_status: int | None) -> DeliveryStatus:
    if http_status is not None and 200 <= http_status < 300:
        return DeliveryStatus.DELIVERED
    if http_status is not None and http_status < 500:
        return DeliveryStatus.REJECTED
    return DeliveryStatus.FAILED
