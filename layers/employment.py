"""The « Emploi industriel mesuré » layer of the Carte: zones d'emploi coloured by their industrial jobs (URSSAF)
or their change since 2019, or EPCI by the share of industry in their jobs (census 2022), with a French legend
and tooltip. Palettes are ColorBrewer's colour-blind safe ones: YlGnBu for amounts, PuOr centred on 0 for a
change (orange for a loss, purple for a gain)."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import pandas as pd

from geo.crs import WGS84, check_crs
from layers.choropleth import CLASS_COLOURS, UNKNOWN_COLOUR, class_breaks, colour_of
from layers.formatting import MISSING, number_fr

CHANGE_BREAKS = (-5.0, -2.0, 0.0, 2.0, 5.0)
"""Upper bounds (%) of the change classes but the last: symmetric around 0, so a gain and a loss of the same
size get colours of the same strength."""
CHANGE_COLOURS = ("#b35806", "#f1a340", "#fee0b6", "#d8daeb", "#998ec3", "#542788")
"""ColorBrewer PuOr, 6 classes (colour-blind safe): losses in orange, gains in purple."""


def change_colour(change: float | None) -> str:
    """The class colour of a change in %: the first class whose upper bound it does not exceed.

    >>> change_colour(-7.0), change_colour(0.0), change_colour(0.5), change_colour(12.0), change_colour(None)
    ('#b35806', '#fee0b6', '#d8daeb', '#542788', '#d9d9d9')
    """
    if change is None or pd.isna(change):
        return UNKNOWN_COLOUR
    for colour, upper in zip(CHANGE_COLOURS, CHANGE_BREAKS, strict=False):
        if change <= upper:
            return colour
    return CHANGE_COLOURS[-1]


def change_legend() -> list[tuple[str, str]]:
    """``(colour, text)`` for each class of change, from the largest loss to the largest gain."""
    bounds = [None, *CHANGE_BREAKS, None]
    entries = []
    for colour, low, high in zip(CHANGE_COLOURS, bounds[:-1], bounds[1:], strict=True):
        if low is None:
            text = f"{_percent(high)} ou moins"
        elif high is None:
            text = f"plus de {_percent(low)}"
        else:
            text = f"de {_percent(low)} à {_percent(high)}"
        entries.append((colour, text))
    return entries


def zone_employment_layer(
    zones: gpd.GeoDataFrame, jobs: pd.DataFrame, *, measure: str
) -> tuple[folium.GeoJson, list[tuple[str, str]]]:
    """Zones d'emploi (``id, nom, geometry``) coloured by ``measure`` (``"2024"`` jobs or ``"evolution"``) from
    ``jobs`` (the ``emploi_industriel_ze`` table), with every figure of the zone in the tooltip."""
    check_crs(zones, WGS84, name="zones")
    table = jobs.set_index(jobs["code_ze"].astype(str)).reindex(zones["id"].astype(str))
    jobs_2024 = pd.to_numeric(table["emploi_industriel_2024"], errors="coerce")
    change = pd.to_numeric(table["evolution_2019_2024"], errors="coerce")
    if measure == "evolution":
        colours, legend = [change_colour(value) for value in change], change_legend()
    else:
        breaks = class_breaks(jobs_2024)
        colours = [colour_of(value, breaks) for value in jobs_2024]
        legend = _amount_legend(breaks, "emplois")
    web = gpd.GeoDataFrame(
        {
            # The alias says « Zone d'emploi »: the name alone after it.
            "nom_html": zones["nom"].astype(str).str.removeprefix("Zone d'emploi ").map(html.escape).to_numpy(),
            "emplois_fr": [_jobs(value) for value in jobs_2024],
            "evolution_fr": [_signed_percent(value) for value in change],
            "avant_fr": [_jobs(value) for value in pd.to_numeric(table["emploi_industriel_2019"], errors="coerce")],
            "part_fr": [_share(v) for v in table["part_emploi_prive_2024"]],
            "couleur": colours,
        },
        geometry=zones.geometry.to_numpy(),
        crs=WGS84,
    )
    tooltip = {
        "nom_html": "Zone d'emploi",
        "emplois_fr": "Emplois industriels 2024",
        "avant_fr": "Emplois industriels 2019",
        "evolution_fr": "Évolution 2019-2024",
        "part_fr": "Part de l'emploi salarié privé",
    }
    return _geojson(web, "Emploi industriel mesuré", tooltip), legend


def epci_share_layer(epci: gpd.GeoDataFrame, shares: pd.Series) -> tuple[folium.GeoJson, list[tuple[str, str]]]:
    """EPCI (``id, nom, geometry``) coloured by the share of industry in their jobs (``shares``: SIREN → %)."""
    check_crs(epci, WGS84, name="epci")
    values = pd.to_numeric(shares.reindex(epci["id"].astype(str)), errors="coerce")
    breaks = class_breaks(values)
    web = gpd.GeoDataFrame(
        {
            "nom_html": epci["nom"].astype(str).map(html.escape).to_numpy(),
            "part_fr": [_share(v) for v in values],
            "couleur": [colour_of(value, breaks) for value in values],
        },
        geometry=epci.geometry.to_numpy(),
        crs=WGS84,
    )
    tooltip = {"nom_html": "EPCI", "part_fr": "Part de l'industrie dans l'emploi (2022)"}
    return _geojson(web, "Part de l'industrie dans l'emploi", tooltip), _amount_legend(breaks, "%", decimals=1)


def _geojson(web: gpd.GeoDataFrame, name: str, tooltip: dict[str, str]) -> folium.GeoJson:
    """The coloured polygons (``couleur``) with a tooltip of ``field → French alias``."""
    return folium.GeoJson(
        web.to_geo_dict(drop_id=True),
        name=name,
        style_function=_style,
        tooltip=folium.GeoJsonTooltip(fields=list(tooltip), aliases=list(tooltip.values())),
    )


def _share(value: float) -> str:
    return MISSING if pd.isna(value) else f"{number_fr(value, decimals=1)} %"


def _style(feature: dict) -> dict:
    return {"fillColor": feature["properties"]["couleur"], "fillOpacity": 0.8, "color": "#4d4d4d", "weight": 0.7}


def _amount_legend(breaks: list[float], unit: str, *, decimals: int = 0) -> list[tuple[str, str]]:
    colours = CLASS_COLOURS[len(CLASS_COLOURS) - len(breaks) :]
    entries = [
        (colour, f"jusqu'à {number_fr(upper, decimals=decimals)} {unit}")
        for colour, upper in zip(colours, breaks, strict=True)
    ]
    return [*entries, (UNKNOWN_COLOUR, "non donné par la source")]


def _jobs(value: float) -> str:
    return MISSING if pd.isna(value) else f"{number_fr(value)} salariés"


def _signed_percent(value: float) -> str:
    return MISSING if pd.isna(value) else ("+" if value > 0 else "") + f"{number_fr(value, decimals=1)} %"


def _percent(value: float) -> str:
    return ("+" if value > 0 else "−" if value < 0 else "") + f"{number_fr(abs(value))} %"
