"""Folium layers render escaped text and load no asset from outside the app."""

from __future__ import annotations

import re

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.crs import LAMBERT93, WGS84
from layers.admin import epci_features, epci_layer
from layers.assets import offline_map
from layers.formatting import area_km2_fr, inhabitants_fr, number_fr
from layers.overview import explorer_map, prepare_map_data
from layers.vector_tiles import MapSelection


def _epci(name: str = "CA <script>alert(1)</script> & Cie") -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"siren": ["200000001"], "nom": [name], "type": ["CA"], "population": [1234567], "area_km2": [1234.56]},
        geometry=[box(2.0, 50.0, 2.1, 50.1)],
        crs=WGS84,
    )


def _units(in_scope: bool) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": ["32"], "in_scope": [in_scope]}, geometry=[box(1.5, 49.5, 3, 51)], crs=WGS84)


def test_tooltip_text_is_escaped_and_formatted_in_french():
    fmap = offline_map(location=(50, 2), zoom_start=8)
    layer = epci_layer(epci_features(_epci()))
    layer.add_to(fmap)
    assert "<script>alert(1)</script>" not in fmap.get_root().render()
    properties = layer.data["features"][0]["properties"]
    assert properties["nom"] == "CA &lt;script&gt;alert(1)&lt;/script&gt; &amp; Cie"
    assert properties["population_fr"] == "1\u202f234\u202f567 hab."
    assert properties["area_fr"] == "1\u202f234,6 km²"
    assert properties["type_fr"] == "Communauté d&#x27;agglomération"
    # Only what the tooltip shows is sent to the browser.
    assert set(properties) == {"siren", "nom", "type_fr", "population_fr", "area_fr"}


def test_epci_features_refuse_lambert93():
    with pytest.raises(ValueError, match="EPSG:4326"):
        epci_features(_epci().to_crs(LAMBERT93))


def test_features_carry_their_id_so_folium_never_writes_into_shared_data():
    features = epci_features(_epci())
    before = repr(features)
    fmap = offline_map(location=(50, 2), zoom_start=8)
    epci_layer(features).add_to(fmap)
    fmap.get_root().render()
    assert features["features"][0]["id"] == "200000001"
    assert repr(features) == before


def test_overview_map_loads_assets_only_from_the_app():
    regions = gpd.GeoDataFrame(
        {"code": ["32", "28"], "in_scope": [True, False]},
        geometry=[box(1.5, 49.5, 3, 51), box(0, 49, 1.5, 50)],
        crs=WGS84,
    )
    territories = gpd.GeoDataFrame(
        {
            "territory_id": ["p2-ti-1"],
            "kind": ["ti_phase2"],
            "label": ["TI <b>"],
            "n_communes": [3],
            "population": [100],
            "area_km2": [12.0],
            "source": ["ANCT"],
            "vintage": ["2024"],
        },
        geometry=[box(2.0, 50.0, 2.1, 50.1)],
        crs=WGS84,
    )
    data = prepare_map_data(_epci(), regions, regions, territories)
    assert data.overlays["ti2"].count == 1 and data.overlays["ti1"].count == 0
    fmap = explorer_map(
        data,
        overlays=["ti2", "ti1"],
        attribution="Sources : INSEE <COG> 2026",
        selection=MapSelection(epci_siren="200000001"),
    )
    html = fmap.get_root().render()
    asset_urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert asset_urls, "the map declares its assets"
    assert all(url.startswith("/app/static/vendor/") for url in asset_urls), asset_urls
    assert "tile.openstreetmap" not in html and "tileLayer" not in html
    # HTML-escaped for Leaflet's innerHTML, then JSON-escaped (tojson) inside the script.
    assert "Sources : INSEE \\u0026lt;COG\\u0026gt; 2026" in html
    # The map frame loads these lists: they must be local too.
    assert all(src.startswith("/app/static/") for _, src in fmap.default_js + fmap.default_css)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1234567, "1\u202f234\u202f567"), (0, "0"), (None, "non renseigné"), (float("nan"), "non renseigné")],
)
def test_number_fr(value, expected):
    assert number_fr(value) == expected


def test_units():
    assert area_km2_fr(12.345) == "12,3 km²"
    assert inhabitants_fr(None) == "non renseigné"
