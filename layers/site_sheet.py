"""A one-page A4 PDF per foncier site, for a prospect: a small map of the site in its commune, its figures,
the reasons of its rank, and its sources with their dates.

The figures are the shortlist's (:func:`geo.usecases.foncier_export.shortlist_table`), so the PDF, the
side-by-side table and the XLSX say the same thing. The map is drawn in Lambert-93 (metres: the scale bar
is true) from the commune outlines the caller gives in any CRS.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Mapping

import geopandas as gpd
import matplotlib
import pandas as pd
from matplotlib import patheffects
from matplotlib.figure import Figure
from shapely.geometry import Point

from geo.crs import LAMBERT93, WGS84
from geo.vocabulary import UNNAMED_SITE
from layers.foncier import STATUS_COLOURS
from layers.press import typography
from layers.press.page import PageCanvas

PAGE_IN = (8.27, 11.69)
"""A4 portrait, in inches."""
_LONG_FIELDS = ("Raisons du classement", "Pourquoi non compté", "Source", "Zonage (libellé du plan local)")
"""Fields set as paragraphs under the table: too long for a cell."""
_MAP_BOTTOM, _MAP_HEIGHT = 0.635, 0.265
_MAP_HALF_WIDTH_M = 4_000.0
"""The map shows at least 8 km around the site, so a small commune still shows its neighbours."""


def site_sheet_pdf(
    facts: Mapping[str, str],
    *,
    point_wgs84: Point,
    status: str,
    communes: gpd.GeoDataFrame,
    commune_code: str | None,
    footer: str,
) -> bytes:
    """The sheet of one site as PDF bytes.

    ``facts``: field → text, in the order shown (a column of the shortlist table); ``communes``: outlines
    with ``code`` and ``nom`` around the site; ``commune_code``: the site's own commune, tinted; ``footer``:
    the sources and generation line.
    """
    with _rc():
        figure = Figure(figsize=PAGE_IN, dpi=100)
        PageCanvas(figure)
        title = str(facts.get("Site", "") or UNNAMED_SITE)
        # A long name is set smaller, then cut: it stays on one line across the page.
        size = typography.TITLE["fontsize"] if len(title) <= 42 else 14
        shown = textwrap.shorten(title, 62, placeholder="…")
        figure.text(0.07, 0.955, shown, va="top", **{**typography.TITLE, "fontsize": size})
        where = " · ".join(str(facts[key]) for key in ("Commune", "Statut") if facts.get(key))
        figure.text(0.07, 0.922, where, va="top", **typography.SUBTITLE)
        _draw_map(figure.add_axes((0.07, _MAP_BOTTOM, 0.86, _MAP_HEIGHT)), point_wgs84, status, communes, commune_code)
        bottom = _draw_facts(figure, facts, top=_MAP_BOTTOM - 0.02)
        _draw_paragraphs(figure, facts, top=bottom - 0.012)
        figure.text(0.07, 0.03, textwrap.fill(footer, 150), va="bottom", **{**typography.NOTE, "fontsize": 6.5})
        buffer = io.BytesIO()
        figure.savefig(buffer, format="pdf", metadata={"Title": f"Fiche foncier — {title}"})
    return buffer.getvalue()


def sheets_zip(sheets: Mapping[str, bytes]) -> bytes:
    """Several sheets in one ZIP, under their file names."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sheets.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _rc():
    return matplotlib.rc_context({**typography.rc(), "pdf.fonttype": 42})


