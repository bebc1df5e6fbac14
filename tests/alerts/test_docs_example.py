"""The example in docs/alerts.md is what the code produces, and it is valid CAP 1.2."""

from __future__ import annotations

import io
import re
from pathlib import Path

import xmlschema

from truceline.alerts.webhooks import sign_body

DOC = Path(__file__).resolve().parents[2] / "docs" / "alerts.md"


def code_blocks(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


def test_documented_example_is_the_real_output(cap_schema: xmlschema.XMLSchema) -> None:
    example = next(block for block in code_blocks("python") if "violation_alert(" in block)
    [shown] = code_blocks("xml")
    names: dict[str, object] = {}
    exec(example, names)
    document = names["document"]
    assert isinstance(document, bytes)
    assert document.decode("utf-8") == shown
    cap_schema.validate(io.BytesIO(document))


def test_documented_signature_check_accepts_and_refuses() -> None:
    snippet = next(block for block in code_blocks("python") if "def is_from_truceline" in block)
    names: dict[str, object] = {}
    exec(snippet, names)
    check = names["is_from_truceline"]
    body = b'{"violation_id":"V-1"}'
    assert check("k", body, sign_body("k", body))  # type: ignore[operator]
    assert not check("k", body + b"x", sign_body("k", body))  # type: ignore[operator]
