"""Small geometry helpers shared by the build steps and the maps."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely


def repaired(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Return ``gdf`` with every geometry made valid, keeping polygons only.

    Dissolving outlines of two vintages (the 2018 fallback beside the 2025 coverage) can
    leave self-touching rings where they meet; ``structure`` repair keeps the area.
    """
    geometries = valid_polygons(np.asarray(gdf.geometry.values))
    return gdf.set_geometry(gpd.GeoSeries(geometries, index=gdf.index, crs=gdf.crs))


def valid_polygons(geometries: np.ndarray) -> np.ndarray:
    """The polygons made valid where they are not, keeping their area (what collapsed to a line or point goes).

    >>> bowtie = shapely.Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    >>> [round(g.area, 1) for g in valid_polygons(np.array([bowtie]))]
    [2.0]
    """
    invalid = ~shapely.is_valid(geometries)
    if not invalid.any():
        return geometries
    geometries = geometries.copy()
    geometries[invalid] = shapely.make_valid(geometries[invalid], method="structure", keep_collapsed=False)
    return geometries


def overlap_ratio(gdf: gpd.GeoDataFrame) -> float:
    """How much the polygons overlap: (sum of areas − area of union) / area of union.

    0 for a coverage (administrative units); clearly positive for overlapping territories.
    Use a projected CRS.
    """
    union_area = gdf.union_all().area
    return float((gdf.area.sum() - union_area) / union_area) if union_area else 0.0


def label_anchors(geometries: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Where a unit's name goes: the pole of inaccessibility (the centre of the largest inscribed circle), found
    to ``tolerance_m`` metres. A centroid can fall outside a crescent or a coastal unit; this point never does.
    Use a projected CRS in metres (Lambert-93).

    >>> crescent = shapely.Polygon([(0, 0), (10, 0), (10, 10), (0, 10), (0, 8), (8, 8), (8, 2), (0, 2)])
    >>> [crescent.contains(point) for point in label_anchors(np.array([crescent]), 0.1)]
    [True]
    """
    return shapely.get_point(shapely.maximum_inscribed_circle(geometries, tolerance_m), 0)
