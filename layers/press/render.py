"""Compose a press map (title, content, legend, frame, labels) and write it as PNG, PDF or SVG."""

from __future__ import annotations

import io
import textwrap

import matplotlib
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from geo.crs import LAMBERT93
from geo.errors import UnreadableValueError
from layers.formatting import date_fr
from layers.press import typography
from layers.press.content import draw_content
from layers.press.labels import drawn_borders, labels_of, place_labels, place_towns, towns_of
from layers.press.legend import add_circle_key
from layers.press.page import (
    FORMATS,
    LAYOUTS,
    PNG_DPI,
    PageCanvas,
    PressMap,
    draw_frame,
    draw_inset,
    draw_north_arrow,
    draw_scale_bar,
)
from layers.press.views import PressData, PressView


def render(
    view: PressView, data: PressData, *, layout: str = "16:9", title: str | None = None, subtitle: str | None = None
) -> PressMap:
    """Draw ``view`` on a page of ``layout``; the figure is ready for :func:`to_bytes`."""
    # Text takes its family when created: the whole page is drawn under the press type settings.
    with matplotlib.rc_context(typography.rc()):
        return _render(view, data, layout=layout, title=title, subtitle=subtitle)


def _render(view: PressView, data: PressData, *, layout: str, title: str | None, subtitle: str | None) -> PressMap:
    width, height = LAYOUTS[layout]
    figure = Figure(figsize=(width, height), dpi=100)
    PageCanvas(figure)
    # The sources line wraps to the page; the map starts above it, so the legend never covers it.
    sources = textwrap.fill(
        "Sources : "
        + " ; ".join(data.sources)
        + f". Carte reindus, données construites le {date_fr(data.build_date)}.",
        width=int(width * _SOURCE_CHARS_PER_INCH),
    )
    header = 0.95 / height  # inches kept for the title block
    footer = (0.2 + 0.11 * (sources.count("\n") + 1)) / height
    ax = figure.add_axes((0.015, footer, 0.97, 1 - header - footer - 0.01))
    ax.set_axis_off()
    ax.set_facecolor("white")

    regions = data.regions.to_crs(LAMBERT93)
    in_scope = regions[regions["in_scope"].astype(bool)]
    regions.plot(ax=ax, color="#ececec", edgecolor="white", linewidth=0.6)
    handles, circles = draw_content(ax, view, data, in_scope)
    data.departements[data.departements["in_scope"].astype(bool)].to_crs(LAMBERT93).boundary.plot(
        ax=ax, color="#8a8a8a", linewidth=0.5
    )
    in_scope.boundary.plot(ax=ax, color="#222222", linewidth=1.1)
    draw_frame(ax, in_scope)

    _fit_width(figure.text(0.015, 1 - 0.18 / height, title or view.title, va="top", **typography.TITLE))
    _fit_width(figure.text(0.015, 1 - 0.58 / height, subtitle or view.subtitle, va="top", **typography.SUBTITLE))
    figure.text(0.015, 0.1 / height, sources, va="bottom", **typography.NOTE)
    if data.caveats:
        # Under the subtitle, in the header band: the sources line at the foot already wraps on long lists.
        figure.text(
            0.015,
            1 - 0.86 / height,
            textwrap.fill(
                "Périmètres approchés : "
                + ", ".join(label for label, _ in data.caveats)
                + " (la fiche de chaque territoire dans reindus dit comment).",
                width=int(width * 16),  # ~16 characters of 7.5 pt italic per inch, with a margin
            ),
            fontsize=7.5,
            color="#3d3d3d",
            style="italic",
            va="top",
        )
    if data.towns is not None and not data.towns.empty:
        handles.append(Line2D([], [], marker="o", markersize=3.5, linestyle="", color="#222222", label=TOWN_LEGEND))
    legend = ax.legend(
        handles=handles,
        loc="lower left",
        fontsize=8,
        title_fontsize=9,
        title="Légende",
        framealpha=0.92,
        labelspacing=0.5,
        borderpad=0.8,
    )
    if circles is not None:
        add_circle_key(ax, circles, above=legend.get_window_extent(figure.canvas.get_renderer()))
    draw_scale_bar(ax)
    draw_north_arrow(ax)
    draw_inset(figure, ax, regions)
    press_map = PressMap(figure, ax)
    place_labels(press_map, labels_of(view, data), drawn_borders(view, data))
    place_towns(press_map, towns_of(data))
    return press_map


def to_bytes(press_map: PressMap, fmt: str) -> bytes:
    """PNG (300 dpi), PDF or SVG with text kept as text."""
    if fmt not in FORMATS:
        raise UnreadableValueError(f"format inconnu « {fmt} » : {', '.join(FORMATS)}")
    buffer = io.BytesIO()
    with matplotlib.rc_context({"pdf.fonttype": 42, "svg.fonttype": "none"}):
        press_map.figure.savefig(
            buffer,
            format=fmt,
            dpi=PNG_DPI if fmt == "png" else 100,
            metadata={"Title": press_map.figure.texts[0].get_text()} if fmt in ("pdf", "svg") else None,
        )
    return buffer.getvalue()


TOWN_LEGEND = "ville la plus peuplée du département"

_SOURCE_CHARS_PER_INCH = 17
"""Characters of the 7 pt sources line per inch of page, with a margin (Inter averages ~19, DejaVu Sans ~18.5)."""


def _fit_width(text, *, fraction: float = 0.97) -> None:
    """Shrink a title or subtitle that would run off the page (titles are editable on the Presse page)."""
    figure = text.get_figure()
    available = figure.bbox.width * (fraction - text.get_position()[0])
    used = text.get_window_extent(renderer=figure.canvas.get_renderer()).width
    if used > available:
        text.set_fontsize(text.get_fontsize() * available / used)
