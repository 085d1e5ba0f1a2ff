"""Web simplification keeps neighbours together and rounds coordinates."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Polygon

from geo.assembly.simplification import web_version
from geo.crs import LAMBERT93, WGS84


def _wiggly_neighbours() -> gpd.GeoDataFrame:
    """Two polygons sharing a zig-zag border with 5 m teeth (Lambert-93, near Lille)."""
    x0, y0 = 700_000.0, 7_050_000.0
    border = [(x0 + 1000 + (5 if i % 2 else 0), y0 + i * 20) for i in range(51)]
    left = Polygon([(x0, y0), *border, (x0, y0 + 1000)])
    right = Polygon([*border, (x0 + 2000, y0 + 1000), (x0 + 2000, y0)])
    return gpd.GeoDataFrame({"name": ["left", "right"]}, geometry=[left, right], crs=LAMBERT93)


def test_simplified_neighbours_keep_no_gap_nor_overlap():
    polygons = _wiggly_neighbours()
    web = web_version(polygons, tolerance_m=20).to_crs(LAMBERT93)
    left, right = web.geometry
    assert left.intersection(right).area < 1.0  # m²: rounding only
    assert abs(web.union_all().area - polygons.union_all().area) / polygons.union_all().area < 1e-3
    assert len(web.get_coordinates()) < len(polygons.get_coordinates())


def test_web_version_is_wgs84_on_a_1e5_grid():
    web = web_version(_wiggly_neighbours())
    assert web.crs.to_string() == WGS84
    scaled = web.get_coordinates().to_numpy() * 1e5
    assert np.allclose(scaled, np.round(scaled), atol=1e-6)
    assert web.is_valid.all()


def test_web_version_refuses_degrees_and_negative_tolerance():
    with pytest.raises(ValueError, match="EPSG:2154"):
        web_version(_wiggly_neighbours().to_crs(WGS84))
    with pytest.raises(ValueError, match="tolerance"):
        web_version(_wiggly_neighbours(), tolerance_m=-1)
