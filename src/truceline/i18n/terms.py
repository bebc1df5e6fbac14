"""Domain words that live in other modules as English values, marked here for translation.

The engine words probabilities on the ICD 203 scale (``engine.attribute``, ``alerts.mapping``)
and the domain's enumerations have machine values (``beyond_reasonable_doubt``): those stay
English in data, APIs and open data, and are translated only where a reader sees them, with
:func:`term`. A word missing here is shown in English (and the catalogue test cannot see it).
"""

from __future__ import annotations

from truceline.i18n.catalogue import N_, _

ICD203_WORDS = (
    N_("almost no chance"),
    N_("very unlikely"),
    N_("unlikely"),
    N_("roughly even chance"),
    N_("likely"),
    N_("very likely"),
    N_("almost certainly"),
    N_("almost certain"),  # the alerts' adjectival form
)
MACHINE_WORDS = (
    # standards of proof
    N_("reasonable grounds"),
    N_("balance of probabilities"),
    N_("clear and convincing"),
    N_("beyond reasonable doubt"),
    # remedies
    N_("formal notice"),
    N_("withdrawal"),
    N_("joint inspection"),
    N_("compensation"),
    N_("referral to guarantors"),
    # activations and ratification
    N_("activated"),
    N_("pending ratification"),
    N_("lapsed"),
    N_("pledged"),
    N_("approved by government"),
    N_("ratified by parliament"),
    N_("in force"),
    # events
    N_("launch"),
    N_("impact"),
    N_("unknown"),
    N_("single source"),
    N_("corroborated"),
    N_("verified"),
    # violation types as the dashboard words them (the value, underscores as spaces)
    N_("fire across line"),
    N_("weapon in withdrawal zone"),
    N_("buffer zone incursion"),
    N_("fire at protected site"),
    N_("access denied"),
    N_("missing weapon"),
    # case statuses
    N_("allegation"),
    N_("inquiry"),
    N_("investigation"),
    N_("draft finding"),
    N_("vote"),
    N_("finding"),
    N_("remedy"),
    N_("closed"),
    # severities
    N_("low"),
    N_("medium"),
    N_("high"),
    N_("critical"),
)
# What a report's provenance counts (the keys reports.publish writes).
RECORD_WORDS = (
    N_("events"),
    N_("violations in the period"),
    N_("violations in the trend window"),
    N_("reports"),
    N_("findings"),
)


def term(value: str) -> str:
    """A machine value (``pending_ratification``) as words of the current language.

    >>> term("beyond_reasonable_doubt")
    'beyond reasonable doubt'
    """
    return _(value.replace("_", " "))
