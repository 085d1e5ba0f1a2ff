"""Foncier sources in the foncier schema, at build time: Cartofriches and the sites clés en main.

Cerema's caveat travels with the data: rows of nature « MTE non vérifié » are only *potential*
brownfields (BASIAS/BASOL sites not checked), so they get ``verifie = False``. The 2023 snapshot
gives the distance to the railway for most sites but no distance to road, waterway or sea (its
``desserte_distance_*`` columns are read as they are). The sites clés en main are placed at their
commune's point (the list gives no coordinates). :func:`geo.assembly.pipeline.build` then brings both
to the COG 2026 and joins them to their places.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import WGS84
from geo.imports.locate import CommuneLookup
from geo.vocabulary import DISTANCE_COLUMNS, KIND_CLES_EN_MAIN, KIND_FRICHE, UNVERIFIED_NATURE


def sites_from_cartofriches(table: pd.DataFrame, *, source_date: str) -> gpd.GeoDataFrame:
    """The Cartofriches snapshot in the foncier schema (WGS84 points from ``Long``/``Lat``)."""
    numbers = {
        column: pd.to_numeric(table[column], errors="coerce")
        for column in ("site_surface_ha", "Long", "Lat", *_RAW_DISTANCES)
    }
    frame = pd.DataFrame(
        {
            "site_id": "cf-" + table["site_id"].astype(str),
            "nom": table["site_nom"].astype("string"),
            "kind": KIND_FRICHE,
            "site_type": table["site_type"].astype("string"),
            "statut": table["site_statut"].astype("string"),
            "surface_ha": numbers["site_surface_ha"],
            "pollution": table["sol_pollution_existe"].astype("string"),
            "zone_urba": table["urba_zone_type"].astype("string"),
            "zone_urba_libelle": table["urba_zone_lib"].astype("string"),
            **{ours: numbers[raw] for raw, ours in _RAW_DISTANCES.items()},
            "activite": table["activite_libelle"].astype("string"),
            "projet": table["site_projet"].astype("string"),
            "nature": table["nature"].astype("string"),
            "verifie": table["nature"].ne(UNVERIFIED_NATURE),
            "source": ("Cerema – Cartofriches ; " + table["source_nom"].fillna("")).astype("string"),
            "source_url": table["site_url"].astype("string"),
            "date_maj": table["site_actu_date"].astype("string"),
            "date_source": source_date,
            "insee_com": table["comm_insee"].astype("string").str.zfill(5),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(numbers["Long"], numbers["Lat"]), crs=WGS84)


def sites_from_cles_en_main(
    table: pd.DataFrame, lookup: CommuneLookup, *, source_date: str
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """The sites clés en main with a commune, at the commune's point; warnings for those without one."""
    located = table[table["insee_com"].notna()]
    warnings = [
        f"Site clé en main « {row.site_name} » ({row.departement}) sans commune connue : non cartographié"
        for row in table[table["insee_com"].isna()].itertuples()
    ]
    codes = located["insee_com"].astype(str).str.zfill(5)
    points = lookup.points.reindex(codes.to_numpy())
    frame = pd.DataFrame(
        {
            "site_id": [f"scm-{i + 1:02d}" for i in located.index],
            "nom": located["site_name"].astype("string").to_numpy(),
            "kind": KIND_CLES_EN_MAIN,
            "site_type": "site industriel clé en main",
            "statut": "site clé en main",
            "surface_ha": pd.to_numeric(located["surface_ha"], errors="coerce").to_numpy(),
            "pollution": "inconnu",
            "zone_urba": pd.NA,
            "zone_urba_libelle": pd.NA,
            **{column: np.nan for column in DISTANCE_COLUMNS},
            "activite": pd.NA,
            "projet": located["note"].astype("string").to_numpy(),
            "nature": ("label " + located["label_wave"]).astype("string").to_numpy(),
            "verifie": True,
            "source": "Sites industriels clés en main (État), compilation reindus",
            "source_url": located["source_url"].astype("string").to_numpy(),
            "date_maj": pd.NA,
            "date_source": source_date,
            "insee_com": codes.to_numpy(),
        }
    )
    sites = gpd.GeoDataFrame(frame, geometry=points.to_numpy(), crs=WGS84)
    text_columns = ("zone_urba", "zone_urba_libelle", "activite", "date_maj")
    return sites.astype(dict.fromkeys(text_columns, "string")), warnings


_RAW_DISTANCES = {
    "desserte_distance_route": "distance_route_m",
    "desserte_distance_ferroviaire": "distance_rail_m",
    "desserte_distance_fluvial": "distance_fluvial_m",
    "desserte_distance_maritime": "distance_maritime_m",
}
