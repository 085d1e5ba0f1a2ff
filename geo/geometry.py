"""Small geometry helpers shared by the build steps."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely


def repaired(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` with every geometry made valid, keeping polygons only.

    Dissolving outlines of two vintages (the 2018 fallback beside the 2025 coverage) can
    leave self-touching rings where they meet; ``structure`` repair keeps the area.
    """
    geometries = np.asarray(gdf.geometry.values)
    invalid = ~shapely.is_valid(geometries)
    if invalid.any():
        geometries = geometries.copy()
        geometries[invalid] = shapely.make_valid(geometries[invalid], method="structure", keep_collapsed=False)
    return gdf.set_geometry(gpd.GeoSeries(geometries, index=gdf.index, crs=gdf.crs))


def overlap_ratio(gdf: gpd.GeoDataFrame) -> float:
    """How much the polygons overlap: (sum of areas − area of union) / area of union.

    0 for a coverage (administrative units); clearly positive for overlapping territories.
    Use a projected CRS.
    """
    union_area = gdf.union_all().area
    return float((gdf.area.sum() - union_area) / union_area) if union_area else 0.0
