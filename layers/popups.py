"""Popups and tooltips bound from JSON strings: no jQuery, no JavaScript template literals.

folium's ``Popup`` needs jQuery (not served offline) and its ``Tooltip`` writes the text
inside a JavaScript template literal, where a name containing ``${…}`` would run as
code even after HTML escaping. Here ``tojson`` writes the HTML as a plain JavaScript
string with ``<``, ``>``, ``&`` and ``'`` escaped, so it cannot close the page's
``<script>`` or evaluate anything.
"""

from __future__ import annotations

from typing import NamedTuple

from jinja2 import Template

from layers.features import FastMacroElement


class CircleMarker(NamedTuple):
    """One circle of a :class:`CircleMarkerSet`: position (WGS84), style, and its popup and tooltip HTML, already
    escaped by the caller; the fill takes the stroke colour unless ``fill_colour`` is given."""

    lat: float
    lon: float
    radius_px: float
    colour: str
    weight_px: float
    dash: str | None
    fill_opacity: float
    popup_html: str
    tooltip_html: str
    fill_colour: str | None = None


POPUP_MAX_HEIGHT_PX = 320
"""A project's card can be taller than the map (figures, status, sources): it scrolls inside its popup, which Leaflet
would otherwise fit by panning the map a whole region away (9° of latitude at zoom 6 on the Carte)."""


class CircleMarkerSet(FastMacroElement):
    """Many circle markers drawn by one JavaScript loop over a JSON array, each with its popup and tooltip.

    One folium ``CircleMarker`` per site writes a block of JavaScript per site (3.4 MB and
    3.5 s of rendering for 2,000 sites); this writes the data once (about a third of the
    size), the HTML through ``tojson`` as plain JavaScript strings. Add it to a FeatureGroup.

    ``rows`` are :class:`CircleMarker`: written as arrays (no key repeated per site), read in the script by
    the field names' positions, which the script receives from :class:`CircleMarker` itself.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        (function (f) {
            {{ this.rows|tojson }}.forEach(function (r) {
                L.circleMarker([r[f.lat], r[f.lon]], {radius: r[f.radius_px], color: r[f.colour],
                    weight: r[f.weight_px], dashArray: r[f.dash], fill: true,
                    fillColor: r[f.fill_colour] || r[f.colour], fillOpacity: r[f.fill_opacity]})
                 .bindPopup(r[f.popup_html], {maxWidth: 360, maxHeight: {{ this.popup_max_height_px }},
                     autoPanPaddingTopLeft: [50, 45]})
                 .bindTooltip(r[f.tooltip_html], {sticky: true})
                 .addTo({{ this._parent.get_name() }});
            });
        })({{ this.fields|tojson }});
        {% endmacro %}"""
    )

    popup_max_height_px = POPUP_MAX_HEIGHT_PX

    def __init__(self, rows: list[CircleMarker]) -> None:
        super().__init__()
        self._name = "CircleMarkerSet"
        self.rows = [CircleMarker(*row) for row in rows]
        self.fields = {name: index for index, name in enumerate(CircleMarker._fields)}
