"""Where a site is: the sites of a territory, and a point an editor adds placed on its commune, EPCI,
département, région and territories (:func:`geo.imports.locate.attach_places`, shared with the imports)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.crs import WGS84, check_crs
from geo.errors import UnreadableValueError
from geo.imports.locate import CommuneLookup, attach_places
from geo.store.edits import EDITABLE_FIELDS, plain_value
from geo.vocabulary import DISTANCE_COLUMNS, KIND_USER, SITE_COLUMN_OF_KIND

TERRITORY_COLUMNS = SITE_COLUMN_OF_KIND
"""Territory kind → column listing the ids a site belongs to (``;``-separated)."""


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
        "zone_urba_libelle": None,
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
        raise UnreadableValueError(
            f"Le point ({point.y:.5f}, {point.x:.5f}) est hors des communes des Hauts-de-France et du Grand Est."
        )
    sites["insee_com"] = hit["code"].iloc[0]
    placed = attach_places(sites, lookup.communes, territoire_communes).iloc[0]
    return {key: plain_value(value) for key, value in placed.items()}
