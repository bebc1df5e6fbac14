"""The report's map: the theatre, the events coloured by party, the violations, to scale.

Drawn in the theatre's local azimuthal equidistant projection (metres), so that error
ellipses and the protective radii of sites are drawn to scale; an ellipse is drawn where it
is large enough to be seen (``ELLIPSE_MIN_FRACTION`` of the map's width). North is up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, Ellipse, Patch, PathPatch
from matplotlib.path import Path as MplPath
from shapely.geometry import box
from shapely.geometry.base import BaseGeometry
from shapely.geometry.polygon import orient

from truceline.domain import Event, EventKind, Violation, ViolationType, ZoneRule
from truceline.geo.projection import LocalProjection
from truceline.i18n import N_, _
from truceline.reports.areas import REAR, AreaScheme
from truceline.reports.charts import WIDTH_IN, Figure, new_figure, party_colours, styled, to_png
from truceline.reports.formats import UNATTRIBUTED, column_label, decimal

ELLIPSE_MIN_FRACTION = 0.002
MARGIN = 0.06
MAP_DPI = 170
REPORT_MARKERS = {
    ViolationType.ACCESS_DENIED: ("X", N_("denial of access")),
    ViolationType.WEAPON_IN_WITHDRAWAL_ZONE: ("D", N_("weapon in withdrawal zone")),
    ViolationType.MISSING_WEAPON: ("s", N_("declared weapon missing")),
    ViolationType.BUFFER_ZONE_INCURSION: ("^", N_("buffer-zone incursion")),
}


@dataclass(frozen=True)
class MapFrame:
    """The projection and the box (metres) a map shows."""

    projection: LocalProjection
    xmin: float
    ymin: float
    xmax: float
    ymax: float

    @property
    def width(self) -> float:
        return self.xmax - self.xmin


@styled
def report_map(
    scheme: AreaScheme,
    events: Sequence[Event],
    violations: Sequence[Violation],
    columns: Sequence[str],
    frame: MapFrame | None = None,
    title: str = "",
) -> Figure:
    """The map of a report's events and violations, over ``frame`` (default: all of them)."""
    frame = frame or map_frame(scheme, events, violations)
    colours = party_colours(columns)
    fig, ax = new_figure(WIDTH_IN, WIDTH_IN * 0.9)
    _draw_theatre(ax, scheme, frame, colours)
    _draw_events(ax, frame, events, colours)
    _draw_violations(ax, frame, violations, colours)
    _finish(ax, frame, colours, title)
    fig.tight_layout()
    alt = _("Map of %(events)s events and %(violations)s violations") % {
        "events": decimal(len(events), "#,##0"),
        "violations": decimal(len(violations), "#,##0"),
    }
    return to_png(fig, "map", alt, dpi=MAP_DPI)


def map_frame(
    scheme: AreaScheme,
    events: Sequence[Event],
    violations: Sequence[Violation],
    area: str | None = None,
) -> MapFrame:
    """What the map shows: the whole line (or the area's sector) and what happened there."""
    theatre = scheme.theatre
    reference = theatre.contact_line
    if reference is None or reference.is_empty:
        reference = shapely.union_all([a.geometry for a in theatre.control_areas])
    projection = scheme.projection or LocalProjection.centred_on_geometry(reference)
    shapes = [] if area == REAR else [_area_shape(scheme, area) or projection.to_metric(reference)]
    lons = [e.lon for e in events] + [v.lon for v in violations if v.lon is not None]
    lats = [e.lat for e in events] + [v.lat for v in violations if v.lat is not None]
    if lons:
        x, y = projection.forward(lons, lats)
        shapes.append(shapely.multipoints(np.column_stack([x, y])))
    if not shapes:
        shapes.append(projection.to_metric(reference))
    xmin, ymin, xmax, ymax = shapely.union_all(shapes).bounds
    return _square(projection, xmin, ymin, xmax, ymax)


