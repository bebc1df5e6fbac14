"""Graduated remedies: a catalogue, a choice by severity and recurrence, deadlines, reminders.

The level of response is the finding's severity level plus one step per
``findings_per_step`` earlier findings against the same party within the recurrence window,
capped at the catalogue's highest level. The remedies of that level are chosen (if no
remedy has exactly that level, those of the highest level below it).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

from truceline.commission.jsonfile import Fields, read_json
from truceline.domain.commission import Finding, Remedy
from truceline.errors import ConflictError, InputError

DEFAULT_CATALOGUE = "remedy_catalogue.json"


@dataclass(frozen=True)
class RemedyOption:
    """One graduated remedy of the catalogue; ``{hours}`` in the description is the deadline."""

    kind: str
    level: int
    deadline_hours: int | None
    description: str

    def describe(self) -> str:
        return self.description.replace("{hours}", str(self.deadline_hours))


@dataclass(frozen=True)
class RemedyCatalogue:
    """The remedies, the level of each severity, and how recurrence raises the level."""

    options: tuple[RemedyOption, ...]
    severity_levels: dict[str, int]
    recurrence_window: timedelta
    findings_per_step: int
    reminder_lead: timedelta

    @property
    def top_level(self) -> int:
        return max(o.level for o in self.options)


@dataclass(frozen=True)
class Reminder:
    """A remedy whose deadline approaches or has passed with no compliance recorded."""

    remedy: Remedy
    overdue: bool
    hours_left: float


def load_catalogue(path: Path | None = None) -> RemedyCatalogue:
    """The catalogue in ``path``, or the default one shipped with Truceline."""
    if path is None:
        source = resources.files("truceline.commission").joinpath(DEFAULT_CATALOGUE)
        with resources.as_file(source) as shipped:
            return parse_catalogue(read_json(shipped), file=str(shipped))
    return parse_catalogue(read_json(path), file=str(path))


def parse_catalogue(data: Any, *, file: str) -> RemedyCatalogue:
    """Validate a catalogue document (InputError naming the file and the field)."""
    doc = Fields(data, file=file)
    levels_fields = doc.child("severity_levels")
    if not levels_fields.data:
        raise doc.error("must name at least one severity", "severity_levels")
    levels = {name: levels_fields.integer(name, minimum=1) for name in levels_fields.data}
    recurrence = doc.child("recurrence")
    options = tuple(_option(item) for item in doc.items("remedies"))
    kinds = [o.kind for o in options]
    if len(set(kinds)) != len(kinds):
        raise doc.error("a remedy kind is given twice", "remedies")
    return RemedyCatalogue(
        options=options,
        severity_levels=levels,
        recurrence_window=timedelta(days=recurrence.integer("window_days", minimum=1)),
        findings_per_step=recurrence.integer("findings_per_step", minimum=1),
        reminder_lead=timedelta(hours=doc.integer("reminder_hours")),
    )


def _option(item: Fields) -> RemedyOption:
    return RemedyOption(
        kind=item.text("kind"),
        level=item.integer("level", minimum=1),
        deadline_hours=item.optional_integer("deadline_hours", minimum=1),
        description=item.text("description"),
    )


def count_recurrence(
    findings: Iterable[Finding], *, party: str, before: datetime, window: timedelta
) -> int:
    """Findings against ``party`` decided in the window that ends just before ``before``."""
    start = before - window
    return sum(
        1 for f in findings if f.responsible_party == party and start <= f.decided_at < before
    )


def remedy_level(catalogue: RemedyCatalogue, *, severity: str, prior_findings: int) -> int:
    """The level of response: severity's level, raised by recurrence, capped at the top."""
    if severity not in catalogue.severity_levels:
        known = ", ".join(catalogue.severity_levels)
        raise InputError(f"severity {severity!r} is not in the remedy catalogue ({known})")
    steps = prior_findings // catalogue.findings_per_step
    return min(catalogue.severity_levels[severity] + steps, catalogue.top_level)


def choose_remedies(
    catalogue: RemedyCatalogue, *, severity: str, prior_findings: int
) -> list[RemedyOption]:
    """The catalogue's remedies for this severity and this many earlier findings.

    >>> cat = load_catalogue()
    >>> [o.kind for o in choose_remedies(cat, severity="low", prior_findings=0)]
    ['formal_notice']
    >>> [o.kind for o in choose_remedies(cat, severity="low", prior_findings=2)]
    ['joint_inspection']
    """
    level = remedy_level(catalogue, severity=severity, prior_findings=prior_findings)
    reachable = [o.level for o in catalogue.options if o.level <= level]
    if not reachable:
        raise InputError(f"the remedy catalogue has no remedy at level {level} or below")
    chosen = max(reachable)
    return [o for o in catalogue.options if o.level == chosen]


def remedies_for(
    finding: Finding, options: Sequence[RemedyOption], *, remedy_ids: Sequence[str], at: datetime
) -> list[Remedy]:
    """The remedies to impose on the finding's responsible party, with their deadlines."""
    if finding.responsible_party is None:
        raise ConflictError(
            f"finding {finding.finding_id} is not attributable: no party to impose a remedy on"
        )
    return [
        Remedy(
            remedy_id=remedy_id,
            finding_id=finding.finding_id,
            kind=option.kind,
            party=finding.responsible_party,
            due_at=_deadline(option, at),
            description=option.describe(),
        )
        for remedy_id, option in zip(remedy_ids, options, strict=True)
    ]


def _deadline(option: RemedyOption, at: datetime) -> datetime | None:
    return None if option.deadline_hours is None else at + timedelta(hours=option.deadline_hours)


def reminders_due(remedies: Iterable[Remedy], *, now: datetime, lead: timedelta) -> list[Reminder]:
    """Remedies not complied with whose deadline is within ``lead`` of ``now`` or passed.

    Soonest deadline first.
    """
    due = []
    for remedy in remedies:
        if remedy.complied_at is not None or remedy.due_at is None:
            continue
        if remedy.due_at - lead <= now:
            hours_left = (remedy.due_at - now).total_seconds() / 3600
            due.append(Reminder(remedy, overdue=remedy.due_at <= now, hours_left=hours_left))
    return sorted(due, key=lambda reminder: (reminder.hours_left, reminder.remedy.remedy_id))


def record_compliance(remedy: Remedy, *, at: datetime) -> Remedy:
    """The remedy with its compliance recorded; refused when already recorded."""
    if remedy.complied_at is not None:
        when = remedy.complied_at.isoformat()
        raise ConflictError(f"remedy {remedy.remedy_id}: compliance already recorded at {when}")
    return replace(remedy, complied_at=at)
