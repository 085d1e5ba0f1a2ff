"""Folium layers of territories: Territoires d'industrie, bassins, zonings, with their labels."""

from __future__ import annotations

import html
from dataclasses import dataclass

import folium
import geopandas as gpd

from geo.analysis.overlays import overlay_caveats, overlay_sources, overlay_territories  # noqa: F401 — re-exported
from geo.crs import WGS84, check_crs
from geo.vocabulary import TERRITORY_KINDS
from layers.features import FeatureCollection, PreparedGeoJson, web_features
from layers.formatting import area_km2_fr, inhabitants_fr
from layers.labels import label_layer


@dataclass(frozen=True)
class TerritoryStyle:
    """How one overlay is drawn. Colours from the Okabe–Ito palette (readable by colour-blind readers).

    ``text_color`` is a darker shade of ``color`` for the names drawn on the map: the palette's orange or
    green give 2 to 3.5:1 on the pale map, WCAG AA asks 4.5:1 for text (``tests/layers/test_contrast.py``).
    """

    key: str
    name: str
    color: str
    text_color: str
    dash: str | None = None
    fill_opacity: float = 0.12


OVERLAYS: dict[str, TerritoryStyle] = {
    "ti2": TerritoryStyle("ti2", "Territoires d'industrie 2024-2027", "#0072B2", "#00507d"),
    "ti1": TerritoryStyle("ti1", "Territoires d'industrie 2018-2023", "#E69F00", "#7a5200", dash="6 4"),
    "bassins": TerritoryStyle("bassins", "Bassins prioritaires", "#D55E00", "#853a00", fill_opacity=0.18),
    "zonages": TerritoryStyle("zonages", "Zonages BUD et BER", "#009E73", "#005e45", dash="2 4"),
    "ze": TerritoryStyle("ze", "Zones d'emploi 2020", "#6f6f6f", "#555555", dash="1 3", fill_opacity=0.0),
}
"""The territory overlays of the Carte page, by key (the key is used in permalinks)."""

HIGHLIGHT_FILL_OPACITY = 0.15
"""Added to an overlay's fill under the pointer."""


def territory_features(territories_web: gpd.GeoDataFrame) -> FeatureCollection:
    """Web-safe territory features: label, kind, figures in French and source, HTML-escaped.

    Parameters
    ----------
    territories_web : GeoDataFrame
        WGS84 territories (``territory_id, kind, label, n_communes, population, area_km2,
        source, vintage``).
    """
    check_crs(territories_web, WGS84, name="territories_web")
    web = territories_web.assign(
        label_html=territories_web["label"].map(html.escape),
        kind_fr=territories_web["kind"].map(lambda k: html.escape(TERRITORY_KINDS.get(k, k))),
        population_fr=territories_web["population"].map(inhabitants_fr),
        area_fr=territories_web["area_km2"].map(area_km2_fr),
        source_html=(territories_web["source"] + " (" + territories_web["vintage"] + ")").map(html.escape),
    )[["territory_id", "label_html", "kind_fr", "n_communes", "population_fr", "area_fr", "source_html", "geometry"]]
    return web_features(web, id_column="territory_id")


def territory_layer(
    features: FeatureCollection,
    style: TerritoryStyle,
    *,
    label_points: gpd.GeoDataFrame | None = None,
) -> list:
    """The polygons of one overlay with a French tooltip, and their labels if given.

    Parameters
    ----------
    features : FeatureCollection
        From :func:`territory_features`.
    style : TerritoryStyle
    label_points : GeoDataFrame, optional
        From :func:`layers.labels.label_positions`.

    Returns
    -------
    list
        ``[GeoJson]`` or ``[GeoJson, FeatureGroup]``: add both to the map.
    """
    polygons = PreparedGeoJson(
        features,
        name=style.name,
        style={
            "color": style.color,
            "weight": 2.2,
            "dashArray": style.dash,
            "fillColor": style.color,
            "fillOpacity": style.fill_opacity,
        },
        highlight={"weight": 4, "fillOpacity": style.fill_opacity + HIGHLIGHT_FILL_OPACITY},
        tooltip=folium.GeoJsonTooltip(
            fields=["label_html", "kind_fr", "n_communes", "population_fr", "area_fr", "source_html"],
            aliases=["Territoire", "Type", "Communes", "Population", "Superficie", "Source"],
            sticky=True,
        ),
    )
    if label_points is None:
        return [polygons]
    return [polygons, label_layer(label_points, name=f"{style.name} — noms", color=style.text_color)]