def _area_shape(scheme: AreaScheme, area: str | None) -> BaseGeometry | None:
    """The stretch of line of a sector, widened to the rear limit."""
    if area is None or scheme.line_m is None:
        return None
    for sector in scheme.sectors:
        if sector.name == area:
            piece = shapely.ops.substring(
                scheme.line_m, sector.km_from * 1000.0, sector.km_to * 1000.0
            )
            return piece.buffer(scheme.rear_km * 1000.0)
    return None


def _square(
    projection: LocalProjection, xmin: float, ymin: float, xmax: float, ymax: float
) -> MapFrame:
    """A box around the bounds with a margin, a little taller than wide like the figure."""
    half = max(xmax - xmin, (ymax - ymin) / 0.9, 10_000.0) * (0.5 + MARGIN)
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    return MapFrame(projection, cx - half, cy - half * 0.9, cx + half, cy + half * 0.9)


def _draw_theatre(ax: Axes, scheme: AreaScheme, frame: MapFrame, colours: dict[str, str]) -> None:
    theatre = scheme.theatre
    view = box(frame.xmin, frame.ymin, frame.xmax, frame.ymax).buffer(frame.width * 0.05)
    proj = frame.projection
    for area in theatre.control_areas:
        shape = proj.to_metric(area.geometry).intersection(view)
        _fill(ax, shape, colours.get(area.party, "#cccccc"), alpha=0.13)
    for zone in theatre.zones:
        shape = proj.to_metric(zone.geometry).intersection(view)
        if zone.rule == ZoneRule.BUFFER:
            _fill(ax, shape, "#9e9e9e", alpha=0.35)
        elif zone.rule == ZoneRule.WITHDRAWAL:
            colour = colours.get(zone.party or "", "#757575")
            _outline(ax, shape.boundary, colour, style=":", width=0.5)
    if theatre.contact_line is not None:
        _outline(ax, proj.to_metric(theatre.contact_line).intersection(view), "#111111", "-", 1.1)
    _draw_sectors(ax, scheme, frame)
    for site in theatre.protected_sites:
        c = proj.to_metric(site.geometry).centroid
        if frame.xmin <= c.x <= frame.xmax and frame.ymin <= c.y <= frame.ymax:
            ax.add_patch(Circle((c.x, c.y), max(site.radius_m, 1.0), fill=False, lw=0.6,
                                ec="#1b5e20", ls="--"))  # fmt: skip
            ax.plot(c.x, c.y, marker="*", ms=7, color="#1b5e20", zorder=6)
            ax.annotate(site.name, (c.x, c.y), xytext=(4, 3), textcoords="offset points",
                        fontsize=5.5, color="#1b5e20")  # fmt: skip


def _draw_sectors(ax: Axes, scheme: AreaScheme, frame: MapFrame) -> None:
    """Tick marks at the sectors' ends and their names beside the line."""
    if scheme.line_m is None:
        return
    for sector in scheme.sectors:
        start = scheme.line_m.interpolate(sector.km_from * 1000.0)
        ax.plot(start.x, start.y, marker="|", ms=6, color="#111111", zorder=5)
        middle = scheme.line_m.interpolate((sector.km_from + sector.km_to) * 500.0)
        if frame.xmin <= middle.x <= frame.xmax and frame.ymin <= middle.y <= frame.ymax:
            ax.annotate(sector.name, (middle.x, middle.y), xytext=(5, -8),
                        textcoords="offset points", fontsize=6.5, weight="bold",
                        color="#333333", zorder=7)  # fmt: skip


