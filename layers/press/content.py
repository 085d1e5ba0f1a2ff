"""What a press map draws: EPCI, territory overlays, project circles, foncier, with their legend entries."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.crs import LAMBERT93, WGS84, check_crs
from layers.choropleth import CLASS_COLOURS, ZERO_COLOUR, class_breaks, colour_of
from layers.foncier import STATUS_COLOURS as FONCIER_COLOURS
from layers.formatting import number_fr
from layers.phases import PHASE_COLOURS, phase_legend
from layers.press.views import MEASURE_LABELS, PressData, PressView
from layers.projects import SECTOR_COLOURS
from layers.territories import OVERLAYS, overlay_territories


def draw_content(ax, view: PressView, data: PressData, in_scope: gpd.GeoDataFrame) -> list:
    handles: list = []
    epci = data.epci.to_crs(LAMBERT93)
    if view.epci_measure:
        breaks = class_breaks(data.epci_values)
        values = data.epci_values.reindex(epci["siren"].to_numpy()).fillna(0).to_numpy()
        epci.plot(ax=ax, color=[colour_of(v, breaks) for v in values], edgecolor="white", linewidth=0.25)
        lower = 0.0
        for colour, upper in zip(CLASS_COLOURS[len(CLASS_COLOURS) - len(breaks) :], breaks, strict=True):
            handles.append(Patch(color=colour, label=f"{number_fr(lower)} – {number_fr(upper)}"))
            lower = upper
        handles.append(Patch(color=ZERO_COLOUR, label="aucun projet recensé"))
    elif view.phases and data.phases is not None:
        category = data.phases.set_index("siren")["categorie"].reindex(epci["siren"].to_numpy())
        epci.plot(ax=ax, color=[PHASE_COLOURS.get(c, "#ffffff") for c in category], edgecolor="#9a9a9a", linewidth=0.3)
        handles += [
            Patch(facecolor=colour, edgecolor="#9a9a9a", label=text) for colour, text in phase_legend(data.phases)
        ]
    else:
        epci.plot(ax=ax, color="white", edgecolor="#c8c8c8", linewidth=0.25)
    for key in view.overlays:
        style = OVERLAYS[key]
        shapes = overlay_territories(data.territories, key).to_crs(LAMBERT93)
        shapes.plot(ax=ax, color=style.color, alpha=0.35, edgecolor="none")
        shapes.boundary.plot(ax=ax, color=style.color, linewidth=0.9)
        handles.append(
            Patch(facecolor=style.color, alpha=0.5, edgecolor=style.color, label=f"{style.name} ({len(shapes)})")
        )
    if view.projects_measure:
        handles += _draw_projects(ax, data.projects, view.projects_measure)
    if view.foncier and len(data.foncier):
        sites = data.foncier.to_crs(LAMBERT93)
        for status, group in sites.groupby("statut"):
            colour = FONCIER_COLOURS.get(str(status), "#9a9a9a")
            ax.scatter(group.geometry.x, group.geometry.y, s=6, color=colour, edgecolors="none", zorder=4)
            handles.append(Line2D([], [], marker="o", linestyle="", color=colour, label=f"{status} ({len(group)})"))
    return handles


def _draw_projects(ax, projects: gpd.GeoDataFrame, measure: str) -> list:
    check_crs(projects, WGS84, name="projects")
    points = projects.to_crs(LAMBERT93)
    values = pd.to_numeric(points[measure], errors="coerce")
    largest = values.max() if values.notna().any() else 1.0
    sizes = (values / largest * 900).fillna(12)
    colours = [SECTOR_COLOURS.get(str(f), "#9a9a9a") for f in points["sector_family"]]
    known = values.notna().to_numpy()
    ax.scatter(
        points.geometry.x[known],
        points.geometry.y[known],
        s=sizes[known],
        c=[c for c, k in zip(colours, known, strict=True) if k],
        alpha=0.75,
        edgecolors="white",
        linewidths=0.6,
        zorder=5,
    )
    ax.scatter(
        points.geometry.x[~known],
        points.geometry.y[~known],
        s=12,
        facecolors="none",
        edgecolors="#444444",
        linewidths=0.8,
        zorder=5,
    )
    handles = []
    for reference in _round_references(largest):
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                color="#777777",
                alpha=0.6,
                markersize=math.sqrt(reference / largest * 900) * 0.8,
                label=f"{number_fr(reference)} {MEASURE_LABELS[measure]}",
            )
        )
    handles.append(
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markerfacecolor="none",
            markeredgecolor="#444444",
            label="chiffre non renseigné",
        )
    )
    for family in sorted(set(points["sector_family"].dropna())):
        handles.append(Patch(color=SECTOR_COLOURS.get(family, "#9a9a9a"), label=family))
    return handles


def _round_references(largest: float) -> list[float]:
    """Two round legend sizes below the largest value (e.g. 4 000 and 1 000)."""
    magnitude = 10 ** math.floor(math.log10(largest)) if largest > 0 else 1
    top = math.floor(largest / magnitude) * magnitude
    return sorted({top, max(top / 4, magnitude / 10)}, reverse=True)
