"""schemathesis against the app's own OpenAPI document: no 5xx, every response as documented.

Each test drives every operation with generated requests (valid and invalid: positive and
negative generation) as one caller, counts them, and asserts that at least
``MIN_REQUESTS`` were sent: an analyst (who may call nearly everything, so bodies reach the
store) and the public (refused or served the published), on each backend.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import hypothesis
import pytest
import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import Api, make_settings
from truceline.api import create_app
from truceline.api.auth import add_user

MIN_REQUESTS = 1_000  # per caller and backend: 2,000 per backend with both callers
EXAMPLES_PER_OPERATION = 24  # per generation mode
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@schemathesis.serializer("text/csv")  # the CSV intake routes take text
def _csv(ctx: Any, value: Any) -> bytes:
    """Generated CSV bodies are strings (or anything: sent as its text)."""
    return value.encode("utf-8", "surrogatepass") if isinstance(value, str) else str(value).encode()


def run_operations(app: FastAPI, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Drive every operation of the app's schema; (requests sent, failures)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    sent = 0
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            label = f"{operation.label} [{mode.value}]"
            strategy = operation.as_strategy(generation_mode=mode)

            def exercise(case: Any, label: str = label) -> None:
                nonlocal sent
                sent += 1
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except Exception as error:  # a failure group naming each broken check
                    failures.append(f"{label}: {error}"[:2000])

            _hypothesis_test(strategy, exercise)()
    return sent, failures


def _hypothesis_test(strategy: Any, body: Callable[[Any], None]) -> Callable[[], None]:
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def run(case: Any) -> None:
        body(case)

    return run


@pytest.fixture
def fuzz_api(store_url: str, tmp_path: Path) -> Api:
    """An app with small limits so that generated bodies can also meet them."""
    settings = make_settings(store_url, tmp_path, api_max_batch_rows=50)
    return Api(TestClient(create_app(settings)), settings)


@pytest.mark.parametrize("caller", ["analyst", "public"])
def test_generated_requests_get_no_5xx_and_only_documented_responses(
    fuzz_api: Api, caller: str
) -> None:
    headers: dict[str, str] = {}
    if caller == "analyst":
        key = fuzz_api.settings.api_secret_key
        issued = add_user(fuzz_api.engine, name="fuzz", role="analyst", key=key)
        headers = {"Authorization": f"Bearer {issued.text}"}
    with fuzz_api.client:
        sent, failures = run_operations(fuzz_api.client.app, headers)  # type: ignore[arg-type]
    assert not failures, "\n\n".join(failures[:10])
    assert sent >= MIN_REQUESTS, f"only {sent} requests generated"
