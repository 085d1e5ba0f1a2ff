"""Territory names placed without overlap and, where there is room, off the borders.

Each name starts at its territory's pole of inaccessibility (the point farthest inside it) and is
nudged until it overlaps nothing already placed. Among the positions that fit, the first whose box
lies inside its territory and crosses no drawn border wins; else the one with most of its box inside
the territory. A name that finds no room gets a number and a line in a key.
"""

from __future__ import annotations

from dataclasses import dataclass

import shapely
from matplotlib.transforms import Bbox
from shapely.geometry import MultiPolygon, Polygon
from shapely.ops import polylabel

from geo.crs import LAMBERT93
from layers.press import typography
from layers.press.page import PlacedLabel, PressMap
from layers.press.views import PressData, PressView
from layers.territories import overlay_territories

_POLE_TOLERANCE_M = 500.0


@dataclass(frozen=True)
class Label:
    text: str
    x: float  # Lambert-93, metres
    y: float
    priority: float  # larger territories are placed first
    shape: shapely.Geometry | None = None  # the territory (Lambert-93): names prefer to sit inside it


def labels_of(view: PressView, data: PressData) -> list[Label]:
    """The names of the overlay territories drawn by ``view``, largest first."""
    labels = []
    for key in view.overlays:
        shapes = overlay_territories(data.territories, key).to_crs(LAMBERT93)
        for name, geometry in zip(shapes["label"], shapes.geometry, strict=True):
            anchor = _pole(geometry)
            shapely.prepare(geometry)
            labels.append(Label(str(name), anchor.x, anchor.y, float(geometry.area), geometry))
    return sorted(labels, key=lambda label: -label.priority)


def towns_of(data: PressData) -> list[Label]:
    """The towns to name (Lambert-93), most populous first: they get the room left first."""
    if data.towns is None or data.towns.empty:
        return []
    towns = data.towns.to_crs(LAMBERT93).sort_values("population", ascending=False, kind="stable")
    return [
        Label(str(name), point.x, point.y, float(pop))
        for name, point, pop in zip(towns["nom"], towns.geometry, towns["population"], strict=True)
    ]


def drawn_borders(view: PressView, data: PressData) -> shapely.Geometry:
    """The outlines of the drawn overlay territories (Lambert-93), prepared for fast intersection tests."""
    lines = [overlay_territories(data.territories, key).to_crs(LAMBERT93).boundary.union_all() for key in view.overlays]
    borders = shapely.union_all(lines) if lines else shapely.GeometryCollection()
    shapely.prepare(borders)
    return borders


def place_labels(press_map: PressMap, labels: list[Label], borders: shapely.Geometry | None = None) -> None:
    """Greedy placement, never one label over another nor over the legend, inset or key.

    A name that finds no room gets a number at its point and a line in a key, or is dropped as a
    last resort (listed in ``press_map.dropped_labels``). The key's room is reserved before the names
    are placed again, so no name hides under it; two or three passes settle which names need a number.
    """
    borders = borders if borders is not None else shapely.GeometryCollection()
    keyed: list[str] = []
    for _ in range(3):
        placer = _Placer(press_map, borders)
        key = placer.reserve_key([f"{number}  {text}" for number, text in enumerate(keyed, 1)])
        homeless = [label for label in labels if not placer.place(label, _wrapped(label.text), typography.TERRITORY)]
        if [label.text for label in homeless] == keyed:
            break
        placer.clear()
        if key is not None:
            key.remove()
        keyed = [label.text for label in homeless]
    else:
        placer = _Placer(press_map, borders)
        key = placer.reserve_key([f"{number}  {text}" for number, text in enumerate(keyed, 1)])
        homeless = [label for label in labels if not placer.place(label, _wrapped(label.text), typography.TERRITORY)]
    number_style = {**typography.TERRITORY, "fontweight": "bold"}
    for label in homeless:
        number = str(len(press_map.numbered_labels) + 1)
        if placer.place(label, number, number_style):
            press_map.numbered_labels.append((number, label.text))
        else:
            press_map.dropped_labels.append(label.text)
    if key is not None:
        placer.settle_key(key, [f"{number}  {text}" for number, text in press_map.numbered_labels], press_map)
    press_map.labels.extend(PlacedLabel(text, extent) for text, extent, _ in placer.placed)


