"""A folium map taken apart for the app's map frame (:mod:`app_pages.map_component`): its script as one text the
server publishes as a file, the rest as data.

folium writes a map as an HTML document whose layers are inline ``<script>`` elements. Shown as such in the app,
every page's Content-Security-Policy had to allow inline scripts and ``eval`` (streamlit-folium evaluated the
script in its frame). Here the inline scripts are gathered, in document order, into :attr:`MapDocument.script`,
loaded by address; what is left (stylesheets, scripts by address, styles, the map's elements) has no script.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import folium

_SCRIPT_BY_ADDRESS = re.compile(r"<script\b[^>]*\bsrc=\"([^\"]+)\"[^>]*>\s*</script>", re.I)
_INLINE_SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.I | re.S)
_STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*\bhref=\"([^\"]+)\"[^>]*>", re.I)
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>", re.I | re.S)
_ELEMENT_ID = re.compile(r"\b([a-z][a-z0-9_]*?)_([0-9a-f]{32})(?![0-9a-f])")
"""folium names each element ``<kind>_<32 hex digits>``, random (or a process-wide counter) on every drawing."""


@dataclass(frozen=True)
class MapDocument:
    """What the map frame needs to draw one folium map (element names numbered in document order)."""

    map_name: str
    """The global variable holding the Leaflet map once :attr:`script` has run."""
    js: tuple[str, ...]
    """Scripts by address (Leaflet, plugins), loaded in this order before :attr:`script`."""
    css: tuple[str, ...]
    styles: str
    html: str
    """The map's elements, without any script."""
    script: str
    """Every inline script of the document, in document order."""

    @property
    def digest(self) -> str:
        """A name for this drawing: the same map drawn again has the same digest."""
        content = "\0".join((self.map_name, *self.js, *self.css, self.styles, self.html, self.script))
        return hashlib.sha256(content.encode()).hexdigest()[:24]


def map_document(fmap: folium.Map) -> MapDocument:
    """Render ``fmap`` once and take it apart (see the module's docstring)."""
    fmap.render()
    root = fmap.get_root()
    header, html, script = root.header.render(), root.html.render(), root.script.render()
    names: dict[str, str] = {}

    def numbered(match: re.Match[str]) -> str:
        return f"{match.group(1)}_{names.setdefault(match.group(2), f'{len(names):04d}')}"

    header, html, script = (_ELEMENT_ID.sub(numbered, text) for text in (header, html, script))
    js = tuple(dict.fromkeys(_SCRIPT_BY_ADDRESS.findall(header)))
    header = _SCRIPT_BY_ADDRESS.sub("", header)
    inline = [*_INLINE_SCRIPT.findall(header), *_INLINE_SCRIPT.findall(html), script]
    return MapDocument(
        map_name=_ELEMENT_ID.sub(numbered, fmap.get_name()),
        js=js,
        css=tuple(dict.fromkeys(_STYLESHEET.findall(header))),
        styles="\n".join(_STYLE.findall(header)),
        html=_INLINE_SCRIPT.sub("", html).strip(),
        script="\n;\n".join(part.strip() for part in inline if part.strip()),
    )
