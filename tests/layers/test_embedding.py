"""A folium map taken apart for the map frame: no script left in what the frame writes into its document, every
inline script kept in order, and the same map drawn twice gives the same file name."""

from __future__ import annotations

import re

import folium

from layers.assets import fit_bounds, offline_map
from layers.embedding import map_document

POINTS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"nom": "Denain"},
            "geometry": {"type": "Point", "coordinates": [3.39, 50.33]},
        }
    ],
}


def _map() -> folium.Map:
    fmap = offline_map(location=(50.0, 3.0), zoom_start=7)
    folium.GeoJson(POINTS, tooltip=folium.GeoJsonTooltip(["nom"])).add_to(fmap)
    fmap.get_root().html.add_child(
        folium.Element("<div id='legende'>Légende</div><script>window.legende = 1;</script>")
    )
    fit_bounds(fmap, [[49.0, 2.0], [51.0, 4.0]])
    return fmap


def test_no_script_is_left_in_the_markup_and_every_inline_script_is_kept_in_document_order():
    document = map_document(_map())
    assert "<script" not in document.html.lower() and "<script" not in document.styles.lower()
    assert "<div id='legende'>Légende</div>" in document.html
    script = document.script
    # folium's header script, then the body's, then the map and its layers.
    assert script.index("L_NO_TOUCH") < script.index("window.legende = 1") < script.index("L.map(")
    assert '"Denain"' in script and "Dézoomer" in script
    assert document.js == ("/app/static/vendor/leaflet/leaflet.js",)
    assert "/app/static/vendor/leaflet/leaflet.css" in document.css
    assert f"var {document.map_name} = L.map(" in script


def test_element_names_are_numbered_so_a_map_drawn_again_has_the_same_name():
    first, second = map_document(_map()), map_document(_map())
    assert first.map_name == "map_0000"
    assert first.digest == second.digest and first.script == second.script
    assert not re.search(r"_[0-9a-f]{32}(?![0-9a-f])", first.script + first.html + first.styles)
    # The map's element id in the markup and its style are numbered like the script that uses them.
    assert f'id="{first.map_name}"' in first.html and f"#{first.map_name}" in first.styles


def test_a_different_map_has_a_different_name():
    moved = _map()
    moved.location = [49.0, 3.0]
    assert map_document(moved).digest != map_document(_map()).digest