def _draw_events(
    ax: Axes, frame: MapFrame, events: Sequence[Event], colours: dict[str, str]
) -> None:
    """Events as dots by attributed party, launch-impact links, and visible ellipses."""
    if not events:
        return
    proj = frame.projection
    x, y = proj.forward([e.lon for e in events], [e.lat for e in events])
    colour = [
        colours.get(e.responsible_party or UNATTRIBUTED, colours[UNATTRIBUTED]) for e in events
    ]
    index = {e.event_id: i for i, e in enumerate(events)}
    links = [
        (i, j)
        for i, e in enumerate(events)
        if e.kind == EventKind.LAUNCH and (j := index.get(e.paired_event_id or "")) is not None
    ]
    ax.add_collection(LineCollection(
        [[(x[i], y[i]), (x[j], y[j])] for i, j in links], colors=[colour[i] for i, _ in links],
        linewidths=0.35, alpha=0.35, zorder=3,
    ))  # fmt: skip
    ax.scatter(x, y, s=2.5, c=colour, linewidths=0, zorder=4)
    for i, e in enumerate(events):
        if e.err_major_m and e.err_major_m * 2 >= ELLIPSE_MIN_FRACTION * frame.width:
            ax.add_patch(Ellipse((x[i], y[i]), 2 * e.err_major_m, 2 * (e.err_minor_m or 0.0),
                                 angle=90.0 - (e.err_azimuth_deg or 0.0), fill=False,
                                 ec=colour[i], lw=0.6, zorder=4))  # fmt: skip


def _draw_violations(
    ax: Axes, frame: MapFrame, violations: Sequence[Violation], colours: dict[str, str]
) -> None:
    """Violations over the events: fire as ringed dots, report-based ones by marker."""
    located = [v for v in violations if v.lon is not None and v.lat is not None]
    if not located:
        return
    x, y = frame.projection.forward(
        [v.lon or 0.0 for v in located], [v.lat or 0.0 for v in located]
    )
    colour = np.array(
        [colours.get(v.party or UNATTRIBUTED, colours[UNATTRIBUTED]) for v in located]
    )
    marker = np.array([REPORT_MARKERS.get(v.type, ("o", ""))[0] for v in located])
    for m in np.unique(marker):
        chosen = marker == m
        ax.scatter(x[chosen], y[chosen], s=9 if m == "o" else 28, marker=str(m),
                   c=colour[chosen].tolist(), edgecolors="black", linewidths=0.45,
                   zorder=5 if m == "o" else 8)  # fmt: skip


def _finish(ax: Axes, frame: MapFrame, colours: dict[str, str], title: str) -> None:
    ax.set_xlim(frame.xmin, frame.xmax)
    ax.set_ylim(frame.ymin, frame.ymax)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(True)
    _graticule(ax, frame)
    _scale_bar(ax, frame)
    ax.set_title(title, loc="left", fontsize=9)
    ax.legend(handles=_legend(colours, frame), loc="lower right", fontsize=6, framealpha=0.9)


def _legend(colours: dict[str, str], frame: MapFrame) -> list[Line2D | Patch]:
    party = [
        Line2D([], [], ls="", marker="o", ms=4, color=c, label=_("event, %(party)s") % {"party": p})
        for p, c in ((column_label(p), c) for p, c in colours.items())
    ]
    minimum = ELLIPSE_MIN_FRACTION * frame.width / 1000.0
    return [
        *party,
        Line2D([], [], ls="", marker="o", ms=4, mfc="#bbbbbb", mec="black", label=_("violation")),
        *(
            Line2D([], [], ls="", marker=m, ms=5, mfc="#bbbbbb", mec="black", label=_(label))
            for m, label in REPORT_MARKERS.values()
        ),
        Line2D([], [], color="#555555", lw=0.6, label=_("launch to impact")),
        Line2D([], [], color="#111111", lw=1.1, label=_("line of contact")),
        Patch(fc="#9e9e9e", alpha=0.35, label=_("buffer zone")),
        Line2D([], [], color="#555555", ls=":", lw=0.6, label=_("withdrawal zone limits")),
        Line2D([], [], color="#1b5e20", ls="", marker="*", label=_("protected site (radius)")),
        Patch(
            fill=False,
            ec="#555555",
            label=_("error ellipse, 1σ (over %(km)s km)") % {"km": decimal(minimum, "0.0")},
        ),
    ]


