"""The map's geometry as vector tiles: one folium element drawing the PMTiles archive with protomaps-leaflet.

The page's HTML carries no geometry: the browser reads the tiles it needs from the archive the
app serves (HTTP Range requests) and draws them on canvases, with names placed by
protomaps-leaflet's collision index (no two names overlap; a name that does not fit is not
drawn, its unit stays named by the hover tooltip). What appears at which zoom comes from
:mod:`geo.scales`; the styles here are those of the GeoJSON map they replace.

The element sends rules as data (``config``) to ``static/js/reindus-vector-map.js``, which
turns them into protomaps-leaflet rules: no code is generated from data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from folium.elements import JSCSSMixin
from jinja2 import Template

from geo.scales import COMMUNE_LABEL_MIN_ZOOM, COMMUNE_OUTLINE_MIN_ZOOM, EPCI_LABEL_MIN_ZOOM, TILE_MAX_ZOOM
from layers.assets import VENDOR_URL
from layers.features import FastMacroElement
from layers.territories import OVERLAYS

PROTOMAPS_JS = ("protomaps_leaflet", f"{VENDOR_URL}/protomaps-leaflet/protomaps-leaflet.js")
RUNTIME_JS = ("reindus_vector_map", "/app/static/js/reindus-vector-map.js")

SELECTION_COLOR = "#c2185b"
"""Outline of the searched or clicked commune: a magenta no other layer uses."""
MEMBER_FILL = "#1f4e79"
"""Fill of the member communes of the selected EPCI (at :data:`MEMBER_FILL_OPACITY`)."""
MEMBER_FILL_OPACITY = 0.16

CONTEXT_FILL, EPCI_FILL, EPCI_LINE = "#c9ced3", "#f7f7f2", "#5b6770"
COMMUNE_LINE, DEPARTEMENT_LINE, REGION_LINE = "#a7b0b7", "#8a96a0", "#2b3a45"
NAME_COLOR = "#1d2a33"

FONT_FAMILY = "Inter, sans-serif"

TOWN_POPULATION = 20_000
"""Communes from this population (COG 2026) are named before the territories, in semibold."""


@dataclass(frozen=True)
class TileSource:
    """Where the browser reads the archive: its URL (with the build's revision, so a rebuild is not cached)."""

    url: str
    max_zoom: int = TILE_MAX_ZOOM


@dataclass(frozen=True)
class MapSelection:
    """What the map singles out: an EPCI (outlined, its communes tinted) and a commune (outlined, named first)."""

    epci_siren: str | None = None
    commune_code: str | None = None


NO_SELECTION = MapSelection()


def vector_config(
    source: TileSource,
    *,
    overlays: Sequence[str],
    selection: MapSelection = NO_SELECTION,
    label_size_px: int = 12,
    fit: Sequence[Sequence[float]] | None = None,
    key_points: Sequence[dict[str, object]] = (),
    key_room_px: int = 0,
    title_room_px: int = 0,
) -> dict[str, Any]:
    """The rules of the vector layer, as data for ``reindus-vector-map.js``.

    Parameters
    ----------
    source : TileSource
    overlays : sequence of str
        Keys of :data:`layers.territories.OVERLAYS` to draw (drawn widest first, named largest first).
    selection : MapSelection
    label_size_px : int
        Size of the territory names (the Présentation page asks for larger ones); others follow.
    fit : [[south, west], [north, east]], optional
        Bounds the map fits once its frame has a size (before it reports its view to the page).
    key_points : sequence of dict
        The drawn territories (``label``, ``lat``, ``lon``), in the order of their numbers: a territory whose
        name does not fit is drawn as its number, with the number and the name in the map's key, so that every
        territory drawn is named (:attr:`layers.overview.Overlay.key_points`).
    key_room_px : int
        Width kept free on the map's right for that key when the map fits ``fit`` (the Présentation's slides);
        the key is open where it has that room, folded to one line (« 21 territoires numérotés ») elsewhere.
    title_room_px : int
        Height kept free at the top for a title drawn over the map.
    """
    unknown = [key for key in overlays if key not in OVERLAYS]
    if unknown:
        raise ValueError(f"unknown overlays {unknown}; expected keys of {sorted(OVERLAYS)}")
    drawn = [key for key in OVERLAYS if key in overlays][::-1]  # TI 2024-2027 last, on top
    scale = label_size_px / 12
    return {
        "url": source.url,
        "maxDataZoom": source.max_zoom,
        "paint": _fills(drawn, selection) + _lines(drawn, selection),
        "labels": _labels(drawn, selection, scale),
        "hover": _hover(drawn),
        "fonts": [f"600 {round(12 * scale)}px Inter", f"400 {round(11 * scale)}px Inter"],
        "fit": [[float(v) for v in corner] for corner in fit] if fit is not None else None,
        # A searched commune is framed with its neighbours: no closer than the last zoom written natively.
        "fitMaxZoom": source.max_zoom,
        "keyed": [{"number": number, **point} for number, point in enumerate(key_points, start=1)],
        "keyFont": f"600 {round(12 * scale)}px {FONT_FAMILY}",
        "keySize": round(22 * scale),  # the side of a number's disc, in pixels
        "keyRoom": key_room_px,
        "titleRoom": title_room_px,
    }


class VectorTiles(JSCSSMixin, FastMacroElement):
    """The vector-tile layer of a folium map (one per map), with its JavaScript served by the app."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        window.reindusVectorMap({{ this._parent.get_name() }}, {{ this.config|tojson }});
        {% endmacro %}"""
    )
    default_js = [PROTOMAPS_JS, RUNTIME_JS]

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__()
        self._name = "VectorTiles"
        self.config = config


