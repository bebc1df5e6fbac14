"""Rich progress for steps longer than a second, on stderr so stdout stays clean."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


@contextmanager
def step(console: Console | None, description: str) -> Iterator[None]:
    """Show a spinner with elapsed time while the body runs (nothing when console is None)."""
    if console is None:
        yield
        return
    if not console.is_terminal:  # no spinner in logs and pipes: the line and its time when done
        started = time.perf_counter()
        yield
        console.print(f"✓ {description} ({time.perf_counter() - started:.1f} s)")
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        progress.add_task(description, total=None)
        yield
    console.print(f"[green]✓[/green] {description}")
