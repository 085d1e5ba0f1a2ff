"""Foncier circles: one marker per site from one JSON array, escaped cards, sizes by surface."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
from shapely.geometry import Point

from layers.foncier import foncier_layer


def _sites() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "nom": ["<img src=x onerror=alert(1)> ${alert(2)}", "Friche B"],
            "statut": ["friche sans projet", "site pris"],
            "surface_ha": [40.0, None],
            "verifie": [True, False],
        },
        geometry=[Point(3.39, 50.33), Point(3.52, 50.36)],
        crs="EPSG:4326",
    )


def test_markers_are_data_with_escaped_html():
    fmap = folium.Map()
    foncier_layer(_sites()).add_to(fmap)
    page = fmap.get_root().render()
    rows = json.loads(re.search(r"(\[\[.*?\]\])\.forEach", page, re.S).group(1))
    assert len(rows) == 2
    big, unknown = rows
    assert big[:4] == [50.33, 3.39, 20.0, "#009E73"]  # the largest site gets the largest radius
    assert unknown[2] == 4 and unknown[5] == "3 3" and unknown[6] == 0.0  # unknown surface: small hollow, dashed
    assert unknown[3] == "#000000"  # "site pris"
    assert "&lt;img src=x onerror=alert(1)&gt;" in big[7] and "<img" not in big[7]
    assert "<img" not in page.split("forEach")[0].split("[[", 1)[1]  # nothing unescaped in the script data
