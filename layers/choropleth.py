"""Choropleth of a measure by unit (EPCI, territory, département, région) for the Concentration map."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import WGS84, check_crs
from layers.formatting import MISSING, number_fr

# ColorBrewer YlGnBu (sequential, colour-blind safe, prints in grey scale in order).
CLASS_COLOURS = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8")
ZERO_COLOUR, UNKNOWN_COLOUR = "#f4f4f4", "#d9d9d9"


def class_breaks(values: pd.Series, *, classes: int = len(CLASS_COLOURS)) -> list[float]:
    """Quantile breaks of the positive values (upper bounds of each class, the last is the maximum)."""
    positive = pd.to_numeric(values, errors="coerce").dropna()
    positive = positive[positive > 0]
    if positive.empty:
        return []
    quantiles = np.quantile(positive.to_numpy(dtype=float), np.linspace(0, 1, classes + 1)[1:])
    return sorted(set(float(q) for q in quantiles))


def colour_of(value: float | None, breaks: list[float]) -> str:
    """The class colour of one value: grey when unknown, pale when zero."""
    if value is None or pd.isna(value):
        return UNKNOWN_COLOUR
    if value <= 0 or not breaks:
        return ZERO_COLOUR
    position = int(np.searchsorted(breaks, value, side="left"))
    return CLASS_COLOURS[min(position, len(CLASS_COLOURS) - 1) + (len(CLASS_COLOURS) - len(breaks))]


def choropleth_layer(
    units: gpd.GeoDataFrame, *, id_column: str, values: pd.Series, label: str, unit_suffix: str, name: str
) -> tuple[folium.GeoJson, list[tuple[str, str]]]:
    """Polygons coloured by ``values`` (indexed by unit id), with an escaped French tooltip.

    Returns the layer and the legend entries ``(colour, text)``.
    """
    check_crs(units, WGS84, name="units")
    breaks = class_breaks(values)
    by_id = values.reindex(units[id_column].to_numpy())
    web = gpd.GeoDataFrame(
        {
            "id": units[id_column].astype(str).to_numpy(),
            "nom_html": units["nom"].astype(str).map(html.escape).to_numpy(),
            "valeur_fr": [_value_fr(v, unit_suffix) for v in by_id],
            "couleur": [colour_of(v, breaks) for v in by_id],
        },
        geometry=units.geometry.to_numpy(),
        crs=WGS84,
    )
    layer = folium.GeoJson(
        web.to_geo_dict(drop_id=True),
        name=name,
        style_function=lambda feature: {
            "fillColor": feature["properties"]["couleur"],
            "fillOpacity": 0.85,
            "color": "#5b6770",
            "weight": 0.6,
        },
        tooltip=folium.GeoJsonTooltip(fields=["nom_html", "valeur_fr"], aliases=["Territoire", label]),
    )
    return layer, legend(breaks, unit_suffix)


def relance_choropleth(
    relance: pd.DataFrame, departements: gpd.GeoDataFrame
) -> tuple[folium.GeoJson, list[tuple[str, str]]]:
    """France Relance firms aided per 100,000 inhabitants by département (:func:`geo.analysis.relance.relance_table`)
    and its legend: every département has a value, so the zero and unknown entries are left out."""
    layer, entries = choropleth_layer(
        departements,
        id_column="id",
        values=relance.set_index("departement")["pour_100000_hab"],
        label="Entreprises aidées pour 100 000 hab.",
        unit_suffix="pour 100 000 hab.",
        name="France Relance",
    )
    return layer, [(colour, text) for colour, text in entries if text.startswith("jusqu'à")]


def legend(breaks: list[float], unit_suffix: str) -> list[tuple[str, str]]:
    """``(colour, "jusqu'à 1 200 emplois")`` for each class, then zero and unknown."""
    colours = CLASS_COLOURS[len(CLASS_COLOURS) - len(breaks) :]
    entries = [
        (colour, f"jusqu'à {_value_fr(upper, unit_suffix)}") for colour, upper in zip(colours, breaks, strict=True)
    ]
    return entries + [(ZERO_COLOUR, "aucun projet ou 0"), (UNKNOWN_COLOUR, "montant non renseigné")]


def _value_fr(value: float | None, unit_suffix: str) -> str:
    if value is None or pd.isna(value):
        return MISSING
    decimals = 1 if 0 < abs(value) < 10 else 0
    return f"{number_fr(value, decimals=decimals)} {unit_suffix}".strip()
