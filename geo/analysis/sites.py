"""Where a site is: attach point sites (projects, foncier) to their commune, EPCI, département, région and
territories, and place a point an editor adds."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.crs import WGS84, check_crs, check_same_crs
from geo.imports.locate import CommuneLookup
from geo.store.edits import EDITABLE_FIELDS, plain_value
from geo.text import web_address_problem
from geo.vocabulary import DISTANCE_COLUMNS, KIND_USER, SITE_COLUMN_OF_KIND

TERRITORY_COLUMNS = SITE_COLUMN_OF_KIND
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


def refuse_non_web_sources(values: pd.DataFrame, report: Callable[[int, str, str], None]) -> None:
    """Report each row whose ``source_url`` is not a web address (``javascript:``, ``data:``…): the address
    becomes a link in the app, so only http and https are accepted. ``report(position, key, message)`` is the
    import's problem sink; an empty source is left to the checks ("non sourcé")."""
    if "source_url" not in values:
        return
    for position, url in enumerate(values["source_url"].tolist()):
        if problem := web_address_problem(url):
            report(position, "source_url", problem)


def sites_in_territory(sites: gpd.GeoDataFrame, kind_column: str, territory_id: str) -> gpd.GeoDataFrame:
    """The sites whose ``kind_column`` list (``ti_phase2``…) contains ``territory_id``."""
    ids = sites[kind_column].fillna("").str.split(";")
    return sites[ids.map(lambda members: territory_id in members)]


def new_site_row(
    values: Mapping[str, Any],
    point: Point,
    *,
    lookup: CommuneLookup,
    territoire_communes: pd.DataFrame,
    author: str,
    today: str,
) -> dict[str, Any]:
    """A complete foncier row for a site an editor adds at ``point`` (WGS84), joined to its places.

    Raises
    ------
    ValueError
        In French, when the point is outside the communes of the two regions.
    """
    located = place_point(point, lookup=lookup, territoire_communes=territoire_communes)
    return {
        **{column: None for column in DISTANCE_COLUMNS},
        "kind": KIND_USER,
        "site_type": None,
        "statut": "friche sans projet",
        "pollution": "inconnu",
        "zone_urba": None,
        "activite": None,
        "projet": None,
        "nature": "saisi par un chef de projet",
        "verifie": True,
        "source": f"saisie reindus ({author})",
        "source_url": None,
        "date_maj": today,
        "date_source": today,
        **{key: value for key, value in values.items() if key in EDITABLE_FIELDS},
        **located,
    }


def place_point(point: Point, *, lookup: CommuneLookup, territoire_communes: pd.DataFrame) -> dict[str, Any]:
    """The commune, EPCI, département, région and territories of a WGS84 point, as row values."""
    sites = gpd.GeoDataFrame({"geometry": [point]}, geometry="geometry", crs=WGS84)
    check_crs(lookup.communes, WGS84, name="communes")
    hit = gpd.sjoin(sites, lookup.communes[["code", "geometry"]], predicate="within", how="left")
    if hit["code"].isna().all():
        raise ValueError(
            f"Le point ({point.y:.5f}, {point.x:.5f}) est hors des communes des Hauts-de-France et du Grand Est."
        )
    sites["insee_com"] = hit["code"].iloc[0]
    placed = attach_places(sites, lookup.communes, territoire_communes).iloc[0]
    return {key: plain_value(value) for key, value in placed.items()}
