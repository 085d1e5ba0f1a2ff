"""Web versions of polygon layers: simplified without gaps, rounded to about a metre."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from geo.crs import LAMBERT93, WGS84, check_crs
from geo.geometry import overlap_ratio, repaired

WEB_TOLERANCE_M = 40.0
"""Simplification tolerance of the web layers, in metres (invisible at regional zoom)."""

COVERAGE_OVERLAP_RATIO = 1e-6
"""Below this overlap ratio a layer is treated as a coverage."""

WEB_GRID_DEG = 1e-5
"""Coordinate grid of the web layers: 0.00001° is about 1.1 m in latitude."""


def web_version(gdf_l93: gpd.GeoDataFrame, *, tolerance_m: float = WEB_TOLERANCE_M) -> gpd.GeoDataFrame:
    """Return a WGS84 copy of a polygon layer, simplified and rounded for the web.

    When the polygons do not overlap (administrative units, one phase of Territoires
    d'industrie) they are simplified together with ``shapely.coverage_simplify``, so
    neighbours keep a common border and no gap or overlap opens; overlapping territories
    are simplified one by one with topology preserved.

    Parameters
    ----------
    gdf_l93 : GeoDataFrame
        Polygons in Lambert-93.
    tolerance_m : float
        Simplification tolerance in metres.
    """
    check_crs(gdf_l93, LAMBERT93, name="gdf_l93")
    if tolerance_m < 0:
        raise ValueError(f"tolerance_m must be >= 0, got {tolerance_m}")
    geometries = gdf_l93.geometry.values
    if overlap_ratio(gdf_l93) < COVERAGE_OVERLAP_RATIO:
        simplified = shapely.coverage_simplify(geometries, tolerance_m)
    else:
        simplified = shapely.simplify(geometries, tolerance_m, preserve_topology=True)
    web = gdf_l93.set_geometry(gpd.GeoSeries(simplified, index=gdf_l93.index, crs=LAMBERT93)).to_crs(WGS84)
    # Reprojection can leave a self-touching ring where simplification pinched a thin part;
    # repair first, then snap to the grid: set_precision keeps polygons valid, plain rounding does not.
    web = repaired(web)
    web["geometry"] = shapely.set_precision(np.asarray(web.geometry.values), WEB_GRID_DEG)
    return web
