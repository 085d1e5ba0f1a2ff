"""Static, print-quality maps for the press: matplotlib figures, no browser, no file I/O.

Each figure carries what a published map must: title and subtitle, legend, scale bar,
north arrow, an inset locating the two regions in France, and a bottom line with the
sources and their vintages (Licence Ouverte: producer + date) and the build date.

Print maps are drawn in Lambert-93 (EPSG:2154), the official projection for France:
the scale bar is true and grid north is true north within 3° over the two regions.
Text stays text in PDF (TrueType embedded) and SVG (``svg.fonttype = none``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlparse

import geopandas as gpd
import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

from geo.crs import LAMBERT93, WGS84, check_crs
from geo.foncier import FoncierQuery, search_sites
from layers.choropleth import CLASS_COLOURS, ZERO_COLOUR, class_breaks, colour_of
from layers.foncier import STATUS_COLOURS as FONCIER_COLOURS
from layers.formatting import number_fr
from layers.projects import SECTOR_COLOURS
from layers.territories import OVERLAYS, overlay_territories

LAYOUTS: dict[str, tuple[float, float]] = {"16:9": (40 / 3, 7.5), "a4": (8.27, 11.69), "a4-paysage": (11.69, 8.27)}
"""Page sizes in inches: a 16:9 slide, A4 portrait, A4 landscape."""
PNG_DPI = 300
FORMATS = ("png", "pdf", "svg")
MEASURE_LABELS = {
    "jobs_announced": "emplois annoncés",
    "investment_eur": "€ d'investissement annoncés",
    "public_funding_eur": "€ d'aides publiques",
}


@dataclass(frozen=True)
class PressView:
    """A ready-made view: what is drawn, and the default title and subtitle."""

    key: str
    title: str
    subtitle: str
    overlays: tuple[str, ...] = ()
    projects_measure: str | None = None
    epci_measure: str | None = None
    foncier: bool = False


VIEWS: dict[str, PressView] = {
    view.key: view
    for view in (
        PressView(
            "ti2",
            "Territoires d'industrie 2024-2027",
            "Hauts-de-France et Grand Est, par intercommunalité (EPCI)",
            overlays=("ti2",),
        ),
        PressView(
            "bassins-projets",
            "Bassins prioritaires et projets industriels",
            "Cercles proportionnels aux emplois annoncés",
            overlays=("bassins",),
            projects_measure="jobs_announced",
        ),
        PressView(
            "emplois-epci",
            "Emplois annoncés par intercommunalité",
            "Projets industriels recensés, hors projets abandonnés",
            epci_measure="jobs_announced",
        ),
        PressView(
            "foncier-ti",
            "Foncier disponible dans les Territoires d'industrie",
            "Friches sans projet et sites clés en main, 2 ha et plus",
            overlays=("ti2",),
            foncier=True,
        ),
    )
}


def view_from_permalink(url: str) -> PressView:
    """The Carte page's view behind a permalink (``couches``, ``taille``); an empty URL gives its default view."""
    query = permalink_query(url)
    layers = query.get("couches", "ti2,projets").split(",")
    overlays = tuple(key for key in OVERLAYS if key in layers)
    measure = query.get("taille") if query.get("taille") in MEASURE_LABELS else "jobs_announced"
    names = [OVERLAYS[key].name for key in overlays] + (["projets industriels"] if "projets" in layers else [])
    return PressView(
        "carte",
        "Carte de la réindustrialisation",
        "Hauts-de-France et Grand Est — " + (", ".join(names) if names else "intercommunalités (EPCI)"),
        overlays=overlays,
        projects_measure=measure if "projets" in layers else None,
    )


def permalink_query(url: str) -> dict[str, str]:
    """The query parameters of a permalink, one value each (the Carte page writes one)."""
    return {key: values[0] for key, values in parse_qs(urlparse(url).query).items()}


@dataclass
class PressData:
    """The frames a press map needs (WGS84), taken from the store by the caller."""

    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    territories: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    foncier: gpd.GeoDataFrame
    epci_values: pd.Series  # measure by EPCI SIREN (for choropleth views)
    sources: list[str]
    build_date: str


@dataclass
class PlacedLabel:
    text: str
    bbox: Bbox  # display coordinates (pixels at the figure's dpi)


@dataclass
class PressMap:
    """The figure and what tests and callers need to know about it."""

    figure: Figure
    map_axes: matplotlib.axes.Axes
    labels: list[PlacedLabel] = field(default_factory=list)
    dropped_labels: list[str] = field(default_factory=list)
    numbered_labels: list[tuple[str, str]] = field(default_factory=list)  # (number on the map, name in the key)


