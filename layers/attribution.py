"""Sources and vintages in the map's attribution corner (Licence Ouverte: producer + date)."""

from __future__ import annotations

import html

from branca.element import MacroElement
from jinja2 import Template


class SourcesAttribution(MacroElement):
    """Replace Leaflet's prefix by the data sources, escaped (Leaflet writes it as HTML).

    Parameters
    ----------
    text : str
        Plain text, e.g. ``"Sources : INSEE – COG 2026 ; IGN – ADMIN EXPRESS 2025"``.
    folded : bool
        Show one line, « Sources et dates », that opens on the full text: on the Carte the sources of every
        layer took seven lines over the map. Press maps and slides keep the text open.
    """

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false).addAttribution({{ this.text|tojson }});
        {% endmacro %}"""
    )

    def __init__(self, text: str, *, folded: bool = False) -> None:
        super().__init__()
        self._name = "SourcesAttribution"
        self.text = (
            f"<details class='reindus-sources'><summary>Sources et dates</summary>{html.escape(text)}</details>"
            if folded
            else html.escape(text)
        )
