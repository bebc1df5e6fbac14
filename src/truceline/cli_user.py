"""`truceline user ...`: users of the HTTP API and their tokens (convert, call, print)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine

from truceline.cli_options import DatabaseOpt

user_app = typer.Typer(help="Users of the HTTP API, their roles and tokens.", no_args_is_help=True)
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

NameArg = Annotated[str, typer.Argument(help="User name (recorded as the actor of its writes).")]


@contextmanager
def _store(database: str | None) -> Iterator[Engine]:
    from truceline.store.database import open_store

    engine = open_store(database)
    try:
        yield engine
    finally:
        engine.dispose()


def _key() -> str:
    from truceline.api.security import check_secrets
    from truceline.settings import get_settings

    settings = get_settings()
    check_secrets(settings)
    return settings.api_secret_key


def _print_token(text: str) -> None:
    out.print(text)
    err.print("Shown once: store it now (only its hash is kept).")


@user_app.command("add")
def add(
    name: NameArg,
    role: Annotated[
        str,
        typer.Option(
            help="monitor, sensor_feed, analyst, commissioner, party_liaison or guarantor."
        ),
    ],
    party: Annotated[str | None, typer.Option(help="The party of a party_liaison.")] = None,
    state: Annotated[str | None, typer.Option(help="The state of a guarantor.")] = None,
    member: Annotated[
        str | None, typer.Option(help="A commissioner's member id (default: the user name).")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Create a user and print its first API token (once)."""
    from truceline.api.auth import add_user

    key = _key()
    with _store(database) as engine:
        issued = add_user(
            engine, name=name, role=role, key=key, party=party, state=state, member_id=member
        )
    user = issued.user
    bound = user.party or user.state or user.member_id
    err.print(f"User {user.name} ({user.role}{f', {bound}' if bound else ''}) created.")
    _print_token(issued.text)


@user_app.command("token")
def token(name: NameArg, database: DatabaseOpt = None) -> None:
    """Issue another token for a user (print it once)."""
    from truceline.api.auth import issue_token

    key = _key()
    with _store(database) as engine:
        issued = issue_token(engine, name=name, key=key)
    _print_token(issued.text)


@user_app.command("revoke")
def revoke(name: NameArg, database: DatabaseOpt = None) -> None:
    """Revoke every token of a user."""
    from truceline.api.auth import revoke_user_tokens

    with _store(database) as engine:
        count = revoke_user_tokens(engine, name=name)
    out.print(f"{count} tokens of {name} revoked.")


@user_app.command("list")
def list_(database: DatabaseOpt = None) -> None:
    """List users with their roles and bindings (never tokens)."""
    from truceline.store.auth import get_users

    with _store(database) as engine, engine.connect() as conn:
        users = get_users(conn)
    for user in users:
        bound = user.party or user.state or user.member_id or "-"
        out.print(f"{user.name}  {user.role}  {bound}{'' if user.active else '  (inactive)'}")
