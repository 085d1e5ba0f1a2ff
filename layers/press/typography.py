"""The press maps' type: Inter (OFL), a size and weight per level, white halos instead of label boxes.

Inter is installed at setup into ``static/vendor/fonts/`` (``scripts/vendor_fonts.py``); the caller
registers those files once with :func:`register_fonts`. Without them the maps fall back to DejaVu Sans.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from matplotlib import font_manager, patheffects

FAMILY = "Inter"

HALO = (patheffects.Stroke(linewidth=2.2, foreground="white"),)
"""A thin white outline: names stay readable over fills and borders without hiding the map.

matplotlib draws text with path effects as outlines, so the halo is a copy set under the name:
the name itself stays text (searchable and editable in the PDF and SVG)."""

# One level of the hierarchy each: size in points, weight, colour (all ≥ 7:1 on white).
TITLE = {"fontsize": 20, "fontweight": "bold", "color": "#111111"}
SUBTITLE = {"fontsize": 12, "color": "#3d3d3d"}
TERRITORY = {"fontsize": 7.5, "fontweight": "semibold", "color": "#1a1a1a"}
PLACE = {"fontsize": 6.5, "color": "#2b2b2b"}
NOTE = {"fontsize": 7, "color": "#333333"}


def register_fonts(paths: Iterable[Path]) -> list[str]:
    """Make the TrueType files in ``paths`` known to matplotlib (once); return the families added."""
    known = {entry.fname for entry in font_manager.fontManager.ttflist}
    added = []
    for path in paths:
        if str(path) not in known:
            font_manager.fontManager.addfont(str(path))
            added.append(font_manager.FontProperties(fname=str(path)).get_name())
    return added


def rc() -> dict[str, object]:
    """matplotlib settings every press map is drawn under: Inter, or matplotlib's DejaVu Sans if it is missing."""
    return {"font.family": [FAMILY]} if inter_available() else {}


def inter_available() -> bool:
    try:
        font_manager.findfont(font_manager.FontProperties(family=FAMILY), fallback_to_default=False)
    except ValueError:
        return False
    return True
