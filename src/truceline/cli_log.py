"""`truceline log ...`: the transparency log from the command line (convert and print only)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from truceline.errors import InputError, NotFoundError, VerificationError

log_app = typer.Typer(
    help="The transparency log: signed Merkle tree heads, proofs and independent verification.",
    no_args_is_help=True,
)

LogDir = Annotated[Path, typer.Argument(help="The log directory (the part that is published).")]
KeyOpt = Annotated[
    Path,
    typer.Option("--key", help="The private key file (kept outside the log directory, 0600)."),
]


@log_app.command("init")
def init(directory: LogDir, key: KeyOpt) -> None:
    """Create an empty log and its Ed25519 key pair; the private key goes to --key."""
    from truceline.ledger import init_log

    head = init_log(directory, key)
    typer.echo(f"created the log in {directory} (signed tree head of size {head.tree_size})")
    typer.echo(f"public key: {directory / 'log.pub'} (publish it with the log)")
    typer.echo(f"private key: {key} (mode 0600; keep it off every published copy)")


@log_app.command("append")
def append(
    directory: LogDir,
    key: KeyOpt,
    kind: Annotated[str, typer.Option("--kind", help="finding, activation, ...")],
    payload: Annotated[Path, typer.Option("--payload", help="A JSON file holding one object.")],
) -> None:
    """Append one entry and sign a new tree head (the commission code calls the library)."""
    from truceline.ledger import append_entry

    result = append_entry(directory, key, kind, _read_json_object(payload))
    head = result.tree_head
    typer.echo(
        f"appended entry {result.indices[0]} ({kind}); signed tree head: size {head.tree_size}, "
        f"root {head.root_hash.hex()}"
    )


@log_app.command("verify")
def verify(
    directory: LogDir,
    public_key: Annotated[
        Path | None,
        typer.Option("--public-key", help="The log's public key as you obtained it (PEM)."),
    ] = None,
    trusted_head: Annotated[
        Path | None,
        typer.Option("--trusted-head", help="A tree head you saved earlier (`log head` output)."),
    ] = None,
) -> None:
    """Check every entry, root, signature and step; exit 2 naming the first failure."""
    from truceline.ledger import head_from_json, verify_log
    from truceline.ledger.records import RecordError
    from truceline.ledger.signing import load_public_key

    key = load_public_key(public_key) if public_key is not None else None
    trusted = None
    if trusted_head is not None:
        try:
            trusted = head_from_json(_read_json_object(trusted_head))
        except RecordError as exc:
            raise InputError(f"not a tree head: {exc}", file=str(trusted_head)) from None
    report = verify_log(directory, key, trusted)
    head = report.latest_head
    if not report.ok or head is None:
        raise VerificationError(f"{directory}: {report.failure_line()}")
    typer.echo(
        f"{directory}: intact: {_count(report.entry_count, 'entry', 'entries')}, "
        f"{_count(report.head_count, 'signed tree head', 'signed tree heads')}, "
        "each consistent with the one before"
    )
    typer.echo(f"newest head: size {head.tree_size}, root {head.root_hash.hex()}, {head.timestamp}")
    if trusted is not None:
        typer.echo(f"the trusted head of size {trusted.tree_size} is consistent with the log")
    if key is None:
        typer.echo("key: the log's own log.pub; pass --public-key to check against your copy")


@log_app.command("prove")
def prove(
    directory: LogDir,
    index: Annotated[int, typer.Option("--index", min=0, help="The entry to prove.")],
    size: Annotated[
        int | None,
        typer.Option("--size", min=0, help="Size of the signed head to prove against (newest)."),
    ] = None,
) -> None:
    """Print the inclusion proof (RFC 9162 audit path) of one entry as JSON."""
    from truceline.ledger import inclusion_proof

    typer.echo(json.dumps(inclusion_proof(directory, index, size).to_json(), indent=2))


@log_app.command("head")
def show_head(directory: LogDir) -> None:
    """Print the newest signed tree head as JSON (save it to check later copies against)."""
    from truceline.ledger import latest_head

    typer.echo(json.dumps(latest_head(directory).to_json(), indent=2))


def _read_json_object(path: Path) -> dict[str, Any]:
    """A JSON file holding one object; InputError names the file, line and column."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFoundError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read it as UTF-8 text ({exc})", file=str(path)) from None
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        message = f"not valid JSON: {exc.msg} (character {exc.colno})"
        raise InputError(message, file=str(path), line=exc.lineno) from None
    if not isinstance(value, dict):
        raise InputError("must hold one JSON object", file=str(path), line=1)
    return value


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"
