"""Attach point sites (projects, foncier) to their commune, EPCI, département, région and territories."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.crs import check_same_crs

TERRITORY_COLUMNS = {"ti_phase1": "ti_phase1", "ti_phase2": "ti_phase2", "bassin_prioritaire": "bassins"}
"""Territory kind → column listing the ids a site belongs to (``;``-separated)."""


def attach_places(
    sites: gpd.GeoDataFrame, communes: gpd.GeoDataFrame, territoire_communes: pd.DataFrame
) -> gpd.GeoDataFrame:
    """Add ``commune_nom, epci_siren, departement, region`` and the territory columns.

    Sites already carry their current commune (``insee_com``), found by a spatial join for
    those located by coordinates; territories are dissolved from whole communes, so
    membership follows the commune exactly (a vectorised merge, no geometry test).

    Parameters
    ----------
    sites : GeoDataFrame
        Points with ``insee_com``.
    communes : GeoDataFrame
        ``code, nom, departement, region, epci_siren`` (same CRS as ``sites``).
    territoire_communes : DataFrame
        ``territory_id, kind, code`` from the build.
    """
    check_same_crs(sites, communes, names=("sites", "communes"))
    if "insee_com" not in sites:
        raise ValueError(f"sites must have an 'insee_com' column, got {list(sites.columns)}")
    places = communes[["code", "nom", "departement", "region", "epci_siren"]].rename(
        columns={"code": "insee_com", "nom": "commune_nom"}
    )
    joined = sites.drop(columns=[c for c in places.columns if c != "insee_com" and c in sites]).merge(
        places, on="insee_com", how="left"
    )
    membership = territoire_communes[territoire_communes["kind"].isin(list(TERRITORY_COLUMNS))]
    lists = (
        membership.groupby(["code", "kind"])["territory_id"]
        .agg(lambda ids: ";".join(sorted(ids)))
        .unstack("kind")
        .rename(columns=TERRITORY_COLUMNS)
        .reindex(columns=list(TERRITORY_COLUMNS.values()))
    )
    joined = joined.drop(columns=[c for c in TERRITORY_COLUMNS.values() if c in joined])
    joined = joined.merge(lists, left_on="insee_com", right_index=True, how="left")
    for column in TERRITORY_COLUMNS.values():
        joined[column] = joined[column].astype("string")
    return gpd.GeoDataFrame(joined, geometry=sites.geometry.name, crs=sites.crs)


def sites_in_territory(sites: gpd.GeoDataFrame, kind_column: str, territory_id: str) -> gpd.GeoDataFrame:
    """The sites whose ``kind_column`` list (``ti_phase2``…) contains ``territory_id``."""
    ids = sites[kind_column].fillna("").str.split(";")
    return sites[ids.map(lambda members: territory_id in members)]
