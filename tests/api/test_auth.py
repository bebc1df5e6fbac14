"""Tokens, users, weak secrets, the `truceline user` commands and the durable SQLite set-up."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from tests.api.conftest import Api, make_settings
from truceline.api import create_app
from truceline.api.auth import revoke_user_tokens
from truceline.api.roles import Role, check_binding
from truceline.api.security import check_secrets, make_token, parse_token, verify_secret
from truceline.cli import app as cli
from truceline.errors import InputError
from truceline.settings import Settings
from truceline.store.auth_tables import api_tokens

STRONG_KEY = "k" * 12 + "3f9a7c1e5b2d8f4a6c0e9b7d5a3f1c8e"


def test_only_the_hash_of_a_token_is_stored(api: Api) -> None:
    headers = api.user("ana", "analyst")
    secret = headers["Authorization"].removeprefix("Bearer ").split(".")[1]
    with api.engine.connect() as conn:
        stored = conn.execute(text("SELECT secret_hash FROM api_tokens")).scalar_one()
    assert secret not in stored and stored.startswith("$argon2")


def test_a_token_works_with_its_key_only() -> None:
    token = make_token("key-one")
    parsed = parse_token(token.text)
    assert parsed is not None and parsed[0] == token.token_id
    assert verify_secret(parsed[1], token.secret_hash, "key-one")
    assert not verify_secret(parsed[1], token.secret_hash, "key-two")
    assert not verify_secret(parsed[1] + "x", token.secret_hash, "key-one")


def test_bad_or_revoked_tokens_are_401(store_url: str, tmp_path: Path) -> None:
    settings = make_settings(store_url, tmp_path, api_token_cache_seconds=0)
    with TestClient(create_app(settings)) as client:
        api = Api(client, settings)
        headers = api.user("ana", "analyst")
        assert client.get("/sensors", headers=headers).status_code == 200
        for bad in ("nonsense", headers["Authorization"][7:-2] + "xx", "tl_0123456789abcdef.x" * 3):
            response = client.get("/sensors", headers={"Authorization": f"Bearer {bad}"})
            assert response.status_code == 401 and response.headers["WWW-Authenticate"] == "Bearer"
        assert revoke_user_tokens(api.engine, name="ana") == 1
        assert client.get("/sensors", headers=headers).status_code == 401
        # a bad token is refused even where the public is welcome
        assert (
            client.get("/findings", headers={"Authorization": "Bearer nonsense"}).status_code == 401
        )
        with api.engine.connect() as conn:
            assert conn.execute(api_tokens.select()).first() is not None


@pytest.mark.parametrize(
    ("role", "binding", "complaint"),
    [
        (Role.PARTY_LIAISON, {}, "--party"),
        (Role.GUARANTOR, {"party": "UA"}, "--state"),
        (Role.ANALYST, {"party": "UA"}, "--party"),
        (Role.MONITOR, {"member_id": "m1"}, "--member"),
        (Role.PUBLIC, {}, "without a token"),
    ],
)
def test_bindings_must_fit_the_role(role: Role, binding: dict[str, str], complaint: str) -> None:
    values = {"party": None, "state": None, "member_id": None} | binding
    why = check_binding(role, **values)
    assert why is not None and complaint in why


def test_weak_secrets_are_refused_outside_development(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    for environment in ("test", "production"):
        for key in ("changethis", "short-but-not-default"):
            with pytest.raises(InputError, match="TRUCELINE_API_SECRET_KEY"):
                create_app(Settings(database_url=url, environment=environment, api_secret_key=key))
    with pytest.raises(InputError, match="TRUCELINE_ENVIRONMENT"):
        check_secrets(Settings(environment="prod"))
    check_secrets(Settings(environment="production", api_secret_key=STRONG_KEY))
    check_secrets(Settings(environment="development"))  # the default key is fine there


def test_sqlite_is_durable_for_the_api(tmp_path: Path) -> None:
    settings = make_settings(f"sqlite:///{tmp_path / 's.db'}", tmp_path)
    app = create_app(settings)
    with app.state.truceline.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2  # FULL


def test_user_add_prints_the_token_once_and_it_works(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    monkeypatch.setenv("TRUCELINE_DATABASE_URL", url)
    runner = CliRunner()
    added = runner.invoke(cli, ["user", "add", "ua-1", "--role", "party_liaison", "--party", "UA"])
    assert added.exit_code == 0, added.output
    token = added.stdout.strip()
    assert parse_token(token) is not None
    listed = runner.invoke(cli, ["user", "list"])
    assert "ua-1  party_liaison  UA" in listed.stdout and token not in listed.stdout
    again = runner.invoke(cli, ["user", "token", "ua-1"])
    assert again.exit_code == 0 and again.stdout.strip() != token
    with TestClient(create_app(make_settings(url, tmp_path))) as client:
        response = client.get("/reports", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
    refused = runner.invoke(cli, ["user", "add", "x", "--role", "guarantor"])
    assert refused.exit_code != 0 and isinstance(refused.exception, InputError)
    revoked = runner.invoke(cli, ["user", "revoke", "ua-1"])
    assert revoked.exit_code == 0 and "2 tokens" in revoked.stdout