class _Placer:
    """The boxes taken so far on one map, and the label artists drawn (removed if a pass starts again)."""

    def __init__(self, press_map: PressMap, borders: shapely.Geometry):
        self.ax, self.figure = press_map.map_axes, press_map.figure
        self.renderer = self.figure.canvas.get_renderer()
        self.borders = borders
        self.fixed: list[Bbox] = [self.ax.get_legend().get_window_extent(self.renderer)]
        self.fixed += [child.get_window_extent(self.renderer) for child in self.figure.axes if child is not self.ax]
        self.fixed += [artist.get_window_extent(self.renderer) for artist in self.ax.artists]  # scale bar, circles
        self.placed: list[tuple[str, Bbox, tuple]] = []  # (text, box, its artists: name and halo)

    def place(self, label: Label, text: str, style: dict, nudges: tuple = ()) -> bool:
        """Draw ``text`` at the best free position around ``label``'s point; False if none is free.

        A box inside the territory and off every border is taken at once; else the free position with
        the largest share of the box inside the territory.
        """
        axes_box = self.ax.get_window_extent(self.renderer)
        width, height = self._size(text, style)
        x, y = self.ax.transData.transform((label.x, label.y))
        points = self.figure.dpi / 72
        best, best_share = None, -1.0
        for dx, dy, align in nudges or _NUDGES:
            # The box is computed, not drawn: only the chosen position gets an artist (placing is 5x faster).
            centre_x = x + dx * points + {"center": 0, "left": width / 2, "right": -width / 2}[align]
            extent = Bbox.from_bounds(centre_x - width / 2, y + dy * points - height / 2, width, height)
            extent = extent.expanded(1.04, 1.2)  # room for the halo
            inside = axes_box.contains(extent.x0, extent.y0) and axes_box.contains(extent.x1, extent.y1)
            if not inside or self._overlaps(extent):
                continue
            share = self._share_inside(extent, label.shape)
            if share is None:  # inside its territory, off every border: the best there is
                best = (extent, (dx, dy, align))
                break
            if share > best_share:
                best, best_share = (extent, (dx, dy, align)), share
        if best is None:
            return False
        extent, (dx, dy, align) = best
        artist = self.ax.annotate(
            text,
            (label.x, label.y),
            xytext=(dx, dy),
            textcoords="offset points",
            ha=align,
            va="center",
            zorder=6,
            **style,
        )
        self.placed.append((text, extent, _with_halo(artist)))
        return True

    def _size(self, text: str, style: dict) -> tuple[float, float]:
        """Width and height in pixels of ``text`` set in ``style`` (measured once on a probe)."""
        probe = self.ax.text(0, 0, text, **style)
        box = probe.get_window_extent(self.renderer)
        probe.remove()
        return box.width, box.height

    def clear(self) -> None:
        for _, _, artists in self.placed:
            for artist in artists:
                artist.remove()
        self.placed = []

    def reserve_key(self, lines: list[str]):
        """Draw the key of numbered names top left and keep its room; None when there is nothing to key."""
        if not lines:
            return None
        key = self.ax.text(
            0.01,
            0.99,
            "\n".join(lines),
            transform=self.ax.transAxes,
            ha="left",
            va="top",
            bbox={"boxstyle": "round,pad=0.4", "facecolor": "white", "edgecolor": "#999999", "alpha": 0.95},
            zorder=7,
            **typography.NOTE,
        )
        self.fixed.append(key.get_window_extent(self.renderer))
        return key

    def settle_key(self, key, lines: list[str], press_map: PressMap) -> None:
        """Write the key's final lines; a name its box would still hide is dropped, never hidden."""
        if not lines:
            key.remove()
            return
        key.set_text("\n".join(lines))
        key_box = key.get_window_extent(self.renderer)
        for entry in [entry for entry in self.placed if entry[1].overlaps(key_box)]:
            for artist in entry[2]:
                artist.remove()
            self.placed.remove(entry)
            press_map.dropped_labels.append(entry[0])

    def _overlaps(self, extent: Bbox) -> bool:
        return any(extent.overlaps(other) for other in self.fixed) or any(
            extent.overlaps(other) for _, other, _ in self.placed
        )

    def _share_inside(self, extent: Bbox, shape: shapely.Geometry | None) -> float | None:
        """None when the box lies inside its territory off every border; else the share of it inside."""
        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform([(extent.x0, extent.y0), (extent.x1, extent.y1)])
        box = shapely.box(x0, y0, x1, y1)
        if not self.borders.intersects(box) and (shape is None or shape.contains(box)):
            return None
        return 0.0 if shape is None else shape.intersection(box).area / box.area


