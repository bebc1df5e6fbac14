"""Trend and breakdown charts of a report, drawn with matplotlib (Agg, no display) as PNG."""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import matplotlib

matplotlib.use("Agg")  # before pyplot: no display, same output everywhere

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure as MplFigure
from numpy.typing import NDArray
from PIL import Image

from truceline.i18n import _
from truceline.reports.daily import CountRow, ReportContext
from truceline.reports.formats import UNATTRIBUTED, column_label, short_day

FloatArray = NDArray[np.float64]
FIXED_COLOURS = {"UA": "#1f5fbf", "RU": "#c62828", UNATTRIBUTED: "#8c8c8c"}
OTHER_COLOURS = ("#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#ad1457", "#5d4037")
WIDTH_IN = 6.8  # the text width of an A4 page with the report's margins
DPI = 150
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
}
# Applied per figure function, so the report's style never leaks into other matplotlib users.
styled = matplotlib.rc_context(STYLE)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Figure:
    """A rendered image: what it shows, and its PNG bytes and size in pixels."""

    name: str
    alt: str
    png: bytes
    width: int
    height: int


def party_colours(columns: Sequence[str]) -> dict[str, str]:
    """A fixed colour per party (and grey for unattributed), the same in every figure.

    >>> party_colours(["UA", "RU", "XX", "unattributed"])["XX"]
    '#2e7d32'
    """
    others = iter(OTHER_COLOURS * 4)
    return {c: FIXED_COLOURS.get(c) or next(others) for c in columns}


def new_figure(width_in: float, height_in: float) -> tuple[MplFigure, Axes]:
    """A figure with one set of axes, in the report's style."""
    fig, ax = plt.subplots(figsize=(width_in, height_in))
    return fig, ax


def to_png(fig: MplFigure, name: str, alt: str, dpi: int = DPI) -> Figure:
    """Render and close a matplotlib figure as an opaque RGB PNG."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    plt.close(fig)
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return Figure(name, alt, out.getvalue(), image.width, image.height)


@styled
def trend_chart(ctx: ReportContext) -> Figure:
    """Violations per day by party over the trend window (stacked bars)."""
    labels = [short_day(d) for d, _ in ctx.trend]
    counts = np.array([c for _, c in ctx.trend], dtype=float).reshape(len(labels), -1)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.3))
    _stacked(ax, np.arange(len(labels)), counts, ctx.columns, horizontal=False)
    step = max(1, math.ceil(len(labels) / 8))
    ax.set_xticks(np.arange(len(labels))[::step], labels[::step])
    ax.set_ylabel(_("violations per day"))
    title = _("Violations per day, %(first)s to %(last)s") % {
        "first": labels[0],
        "last": labels[-1],
    }
    ax.set_title(title, loc="left")
    _empty_note(ax, counts)
    fig.tight_layout()
    return to_png(fig, "trend", _("Bar chart: violations per day by party"))


def type_chart(ctx: ReportContext) -> Figure:
    """Violations of the period by type, stacked by party (horizontal bars)."""
    return _rows_chart(
        ctx.by_type,
        ctx.columns,
        "types",
        _("Violations by type"),
        _("Bar chart: violations by type and party"),
    )


def area_chart(ctx: ReportContext) -> Figure:
    """Violations of the period by area, stacked by party (horizontal bars)."""
    return _rows_chart(
        ctx.by_area,
        ctx.columns,
        "areas",
        _("Violations by area"),
        _("Bar chart: violations by area and party"),
    )


@styled
def hour_chart(ctx: ReportContext) -> Figure:
    """Violations by hour of the day (UTC), stacked by party: when the ceasefire is broken."""
    counts = np.array(ctx.by_hour, dtype=float).reshape(24, -1)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 2.0))
    _stacked(ax, np.arange(24), counts, ctx.columns, horizontal=False)
    ax.set_xticks(range(0, 24, 2), [f"{h:02d}" for h in range(0, 24, 2)])
    ax.set_xlabel(_("hour of the day (UTC)"))
    ax.set_ylabel(_("violations"))
    ax.set_title(_("Violations by hour of the day"), loc="left")
    _empty_note(ax, counts)
    fig.tight_layout()
    return to_png(fig, "hours", _("Bar chart: violations by hour of the day and party"))


def report_charts(ctx: ReportContext) -> list[Figure]:
    """Every chart of a report, in the order it shows them."""
    return [trend_chart(ctx), type_chart(ctx), area_chart(ctx), hour_chart(ctx)]


@styled
def _rows_chart(
    rows: Sequence[CountRow], columns: Sequence[str], name: str, title: str, alt: str
) -> Figure:
    labels = [r.label for r in rows][::-1]  # first row on top
    counts = np.array([r.counts for r in rows][::-1], dtype=float).reshape(len(rows), -1)
    fig, ax = plt.subplots(figsize=(WIDTH_IN, 0.45 + 0.22 * max(len(rows), 3)))
    _stacked(ax, np.arange(len(labels)), counts, columns, horizontal=True)
    ax.set_yticks(np.arange(len(labels)), labels)
    ax.set_xlabel(_("violations"))
    ax.set_title(title, loc="left")
    for y, total in enumerate(counts.sum(axis=1)):
        ax.annotate(f"{int(total):,d}", (total, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=7)  # fmt: skip
    _empty_note(ax, counts, horizontal=True)
    fig.tight_layout()
    return to_png(fig, name, alt)


def _stacked(
    ax: Axes,
    positions: NDArray[np.int_],
    counts: FloatArray,
    columns: Sequence[str],
    horizontal: bool,
) -> None:
    """Bars stacked by party column; a legend with the parties that appear."""
    colours = party_colours(columns)
    base = np.zeros(len(positions))
    for j, column in enumerate(columns):
        values = counts[:, j] if counts.size else np.zeros(len(positions))
        label = column_label(column)
        if horizontal:
            ax.barh(positions, values, left=base, color=colours[column], label=label, height=0.7)
        else:
            ax.bar(positions, values, bottom=base, color=colours[column], label=label, width=0.8)
        base = base + values
    ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False,
              ncols=len(columns), borderaxespad=0.2)  # fmt: skip


def _empty_note(ax: Axes, counts: FloatArray, horizontal: bool = False) -> None:
    """Say so on an empty chart (and keep its count axis from 0 to 1, not around 0)."""
    if not counts.size or counts.sum() == 0:
        (ax.set_xlim if horizontal else ax.set_ylim)(0, 1)
        ax.text(0.5, 0.5, _("No violations recorded"), transform=ax.transAxes, ha="center",
                va="center", color="#555555", fontsize=10)  # fmt: skip
