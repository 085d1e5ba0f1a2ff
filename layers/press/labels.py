"""Territory names placed without overlap: nudged to find room, else numbered and listed in a key."""

from __future__ import annotations

from matplotlib.transforms import Bbox

from geo.crs import LAMBERT93
from layers.press.page import PlacedLabel, PressMap
from layers.press.views import PressData, PressView
from layers.territories import overlay_territories


def labels_of(view: PressView, data: PressData) -> list[tuple[str, float, float, float]]:
    """``(text, x, y, priority)`` in Lambert-93: overlay territories, largest first."""
    labels = []
    for key in view.overlays:
        shapes = overlay_territories(data.territories, key).to_crs(LAMBERT93)
        points = shapes.geometry.representative_point()
        for name, point, area in zip(shapes["label"], points, shapes.area, strict=True):
            labels.append((str(name), point.x, point.y, float(area)))
    return sorted(labels, key=lambda label: -label[3])


def place_labels(press_map: PressMap, labels: list[tuple[str, float, float, float]]) -> None:
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


def _wrapped(text: str, width: int = 22) -> str:
    """Long territory names on two lines, cut at a space or a dash."""
    if len(text) <= width:
        return text
    cut = max(text.rfind(" ", 0, width + 1), text.rfind("-", 0, width + 1))
    return text if cut <= 0 else text[: cut + 1].rstrip() + "\n" + text[cut + 1 :].lstrip()
