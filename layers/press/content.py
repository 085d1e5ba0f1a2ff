"""What a press map draws: EPCI, territory overlays, project circles, foncier, with their legend entries."""

from __future__ import annotations

import math
from collections import Counter

import geopandas as gpd
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.crs import LAMBERT93, WGS84, check_crs
from geo.text import normalise
from geo.vocabulary import MEASURE_TERMS
from layers.choropleth import CLASS_COLOURS, UNKNOWN_COLOUR, ZERO_COLOUR, class_breaks, colour_of
from layers.employment import change_colour, change_legend
from layers.foncier import STATUS_COLOURS as FONCIER_COLOURS
from layers.formatting import number_fr, sentence_case
from layers.phases import PHASE_COLOURS, phase_legend
from layers.press.legend import CircleKey
from layers.press.views import MEASURE_LABELS, PressData, PressView
from layers.projects import SECTOR_COLOURS
from layers.territories import OVERLAYS, overlay_territories


def draw_content(ax, view: PressView, data: PressData, in_scope: gpd.GeoDataFrame) -> tuple[list, CircleKey | None]:
    """Draw the view's layers; return the legend entries of what was drawn, and the circles' key if any."""
    handles: list = []
    circles = None
    handles += _draw_base(ax, view, data, data.epci.to_crs(LAMBERT93))
    for key in view.overlays:
        style = OVERLAYS[key]
        shapes = overlay_territories(data.territories, key).to_crs(LAMBERT93)
        shapes.plot(ax=ax, color=style.color, alpha=0.35, edgecolor="none")
        shapes.boundary.plot(ax=ax, color=style.color, linewidth=0.9)
        handles.append(
            Patch(facecolor=style.color, alpha=0.5, edgecolor=style.color, label=f"{style.name} ({len(shapes)})")
        )
    if view.projects_measure:
        project_handles, circles = _draw_projects(ax, data.projects, view.projects_measure)
        handles += project_handles
    if view.foncier and len(data.foncier):
        sites = data.foncier.to_crs(LAMBERT93)
        for status, group in sites.groupby("statut"):
            colour = FONCIER_COLOURS.get(str(status), "#9a9a9a")
            # The few sites clés en main stand out from hundreds of brownfields: larger squares, dark edge.
            marker, size = ("s", 34) if status == "site clé en main" else ("o", 6)
            ax.scatter(
                group.geometry.x,
                group.geometry.y,
                s=size,
                marker=marker,
                color=colour,
                edgecolors="#111111" if marker == "s" else "none",
                linewidths=0.8,
                zorder=4.5 if marker == "s" else 4,
            )
            handles.append(
                Line2D(
                    [],
                    [],
                    marker=marker,
                    markersize=max(math.sqrt(size), 4),
                    linestyle="",
                    color=colour,
                    markeredgecolor="#111111" if marker == "s" else colour,
                    label=f"{status} ({len(group)})",
                )
            )
    return handles, circles