def press_data(read: Callable[[str], pd.DataFrame], view: PressView, *, projects: gpd.GeoDataFrame) -> PressData:
    """Gather the frames of ``view`` through ``read`` (``store.read`` or the app's cached ``layer``).

    ``projects`` are the projects to draw, already filtered by the caller (default: not abandoned).
    """
    from geo.metadata import attributions, build_date

    foncier = read("foncier") if view.foncier else None
    if foncier is not None:
        # Verified available land only: unverified "potential" brownfields are not shown to the press.
        foncier = search_sites(
            foncier, FoncierQuery(min_surface_ha=2.0, statuts=("friche sans projet", "site clé en main"))
        )
        foncier = foncier[foncier["ti_phase2"].notna()]
    metadata = read("metadata")
    layer_names = ["epci", "regions", "territoires"] + (
        ["projets"] if view.projects_measure or view.epci_measure else []
    )
    layer_names += ["foncier"] if view.foncier else []
    values = pd.Series(dtype=float)
    if view.epci_measure:
        values = pd.to_numeric(projects[view.epci_measure], errors="coerce").groupby(projects["epci_siren"]).sum()
    built = build_date(metadata)
    return PressData(
        epci=read("epci_web"),
        departements=read("departements_web"),
        regions=read("regions_web"),
        territories=read("territoires_web"),
        projects=projects,
        foncier=foncier if foncier is not None else gpd.GeoDataFrame(geometry=[], crs=WGS84),
        epci_values=values,
        sources=attributions(metadata, layer_names),
        build_date=built[:10] if built else "inconnue",
    )


def render(
    view: PressView, data: PressData, *, layout: str = "16:9", title: str | None = None, subtitle: str | None = None
) -> PressMap:
    """Draw ``view`` on a page of ``layout``; the figure is ready for :func:`to_bytes`."""
    width, height = LAYOUTS[layout]
    figure = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(figure)
    header, footer = 0.95 / height, 0.45 / height  # inches kept for the title block and the sources line
    ax = figure.add_axes((0.015, footer, 0.97, 1 - header - footer - 0.01))
    ax.set_axis_off()
    ax.set_facecolor("white")

    regions = data.regions.to_crs(LAMBERT93)
    in_scope = regions[regions["in_scope"].astype(bool)]
    regions.plot(ax=ax, color="#ececec", edgecolor="white", linewidth=0.6)
    handles = _draw_content(ax, view, data, in_scope)
    data.departements[data.departements["in_scope"].astype(bool)].to_crs(LAMBERT93).boundary.plot(
        ax=ax, color="#8a8a8a", linewidth=0.5
    )
    in_scope.boundary.plot(ax=ax, color="#222222", linewidth=1.1)
    _frame(ax, in_scope)

    figure.text(0.015, 1 - 0.18 / height, title or view.title, fontsize=20, fontweight="bold", va="top")
    figure.text(0.015, 1 - 0.58 / height, subtitle or view.subtitle, fontsize=12, color="#444444", va="top")
    figure.text(
        0.015,
        0.12 / height,
        "Sources : " + " ; ".join(data.sources) + f". Carte reindus, données construites le {data.build_date}.",
        fontsize=7,
        color="#333333",
        wrap=True,
    )
    ax.legend(
        handles=handles,
        loc="lower left",
        fontsize=8,
        title_fontsize=9,
        title="Légende",
        framealpha=0.92,
        labelspacing=1.1 if view.projects_measure else 0.5,
        borderpad=0.8,
    )
    _scale_bar(ax)
    _north_arrow(ax)
    _inset(figure, ax, regions)
    press_map = PressMap(figure, ax)
    _place_labels(press_map, _labels_of(view, data))
    return press_map


