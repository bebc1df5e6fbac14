"""A report as one self-contained HTML file (styles and images inline) and as a PDF.

The template is worded through the catalogue (``jinja2.ext.i18n``): the language is the
current one (:func:`truceline.i18n.use_language`), also written in ``<html lang>``.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import jinja2
import jinja2.ext

from truceline.engine.attribute import ATTRIBUTION_THRESHOLD, ICD203_SCALE
from truceline.i18n import N_, _, _n, _p, current_language
from truceline.reports import formats
from truceline.reports.areas import AreaScheme
from truceline.reports.charts import Figure, party_colours
from truceline.reports.daily import ReportContext
from truceline.reports.episodes import EPISODE_GAP, EPISODE_RADIUS_M
from truceline.reports.maps import ELLIPSE_MIN_FRACTION, MapFrame

MECHANISM = N_("Ceasefire Monitoring and Verification Mechanism")


@dataclass(frozen=True)
class Provenance:
    """How and from what a report was made."""

    generated_at: datetime
    code_version: str
    database: str  # the URL, password hidden
    theatre_source: str
    theatre_sha256: str | None = None
    records: Mapping[str, int] = field(default_factory=dict)


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("truceline.reports", "templates"),
        autoescape=jinja2.select_autoescape(["html", "css"]),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=[jinja2.ext.i18n],
    )
    env.install_gettext_callables(gettext=_, ngettext=_n, pgettext=_p, newstyle=True)  # type: ignore[attr-defined]
    env.filters.update(
        column=formats.column_label,
        severity=formats.severity_label,
        count=formats.count,
        day=formats.day,
        short_day=formats.short_day,
        clock=formats.clock,
        timestamp=formats.timestamp,
        probability=formats.probability,
        place=formats.place,
        words=formats.words,
        data_uri=data_uri,
        css_string=css_string,
    )
    return env


def data_uri(figure: Figure) -> str:
    """A figure's PNG as a ``data:`` URI, so the HTML needs no file beside it."""
    return "data:image/png;base64," + base64.b64encode(figure.png).decode("ascii")


def css_string(text: object) -> str:
    r"""Text safe inside a double-quoted CSS string.

    >>> css_string('say "no" \\ stop')
    'say \\"no\\" \\\\ stop'
    """
    return str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")


_ENVIRONMENT = _environment()  # one per process: the template is compiled once


def report_title(ctx: ReportContext) -> str:
    """``Daily report, 21 November 2026`` or ``Thematic report, 1-21 November 2026, area S07``."""
    when = formats.day_range(ctx.period.first, ctx.period.last)
    if ctx.kind == "daily":
        return _("Daily report, %(when)s") % {"when": when}
    if ctx.area:
        return _("Thematic report, %(when)s, area %(area)s") % {"when": when, "area": ctx.area}
    return _("Thematic report, %(when)s") % {"when": when}


def render_html(
    ctx: ReportContext,
    scheme: AreaScheme,
    figures: Mapping[str, Figure],
    frame: MapFrame,
    provenance: Provenance,
    mechanism: str = MECHANISM,
) -> str:
    """The report as one HTML document with its styles and images inline."""
    template = _ENVIRONMENT.get_template("report.html")
    return template.render(**_variables(ctx, scheme, figures, frame, provenance, mechanism))


def render_pdf(html: str) -> bytes:
    """The HTML report printed to PDF (A4) by WeasyPrint."""
    import weasyprint  # slow to import; only PDF output needs it

    pdf = weasyprint.HTML(string=html).write_pdf()
    assert pdf is not None  # write_pdf without a target returns the bytes
    return bytes(pdf)


def _variables(
    ctx: ReportContext,
    scheme: AreaScheme,
    figures: Mapping[str, Figure],
    frame: MapFrame,
    provenance: Provenance,
    mechanism: str,
) -> dict[str, Any]:
    daily = ctx.kind == "daily"
    span = _("on this day") if daily else _("in this period")
    title = report_title(ctx)
    charts = {name: fig for name, fig in figures.items() if name != "map"}
    return {
        "ctx": ctx,
        "scheme": scheme,
        "title": title,
        "subtitle": _subtitle(ctx),
        "mechanism": _(mechanism),
        "lang": current_language(),
        "provenance": provenance,
        "span": span,
        "map": figures["map"],
        "map_caption": _map_caption(ctx, frame),
        "charts": charts,
        "trend_caption": (
            _n(
                "Violations per day by party: the day and the %(num)s day before it.",
                "Violations per day by party: the day and the %(num)s days before it.",
                len(ctx.trend) - 1,
            )
            % {"num": formats.count(len(ctx.trend) - 1)}
            if daily
            else _("Violations per day by party over the period.")
        ),
        "colours": party_colours(ctx.columns),
        "critical": ctx.by_severity[0].total if ctx.by_severity else 0,  # critical first
        "icd203": ICD203_SCALE,
        "lower_bounds": [0, *(round(upper * 100) for upper, _ in ICD203_SCALE[:-1])],
        "threshold_text": formats.decimal(ATTRIBUTION_THRESHOLD, "0.00"),
        "episode_minutes": int(EPISODE_GAP.total_seconds() // 60),
        "episode_km": f"{EPISODE_RADIUS_M / 1000:g}",
    }


def _subtitle(ctx: ReportContext) -> str:
    values = {
        "when": formats.day_range(ctx.period.first, ctx.period.last),
        "area": ctx.area,
        "description": ctx.area_description,
    }
    if ctx.kind == "daily":
        return _("Ceasefire violations, incidents and findings recorded on %(when)s") % values
    if ctx.area:
        return (
            _(
                "Ceasefire violations, incidents and findings recorded from %(when)s in area "
                "%(area)s (%(description)s)"
            )
            % values
        )
    return _("Ceasefire violations, incidents and findings recorded from %(when)s") % values


def _map_caption(ctx: ReportContext, frame: MapFrame) -> str:
    minimum = ELLIPSE_MIN_FRACTION * frame.width / 1000.0
    events, violations = len(ctx.period_events), len(ctx.period_violations)
    counted = _("%(events)s and %(violations)s") % {
        "events": _n("%(num)s event", "%(num)s events", events) % {"num": formats.count(events)},
        "violations": _n("%(num)s violation", "%(num)s violations", violations)
        % {"num": formats.count(violations)},
    }
    return _(
        "%(counted)s, coloured by the party they are attributed to (grey: not attributed). "
        "Violations have a black edge; crosses, diamonds and squares mark denials of access, "
        "weapons in withdrawal zones and declared weapons missing. Thin lines join launches to "
        "their impacts. Shading: control areas; grey band: buffer zone; dotted: withdrawal zone "
        "limits; stars: protected sites with their protective radius. Error ellipses (one "
        "sigma) are drawn to scale where larger than %(km)s km; most sensor fixes are far "
        "smaller. Sector names (S01, ...) mark the areas of section 3."
    ) % {"counted": counted, "km": formats.decimal(minimum, "0.0")}
