"""Find an EPCI, a commune or a territory by name or code, ignoring accents and case; the towns maps name."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import WGS84, check_crs
from geo.text import normalise
from geo.vocabulary import TERRITORY_KINDS

MATCH_COLUMNS = ["kind", "id", "label", "detail", "minx", "miny", "maxx", "maxy"]


def place_index(
    *,
    epci: gpd.GeoDataFrame,
    communes: gpd.GeoDataFrame,
    territories: gpd.GeoDataFrame,
) -> pd.DataFrame:
    """Every searchable place with its normalised name, built once and reused by each search.

    Parameters
    ----------
    epci, communes, territories : GeoDataFrame
        WGS84 layers with ``siren, nom, type`` / ``code, nom, epci_siren`` / ``territory_id, label, kind``.

    Returns
    -------
    DataFrame
        ``kind`` (``epci``, ``commune``, ``territoire``), ``id``, ``label``, ``detail``, the
        WGS84 bounds ``minx, miny, maxx, maxy`` and the search key ``key``.
    """
    for name, frame in (("epci", epci), ("communes", communes), ("territories", territories)):
        check_crs(frame, WGS84, name=name)
    epci_names = dict(zip(epci["siren"], epci["nom"], strict=True))
    index = pd.concat(
        [
            _candidates(epci, "epci", "siren", "nom", epci["type"]),
            _candidates(communes, "commune", "code", "nom", communes["epci_siren"].map(epci_names)),
            _candidates(territories, "territoire", "territory_id", "label", territories["kind"].map(TERRITORY_KINDS)),
        ],
        ignore_index=True,
    )
    index["key"] = index["label"].map(normalise)
    index["_kind"] = index["kind"].map({"epci": 0, "commune": 1, "territoire": 2})
    return index


def search_places(query: str, index: pd.DataFrame, *, limit: int = 10) -> pd.DataFrame:
    """Places whose name contains ``query``, accents and case ignored, or whose code equals it.

    Exact names (and codes) first, then names starting with the query, then the rest;
    EPCI before communes before territories at equal rank. ``2691`` finds INSEE ``02691``
    (a leading zero dropped by a spreadsheet).

    Parameters
    ----------
    query : str
        What the user typed.
    index : DataFrame
        Output of :func:`place_index`.
    limit : int
        Maximum number of matches.
    """
    wanted = normalise(query)
    if not wanted:
        return pd.DataFrame(columns=MATCH_COLUMNS)
    code_query = wanted.zfill(5) if wanted.isdigit() and len(wanted) < 5 else wanted
    keys = index["key"]
    rank = pd.Series(3, index=index.index)
    rank[keys.str.contains(wanted, regex=False)] = 2
    rank[keys.str.startswith(wanted)] = 1
    rank[(keys == wanted) | (index["id"] == code_query)] = 0
    found = index.assign(_rank=rank)[rank < 3]
    return found.sort_values(["_rank", "_kind", "label"]).head(limit)[MATCH_COLUMNS].reset_index(drop=True)


def _candidates(
    frame: gpd.GeoDataFrame, kind: str, id_column: str, label_column: str, detail: pd.Series
) -> pd.DataFrame:
    bounds = frame.bounds
    return pd.DataFrame(
        {
            "kind": kind,
            "id": frame[id_column].astype(str).values,
            "label": frame[label_column].astype(str).values,
            "detail": detail.fillna("").astype(str).values,
            "minx": bounds["minx"].values,
            "miny": bounds["miny"].values,
            "maxx": bounds["maxx"].values,
            "maxy": bounds["maxy"].values,
        }
    )


def epci_at(lon: float, lat: float, epci: gpd.GeoDataFrame) -> str | None:
    """SIREN of the EPCI containing the WGS84 point (``lon``, ``lat``), or None outside every EPCI."""
    return _code_at(lon, lat, epci, "siren")


def commune_at(lon: float, lat: float, communes: gpd.GeoDataFrame) -> str | None:
    """INSEE code of the commune containing the WGS84 point (``lon``, ``lat``), or None outside every commune.

    >>> from shapely.geometry import box
    >>> communes = gpd.GeoDataFrame({"code": ["02001", "02002"]}, geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
    ...                             crs=WGS84)
    >>> commune_at(1.5, 0.5, communes), commune_at(3, 3, communes)
    ('02002', None)
    """
    return _code_at(lon, lat, communes, "code")


def epci_of_commune(code: str, communes: pd.DataFrame) -> str | None:
    """SIREN of the EPCI of commune ``code`` (None for an unknown commune or one without EPCI)."""
    found = communes.loc[communes["code"] == code, "epci_siren"]
    return None if found.empty or pd.isna(found.iloc[0]) else str(found.iloc[0])


def _code_at(lon: float, lat: float, units: gpd.GeoDataFrame, column: str) -> str | None:
    check_crs(units, WGS84, name="units")
    hits = units.sindex.query(shapely.Point(lon, lat), predicate="intersects")
    return str(units[column].iloc[hits[0]]) if len(hits) else None


def largest_communes(communes: gpd.GeoDataFrame, *, per: str = "departement") -> gpd.GeoDataFrame:
    """The most populous commune of each ``per`` group (département by default), as a point inside it.

    Press maps name these towns so readers find their way; population is the COG's.

    Examples
    --------
    >>> from shapely.geometry import box
    >>> communes = gpd.GeoDataFrame(
    ...     {"nom": ["Lille", "Roubaix", "Amiens"], "departement": ["59", "59", "80"], "population": [236, 98, 134]},
    ...     geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 2, 1, 3)], crs="EPSG:2154")
    >>> largest_communes(communes)["nom"].tolist()
    ['Lille', 'Amiens']
    """
    if per not in communes or "population" not in communes:
        raise ValueError(f"largest_communes needs columns « {per} » and « population »; got {list(communes.columns)}")
    ranked = communes.sort_values("population", ascending=False, kind="stable")
    largest = ranked.drop_duplicates(per).sort_values(per, kind="stable")
    points = largest.geometry.representative_point()
    return gpd.GeoDataFrame(largest.drop(columns="geometry"), geometry=points, crs=communes.crs).reset_index(drop=True)
