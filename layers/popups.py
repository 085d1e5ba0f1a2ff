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
