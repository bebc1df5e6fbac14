"""Simulating a scenario onto disk."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from rich.console import Console

from truceline.app.progress import step
from truceline.domain import Theatre
from truceline.errors import InputError
from truceline.geo.demo import load_demo_theatre
from truceline.io.theatre import read_theatre
from truceline.sim.files import write_scenario
from truceline.sim.profiles import PROFILES
from truceline.sim.scenario import Scenario, simulate


def load_theatre(path: Path | None) -> Theatre:
    """The theatre in ``path``, or the built-in demo theatre."""
    return load_demo_theatre() if path is None else read_theatre(path)


def simulate_scenario(
    *,
    seed: int,
    profile: str,
    theatre: Theatre,
    start: datetime,
    hours: int,
    console: Console | None = None,
) -> Scenario:
    """Simulate, refusing an unknown profile with a clear error."""
    if profile not in PROFILES:
        raise InputError(
            f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}", column="--profile"
        )
    if theatre.contact_line is None or theatre.contact_line.is_empty:
        raise InputError("the theatre has no contact line to simulate along")
    if len(theatre.parties) != 2 or len(theatre.control_areas) < 2:
        raise InputError("the simulator needs a theatre with two parties and their control areas")
    with step(console, f"Simulating {hours} h ({profile}, seed {seed})"):
        return simulate(theatre, seed=seed, profile=profile, start=start, hours=hours)


def simulate_to_files(
    out_dir: Path,
    *,
    seed: int,
    profile: str,
    theatre_path: Path | None,
    start: datetime,
    hours: int,
    console: Console | None = None,
) -> dict[str, Path]:
    """Simulate and write the interchange files and the truth to ``out_dir``."""
    theatre = load_theatre(theatre_path)
    scenario = simulate_scenario(
        seed=seed, profile=profile, theatre=theatre, start=start, hours=hours, console=console
    )
    with step(console, f"Writing scenario to {out_dir}"):
        return write_scenario(scenario, out_dir)
