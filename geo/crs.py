"""Coordinate reference systems used by reindus, defined once.

Areas and distances are computed in Lambert-93; everything drawn on a web map is WGS84.
"""

from __future__ import annotations

import geopandas as gpd
from pyproj import CRS

WGS84 = "EPSG:4326"
LAMBERT93 = "EPSG:2154"


def check_crs(gdf: gpd.GeoDataFrame, expected: str, *, name: str) -> gpd.GeoDataFrame:
    """Return ``gdf`` unchanged if its CRS is ``expected``, else raise.

    Parameters
    ----------
    gdf : GeoDataFrame
        Frame to check.
    expected : str
        An authority string such as ``"EPSG:2154"``.
    name : str
        What the frame is, used in the error message.

    Raises
    ------
    TypeError
        If ``gdf`` is not a GeoDataFrame.
    ValueError
        If the CRS is missing or differs from ``expected``.
    """
    if not isinstance(gdf, gpd.GeoDataFrame):
        raise TypeError(f"{name}: expected a GeoDataFrame, got {type(gdf).__name__}")
    if gdf.crs is None:
        raise ValueError(f"{name}: no CRS set, expected {expected}")
    if not CRS.from_user_input(gdf.crs).equals(CRS.from_user_input(expected)):
        raise ValueError(f"{name}: CRS is {gdf.crs.to_string()}, expected {expected}")
    return gdf


def check_same_crs(left: gpd.GeoDataFrame, right: gpd.GeoDataFrame, *, names: tuple[str, str]) -> None:
    """Raise ``ValueError`` unless both frames carry the same, non-empty CRS."""
    if left.crs is None or right.crs is None:
        raise ValueError(f"{names[0]} / {names[1]}: a CRS is missing")
    if not CRS.from_user_input(left.crs).equals(CRS.from_user_input(right.crs)):
        raise ValueError(f"CRS mismatch: {names[0]} is {left.crs.to_string()}, {names[1]} is {right.crs.to_string()}")
