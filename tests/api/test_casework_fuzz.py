"""schemathesis over the casework and guarantors' routes, as the callers who may write them.

``test_schemathesis.py`` drives every route as an analyst and as the public; commissioners
(members, remedies) and guarantors (their state's ratification and deliveries) write through
routes an analyst cannot reach. Here they do, on a store holding a finding, remedies and
commitments, so generated bodies reach the store: no 5xx, every response as documented.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from schemathesis import GenerationMode

from tests.api.conftest import Api
from tests.api.test_ratification import seed_commitments
from tests.api.test_remedies import seed_finding
from tests.api.test_schemathesis import CHECKS, _hypothesis_test

PATHS = (
    r"^/(members|remedies|commitments/\{commitment_id\}/|cases/\{case_id\}/(lock|members|remedies))"
)
MIN_REQUESTS = 500  # 24 examples per mode of 13 operations: 624 at most


def drive(app: FastAPI, headers: dict[str, str]) -> tuple[int, list[str]]:
    """Every new operation with generated requests (valid and invalid); (sent, failures)."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex=PATHS)
    sent, failures = 0, []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            label = f"{operation.label} [{mode.value}]"

            def exercise(case: Any, label: str = label) -> None:
                nonlocal sent
                sent += 1
                response = case.call(headers=headers)
                try:
                    case.validate_response(response, checks=CHECKS, headers=headers)
                except Exception as error:  # a failure group naming each broken check
                    failures.append(f"{label}: {error}"[:2000])

            _hypothesis_test(operation.as_strategy(generation_mode=mode), exercise)()
    return sent, failures


@pytest.mark.parametrize("caller", ["commissioner", "guarantor"])
def test_generated_casework_requests_get_no_5xx(api: Api, caller: str) -> None:
    seed_finding(api, "C-1", "RU")
    seed_commitments(api)
    binding = {"state": "FR"} if caller == "guarantor" else {}
    headers = api.user("fuzz", caller, **binding)
    sent, failures = drive(api.client.app, headers)  # type: ignore[arg-type]
    assert not failures, "\n\n".join(failures[:10])
    assert sent >= MIN_REQUESTS, f"only {sent} requests generated"