# --- rules ---------------------------------------------------------------------------------


def _where(prop: str, *values: str | None) -> dict[str, Any]:
    return {"prop": prop, "values": [v for v in values if v is not None]}


def _fills(drawn: list[str], selection: MapSelection) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [
        {"type": "fill", "layer": "regions", "color": CONTEXT_FILL, "opacity": 1, "where": _where("in_scope", "0")},
        {"type": "fill", "layer": "epci", "color": EPCI_FILL, "opacity": 0.9},
    ]
    if selection.epci_siren:
        rules.append(
            {
                "type": "fill",
                "layer": "epci",
                "color": MEMBER_FILL,
                "opacity": MEMBER_FILL_OPACITY,
                "where": _where("siren", selection.epci_siren),
                "maxzoom": COMMUNE_OUTLINE_MIN_ZOOM - 1,
            }
        )
        rules.append(
            {
                "type": "fill",
                "layer": "communes",
                "color": MEMBER_FILL,
                "opacity": MEMBER_FILL_OPACITY,
                "where": _where("epci_siren", selection.epci_siren),
                "minzoom": COMMUNE_OUTLINE_MIN_ZOOM,
            }
        )
    for key in drawn:
        style = OVERLAYS[key]
        if style.fill_opacity:
            # Half as tinted where communes are drawn: their outlines and names must stay readable inside.
            for zooms, opacity in (
                ({"maxzoom": COMMUNE_OUTLINE_MIN_ZOOM - 1}, style.fill_opacity),
                ({"minzoom": COMMUNE_OUTLINE_MIN_ZOOM}, style.fill_opacity / 2),
            ):
                rules.append(
                    {
                        "type": "fill",
                        "layer": "territoires",
                        "color": style.color,
                        "opacity": opacity,
                        "where": _where("overlay", key),
                    }
                    | zooms
                )
    return rules


