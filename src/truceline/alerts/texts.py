"""What an alert says, in English, Ukrainian and Russian, worded through the catalogue.

One function per kind of alert words it in the current language (``violation_text``,
``activation_text``); ``VIOLATION_TEXTS`` and ``ACTIVATION_TEXTS`` hold them per language, and
each language of the policy becomes one more <info> block of the same alert, with the same
codes and parameters. Free text from the data (descriptions, reasons, dissent) is kept as it
was written. Times are written as ISO dates in UTC in every language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TypeVar

from truceline.alerts.mapping import estimative_phrase
from truceline.domain.commission import Activation, Commitment, Finding
from truceline.domain.events import Event, Severity, Violation
from truceline.errors import InputError
from truceline.i18n import LANGUAGES, N_, _, current_language, format_number, use_language
from truceline.i18n.terms import term

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


VIOLATION_TYPES = {
    "fire_across_line": N_("fire across the line of contact"),
    "weapon_in_withdrawal_zone": N_("heavy weapon inside a withdrawal zone"),
    "buffer_zone_incursion": N_("incursion into a buffer zone"),
    "fire_at_protected_site": N_("fire at or near a protected site"),
    "access_denied": N_("denial of the mechanism's access"),
    "missing_weapon": N_("weapon missing from its storage site"),
}
SEVERITY_HEADLINES = {
    Severity.CRITICAL: N_("Critical ceasefire violation"),
    Severity.HIGH: N_("High ceasefire violation"),
    Severity.MEDIUM: N_("Medium ceasefire violation"),
    Severity.LOW: N_("Low ceasefire violation"),
}
ACTIVATION_EVENTS = {
    "activated": N_("Guarantee activated"),
    "pending_ratification": N_("Guarantee activation pending ratification"),
    "lapsed": N_("Pending guarantee activation lapsed"),
}
ACTIVATION_INSTRUCTIONS = {
    "activated": N_("Carry out the commitment as pledged and report deliveries to the commission."),
    "pending_ratification": N_(
        "The trigger is met but the commitment is not yet in force: complete ratification, "
        "then carry it out."
    ),
    "lapsed": N_("No action: the commitment was withdrawn before it entered into force."),
}


def violation_text(facts: ViolationFacts) -> InfoText:
    """The words of a violation alert in the current language."""
    violation = facts.violation
    kind = violation.type.value
    what = _(VIOLATION_TYPES[kind]) if kind in VIOLATION_TYPES else kind
    recorded = _(
        "At %(time)s the monitoring mechanism recorded %(what)s (violation %(violation)s, "
        "severity %(severity)s)."
    ) % {
        "time": _utc_words(violation.time),
        "what": what,
        "violation": violation.violation_id,
        "severity": term(violation.severity.value),
    }
    parts = [
        recorded,
        _sentence(violation.description),
        _position(facts),
        _attribution(facts),
        _("This is the mechanism's assessment, not a finding of the commission."),
    ]
    return InfoText(
        event=_("Ceasefire violation: %(what)s") % {"what": what},
        headline=_("%(violation)s: %(what)s, %(attribution)s")
        % {
            "violation": _(SEVERITY_HEADLINES[violation.severity]),
            "what": what,
            "attribution": _attribution_short(facts),
        },
        description=" ".join(part for part in parts if part),
        instruction=_("Keep away from the area; follow the instructions of local authorities."),
        area_description=_area(facts),
    )


def activation_text(facts: ActivationFacts) -> InfoText:
    """The words of an activation notice in the current language."""
    activation, finding, commitment = facts.activation, facts.finding, facts.commitment
    status = activation.status.value
    parts = [
        _finding_sentence(finding),
        _commitment_sentence(commitment),
        _sentence(activation.reason),
        _sentence(_("Dissent: %(dissent)s") % {"dissent": finding.dissent.strip()})
        if finding.dissent.strip()
        else "",
    ]
    if status in ACTIVATION_EVENTS:
        event = _(ACTIVATION_EVENTS[status])
    else:
        event = _("Guarantee notice (%(status)s)") % {"status": status}
    return InfoText(
        event=event,
        headline=_("%(event)s: %(guarantor)s, %(kind)s (finding %(finding)s)")
        % {
            "event": event,
            "guarantor": commitment.guarantor,
            "kind": commitment.kind,
            "finding": finding.finding_id,
        },
        description=" ".join(part for part in parts if part),
        instruction=_(ACTIVATION_INSTRUCTIONS[status]) if status in ACTIVATION_INSTRUCTIONS else "",
        area_description=_("Ceasefire theatre"),
    )


def in_language(lang: str, words: Callable[[Facts], InfoText]) -> Callable[[Facts], InfoText]:
    """``words`` always worded in ``lang``."""

    def worded(facts: Facts) -> InfoText:
        with use_language(lang):
            return words(facts)

    worded.__doc__ = f"{words.__doc__} ({lang})"
    return worded


VIOLATION_TEXTS: dict[str, Callable[[ViolationFacts], InfoText]] = {
    lang: in_language(lang, violation_text) for lang in LANGUAGES
}
ACTIVATION_TEXTS: dict[str, Callable[[ActivationFacts], InfoText]] = {
    lang: in_language(lang, activation_text) for lang in LANGUAGES
}
english_violation_text = VIOLATION_TEXTS["en"]
english_activation_text = ACTIVATION_TEXTS["en"]


def text_for(
    texts: dict[str, Callable[[Facts], InfoText]], language: str
) -> Callable[[Facts], InfoText]:
    """The text function of ``language``; an unknown language is an input error."""
    if language not in texts:
        raise InputError(f"no alert text in language {language!r}; available: {sorted(texts)}")
    return texts[language]


def _finding_sentence(finding: Finding) -> str:
    responsible = finding.responsible_party or _("no party (not attributable)")
    return _(
        "Finding %(finding)s of %(time)s in case %(case)s holds %(responsible)s responsible "
        "(severity %(severity)s, standard of proof: %(proof)s; votes %(for)s for, "
        "%(against)s against, %(abstaining)s abstaining)."
    ) % {
        "finding": finding.finding_id,
        "time": _utc_words(finding.decided_at),
        "case": finding.case_id,
        "responsible": responsible,
        "severity": finding.severity,
        "proof": term(finding.standard_of_proof.value),
        "for": finding.votes_for,
        "against": finding.votes_against,
        "abstaining": finding.abstentions,
    }


def _commitment_sentence(commitment: Commitment) -> str:
    return _(
        "It meets the trigger of commitment %(commitment)s of %(guarantor)s (%(kind)s, "
        "%(quantity)s %(unit)s; trigger: %(trigger)s; status: %(status)s)."
    ) % {
        "commitment": commitment.commitment_id,
        "guarantor": commitment.guarantor,
        "kind": commitment.kind,
        "quantity": format_number(current_language(), commitment.quantity, "#,##0.###"),
        "unit": commitment.unit,
        "trigger": commitment.trigger,
        "status": term(commitment.status.value),
    }


def _attribution_short(facts: ViolationFacts) -> str:
    if facts.party is None:
        return _("not attributed")
    if facts.p_party is None:
        return _("attributed to %(party)s") % {"party": facts.party}
    return _("attributed to %(party)s (%(phrase)s)") % {
        "party": facts.party,
        "phrase": term(estimative_phrase(facts.p_party)),
    }


def _attribution(facts: ViolationFacts) -> str:
    if facts.party is None:
        return _("The violation is not attributed to a party.")
    if facts.p_party is None:
        return _("It is attributed to %(party)s.") % {"party": facts.party}
    return _("It is attributed to %(party)s: %(phrase)s (probability %(p)s).") % {
        "party": facts.party,
        "phrase": term(estimative_phrase(facts.p_party)),
        "p": format_number(current_language(), round(facts.p_party, 2), "0.00"),
    }


def _position(facts: ViolationFacts) -> str:
    event = facts.event
    if event is None:
        return ""
    return _("Event %(event)s (%(kind)s, %(corroboration)s).") % {
        "event": event.event_id,
        "kind": term(event.kind.value),
        "corroboration": term(event.corroboration.value),
    }


def _area(facts: ViolationFacts) -> str:
    violation_id = facts.violation.violation_id
    if facts.radius_km is None:
        return _("Reported position of violation %(violation)s") % {"violation": violation_id}
    return _("Position of violation %(violation)s (95 %% error circle, %(km)s km)") % {
        "violation": violation_id,
        "km": format_number(current_language(), round(facts.radius_km, 2), "0.00"),
    }


def _sentence(text: str) -> str:
    """``text`` stripped and ending in a full stop (empty stays empty)."""
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def _utc_words(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise InputError(f"time {moment.isoformat()} has no timezone offset")
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