def to_bytes(press_map: PressMap, fmt: str) -> bytes:
    """PNG (300 dpi), PDF or SVG with text kept as text."""
    if fmt not in FORMATS:
        raise ValueError(f"format inconnu « {fmt} » : {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "svg.fonttype": "none"}):
        press_map.figure.savefig(
            buffer,
            format=fmt,
            dpi=PNG_DPI if fmt == "png" else 100,
            metadata={"Title": press_map.figure.texts[0].get_text()} if fmt in ("pdf", "svg") else None,
        )
    return buffer.getvalue()


# --- private helpers -----------------------------------------------------------------------


def _draw_content(ax, view: PressView, data: PressData, in_scope: gpd.GeoDataFrame) -> list:
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


def _frame(ax, in_scope: gpd.GeoDataFrame) -> None:
    """Frame the two regions, widened to the axes' shape: the page fills with context, not blanks."""
    minx, miny, maxx, maxy = in_scope.total_bounds
    dx, dy = (maxx - minx) * 1.06, (maxy - miny) * 1.06
    box = ax.get_position(original=True)  # geopandas' plot may already have shrunk the active one
    page_width, page_height = ax.figure.get_size_inches()
    ratio = (box.width * page_width) / (box.height * page_height)
    dx, dy = max(dx, dy * ratio), max(dy, dx / ratio)
    centre_x, centre_y = (minx + maxx) / 2, (miny + maxy) / 2
    ax.set_xlim(centre_x - dx / 2, centre_x + dx / 2)
    ax.set_ylim(centre_y - dy / 2, centre_y + dy / 2)
    ax.set_aspect("equal", adjustable="box")


def _scale_bar(ax) -> None:
    width_m = ax.get_xlim()[1] - ax.get_xlim()[0]
    length_km = next(k for k in (200, 100, 50, 20, 10) if k * 1000 <= width_m / 5)
    bar = AnchoredSizeBar(
        ax.transData,
        length_km * 1000,
        f"{length_km} km",
        "lower right",
        pad=0.6,
        sep=4,
        frameon=False,
        size_vertical=width_m / 400,
        fontproperties={"size": 9},
    )
    ax.add_artist(bar)


def _north_arrow(ax) -> None:
    ax.annotate(
        "N",
        xy=(0.965, 0.97),
        xytext=(0.965, 0.87),
        xycoords="axes fraction",
        ha="center",
        va="center",
        fontsize=12,
        fontweight="bold",
        arrowprops={"facecolor": "black", "width": 3, "headwidth": 10, "headlength": 10},
    )


def _inset(figure: Figure, ax, regions: gpd.GeoDataFrame) -> None:
    box = ax.get_position()
    inset = figure.add_axes(
        (box.x1 - 0.16 * box.width - 0.05, box.y1 - 0.30 * box.height, 0.16 * box.width, 0.26 * box.height)
    )
    regions.plot(ax=inset, color="#d0d0d0", edgecolor="white", linewidth=0.3)
    regions[regions["in_scope"].astype(bool)].plot(ax=inset, color="#222222")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    inset.set_aspect("equal")
    inset.set_facecolor("white")
    inset.set_title("Situation en France", fontsize=7)


def _labels_of(view: PressView, data: PressData) -> list[tuple[str, float, float, float]]:
    """``(text, x, y, priority)`` in Lambert-93: overlay territories, largest first."""
    labels = []
    for key in view.overlays:
        shapes = overlay_territories(data.territories, key).to_crs(LAMBERT93)
        points = shapes.geometry.representative_point()
        for name, point, area in zip(shapes["label"], points, shapes.area, strict=True):
            labels.append((str(name), point.x, point.y, float(area)))
    return sorted(labels, key=lambda label: -label[3])


def _place_labels(press_map: PressMap, labels: list[tuple[str, float, float, float]]) -> None:
    """Greedy placement, never one label over another: each name is drawn at its point or nudged; a name
    that finds no room gets a number at its point and a line in a key, or is dropped as a last resort.
    """
    ax, figure = press_map.map_axes, press_map.figure
    renderer = figure.canvas.get_renderer()
    taken: list[Bbox] = [ax.get_legend().get_window_extent(renderer)]
    taken += [child.get_window_extent(renderer) for child in figure.axes if child is not ax]
    homeless = []
    for text, x, y, _ in labels:
        extent = _try_place(ax, renderer, taken, _wrapped(text), (x, y), _NUDGES, fontsize=7.5)
        if extent is None:
            homeless.append((text, x, y))
        else:
            press_map.labels.append(PlacedLabel(text, extent))
    key_lines = []
    for text, x, y in homeless:
        number = str(len(key_lines) + 1)
        extent = _try_place(ax, renderer, taken, number, (x, y), _NUDGES, fontsize=7, fontweight="bold")
        if extent is None:
            press_map.dropped_labels.append(text)
            continue
        press_map.labels.append(PlacedLabel(number, extent))
        press_map.numbered_labels.append((number, text))
        key_lines.append(f"{number}  {text}")
    if key_lines:
        ax.text(
            0.01,
            0.99,
            "\n".join(key_lines),
            transform=ax.transAxes,
            ha="left",
            va="top",
            fontsize=7,
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#999999", "alpha": 0.92},
            zorder=7,
        )


def _try_place(ax, renderer, taken: list[Bbox], text: str, point, offsets, **style) -> Bbox | None:
    """Draw ``text`` at the first offset where it overlaps nothing already placed; None if there is none."""
    axes_box = ax.get_window_extent(renderer)
    for dx, dy in offsets:
        artist = ax.annotate(
            text,
            point,
            xytext=(dx, dy),
            textcoords="offset points",
            ha="center",
            va="center",
            color="#111111",
            zorder=6,
            bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": "none", "alpha": 0.7},
            **style,
        )
        extent = artist.get_window_extent(renderer).expanded(1.02, 1.05)
        inside = axes_box.contains(extent.x0, extent.y0) and axes_box.contains(extent.x1, extent.y1)
        if inside and not any(extent.overlaps(other) for other in taken):
            taken.append(extent)
            return extent
        artist.remove()
    return None


_NUDGES = ((0, 0), (0, 9), (0, -9), (18, 0), (-18, 0), (0, 18), (0, -18), (14, 12), (-14, 12), (14, -12), (-14, -12))
"""Offsets (points) tried in turn around a territory's point before its label is dropped."""


def _wrapped(text: str, width: int = 22) -> str:
    """Long territory names on two lines, cut at a space or a dash."""
    if len(text) <= width:
        return text
    cut = max(text.rfind(" ", 0, width + 1), text.rfind("-", 0, width + 1))
    return text if cut <= 0 else text[: cut + 1].rstrip() + "\n" + text[cut + 1 :].lstrip()