def _scale_bar(ax: Axes, frame: MapFrame) -> None:
    target = frame.width / 5
    length = max(s for s in (1e3, 2e3, 5e3, 1e4, 2e4, 5e4, 1e5, 2e5, 5e5) if s <= max(target, 1e3))
    x0 = frame.xmin + frame.width * 0.04
    y0 = frame.ymin + (frame.ymax - frame.ymin) * 0.04
    ax.plot([x0, x0 + length], [y0, y0], color="black", lw=2.5, solid_capstyle="butt", zorder=9)
    scale = _("%(km)s km") % {"km": decimal(length / 1000, "#,##0")}
    ax.annotate(f"{scale}   N ↑", (x0, y0), xytext=(0, 4),
                textcoords="offset points", fontsize=7, zorder=9)  # fmt: skip


def _graticule(ax: Axes, frame: MapFrame) -> None:
    """Meridians and parallels every whole degree, labelled at the bottom and left edges."""
    corners_x = [frame.xmin, frame.xmax, frame.xmin, frame.xmax]
    corners_y = [frame.ymin, frame.ymin, frame.ymax, frame.ymax]
    lon, lat = frame.projection.inverse(corners_x, corners_y)
    lons = np.arange(np.floor(lon.min()), np.ceil(lon.max()) + 1)
    lats = np.arange(np.floor(lat.min()), np.ceil(lat.max()) + 1)
    along_lat = np.linspace(lat.min() - 1, lat.max() + 1, 60)
    along_lon = np.linspace(lon.min() - 1, lon.max() + 1, 60)
    for m in lons:
        x, y = frame.projection.forward(np.full_like(along_lat, m), along_lat)
        ax.plot(x, y, color="#bdbdbd", lw=0.3, zorder=1)
        _edge_label(ax, float(np.interp(frame.ymin, y, x)), frame.ymin, f"{m:.0f}°E", "x", frame)
    for p in lats:
        x, y = frame.projection.forward(along_lon, np.full_like(along_lon, p))
        ax.plot(x, y, color="#bdbdbd", lw=0.3, zorder=1)
        _edge_label(ax, frame.xmin, float(np.interp(frame.xmin, x, y)), f"{p:.0f}°N", "y", frame)


def _edge_label(ax: Axes, x: float, y: float, text: str, axis: str, frame: MapFrame) -> None:
    if axis == "x" and frame.xmin < x < frame.xmax:
        ax.annotate(text, (x, y), xytext=(0, -8), textcoords="offset points", ha="center",
                    fontsize=6, color="#616161", annotation_clip=False)  # fmt: skip
    if axis == "y" and frame.ymin < y < frame.ymax:
        ax.annotate(text, (x, y), xytext=(-3, 0), textcoords="offset points", ha="right",
                    va="center", fontsize=6, color="#616161", annotation_clip=False)  # fmt: skip


def _fill(ax: Axes, shape: BaseGeometry, colour: str, alpha: float) -> None:
    for polygon in shapely.get_parts(shape):
        if polygon.geom_type != "Polygon" or polygon.is_empty:
            continue
        ax.add_patch(PathPatch(_polygon_path(orient(polygon)), fc=colour, ec="none",
                               alpha=alpha, zorder=2))  # fmt: skip


def _outline(ax: Axes, shape: BaseGeometry, colour: str, style: str, width: float) -> None:
    for part in shapely.get_parts(shape):
        if part.is_empty or part.geom_type not in ("LineString", "LinearRing"):
            continue
        xy = np.asarray(part.coords)
        ax.plot(xy[:, 0], xy[:, 1], color=colour, ls=style, lw=width, zorder=3)


def _polygon_path(polygon: shapely.Polygon) -> MplPath:
    """A matplotlib path of a polygon with its holes (exterior and interiors oriented)."""
    vertices, codes = [], []
    for ring in (polygon.exterior, *polygon.interiors):
        xy = np.asarray(ring.coords)[:, :2]
        vertices.append(xy)
        codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(np.concatenate(vertices), codes)
