"""Options shared by the `truceline` command and its sub-commands."""

from __future__ import annotations

from typing import Annotated

import typer

DatabaseOpt = Annotated[
    str | None,
    typer.Option(
        "--database", help="SQLAlchemy URL (default: TRUCELINE_DATABASE_URL or ./truceline.db)."
    ),
]
