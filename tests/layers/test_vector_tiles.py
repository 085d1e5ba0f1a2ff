"""The vector layer's rules: data only, from geo.scales, with the selection and the overlays asked for."""

from __future__ import annotations

import json

import pytest

from geo.scales import COMMUNE_LABEL_MIN_ZOOM, COMMUNE_OUTLINE_MIN_ZOOM
from layers.assets import offline_map
from layers.vector_tiles import SELECTION_COLOR, MapSelection, TileSource, VectorTiles, vector_config

SOURCE = TileSource(url="/app/static/tiles/reindus-test.pmtiles")


def test_rules_follow_the_zoom_rules_of_geo_scales():
    config = vector_config(SOURCE, overlays=["ti2"])
    communes = [rule for rule in config["paint"] if rule["layer"] == "communes"]
    assert communes and all(rule["minzoom"] == COMMUNE_OUTLINE_MIN_ZOOM for rule in communes)
    names = [rule for rule in config["labels"] if rule["layer"] == "communes_labels"]
    assert [rule["minzoom"] for rule in names] == [COMMUNE_LABEL_MIN_ZOOM] * 2  # towns first, then the others
    assert names[0]["atLeast"] == names[1]["below"]
    assert config["maxDataZoom"] == 12 and config["url"] == SOURCE.url


def test_only_the_overlays_asked_for_are_drawn_and_named():
    config = vector_config(SOURCE, overlays=["bassins", "ti1"])
    drawn = {rule["where"]["values"][0] for rule in config["paint"] if rule["layer"] == "territoires"}
    named = [rule["where"]["values"][0] for rule in config["labels"] if rule["layer"] == "territoires_labels"]
    assert drawn == {"bassins", "ti1"}
    assert named == ["ti1", "bassins"]  # the overlay drawn on top is named first
    with pytest.raises(ValueError, match="unknown overlays"):
        vector_config(SOURCE, overlays=["ti3"])


def test_a_selected_commune_is_outlined_and_named_first_and_its_epci_tinted():
    config = vector_config(SOURCE, overlays=[], selection=MapSelection(epci_siren="200067965", commune_code="59606"))
    outline = [rule for rule in config["paint"] if rule.get("color") == SELECTION_COLOR]
    assert outline == [
        {
            "type": "line",
            "layer": "communes",
            "color": SELECTION_COLOR,
            "width": 3,
            "where": {"prop": "code", "values": ["59606"]},
        }
    ]
    assert config["labels"][0]["where"] == {"prop": "code", "values": ["59606"]}
    assert config["labels"][-1]["unless"] == {"prop": "code", "values": ["59606"]}  # not named twice
    tinted = [rule for rule in config["paint"] if rule["layer"] == "communes" and rule["type"] == "fill"]
    assert tinted[0]["where"] == {"prop": "epci_siren", "values": ["200067965"]}


def test_the_page_carries_rules_and_local_scripts_not_geometry():
    fmap = offline_map(location=(49.4, 4.6), zoom_start=7)
    VectorTiles(vector_config(SOURCE, overlays=["ti2"], label_size_px=18)).add_to(fmap)
    html = fmap.get_root().render()
    assert "window.reindusVectorMap(" in html and "coordinates" not in html
    assert "/app/static/vendor/protomaps-leaflet/protomaps-leaflet.js" in html
    assert "/app/static/js/reindus-vector-map.js" in html
    assert json.dumps(SOURCE.url) in html
    assert "600 18px Inter" in html  # larger names for the Présentation page
