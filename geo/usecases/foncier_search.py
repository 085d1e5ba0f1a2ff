"""The foncier search the Foncier page and ``reindus foncier`` share: around a commune, within a radius, by
surface, rail distance and zoning, ranked as :func:`~geo.analysis.foncier.search_sites` ranks, with each site's
quality reasons. The same criteria give the same sites in the same order on both."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pyproj import Transformer

from geo.analysis.foncier import FoncierQuery, search_sites
from geo.analysis.foncier_quality import quality_flags
from geo.analysis.places import search_places
from geo.crs import LAMBERT93, WGS84
from geo.errors import PlaceNotFoundError


@dataclass(frozen=True)
class Origin:
    """The commune a search is centred on: its name, what the search index says of it, its centre in Lambert-93."""

    label: str
    detail: str
    xy_l93: tuple[float, float]


def commune_origin(text: str, places: pd.DataFrame) -> Origin:
    """The first commune matching ``text`` (name or INSEE code) and the centre of its bounding box in Lambert-93.

    Raises :class:`~geo.errors.PlaceNotFoundError` (French) when no commune matches.
    """
    matches = search_places(text, places)
    matches = matches[matches["kind"] == "commune"]
    if matches.empty:
        raise PlaceNotFoundError(f"Aucune commune trouvée pour « {text[:80]} ».")
    match = matches.iloc[0]
    lon, lat = (match.minx + match.maxx) / 2, (match.miny + match.maxy) / 2
    x, y = Transformer.from_crs(WGS84, LAMBERT93, always_xy=True).transform(lon, lat)
    return Origin(str(match.label), str(match.detail), (x, y))


def with_quality(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The sites with ``raisons_qualite`` computed over all of them (a duplicate's twin may be outside a search)."""
    return sites.assign(raisons_qualite=quality_flags(sites)["raisons_qualite"])


def search_around(
    sites: gpd.GeoDataFrame, query: FoncierQuery, origin: Origin | None, radius_km: float | None
) -> gpd.GeoDataFrame:
    """:func:`search_sites` with ``query`` centred on ``origin`` within ``radius_km`` (no centre: no radius)."""
    if origin is not None:
        query = FoncierQuery(
            **{
                **query.__dict__,
                "origin_l93": origin.xy_l93,
                "max_distance_from_origin_m": radius_km * 1000 if radius_km else None,
            }
        )
    return search_sites(sites, query)
