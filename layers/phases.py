"""The EPCI coloured by their path between the two phases of Territoires d'industrie (Carte and press)."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

from geo.analysis.phases import BOTH, CATEGORIES, ENTERED, LEFT, NEVER
from geo.crs import WGS84, check_crs

PHASE_COLOURS = {BOTH: "#0072B2", ENTERED: "#009E73", LEFT: "#E69F00", NEVER: "#ffffff"}
"""Okabe–Ito blue, bluish green and orange (distinct for the common colour-vision deficiencies); white outside."""


def phase_layer(epci_web: gpd.GeoDataFrame, comparison: pd.DataFrame) -> folium.GeoJson:
    """The EPCI filled by category, with a French tooltip naming their territories in each phase (escaped)."""
    check_crs(epci_web, WGS84, name="epci_web")
    rows = comparison.set_index("siren").reindex(epci_web["siren"].to_numpy())
    web = gpd.GeoDataFrame(
        {
            "nom_html": epci_web["nom"].astype(str).map(html.escape).to_numpy(),
            "categorie": rows["categorie"].fillna(NEVER).to_numpy(),
            "phase1": rows["ti_phase1"].fillna("—").astype(str).map(html.escape).to_numpy(),
            "phase2": rows["ti_phase2"].fillna("—").astype(str).map(html.escape).to_numpy(),
        },
        geometry=epci_web.geometry.to_numpy(),
        crs=WGS84,
    )
    web["couleur"] = web["categorie"].map(PHASE_COLOURS)
    return folium.GeoJson(
        web.to_geo_dict(drop_id=True),
        name="Évolution des Territoires d'industrie",
        style_function=lambda feature: {
            "fillColor": feature["properties"]["couleur"],
            "fillOpacity": 0.0 if feature["properties"]["categorie"] == NEVER else 0.55,
            "color": "#5b6770",
            "weight": 0.5,
        },
        tooltip=folium.GeoJsonTooltip(
            fields=["nom_html", "categorie", "phase1", "phase2"],
            aliases=["EPCI", "Évolution", "TI 2018-2023", "TI 2024-2027"],
        ),
    )


def phase_legend(comparison: pd.DataFrame) -> list[tuple[str, str]]:
    """``(colour, "entré en 2024 (28)")`` for each category on the map, in :data:`CATEGORIES` order."""
    counts = comparison["categorie"].value_counts()
    return [
        (PHASE_COLOURS[category], f"{category} ({int(counts[category])})")
        for category in CATEGORIES
        if counts.get(category, 0) > 0
    ]