def _draw_map(axes, point_wgs84: Point, status: str, communes: gpd.GeoDataFrame, commune_code: str | None) -> None:
    site = gpd.GeoSeries([point_wgs84], crs=WGS84).to_crs(LAMBERT93).iloc[0]
    outlines = communes.to_crs(LAMBERT93)
    own = outlines[outlines["code"] == commune_code] if commune_code else outlines.iloc[0:0]
    xmin, ymin, xmax, ymax = own.total_bounds if len(own) else (site.x, site.y, site.x, site.y)
    half = max((xmax - xmin) / 2, (ymax - ymin) / 2, _MAP_HALF_WIDTH_M) * 1.15
    aspect = (0.86 * PAGE_IN[0]) / (_MAP_HEIGHT * PAGE_IN[1])  # the axes' width over their height
    cx, cy = (xmin + xmax) / 2, (ymin + ymax) / 2
    axes.set_xlim(cx - half * aspect, cx + half * aspect)
    axes.set_ylim(cy - half, cy + half)
    outlines.plot(ax=axes, facecolor="#f4f4f4", edgecolor="#9a9a9a", linewidth=0.5)
    if len(own):
        own.plot(ax=axes, facecolor="#e3ecf5", edgecolor="#1a1a1a", linewidth=1.2)
        # The name above the commune: the site's symbol is inside it.
        axes.annotate(
            str(own["nom"].iloc[0]),
            ((xmin + xmax) / 2, ymax),
            xytext=(0, 4),
            textcoords="offset points",
            ha="center",
            va="bottom",
            path_effects=[*typography.HALO, patheffects.Normal()],
            **{**typography.TERRITORY, "fontsize": 9},
        )
    colour = STATUS_COLOURS.get(status, "#6b6b6b")
    axes.scatter([site.x], [site.y], s=140, color=colour, edgecolor="#111111", linewidth=1.2, zorder=5)
    _scale_bar(axes, half * aspect)
    axes.set_aspect("equal")
    axes.set_xlabel("")
    axes.set_ylabel("")
    axes.set_xticks([])
    axes.set_yticks([])
    for spine in axes.spines.values():
        spine.set_color("#bbbbbb")


def _scale_bar(axes, half_width_m: float) -> None:
    length = next(step for step in (500, 1_000, 2_000, 5_000, 10_000, 20_000) if step >= half_width_m / 4)
    (x0, x1), (y0, y1) = axes.get_xlim(), axes.get_ylim()
    x, y = x0 + (x1 - x0) * 0.03, y0 + (y1 - y0) * 0.06
    axes.plot([x, x + length], [y, y], color="#111111", linewidth=2.5, solid_capstyle="butt", zorder=6)
    label = f"{length / 1000:g} km".replace(".", ",") if length >= 1000 else f"{length} m"
    axes.text(x + length / 2, y + (y1 - y0) * 0.025, label, ha="center", va="bottom", **typography.NOTE, zorder=6)


def _draw_facts(figure: Figure, facts: Mapping[str, str], *, top: float) -> float:
    """The short fields as a two-column table; returns how far down it went (fraction of the page)."""
    rows = [(key, str(value)) for key, value in facts.items() if key not in ("Site", *_LONG_FIELDS) and _shown(value)]
    line = 0.0158
    style = {**typography.NOTE, "fontsize": 7.8}
    for index, (key, value) in enumerate(rows):
        y = top - index * line
        figure.text(0.07, y, key, va="top", **{**style, "fontweight": "semibold"})
        figure.text(0.40, y, textwrap.shorten(value, 95, placeholder="…"), va="top", **style)
    return top - len(rows) * line


def _draw_paragraphs(figure: Figure, facts: Mapping[str, str], *, top: float) -> None:
    """The long fields in two columns: the rank and why a site is not counted, then the source and the zoning."""
    renderer = figure.canvas.get_renderer()
    for left, keys in ((0.07, _LONG_FIELDS[:2]), (0.52, _LONG_FIELDS[2:])):
        y = top
        for key in keys:
            value = facts.get(key)
            if not _shown(value):
                continue
            figure.text(left, y, key, va="top", **{**typography.NOTE, "fontsize": 8.5, "fontweight": "bold"})
            text = "\n".join(textwrap.fill(part, 62) for part in str(value).split(" ; "))
            artist = figure.text(
                left, y - 0.016, text, va="top", linespacing=1.3, **{**typography.NOTE, "fontsize": 7.3}
            )
            y -= 0.016 + artist.get_window_extent(renderer).height / figure.bbox.height + 0.012


def _shown(value: object) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and str(value).strip() != ""
