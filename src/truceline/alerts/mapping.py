"""How Truceline's severities, probabilities and decisions map onto CAP's value lists.

The mapping is documented in docs/alerts.md; the tests pin every row of it.
"""

from __future__ import annotations

from datetime import timedelta

from truceline.domain.events import Corroboration, Severity
from truceline.errors import InputError

SEVERITY_ORDER = (Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL)

CAP_SEVERITY: dict[str, str] = {
    Severity.LOW: "Minor",
    Severity.MEDIUM: "Moderate",
    Severity.HIGH: "Severe",
    Severity.CRITICAL: "Extreme",
}
# A fresh violation: how soon people near it, and the guarantors, should act.
CAP_URGENCY: dict[str, str] = {
    Severity.LOW: "Future",
    Severity.MEDIUM: "Expected",
    Severity.HIGH: "Immediate",
    Severity.CRITICAL: "Immediate",
}
# CAP certainty, strongest first; an alert is only as certain as its weakest part.
CERTAINTY_ORDER = ("Observed", "Likely", "Possible", "Unlikely")
CORROBORATION_CERTAINTY = {
    Corroboration.VERIFIED: "Observed",
    Corroboration.CORROBORATED: "Likely",
    Corroboration.SINGLE_SOURCE: "Possible",
}
# ICD 203 estimative language: lower bound of each band, strongest first.
ESTIMATIVE_BANDS = (
    (0.95, "almost certain"),
    (0.80, "very likely"),
    (0.55, "likely"),
    (0.45, "roughly even chance"),
    (0.20, "unlikely"),
    (0.05, "very unlikely"),
    (0.0, "almost no chance"),
)
# A finding's standard of proof: how certain the commission's determination is.
PROOF_CERTAINTY = {
    "beyond_reasonable_doubt": "Observed",
    "clear_and_convincing": "Observed",
    "balance_of_probabilities": "Likely",
    "reasonable_grounds": "Possible",
}
# Activation status -> (urgency, response type) for the guarantor.
ACTIVATION_RESPONSE = {
    "activated": ("Immediate", "Execute"),  # in force: carry out the commitment
    "pending_ratification": ("Future", "Prepare"),  # met, but ratification is outstanding
    "lapsed": ("Past", "AllClear"),  # the pending commitment was withdrawn
}


def is_serious(severity: Severity, threshold: Severity) -> bool:
    """True when ``severity`` is at or above ``threshold`` (alerts go out for these).

    >>> is_serious(Severity.CRITICAL, Severity.HIGH), is_serious(Severity.MEDIUM, Severity.HIGH)
    (True, False)
    """
    return SEVERITY_ORDER.index(severity) >= SEVERITY_ORDER.index(threshold)


def cap_severity(severity: str) -> str:
    """CAP severity of a Truceline severity (``low`` .. ``critical``); ``Unknown`` otherwise.

    >>> cap_severity("high"), cap_severity("grave")
    ('Severe', 'Unknown')
    """
    return CAP_SEVERITY.get(str(severity), "Unknown")


def cap_urgency(severity: str, age: timedelta, stale_after: timedelta) -> str:
    """CAP urgency: by severity while fresh; ``Past`` once older than ``stale_after``.

    >>> cap_urgency("critical", timedelta(hours=1), timedelta(hours=24))
    'Immediate'
    >>> cap_urgency("critical", timedelta(days=3), timedelta(hours=24))
    'Past'
    """
    if age > stale_after:
        return "Past"
    return CAP_URGENCY.get(str(severity), "Unknown")


def estimative_phrase(probability: float) -> str:
    """The ICD 203 words for a probability.

    >>> estimative_phrase(0.9), estimative_phrase(0.5)
    ('very likely', 'roughly even chance')
    """
    _check_probability(probability)
    return next(words for bound, words in ESTIMATIVE_BANDS if probability >= bound)


def attribution_certainty(probability: float) -> str:
    """CAP certainty of an attribution: >= 0.95 Observed, >= 0.55 Likely, >= 0.05 Possible.

    >>> attribution_certainty(0.97), attribution_certainty(0.6), attribution_certainty(0.01)
    ('Observed', 'Likely', 'Unlikely')
    """
    _check_probability(probability)
    if probability >= 0.95:
        return "Observed"
    if probability >= 0.55:
        return "Likely"
    return "Possible" if probability >= 0.05 else "Unlikely"


def cap_certainty(p_party: float | None, corroboration: Corroboration | None) -> str:
    """The weaker of the attribution's and the corroboration's certainty (``Unknown`` if none).

    >>> cap_certainty(0.97, Corroboration.CORROBORATED)
    'Likely'
    >>> cap_certainty(None, None)
    'Unknown'
    """
    known = []
    if p_party is not None:
        known.append(attribution_certainty(p_party))
    if corroboration is not None:
        known.append(CORROBORATION_CERTAINTY[corroboration])
    if not known:
        return "Unknown"
    return max(known, key=CERTAINTY_ORDER.index)


def finding_certainty(standard_of_proof: str) -> str:
    """CAP certainty of a finding, from the standard of proof it reached."""
    return PROOF_CERTAINTY.get(str(standard_of_proof), "Unknown")


def activation_response(status: str) -> tuple[str, str]:
    """CAP (urgency, responseType) of an activation notice for its status."""
    return ACTIVATION_RESPONSE.get(str(status), ("Unknown", "Monitor"))


def _check_probability(probability: float) -> None:
    if not 0.0 <= probability <= 1.0:
        raise InputError(f"probability must lie in [0, 1], got {probability}")