def _draw_base(ax, view: PressView, data: PressData, epci: gpd.GeoDataFrame) -> list:
    """The EPCI (white, or coloured by the view's measure or phases) or the zones d'emploi; their legend entries."""
    handles: list = []
    if view.epci_measure:
        breaks = class_breaks(data.epci_values.dropna())
        unit = MEASURE_TERMS[view.epci_measure].unit
        with_projects = epci["siren"].isin(data.epci_values.index).to_numpy()
        values = data.epci_values.reindex(epci["siren"].to_numpy()).to_numpy()
        colours = [colour_of(v, breaks) if has else ZERO_COLOUR for v, has in zip(values, with_projects, strict=True)]
        epci.plot(ax=ax, color=colours, edgecolor="white", linewidth=0.25)
        # Each class says how many EPCI it holds, and the top one which EPCI sets its upper bound: one row decides it.
        counts = Counter(colours)
        shown = pd.Series(values, index=epci["nom"].to_numpy()).where(with_projects).astype(float)
        top = shown.idxmax() if breaks else None  # no class without a positive figure (a selection without one)
        lower = 0.0
        for colour, upper in zip(CLASS_COLOURS[len(CLASS_COLOURS) - len(breaks) :], breaks, strict=True):
            label = f"{number_fr(lower)} – {number_fr(upper)} {unit} ({_epci_count(counts[colour])}"
            label += f", dont {top} au maximum)" if upper == breaks[-1] else ")"
            handles.append(Patch(facecolor=colour, edgecolor="#666666", label=label))
            lower = upper
        if UNKNOWN_COLOUR in colours:
            label = f"projets sans ce chiffre ({_epci_count(counts[UNKNOWN_COLOUR])})"
            handles.append(Patch(facecolor=UNKNOWN_COLOUR, edgecolor="#666666", label=label))
        if ZERO_COLOUR in colours:
            label = f"aucun projet recensé ({_epci_count(counts[ZERO_COLOUR])})"
            handles.append(Patch(facecolor=ZERO_COLOUR, edgecolor="#666666", label=label))
    elif view.employment and data.zones is not None and data.zone_jobs is not None:
        epci.plot(ax=ax, color="white", edgecolor="#dddddd", linewidth=0.2)
        zones = data.zones.to_crs(LAMBERT93)
        change = data.zone_jobs.set_index(data.zone_jobs["code_ze"].astype(str))["evolution_2019_2024"]
        colours = [change_colour(value) for value in change.reindex(zones["id"].astype(str)).to_numpy()]
        zones.plot(ax=ax, color=colours, edgecolor="#4d4d4d", linewidth=0.5)
        handles += [Patch(facecolor=colour, edgecolor="#666666", label=text) for colour, text in change_legend()]
        if UNKNOWN_COLOUR in colours:
            handles.append(Patch(facecolor=UNKNOWN_COLOUR, edgecolor="#666666", label="non donné par la source"))
    elif view.phases and data.phases is not None:
        category = data.phases.set_index("siren")["categorie"].reindex(epci["siren"].to_numpy())
        epci.plot(ax=ax, color=[PHASE_COLOURS.get(c, "#ffffff") for c in category], edgecolor="#9a9a9a", linewidth=0.3)
        handles += [
            Patch(facecolor=colour, edgecolor="#9a9a9a", label=text) for colour, text in phase_legend(data.phases)
        ]
    else:
        epci.plot(ax=ax, color="white", edgecolor="#c8c8c8", linewidth=0.25)
    return handles


def _epci_count(count: int) -> str:
    return f"{number_fr(count)} EPCI"


def _draw_projects(ax, projects: gpd.GeoDataFrame, measure: str) -> tuple[list, CircleKey | None]:
    """Circles with an area proportional to ``measure``, coloured by sector; hollow where the figure is unknown."""
    check_crs(projects, WGS84, name="projects")
    points = projects.to_crs(LAMBERT93)
    values = pd.to_numeric(points[measure], errors="coerce")
    known = values.notna().to_numpy()
    key = CircleKey(sentence_case(MEASURE_LABELS[measure]), values.max()) if known.any() else None
    coloured = points[known]
    ax.scatter(
        coloured.geometry.x,
        coloured.geometry.y,
        s=[key.diameter_pt(v) ** 2 for v in values[known]] if key else [],
        c=[SECTOR_COLOURS.get(str(f), "#9a9a9a") for f in coloured["sector_family"]],
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
    if not known.all():
        handles.append(
            Line2D(
                [],
                [],
                marker="o",
                linestyle="",
                markerfacecolor="none",
                markeredgecolor="#444444",
                label=f"chiffre non renseigné ({int((~known).sum())})",
            )
        )
    # Only the sectors whose colour is on the map (hollow circles carry none), in French alphabetical order.
    for family in sorted(set(coloured["sector_family"].dropna()), key=normalise):
        handles.append(Patch(color=SECTOR_COLOURS.get(family, "#9a9a9a"), label=family))
    return handles, key
