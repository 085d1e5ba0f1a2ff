"""Interactive maps of the press views: in the Presentation page, and as one standalone HTML file.

The standalone file works opened from a disk, offline: Leaflet's JavaScript, its CSS and
the CSS images are inlined (the caller reads them from the app's vendored assets and
passes them in; this module reads no file).
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping

import folium

from geo.vocabulary import MEASURE_TERMS
from layers.assets import LOCAL_CSS, LOCAL_JS
from layers.choropleth import choropleth_layer, class_breaks
from layers.choropleth import legend as choropleth_legend
from layers.employment import change_legend, zone_employment_layer
from layers.foncier import STATUS_COLOURS as FONCIER_COLOURS
from layers.foncier import foncier_layer
from layers.formatting import measure_fr
from layers.overview import MapData, explorer_map, key_points
from layers.phases import phase_layer, phase_legend
from layers.press import MEASURE_LABELS, PressData, PressView
from layers.projects import legend_entries, project_layer
from layers.territories import OVERLAYS
from layers.vector_tiles import TileSource

KEY_ROOM_PX = 400
TITLE_ROOM_PX = 80
"""On a slide, the regions are drawn left of the key of numbered territories and under the title (both over the map)."""


RANKED_EPCI = 10
"""A slide coloured by EPCI names its largest ones by number, with their figure in the key."""


def _largest_epci(press: PressData, view: PressView) -> tuple[dict[str, object], ...]:
    values = press.epci_values.dropna()
    top = values[values > 0].sort_values(ascending=False).head(RANKED_EPCI)
    epci = press.epci.set_index("siren").loc[top.index]
    labels = [f"{name} : {measure_fr(value, view.epci_measure)}" for name, value in zip(epci["nom"], top, strict=True)]
    return key_points(epci.assign(key_label=labels), "key_label")


def view_legend(view: PressView, press: PressData) -> list[tuple[str, str]]:
    """``(colour, text)`` for everything the view draws: its territories, its colours and its circles."""
    entries = [(OVERLAYS[key].color, OVERLAYS[key].name) for key in view.overlays]
    if view.epci_measure:
        # The unit beside each class (« jusqu'à 100 emplois »): the title says what is counted, the key what in.
        entries += choropleth_legend(class_breaks(press.epci_values), MEASURE_TERMS[view.epci_measure].unit)
    if view.phases and press.phases is not None:
        entries += phase_legend(press.phases)
    if view.employment:
        entries += change_legend()
    if view.projects_measure and len(press.projects):
        entries += [(colour, label) for label, colour, _ in legend_entries(press.projects, "sector_family")]
    if view.foncier and len(press.foncier):
        statuses = press.foncier["statut"].astype(str).unique() if "statut" in press.foncier else []
        entries += [(colour, status) for status, colour in FONCIER_COLOURS.items() if status in statuses]
    return entries


def view_map(
    view: PressView,
    data: MapData,
    press: PressData,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    label_size_px: int | None = None,
    tiles: TileSource | None = None,
) -> folium.Map:
    """The folium map of a press view, with its title drawn on the map (escaped) and its sources.

    ``label_size_px`` enlarges the territory labels (presentation mode on a projector). With ``tiles``
    the map is the Carte's vector map; without, the GeoJSON is embedded (a file that works offline).
    """
    attribution = "Sources : " + " ; ".join(press.sources) + f" · données du {press.build_date}"
    fmap = explorer_map(
        data,
        overlays=list(view.overlays),
        attribution=attribution,
        tiles=tiles,
        label_size_px=label_size_px,
        key_room_px=KEY_ROOM_PX if label_size_px else 0,
        title_room_px=TITLE_ROOM_PX if label_size_px else 0,
        ranked_points=_largest_epci(press, view) if label_size_px and view.epci_measure else (),
    )
    if view.epci_measure:
        layer, _ = choropleth_layer(
            press.epci,
            id_column="siren",
            values=press.epci_values,
            label=MEASURE_LABELS[view.epci_measure],
            unit_suffix=MEASURE_TERMS[view.epci_measure].unit,
            name=view.title,
        )
        layer.add_to(fmap)
    if view.phases and press.phases is not None:
        phase_layer(press.epci, press.phases).add_to(fmap)
    if view.projects_measure and len(press.projects):
        project_layer(press.projects, measure=view.projects_measure, colour_by="sector_family").add_to(fmap)
    if view.foncier and len(press.foncier):
        foncier_layer(press.foncier).add_to(fmap)
    if view.employment and press.zones is not None and press.zone_jobs is not None:
        zone_employment_layer(press.zones, press.zone_jobs, measure="evolution")[0].add_to(fmap)
    size = f"font-size:{int(label_size_px)}px;" if label_size_px else ""
    fmap.get_root().header.add_child(
        folium.Element(
            "<style>.reindus-title{position:absolute;top:10px;left:60px;z-index:1000;background:rgba(255,255,255,.9);"
            "padding:6px 12px;border-radius:4px;font-family:sans-serif;max-width:60%}"
            ".reindus-title h1{font-size:22px;margin:0}.reindus-title p{margin:2px 0 0;color:#444}"
            + (f".reindus-label{{{size}}}" if size else "")
            # A slide's map is as high as its frame, which the Présentation sizes to the screen.
            + (".folium-map,#map_div{height:100vh !important}" if label_size_px else "")
            + "</style>"
        )
    )
    fmap.get_root().html.add_child(
        folium.Element(
            f"<div class='reindus-title'><h1>{html.escape(title or view.title)}</h1>"
            f"<p>{html.escape(subtitle or view.subtitle)}</p></div>"
        )
    )
    return fmap


def standalone_html(
    fmap: folium.Map, *, leaflet_js: str, leaflet_css: str, css_images: Mapping[str, bytes] | None = None
) -> str:
    """One HTML file with Leaflet inlined: nothing is fetched when it is opened, online or not."""
    css = leaflet_css
    for name, content in (css_images or {}).items():
        data_uri = "data:image/png;base64," + base64.b64encode(content).decode("ascii")
        css = css.replace(f"url(images/{name})", f"url({data_uri})")
    page = fmap.get_root().render()
    for _, url in LOCAL_JS:
        page = page.replace(f'<script src="{url}"></script>', f"<script>{_script_safe(leaflet_js)}</script>")
    for _, url in LOCAL_CSS:
        page = re.sub(
            rf'<link rel="stylesheet" href="{re.escape(url)}"\s*/?>', lambda _m: f"<style>{css}</style>", page
        )
    return page


def _script_safe(code: str) -> str:
    """A ``</script>`` inside inlined code would end the element early."""
    return code.replace("</script", "<\\/script")