def place_towns(press_map: PressMap, towns: list[Label]) -> None:
    """Name the towns (a dot and a name beside it) where room is left by the territory names, legend and key.

    Towns only help readers find their way: one without room is left off, and not reported.
    """
    placer = _Placer(press_map, shapely.GeometryCollection())
    placer.fixed += [label.bbox for label in press_map.labels]
    placer.fixed += [
        text.get_window_extent(placer.renderer) for text in press_map.map_axes.texts if text.get_bbox_patch()
    ]
    to_display = press_map.map_axes.transData
    for town in towns:
        x, y = to_display.transform((town.x, town.y))
        dot = Bbox.from_extents(x - 3, y - 3, x + 3, y + 3)
        if placer._overlaps(dot) or not press_map.map_axes.get_window_extent(placer.renderer).contains(x, y):
            continue
        placer.fixed.append(dot)
        if not placer.place(town, town.text, typography.PLACE, _TOWN_NUDGES):
            placer.fixed.remove(dot)
            continue
        press_map.map_axes.scatter(
            [town.x], [town.y], s=9, color="#222222", edgecolors="white", linewidths=0.6, zorder=6.5
        )
        _, extent, _ = placer.placed[-1]
        press_map.places.append(PlacedLabel(town.text, extent))


def _with_halo(name) -> tuple:
    """The name and, just under it, its white halo (a copy drawn as an outline)."""
    halo = name.axes.annotate(
        name.get_text(),
        name.xy,
        xytext=name.xyann,
        textcoords=name.anncoords,
        ha=name.get_horizontalalignment(),
        va="center",
        zorder=name.get_zorder() - 0.1,
        fontproperties=name.get_fontproperties(),
        color=name.get_color(),
        path_effects=typography.HALO,
    )
    return (name, halo)


def _pole(geometry: Polygon | MultiPolygon) -> shapely.Point:
    """The point of the largest part farthest from its outline: names sit well inside their territory."""
    largest = max(geometry.geoms, key=lambda part: part.area) if isinstance(geometry, MultiPolygon) else geometry
    return polylabel(largest, tolerance=_POLE_TOLERANCE_M)


_NUDGES = tuple(
    (dx, dy, "center")
    for dx, dy in (
        (0, 0),
        (0, 9),
        (0, -9),
        (18, 0),
        (-18, 0),
        (0, 18),
        (0, -18),
        (14, 12),
        (-14, 12),
        (14, -12),
        (-14, -12),
        (28, 0),
        (-28, 0),
        (0, 27),
        (0, -27),
    )
)
"""Offsets in points from a territory's pole, tried in order, the name centred on each."""

_TOWN_NUDGES = ((4, 0, "left"), (-4, 0, "right"), (0, 7, "center"), (0, -7, "center"))
"""A town's name beside its dot: right, left, above, below."""


def _wrapped(text: str, width: int = 22) -> str:
    """Long territory names on two lines, cut at a space or a dash."""
    if len(text) <= width:
        return text
    cut = max(text.rfind(" ", 0, width + 1), text.rfind("-", 0, width + 1))
    return text if cut <= 0 else text[: cut + 1].rstrip() + "\n" + text[cut + 1 :].lstrip()
