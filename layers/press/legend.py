"""The legend of proportional circles: nested circles with round values, as on a printed map."""

from __future__ import annotations

import math
from dataclasses import dataclass

from matplotlib.lines import Line2D
from matplotlib.offsetbox import AnchoredOffsetbox, DrawingArea, TextArea, VPacker
from matplotlib.patches import Circle
from matplotlib.text import Text

from layers.formatting import number_fr

MAX_MARKER_AREA_PT2 = 900.0
"""Area (points²) of the largest project's circle; the others are proportional to their value."""


@dataclass(frozen=True)
class CircleKey:
    """What the nested circles explain: the measure's name and the largest value drawn."""

    title: str
    largest: float

    def diameter_pt(self, value: float) -> float:
        """Diameter in points of the circle drawn for ``value`` (area proportional to the value)."""
        return math.sqrt(value / self.largest * MAX_MARKER_AREA_PT2)

    def references(self) -> list[float]:
        """Three round values: the largest rounded down to one significant digit, ~¼ and ~1/16 of it in 1-2-5 steps.

        >>> CircleKey("emplois", 3200).references()
        [3000, 1000, 200]
        >>> CircleKey("€", 1_480_000_000).references()
        [1000000000, 200000000, 50000000]
        """
        magnitude = 10 ** math.floor(math.log10(self.largest))
        top = math.floor(self.largest / magnitude) * magnitude
        return sorted({top, _nearest_round(top / 4), _nearest_round(top / 16)}, reverse=True)


def add_circle_key(ax, key: CircleKey, *, above) -> AnchoredOffsetbox:
    """Draw the nested circles with their values at the lower left of ``ax``, just above the box ``above``
    (the categorical legend, in display coordinates)."""
    values = key.references()
    radii = [key.diameter_pt(value) / 2 for value in values]
    largest_radius = radii[0]
    label_x = 2 * largest_radius + 10
    area = DrawingArea(label_x + 95, 2 * largest_radius + 4, 0, 0)
    for value, radius in zip(values, radii, strict=True):
        centre = (largest_radius, radius + 2)
        area.add_artist(Circle(centre, radius, facecolor="#d9d9d9", edgecolor="#4d4d4d", linewidth=0.7))
        top = 2 * radius + 2
        area.add_artist(Line2D([largest_radius, label_x - 3], [top, top], color="#4d4d4d", linewidth=0.5))
        area.add_artist(Text(label_x, top, number_fr(value), fontsize=7.5, color="#1a1a1a", va="center"))
    title = TextArea(key.title, textprops={"fontsize": 8, "fontweight": "semibold", "color": "#1a1a1a"})
    box = AnchoredOffsetbox(
        loc="lower left",
        child=VPacker(children=[title, area], align="left", pad=0, sep=6),
        pad=0.5,
        borderpad=0,
        frameon=True,
        # In axes fractions, not pixels: the PNG is saved at another dpi than the figure's.
        bbox_to_anchor=tuple(ax.transAxes.inverted().transform((above.x0, above.y1 + 4))),
        bbox_transform=ax.transAxes,
    )
    box.patch.set(facecolor="white", edgecolor="#cccccc", alpha=0.92, boxstyle="round,pad=0.2")
    ax.add_artist(box)
    return box


def _nearest_round(value: float) -> int:
    """The 1-2-5 number nearest ``value`` on a log scale (750 → 1 000, 190 → 200)."""
    magnitude = 10 ** math.floor(math.log10(value))
    steps = [step * magnitude for step in (1, 2, 5, 10)]
    return int(min(steps, key=lambda step: abs(math.log(step / value))))
