"""Popups and tooltips bound from JSON strings: no jQuery, no JavaScript template literals.

folium's ``Popup`` needs jQuery (not served offline) and its ``Tooltip`` writes the text
inside a JavaScript template literal, where a name containing ``${…}`` would run as
code even after HTML escaping. Here ``tojson`` writes the HTML as a plain JavaScript
string with ``<``, ``>``, ``&`` and ``'`` escaped, so it cannot close the page's
``<script>`` or evaluate anything.
"""

from __future__ import annotations

from branca.element import MacroElement
from jinja2 import Template

from layers.features import FastMacroElement


class _BoundHtml(MacroElement):
    _method = ""
    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.{{ this._method }}({{ this.html|tojson }}, {{ this.options|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, html: str, **options: object) -> None:
        super().__init__()
        self._name = type(self).__name__
        self.html, self.options = html, options


class HtmlPopup(_BoundHtml):
    """Bind ``html`` (already escaped by the caller) as the popup of the parent layer."""

    _method = "bindPopup"

    def __init__(self, html: str, *, max_width: int = 360) -> None:
        super().__init__(html, maxWidth=int(max_width))


class HtmlTooltip(_BoundHtml):
    """Bind ``html`` (already escaped by the caller) as the sticky tooltip of the parent layer."""

    _method = "bindTooltip"

    def __init__(self, html: str) -> None:
        super().__init__(html, sticky=True)


class CircleMarkerSet(FastMacroElement):
    """Many circle markers drawn by one JavaScript loop over a JSON array, each with its popup and tooltip.

    One folium ``CircleMarker`` per site writes a block of JavaScript per site (3.4 MB and
    3.5 s of rendering for 2,000 sites); this writes the data once (about a third of the
    size) with the same escaping guarantees as :class:`HtmlPopup`. Add it to a FeatureGroup.

    ``rows``: ``(lat, lon, radius, colour, weight, dash, fill_opacity, popup_html, tooltip_html[, fill_colour])``,
    the HTML already escaped by the caller; the fill takes the stroke colour unless given.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this.rows|tojson }}.forEach(function (r) {
            L.circleMarker([r[0], r[1]], {radius: r[2], color: r[3], weight: r[4], dashArray: r[5],
                fill: true, fillColor: r.length > 9 ? r[9] : r[3], fillOpacity: r[6]})
             .bindPopup(r[7], {maxWidth: 360}).bindTooltip(r[8], {sticky: true})
             .addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}"""
    )

    def __init__(self, rows: list[tuple]) -> None:
        super().__init__()
        self._name = "CircleMarkerSet"
        self.rows = rows
