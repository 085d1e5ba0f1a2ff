"""Web-safe GeoJSON prepared once, so building a map on a rerun converts no geometry."""

from __future__ import annotations

from typing import Any

import geopandas as gpd

from geo.crs import WGS84, check_crs

FeatureCollection = dict[str, Any]


def web_features(gdf: gpd.GeoDataFrame, *, id_column: str) -> FeatureCollection:
    """A GeoJSON FeatureCollection of ``gdf`` (WGS84), each feature's ``id`` taken from ``id_column``.

    The ``id`` matters: folium writes one into each feature that lacks a unique key, and
    prepared collections are shared read-only between sessions.

    Parameters
    ----------
    gdf : GeoDataFrame
        WGS84, already reduced to the columns the browser needs and escaped.
    id_column : str
        A column with a unique value per row.
    """
    check_crs(gdf, WGS84, name="gdf")
    if not gdf[id_column].is_unique:
        raise ValueError(f"{id_column!r} must be unique to identify features")
    collection = gdf.to_geo_dict(drop_id=True)
    for feature in collection["features"]:
        feature["id"] = str(feature["properties"][id_column])
    return collection


def subset(collection: FeatureCollection, ids: set[str]) -> FeatureCollection:
    """The features of ``collection`` whose ``id`` is in ``ids`` (no copy of the geometries)."""
    return {"type": "FeatureCollection", "features": [f for f in collection["features"] if f["id"] in ids]}
