"""The page of a press map: sizes and formats, the frame, scale bar, north arrow and inset."""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox
from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

LAYOUTS: dict[str, tuple[float, float]] = {"16:9": (40 / 3, 7.5), "a4": (8.27, 11.69), "a4-paysage": (11.69, 8.27)}
PNG_DPI = 300
FORMATS = ("png", "pdf", "svg")


class PageCanvas(FigureCanvasAgg):
    """An Agg canvas drawn only when the page is measured or saved.

    geopandas asks the canvas for a redraw after each layer it plots: on Agg that is a full draw of everything so far,
    about 40 % of a press map's render (1.4 of 3.2 s for the Territoires d'industrie view)."""

    def draw_idle(self, *args, **kwargs) -> None:
        pass


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
    places: list[PlacedLabel] = field(default_factory=list)  # towns named for orientation


def draw_frame(ax, in_scope: gpd.GeoDataFrame) -> None:
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


def draw_scale_bar(ax) -> None:
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


def draw_north_arrow(ax) -> None:
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


def draw_inset(figure: Figure, ax, regions: gpd.GeoDataFrame) -> None:
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
