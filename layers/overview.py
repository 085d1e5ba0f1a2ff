"""The overview map: the EPCI of the two regions, readable without basemap tiles."""

from __future__ import annotations

import folium
import geopandas as gpd

from layers.admin import context_layer, epci_layer, outline_layer
from layers.assets import offline_map
from layers.attribution import SourcesAttribution
from layers.territories import OVERLAYS, overlay_territories, territory_layer

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


def explorer_map(
    epci_web: gpd.GeoDataFrame,
    departements_web: gpd.GeoDataFrame,
    regions_web: gpd.GeoDataFrame,
    territories_web: gpd.GeoDataFrame,
    *,
    overlays: list[str],
    attribution: str,
    selected_siren: str | None = None,
    bounds: list[list[float]] | None = None,
) -> folium.Map:
    """The Carte page's map: the overview plus the chosen territory overlays and a selection.

    Parameters
    ----------
    overlays : list of str
        Keys of :data:`layers.territories.OVERLAYS` to draw, in any order (drawn widest first).
    selected_siren : str, optional
        EPCI outlined in bold (the one whose fiche is open).
    bounds : [[south, west], [north, east]], optional
        View to fit instead of the two regions.
    """
    fmap = overview_map(epci_web, departements_web, regions_web, attribution=attribution)
    for key in [k for k in OVERLAYS if k in overlays][::-1]:
        for layer in territory_layer(overlay_territories(territories_web, key), OVERLAYS[key]):
            layer.add_to(fmap)
    if selected_siren is not None:
        selected = epci_web[epci_web["siren"] == selected_siren]
        folium.GeoJson(
            selected[["siren", "geometry"]],
            name="EPCI sélectionné",
            style_function=lambda _feature: {"fill": False, "color": "#000000", "weight": 4},
            interactive=False,
        ).add_to(fmap)
    if bounds is not None:
        fmap.fit_bounds(bounds)
    return fmap
