"""`truceline commitment ...`: guarantors' commitments, ratification, deliveries, activations."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Connection

from truceline.cli_options import DatabaseOpt
from truceline.domain import ActivationStatus, Commitment, RatificationStatus
from truceline.errors import InputError
from truceline.guarantees.deliveries import format_quantity as amount

commitment_app = typer.Typer(
    help="Guarantors' commitments: ratification, deliveries, activations.",
    no_args_is_help=True,
)
out = Console(soft_wrap=True, highlight=False)

OnOpt = Annotated[
    str | None, typer.Option("--on", help="Date it took effect, YYYY-MM-DD (default: today, UTC).")
]
NoteOpt = Annotated[str, typer.Option(help="A note kept with the record.")]


@contextmanager
def _transaction(database: str | None) -> Iterator[Connection]:
    """One transaction on the migrated store: committed on success, rolled back on error."""
    from truceline.store.database import open_store

    engine = open_store(database)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def _date_option(text: str | None, option: str = "--on") -> date:
    if text is None:
        return datetime.now(UTC).date()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text, re.ASCII) is None:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {text!r}", column=option) from None


def _summary(c: Commitment) -> str:
    return (
        f"{c.commitment_id:<14} {c.guarantor:<5} {c.kind:<16} "
        f"{amount(c.quantity):>15} {c.unit:<10} {c.status:<23} delivered {amount(c.delivered)}"
    )


@commitment_app.command("add")
def add(
    file: Annotated[Path, typer.Argument(help="Commitments, .json (an array) or .csv.")],
    database: DatabaseOpt = None,
) -> None:
    """Register commitments from a file, validated whole first (all or nothing)."""
    from truceline.app.guarantees import register_commitments_file

    with _transaction(database) as conn:
        result = register_commitments_file(conn, file)
    out.print(f"commitments: {result.new} new, {result.existing} already stored")


@commitment_app.command("list")
def list_(
    guarantor: Annotated[str | None, typer.Option(help="Only this guarantor's.")] = None,
    database: DatabaseOpt = None,
) -> None:
    """Commitments with their legal status and what was delivered."""
    from truceline.store.guarantees import list_commitments

    with _transaction(database) as conn:
        commitments = list_commitments(conn, guarantor=guarantor)
    for commitment in commitments:
        out.print(_summary(commitment))
    if not commitments:
        out.print("no commitments stored")


@commitment_app.command("show")
def show(
    commitment_id: Annotated[str, typer.Argument(help="The commitment's id.")],
    database: DatabaseOpt = None,
) -> None:
    """One commitment: terms, trigger, ratification history, deliveries, notices."""
    from truceline.app.guarantees import commitment_record
    from truceline.guarantees import fraction_delivered

    with _transaction(database) as conn:
        record = commitment_record(conn, commitment_id)
    c = record.commitment
    out.print(_summary(c))
    out.print(f"trigger: {c.trigger}")
    parliament = "required" if c.requires_parliament else "not part of this state's process"
    out.print(f"parliamentary ratification: {parliament}")
    for step in record.history:
        out.print(f"  {step.effective_on.isoformat()}  {step.status}  {step.note}".rstrip())
    for d in record.deliveries:
        line = f"  delivered {amount(d.quantity)} {c.unit} on {d.delivered_on.isoformat()}"
        out.print(f"{line}  {d.note}".rstrip())
    share = fraction_delivered(c)
    out.print(f"delivered {amount(c.delivered)} of {amount(c.quantity)} {c.unit} ({share:.0%})")
    for a in record.activations:
        out.print(f"  {a.activation_id}  {a.status}  finding {a.finding_id}")


@commitment_app.command("ratify")
def ratify(
    commitment_id: Annotated[str, typer.Argument(help="The commitment's id.")],
    to: Annotated[RatificationStatus, typer.Option("--to", help="The next status on the ladder.")],
    on: OnOpt = None,
    note: NoteOpt = "",
    database: DatabaseOpt = None,
) -> None:
    """Move a commitment one step up the ratification ladder (or withdraw it)."""
    from truceline.app.guarantees import advance_ratification

    with _transaction(database) as conn:
        outcome = advance_ratification(conn, commitment_id, to=to, on=_date_option(on), note=note)
    step = outcome.step
    out.print(
        f"{commitment_id}: {step.previous_status} -> {step.status} "
        f"on {step.effective_on.isoformat()}"
    )
    for activation in outcome.promoted:
        out.print(
            f"pending notice {activation.activation_id} is now an activation (finding "
            f"{activation.finding_id})"
        )
    for activation in outcome.lapsed:
        out.print(
            f"pending notice {activation.activation_id} lapsed (finding {activation.finding_id})"
        )


@commitment_app.command("deliver")
def deliver(
    commitment_id: Annotated[str, typer.Argument(help="The commitment's id.")],
    quantity: Annotated[float, typer.Option(help="Quantity delivered, in the pledge's unit.")],
    on: OnOpt = None,
    note: NoteOpt = "",
    database: DatabaseOpt = None,
) -> None:
    """Record a delivery against a pledge."""
    from truceline.app.guarantees import record_delivery
    from truceline.guarantees import fraction_delivered
    from truceline.store.guarantees import get_commitment

    with _transaction(database) as conn:
        delivery = record_delivery(
            conn, commitment_id, quantity=quantity, on=_date_option(on), note=note
        )
        c = get_commitment(conn, commitment_id=commitment_id)
    out.print(
        f"{commitment_id}: delivered {amount(delivery.quantity)} {c.unit} on "
        f"{delivery.delivered_on.isoformat()} (total {amount(c.delivered)} of "
        f"{amount(c.quantity)}, {fraction_delivered(c):.0%})"
    )


@commitment_app.command("activate")
def activate(
    finding: Annotated[str, typer.Option("--finding", help="The stored finding's id.")],
    database: DatabaseOpt = None,
) -> None:
    """Evaluate a finding against every commitment; store and print the notices."""
    from truceline.app.guarantees import activate_for_finding, list_notices

    with _transaction(database) as conn:
        notices = activate_for_finding(conn, finding)
        texts = {n.activation.activation_id: n.text for n in list_notices(conn)}
    for activation in notices:
        out.print(texts[activation.activation_id])
    if not notices:
        out.print(f"finding {finding} meets no commitment's trigger: nothing activated")


@commitment_app.command("activations")
def activations(
    guarantor: Annotated[str | None, typer.Option(help="Only notices to this guarantor.")] = None,
    status: Annotated[
        ActivationStatus | None, typer.Option(help="Only notices in this status.")
    ] = None,
    database: DatabaseOpt = None,
) -> None:
    """Activation notices and pending notices, in the order they were issued."""
    from truceline.app.guarantees import list_notices

    with _transaction(database) as conn:
        notices = list_notices(conn, guarantor=guarantor, status=status)
    for notice in notices:
        a = notice.activation
        out.print(f"{a.activation_id}  {a.issued_at.isoformat()}  {notice.text}")
    if not notices:
        out.print("no notices")


@commitment_app.command("tracker")
def tracker(database: DatabaseOpt = None) -> None:
    """Pledged, in force and delivered, per guarantor and kind, then per kind (Kiel style)."""
    from truceline.app.guarantees import tracker as tracker_of

    with _transaction(database) as conn:
        lines, totals = tracker_of(conn)
    header = f"{'guarantor':<9} {'kind':<16} {'unit':<10} {'n':>3} {'pledged':>15} "
    out.print(header + f"{'in force':>15} {'delivered':>15} {'share':>6}")
    for line in [*lines, *totals]:
        out.print(
            f"{line.guarantor:<9} {line.kind:<16} {line.unit:<10} {line.commitments:>3} "
            f"{amount(line.pledged):>15} {amount(line.in_force):>15} "
            f"{amount(line.delivered):>15} {line.fraction_delivered:>6.0%}"
        )
