"""Folium layers of administrative units: EPCI polygons and département/région outlines."""

from __future__ import annotations

import html

import folium
import geopandas as gpd

from geo.crs import WGS84, check_crs
from layers.features import FeatureCollection, PreparedGeoJson, web_features
from layers.formatting import area_km2_fr, inhabitants_fr

EPCI_TYPES_FR = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
}
EPCI_STYLE = {"fillColor": "#f7f7f2", "color": "#5b6770", "weight": 0.8, "fillOpacity": 0.9}
EPCI_HIGHLIGHT = {"weight": 2.5, "color": "#1f4e79"}


def epci_features(epci_web: gpd.GeoDataFrame) -> FeatureCollection:
    """Web-safe EPCI features: only what the tooltip shows, text HTML-escaped, figures in French.

    Names are escaped here because the tooltip writes them into the map's innerHTML.

    Parameters
    ----------
    epci_web : GeoDataFrame
        ``siren, nom, type, population, area_km2, geometry`` in WGS84.
    """
    check_crs(epci_web, WGS84, name="epci_web")
    web = epci_web.assign(
        nom=epci_web["nom"].map(html.escape),
        type_fr=epci_web["type"].map(lambda t: html.escape(EPCI_TYPES_FR.get(t, t))),
        population_fr=epci_web["population"].map(inhabitants_fr),
        area_fr=epci_web["area_km2"].map(area_km2_fr),
    )[["siren", "nom", "type_fr", "population_fr", "area_fr", "geometry"]]
    return web_features(web, id_column="siren")


def unit_features(units_web: gpd.GeoDataFrame) -> FeatureCollection:
    """Features of départements or régions, keeping only their code."""
    return web_features(units_web[["code", "geometry"]], id_column="code")


def epci_layer(features: FeatureCollection, *, name: str = "EPCI (intercommunalités)") -> PreparedGeoJson:
    """EPCI polygons (from :func:`epci_features`) with a French tooltip."""
    return PreparedGeoJson(
        features,
        name=name,
        style=EPCI_STYLE,
        highlight=EPCI_HIGHLIGHT,
        tooltip=folium.GeoJsonTooltip(
            fields=["nom", "type_fr", "population_fr", "area_fr", "siren"],
            aliases=["EPCI", "Type", "Population", "Superficie", "SIREN"],
            sticky=True,
        ),
        zoom_on_click=False,
    )


def outline_layer(features: FeatureCollection, *, name: str, color: str, weight: float) -> PreparedGeoJson:
    """Unfilled outlines (from :func:`unit_features`), not interactive."""
    return PreparedGeoJson(
        features, name=name, style={"fill": False, "color": color, "weight": weight}, interactive=False
    )


def context_layer(features: FeatureCollection, *, name: str = "Régions voisines") -> PreparedGeoJson:
    """Neighbouring units (from :func:`unit_features`) shaded, so the two regions read clearly without tiles."""
    return PreparedGeoJson(
        features,
        name=name,
        style={"fillColor": "#c9ced3", "fillOpacity": 1, "color": "#ffffff", "weight": 1},
        interactive=False,
    )
