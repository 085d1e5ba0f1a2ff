"""Map assets served by the app itself: no request leaves the server.

Folium points Leaflet, jQuery, Bootstrap… at public CDNs by default. The maps of reindus
only need Leaflet, installed from the npm registry at setup and served by Streamlit's
static file serving under ``/app/static/vendor/``.
"""

from __future__ import annotations

import json
import re

import folium
from branca.element import MacroElement
from jinja2 import Template

VENDOR_URL = "/app/static/vendor"
"""URL prefix of the vendored assets (Streamlit serves ``static/`` at ``/app/static``)."""

LOCAL_JS = [("leaflet", f"{VENDOR_URL}/leaflet/leaflet.js")]
LOCAL_CSS = [("leaflet_css", f"{VENDOR_URL}/leaflet/leaflet.css")]

NO_TILES_BACKGROUND = "#dfe8ef"
"""Sea-like background shown where no basemap tile is drawn."""


_MAP_CSS = (
    # Inter as in the rest of the app (served by it); a file opened offline falls back to the system sans-serif.
    f"@font-face {{ font-family: Inter; font-weight: 400; src: url({VENDOR_URL}/fonts/Inter-Regular.woff2); }}"
    f"@font-face {{ font-family: Inter; font-weight: 600; src: url({VENDOR_URL}/fonts/Inter-SemiBold.woff2); }}"
    f".leaflet-container {{ background: {NO_TILES_BACKGROUND}; font-family: Inter, sans-serif; }}"
    # folium sets the map's text at 1rem (16 px): a project's card then filled the map; Leaflet's own is 12 px.
    ".leaflet-popup-content { font-size: 14px; line-height: 1.4; }"
    ".reindus-label { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;"
    " font: 600 12px/1.1 Inter, sans-serif; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;"
    " pointer-events: none; }"
    ".leaflet-control-attribution { font-size: 10px; max-width: 70%; }"
    ".reindus-sources summary { cursor: pointer; }"
    ".reindus-sources[open] { max-width: 480px; }"
    # A territory whose name does not fit: its number on the map (a white disc) and in the key (vector map).
    # Its size is set by the map's script: the square its placement measured.
    ".reindus-number { display: flex; align-items: center; justify-content: center; box-sizing: border-box;"
    " border-radius: 50%; background: #fff; border: 1.5px solid #1f4e79; color: #1f4e79; pointer-events: none; }"
    ".reindus-key { background: rgba(255, 255, 255, 0.92); padding: 4px 8px; border-radius: 4px; max-height: 88vh;"
    " max-width: 380px; overflow-y: auto; box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); }"
    ".reindus-key div div { display: flex; gap: 0.4em; }"
    ".reindus-key-toggle { font: inherit; background: none; border: none; padding: 2px 0; cursor: pointer;"
    " color: #1f4e79; text-decoration: underline; }"
    ".reindus-key b { flex: 0 0 1.6em; text-align: right; color: #1f4e79; }"
)


def offline_map(*, location: tuple[float, float], zoom_start: int, **options: object) -> folium.Map:
    """A folium map without basemap tiles whose JS/CSS come from the app.

    Parameters
    ----------
    location : (lat, lon)
        Initial centre, WGS84.
    zoom_start : int
        Initial zoom level.
    **options
        Passed to :class:`folium.Map` (``prefer_canvas``, ``min_zoom``…).
    """
    fmap = _ZoomableMap(
        location=location,
        zoom_start=zoom_start,
        tiles=None,
        zoom_control=False,
        scroll_wheel_zoom=False,
        wheel_px_per_zoom_level=WHEEL_PX_PER_ZOOM_LEVEL,
        **options,
    )
    fmap.default_js = list(LOCAL_JS)
    fmap.default_css = list(LOCAL_CSS)
    fmap.get_root().header.add_child(folium.Element(f"<style>{_MAP_CSS}</style>"))
    _FrenchControls().add_to(fmap)
    return fmap


WHEEL_PX_PER_ZOOM_LEVEL = 120
"""A wheel notch (100 px in Chromium and Firefox) zooms by one level, not two or three as with Leaflet's 60."""


class _FrenchControls(MacroElement):
    """The zoom buttons in French, a metric scale bar only, and the wheel left to the page until the map is used.

    A map the width of the page caught every wheel notch that scrolled past it and zoomed out to the world;
    the wheel now scrolls the page until the user clicks or focuses (keyboard) the map, and again once the
    pointer leaves it.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
L.control.zoom({zoomInTitle: "Zoomer", zoomOutTitle: "Dézoomer"}).addTo({{ this._parent.get_name() }});
L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
{{ this._parent.get_name() }}.on("click focus", function () { this.scrollWheelZoom.enable(); });
{{ this._parent.get_name() }}.on("mouseout", function () { this.scrollWheelZoom.disable(); });
{% endmacro %}"""
    )


class _ZoomableMap(folium.Map):
    """A folium map whose page can be zoomed: folium's template writes ``user-scalable=no, maximum-scale=1.0``,
    which stops users enlarging text (WCAG 1.4.4), on phones in particular (the standalone HTML export)."""

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        header = self.get_root().header._children.get(self.get_name())  # folium's <meta> and map <style>
        if header is not None:
            text = _FIXED_SCALE.sub('content="width=device-width, initial-scale=1.0"', header._template.render())
            header._template = Template(text)


def fit_bounds(fmap: folium.Map, bounds: list[list[float]]) -> None:
    """Open ``fmap`` on ``bounds`` ([[south, west], [north, east]], WGS84), also when it is drawn hidden.

    A map drawn in a tab not yet open has no size: Leaflet fits the bounds into 0 × 0 pixels and opens on
    the whole world once the tab is shown. The map fits again the first time it gets a size.
    """
    fmap.fit_bounds(bounds)
    _FitWhenShown(bounds).add_to(fmap)


class _FitWhenShown(MacroElement):
    _template = Template(
        """{% macro script(this, kwargs) %}
(function (map, bounds) {
  const size = map.getSize();
  if (size.x > 0 && size.y > 0) return;
  const watcher = new ResizeObserver(function () {
    const container = map.getContainer();
    if (container.clientWidth === 0 || container.clientHeight === 0) return;
    watcher.disconnect();
    map.invalidateSize();
    map.fitBounds(bounds);
  });
  watcher.observe(map.getContainer());
})({{ this._parent.get_name() }}, {{ this.bounds }});
{% endmacro %}"""
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitWhenShown"
        self.bounds = json.dumps(bounds)


_FIXED_SCALE = re.compile(r'content="[^"]*user-scalable=no[^"]*"')


BASEMAPS: dict[str, tuple[str, str, str]] = {
    "osm": (
        "OpenStreetMap",
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
        "© les contributeurs d'OpenStreetMap (ODbL)",
    ),
    "ign": (
        "Plan IGN",
        "https://data.geopf.fr/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=GEOGRAPHICALGRIDSYSTEMS.PLANIGNV2"
        "&STYLE=normal&TILEMATRIXSET=PM&FORMAT=image/png&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}",
        "© IGN – Plan IGN v2 (Licence Ouverte)",
    ),
}
"""Optional online basemaps (the map is readable without them; none is the default, offline)."""


def add_basemap(fmap: folium.Map, key: str) -> None:
    """Add basemap ``key`` of :data:`BASEMAPS` under every layer (a request per tile to its server)."""
    name, url, attribution = BASEMAPS[key]
    folium.TileLayer(tiles=url, attr=attribution, name=name, max_zoom=19, overlay=False).add_to(fmap)
