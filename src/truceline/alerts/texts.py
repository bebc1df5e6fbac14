"""What an alert says, per language: one function per (kind of alert, language).

Only English exists. To add Ukrainian or Russian, write ``ukrainian_violation_text`` (and the
activation one) and register them under ``"uk"`` / ``"ru"`` below: each language becomes one
more <info> block of the same alert, with the same codes and parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from truceline.alerts.mapping import estimative_phrase
from truceline.domain.commission import Activation, Commitment, Finding
from truceline.domain.events import Event, Violation
from truceline.errors import InputError

Facts = TypeVar("Facts")


@dataclass(frozen=True)
class InfoText:
    """The words of one <info> block."""

    event: str
    headline: str
    description: str
    instruction: str
    area_description: str


@dataclass(frozen=True)
class ViolationFacts:
    """What a violation alert reports, gathered once for every language."""

    violation: Violation
    event: Event | None
    party: str | None
    p_party: float | None
    radius_km: float | None  # radius of the 95 % circle; None without an error ellipse


@dataclass(frozen=True)
class ActivationFacts:
    """What an activation alert reports."""

    activation: Activation
    finding: Finding
    commitment: Commitment


ENGLISH_VIOLATION_TYPES = {
    "fire_across_line": "fire across the line of contact",
    "weapon_in_withdrawal_zone": "heavy weapon inside a withdrawal zone",
    "buffer_zone_incursion": "incursion into a buffer zone",
    "fire_at_protected_site": "fire at or near a protected site",
    "access_denied": "denial of the mechanism's access",
    "missing_weapon": "weapon missing from its storage site",
}
ENGLISH_ACTIVATION_EVENTS = {
    "activated": "Guarantee activated",
    "pending_ratification": "Guarantee activation pending ratification",
    "lapsed": "Pending guarantee activation lapsed",
}
ENGLISH_ACTIVATION_INSTRUCTIONS = {
    "activated": "Carry out the commitment as pledged and report deliveries to the commission.",
    "pending_ratification": (
        "The trigger is met but the commitment is not yet in force: complete ratification, "
        "then carry it out."
    ),
    "lapsed": "No action: the commitment was withdrawn before it entered into force.",
}


def english_violation_text(facts: ViolationFacts) -> InfoText:
    """The English words of a violation alert."""
    violation = facts.violation
    what = ENGLISH_VIOLATION_TYPES.get(violation.type.value, violation.type.value)
    parts = [
        f"At {_utc_words(violation.time)} the monitoring mechanism recorded {what} "
        f"(violation {violation.violation_id}, severity {violation.severity.value}).",
        _sentence(violation.description),
        _english_position(facts),
        _english_attribution(facts),
        "This is the mechanism's assessment, not a finding of the commission.",
    ]
    return InfoText(
        event=f"Ceasefire violation: {what}",
        headline=f"{violation.severity.value.capitalize()} ceasefire violation: {what}, "
        f"{_english_attribution_short(facts)}",
        description=" ".join(part for part in parts if part),
        instruction="Keep away from the area; follow the instructions of local authorities.",
        area_description=_english_area(facts),
    )


def english_activation_text(facts: ActivationFacts) -> InfoText:
    """The English words of an activation notice."""
    activation, finding, commitment = facts.activation, facts.finding, facts.commitment
    status = activation.status.value
    responsible = finding.responsible_party or "no party (not attributable)"
    parts = [
        f"Finding {finding.finding_id} of {_utc_words(finding.decided_at)} in case "
        f"{finding.case_id} holds {responsible} responsible (severity {finding.severity}, "
        f"standard of proof: {finding.standard_of_proof.value.replace('_', ' ')}; votes "
        f"{finding.votes_for} for, {finding.votes_against} against, "
        f"{finding.abstentions} abstaining).",
        f"It meets the trigger of commitment {commitment.commitment_id} of {commitment.guarantor}"
        f" ({commitment.kind}, {commitment.quantity:g} {commitment.unit}; trigger: "
        f"{commitment.trigger}; status: {commitment.status.value.replace('_', ' ')}).",
        _sentence(activation.reason),
        _sentence(f"Dissent: {finding.dissent.strip()}") if finding.dissent.strip() else "",
    ]
    event = ENGLISH_ACTIVATION_EVENTS.get(status, f"Guarantee notice ({status})")
    return InfoText(
        event=event,
        headline=f"{event}: {commitment.guarantor}, {commitment.kind} "
        f"(finding {finding.finding_id})",
        description=" ".join(part for part in parts if part),
        instruction=ENGLISH_ACTIVATION_INSTRUCTIONS.get(status, ""),
        area_description="Ceasefire theatre",
    )


VIOLATION_TEXTS: dict[str, Callable[[ViolationFacts], InfoText]] = {
    "en": english_violation_text,
}
ACTIVATION_TEXTS: dict[str, Callable[[ActivationFacts], InfoText]] = {
    "en": english_activation_text,
}


def text_for(
    texts: dict[str, Callable[[Facts], InfoText]], language: str
) -> Callable[[Facts], InfoText]:
    """The text function of ``language``; an unknown language is an input error."""
    if language not in texts:
        raise InputError(f"no alert text in language {language!r}; available: {sorted(texts)}")
    return texts[language]


def _english_attribution_short(facts: ViolationFacts) -> str:
    if facts.party is None:
        return "not attributed"
    if facts.p_party is None:
        return f"attributed to {facts.party}"
    return f"attributed to {facts.party} ({estimative_phrase(facts.p_party)})"


def _english_attribution(facts: ViolationFacts) -> str:
    if facts.party is None:
        return "The violation is not attributed to a party."
    if facts.p_party is None:
        return f"It is attributed to {facts.party}."
    return (
        f"It is attributed to {facts.party}: {estimative_phrase(facts.p_party)} "
        f"(probability {facts.p_party:.2f})."
    )


def _english_position(facts: ViolationFacts) -> str:
    event = facts.event
    if event is None:
        return ""
    corroboration = event.corroboration.value.replace("_", " ")
    return f"Event {event.event_id} ({event.kind.value}, {corroboration})."


def _english_area(facts: ViolationFacts) -> str:
    if facts.radius_km is None:
        return f"Reported position of violation {facts.violation.violation_id}"
    return (
        f"Position of violation {facts.violation.violation_id} "
        f"(95 % error circle, {facts.radius_km:.2f} km)"
    )


def _sentence(text: str) -> str:
    """``text`` stripped and ending in a full stop (empty stays empty)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _utc_words(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise InputError(f"time {moment.isoformat()} has no timezone offset")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
