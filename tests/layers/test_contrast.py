"""Text colours of the app, the map and the press exports reach WCAG 2.1 AA contrast (4.5:1) on their backgrounds.

axe (``tests/browser/test_page_audits.py``) measures the text it finds in the DOM; this covers the colour
constants behind it, text axe cannot measure (map labels over Leaflet's layers, popups not yet opened) and the
press figures, which are images. Semi-transparent backgrounds are composited over the worst colour below them.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.text import Text

from app_pages.accessibility import FOCUS_COLOUR
from geo.analysis.projects import default_selection, typed_projects
from layers.admin import EPCI_STYLE
from layers.assets import NO_TILES_BACKGROUND
from layers.choropleth import CLASS_COLOURS
from layers.press import VIEWS, press_data, render
from layers.territories import HIGHLIGHT_FILL_OPACITY, OVERLAYS

ROOT = Path(__file__).resolve().parents[2]
AA_TEXT, AA_NON_TEXT = 4.5, 3.0
THEME = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["theme"]
WHITE, SIDEBAR_BACKGROUND = "#ffffff", "#f8f8f7"
"""Streamlit's light theme: the page and the sidebar (``secondaryBackgroundColor`` by default)."""
CAPTION_OPACITY = 0.6
"""Streamlit draws captions, help text and the code inside captions in their colour at 60 % opacity."""


def luminance(colour: str) -> float:
    """WCAG 2.1 relative luminance of an sRGB colour."""
    channels = to_rgba(colour)[:3]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def over(colour: str, background: str, opacity: float) -> str:
    """``colour`` at ``opacity`` composited over an opaque ``background``."""
    top, bottom = to_rgba(colour), to_rgba(background)
    return to_hex([opacity * t + (1 - opacity) * b for t, b in zip(top[:3], bottom[:3], strict=True)])


MAP_BACKGROUND = over(EPCI_STYLE["fillColor"], NO_TILES_BACKGROUND, EPCI_STYLE["fillOpacity"])
"""What is under a territory on the map without basemap: the EPCI fill over the sea-like background."""


def test_the_helpers_match_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the lightest grey passing on white
    assert contrast("#777777", "#ffffff") < AA_TEXT
    assert over("#000000", "#ffffff", 0.5) == "#808080"


@pytest.mark.parametrize("background", [WHITE, SIDEBAR_BACKGROUND])
def test_theme_text_and_captions(background):
    assert contrast(THEME["textColor"], background) >= AA_TEXT
    for faded in ("textColor", "codeTextColor"):
        assert contrast(over(THEME[faded], background, CAPTION_OPACITY), background) >= AA_TEXT, faded
    assert contrast(THEME["primaryColor"], background) >= AA_TEXT  # primary buttons' white text, links
    assert contrast(FOCUS_COLOUR, background) >= AA_NON_TEXT  # WCAG 1.4.11 for the focus ring


@pytest.mark.parametrize("key", list(OVERLAYS))
def test_territory_names_on_the_map(key):
    """On the pale map, over their own fill, even under the pointer (fill deepened); and on the white halo."""
    style = OVERLAYS[key]
    for opacity in (style.fill_opacity, style.fill_opacity + HIGHLIGHT_FILL_OPACITY):
        background = over(style.color, MAP_BACKGROUND, opacity)
        assert contrast(style.text_color, background) >= AA_TEXT, f"{key} sur {background}"
    assert contrast(style.text_color, WHITE) >= AA_TEXT


def _leaflet_rule(css: str, selector: str, prop: str) -> str:
    """The last value of ``prop`` in the rules whose whole selector list is ``selector``."""
    values = [
        value.strip()
        for block in re.finditer(r"(?:^|\n)" + re.escape(selector) + r"\s*\{([^}]*)\}", css)
        for value in re.findall(rf"(?<![-\w]){prop}:\s*([^;]+);", block.group(1))
    ]
    assert values, selector
    return values[-1]


def test_leaflet_popups_tooltips_and_attribution():
    css = (ROOT / "node_modules" / "leaflet" / "dist" / "leaflet.css").read_text(encoding="utf-8")
    popup = _leaflet_rule(css, ".leaflet-popup-content-wrapper,\n.leaflet-popup-tip", "color")
    tooltip = _leaflet_rule(css, ".leaflet-tooltip", "color")
    link = re.search(r"\.leaflet-container a \{\s*color: (#[0-9A-Fa-f]{6});", css).group(1)
    assert contrast(popup, WHITE) >= AA_TEXT  # project and site cards
    assert contrast(link, WHITE) >= AA_TEXT  # the source link of a card
    assert contrast(tooltip, WHITE) >= AA_TEXT
    # The attribution (sources and vintages): #333 on 80 % white over the map's background.
    attribution = _leaflet_rule(css, ".leaflet-control-attribution,\n.leaflet-control-scale-line", "color")
    assert contrast(attribution, over(WHITE, NO_TILES_BACKGROUND, 0.8)) >= AA_TEXT


@pytest.fixture(scope="module")
def press_figures(store):
    projects = default_selection(typed_projects(store.read("projets")))
    return {
        key: render(view, press_data(store.read, view, projects=projects), layout="16:9") for key, view in VIEWS.items()
    }


def _press_text_contrast(text: Text, figure_background: str) -> tuple[float, str]:
    """The text's contrast on what is behind it: its own box (over the darkest map fill), the legend's frame,
    or the page."""
    colour = to_hex(text.get_color())
    box = text.get_bbox_patch()
    legend = next((legend for legend in _legends(text.figure) if text in legend.get_texts()), None)
    if box is not None:
        face = box.get_facecolor()
        background = over(to_hex(face), CLASS_COLOURS[-1], face[3])
    elif legend is not None:
        face = legend.get_frame().get_facecolor()
        background = over(to_hex(face), CLASS_COLOURS[-1], face[3])
    else:
        background = figure_background
    return contrast(colour, background), background


def _legends(figure):
    return [ax.get_legend() for ax in figure.axes if ax.get_legend() is not None] + list(figure.legends)


@pytest.mark.slow
@pytest.mark.parametrize("key", list(VIEWS))
def test_press_text_colours(press_figures, key):
    """Titles, subtitles, sources, legends and labels of every ready-made press view (read from the figure)."""
    figure = press_figures[key].figure
    page = to_hex(figure.get_facecolor())
    texts = [t for t in figure.findobj(Text) if t.get_visible() and t.get_text().strip()]
    assert len(texts) > 10
    failing = []
    for text in texts:
        ratio, background = _press_text_contrast(text, page)
        if ratio < AA_TEXT:
            failing.append(f"« {text.get_text()[:40]} » {to_hex(text.get_color())} sur {background} : {ratio:.2f}")
    assert failing == []


def test_legend_swatches_are_outlined_at_3_to_1_whatever_their_fill():
    # WCAG 1.4.11: a swatch must be told from the page; Okabe–Ito's yellow alone is 1.2:1 on white.
    from layers.formatting import legend_html
    from layers.projects import SECTOR_COLOURS

    html = legend_html(list((colour, name) for name, colour in SECTOR_COLOURS.items()), round_swatches=True)
    borders = set(re.findall(r"border:1px solid (#[0-9a-fA-F]{3,6})", html))
    assert borders and all(contrast(border, WHITE) >= AA_NON_TEXT for border in borders)
    assert any(contrast(colour, WHITE) < AA_NON_TEXT for colour in SECTOR_COLOURS.values())  # why the outline
    assert html.count("border-radius:50%") == len(SECTOR_COLOURS)
