"""The overview map: the EPCI of the two regions, readable without basemap tiles."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.admin import context_layer, epci_layer, outline_layer
from layers.assets import offline_map
from layers.attribution import SourcesAttribution

SCOPE_CENTRE = (49.4, 4.6)
"""Roughly between Lille, Strasbourg and Troyes (lat, lon)."""


def overview_map(
    epci_web: gpd.GeoDataFrame,
    departements_web: gpd.GeoDataFrame,
    regions_web: gpd.GeoDataFrame,
    *,
    attribution: str,
) -> folium.Map:
    """EPCI with tooltips over shaded neighbours, with département and région outlines.

    Parameters
    ----------
    epci_web, departements_web, regions_web : GeoDataFrame
        Web layers (WGS84); départements and régions carry ``in_scope``.
    attribution : str
        Sources and vintages, shown in the map's attribution corner (plain text).
    """
    fmap = offline_map(location=SCOPE_CENTRE, zoom_start=7, prefer_canvas=True, min_zoom=5)
    context_layer(regions_web[~regions_web["in_scope"]]).add_to(fmap)
    epci_layer(epci_web).add_to(fmap)
    outline_layer(
        departements_web[departements_web["in_scope"]], name="Départements", color="#8a96a0", weight=1.2
    ).add_to(fmap)
    outline_layer(regions_web[regions_web["in_scope"]], name="Régions", color="#2b3a45", weight=2.2).add_to(fmap)
    SourcesAttribution(attribution).add_to(fmap)
    fmap.fit_bounds(_bounds_latlon(epci_web))
    return fmap


def _bounds_latlon(gdf: gpd.GeoDataFrame) -> list[list[float]]:
    minx, miny, maxx, maxy = gdf.total_bounds
    return [[float(miny), float(minx)], [float(maxy), float(maxx)]]