def _lines(drawn: list[str], selection: MapSelection) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = [
        {"type": "line", "layer": "regions", "color": "#ffffff", "width": 1, "where": _where("in_scope", "0")},
        {"type": "line", "layer": "communes", "color": COMMUNE_LINE, "width": 0.6, "minzoom": COMMUNE_OUTLINE_MIN_ZOOM},
        {"type": "line", "layer": "epci", "color": EPCI_LINE, "width": 0.8, "maxzoom": COMMUNE_OUTLINE_MIN_ZOOM - 1},
        {"type": "line", "layer": "epci", "color": EPCI_LINE, "width": 1.6, "minzoom": COMMUNE_OUTLINE_MIN_ZOOM},
        {
            "type": "line",
            "layer": "departements",
            "color": DEPARTEMENT_LINE,
            "width": 1.2,
            "where": _where("in_scope", "1"),
        },
        {"type": "line", "layer": "regions", "color": REGION_LINE, "width": 2.2, "where": _where("in_scope", "1")},
    ]
    for key in drawn:
        style = OVERLAYS[key]
        dash = [float(part) for part in style.dash.split()] if style.dash else None
        rules.append(
            {"type": "line", "layer": "territoires", "color": style.color, "width": 2.2, "dash": dash}
            | {"where": _where("overlay", key)}
        )
    if selection.epci_siren:
        rules.append(
            {
                "type": "line",
                "layer": "epci",
                "color": "#000000",
                "width": 4,
                "where": _where("siren", selection.epci_siren),
            }
        )
    if selection.commune_code:
        rules.append(
            {
                "type": "line",
                "layer": "communes",
                "color": SELECTION_COLOR,
                "width": 3,
                "where": _where("code", selection.commune_code),
            }
        )
    return rules


def _labels(drawn: list[str], selection: MapSelection, scale: float) -> list[dict[str, Any]]:
    """Names in priority order: the selected commune, towns, territories (largest first), EPCI, then communes."""
    size = round(12 * scale)
    small = round(11 * scale)
    common = {"halo": 3 * scale, "padding": 2 * scale, "maxLineChars": 22}
    rules: list[dict[str, Any]] = []
    if selection.commune_code:
        rules.append(
            {
                "layer": "communes_labels",
                "text": "nom",
                "font": f"700 {round(13 * scale)}px {FONT_FAMILY}",
                "color": SELECTION_COLOR,
                "where": _where("code", selection.commune_code),
                "minzoom": COMMUNE_OUTLINE_MIN_ZOOM,
            }
            | common
        )
    town = {"atLeast": {"prop": "priority", "value": TOWN_POPULATION}}
    commune_names = {
        "layer": "communes_labels",
        "text": "nom",
        "color": NAME_COLOR,
        "minzoom": COMMUNE_LABEL_MIN_ZOOM,
        "unless": _where("code", selection.commune_code),
    } | common
    # Towns are named before the territories around them: a reader looks for Lens before « Lens – Hénin ».
    rules.append(commune_names | {"font": f"600 {small}px {FONT_FAMILY}"} | town)
    for key in drawn[::-1]:  # TI 2024-2027 first: the overlay drawn on top is named first
        rules.append(
            {
                "layer": "territoires_labels",
                "text": "label",
                "font": f"600 {size}px {FONT_FAMILY}",
                "color": OVERLAYS[key].text_color,
                "where": _where("overlay", key),
            }
            | common
        )
    rules.append(
        {
            "layer": "epci_labels",
            "text": "nom",
            "font": f"600 {small}px {FONT_FAMILY}",
            "color": EPCI_LINE,
            "minzoom": EPCI_LABEL_MIN_ZOOM,
            "maxzoom": COMMUNE_LABEL_MIN_ZOOM - 1,
        }
        | common
    )
    rules.append(commune_names | {"font": f"400 {small}px {FONT_FAMILY}", "below": town["atLeast"]})
    return rules


def _hover(drawn: list[str]) -> list[dict[str, Any]]:
    """What the tooltip names under the pointer, top to bottom."""
    entries = [
        {"layer": "territoires", "title": OVERLAYS[key].name, "text": "label", "where": _where("overlay", key)}
        for key in drawn[::-1]
    ]
    entries.append({"layer": "communes", "title": "Commune", "text": "nom", "minzoom": COMMUNE_OUTLINE_MIN_ZOOM})
    entries.append({"layer": "epci", "title": "EPCI", "text": "nom"})
    return [{"minzoom": 0, "where": None} | entry for entry in entries]
