"""`truceline alert ...`: send the CAP alerts of the outbox to webhook subscribers."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from truceline.errors import InputError

alert_app = typer.Typer(help="CAP 1.2 alerts: send the outbox.", no_args_is_help=True)
out = Console(soft_wrap=True)


@alert_app.command("send")
def send(
    subscribers: Annotated[
        Path, typer.Option("--subscribers", help="JSON list of {id, url, secret | secret_env}.")
    ],
    alerts_dir: Annotated[
        Path | None,
        typer.Option("--alerts-dir", help="The outbox (default: TRUCELINE_ALERTS_DIR)."),
    ] = None,
) -> None:
    """POST every alert not yet delivered to each subscriber (signed, retried on failure)."""
    from truceline.app.outbox import read_subscribers, send_outbox
    from truceline.settings import get_settings

    directory = alerts_dir or get_settings().alerts_dir
    if directory is None or not directory.is_dir():
        raise InputError(f"no alerts directory {directory or ''}".rstrip(), column="--alerts-dir")
    summary = send_outbox(directory, read_subscribers(subscribers))
    out.print(
        f"{summary.delivered} delivered, {summary.failed} failed (retried on the next send), "
        f"{summary.already} sent before"
    )
    for r in summary.records:
        if r.status == "failed":
            out.print(f"  {r.subscriber_id}: {r.delivery_id}: {r.last_error or r.http_status}")
