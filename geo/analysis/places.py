"""Find an EPCI, a commune or a territory by name, code or point; the towns maps name.

:class:`PlaceData` gathers what finding a place and drawing its fiche read, so a page or the CLI
hands over one object instead of choosing layers for each function.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import shapely

from geo.crs import WGS84, check_crs
from geo.text import normalise
from geo.vocabulary import TERRITORY_KINDS

MATCH_COLUMNS = ["kind", "id", "label", "detail", "minx", "miny", "maxx", "maxy"]


@dataclass(frozen=True)
class PlaceData:
    """The places a view can select, and what is located in them: what place look-ups and fiches read.

    Attributes
    ----------
    epci, communes : GeoDataFrame
        The full-precision units in WGS84: ``siren, nom, type, population, area_km2`` and
        ``code, nom, epci_siren, departement, region, population, area_km2``.
    territories, territory_communes : DataFrame
        Territories (``territory_id, kind, label, population, area_km2, source, vintage`` and optionally
        ``basis, approximation``) and their member communes (``territory_id, code``).
    index : DataFrame
        The search index (:func:`place_index` of the three layers above).
    projects : DataFrame
        Typed projects (:func:`geo.analysis.projects.typed_projects`) with ``insee_com, epci_siren``.
    foncier : GeoDataFrame
        Foncier sites with ``insee_com, epci_siren, statut, surface_ha, verifie`` and a CRS.
    """

    epci: gpd.GeoDataFrame
    communes: gpd.GeoDataFrame
    territories: pd.DataFrame
    territory_communes: pd.DataFrame
    index: pd.DataFrame
    projects: pd.DataFrame
    foncier: gpd.GeoDataFrame

    def __post_init__(self) -> None:
        check_crs(self.epci, WGS84, name="epci")
        check_crs(self.communes, WGS84, name="communes")
        if self.foncier.crs is None:
            raise ValueError("PlaceData needs foncier sites with a CRS; got none")

    @classmethod
    def from_layers(
        cls,
        *,
        epci: gpd.GeoDataFrame,
        communes: gpd.GeoDataFrame,
        territories: gpd.GeoDataFrame,
        territory_communes: pd.DataFrame,
        projects: pd.DataFrame,
        foncier: gpd.GeoDataFrame,
    ) -> PlaceData:
        """Gather the layers and build the search index (the app passes its cached index instead)."""
        index = place_index(epci=epci, communes=communes, territories=territories)
        return cls(epci, communes, territories, territory_communes, index, projects, foncier)

    def epci_of_commune(self, code: str) -> str | None:
        """SIREN of the EPCI of commune ``code`` (None for an unknown commune or one without EPCI)."""
        return epci_of_commune(code, self.communes)

    def bounds(self, kind: str, place_id: str) -> list[list[float]] | None:
        """``[[south, west], [north, east]]`` of a place of the index (WGS84 degrees), None if unknown."""
        found = self.index[(self.index["kind"] == kind) & (self.index["id"] == place_id)]
        return match_bounds(found.iloc[0]) if len(found) else None


def match_bounds(match: pd.Series) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of a search match, as Leaflet fits them."""
    return [[float(match["miny"]), float(match["minx"])], [float(match["maxy"]), float(match["maxx"])]]


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
