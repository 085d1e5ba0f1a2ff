"""Map assets served by the app itself: no request leaves the server.

Folium points Leaflet, jQuery, Bootstrap… at public CDNs by default. The maps of reindus
only need Leaflet, installed from the npm registry at setup and served by Streamlit's
static file serving under ``/app/static/vendor/``.
"""

from __future__ import annotations

import re

import folium
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
    ".reindus-label { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;"
    " font: 600 12px/1.1 Inter, sans-serif; text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff;"
    " pointer-events: none; }"
    ".leaflet-control-attribution { font-size: 10px; max-width: 70%; }"
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
    fmap = _ZoomableMap(location=location, zoom_start=zoom_start, tiles=None, control_scale=True, **options)
    fmap.default_js = list(LOCAL_JS)
    fmap.default_css = list(LOCAL_CSS)
    fmap.get_root().header.add_child(folium.Element(f"<style>{_MAP_CSS}</style>"))
    return fmap


class _ZoomableMap(folium.Map):
    """A folium map whose page can be zoomed: folium's template writes ``user-scalable=no, maximum-scale=1.0``,
    which stops users enlarging text (WCAG 1.4.4), on phones in particular (the standalone HTML export)."""

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        header = self.get_root().header._children.get(self.get_name())  # folium's <meta> and map <style>
        if header is not None:
            text = _FIXED_SCALE.sub('content="width=device-width, initial-scale=1.0"', header._template.render())
            header._template = Template(text)


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
