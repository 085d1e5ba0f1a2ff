"""Place imported rows on the map: by coordinates, by INSEE code, or by commune name.

Rules, in order of precedence for each row:

1. **Coordinates** (``lon/lat`` or ``x/y`` columns, or a GeoJSON geometry): WGS84 or
   Lambert-93 is recognised from the values' ranges (or declared); latitude and
   longitude given the wrong way round are swapped and reported. The point must fall in
   a commune of the two regions.
2. **INSEE code**: a dropped leading zero is restored (by the parser), a former commune
   (déléguée, associée or absorbed) is attached to its current commune and reported.
3. **Commune name** (+ département): accents and case are ignored; a name shared by
   several communes without a département is reported as ambiguous, never guessed.

A row placed by code or name gets the commune's representative point and says so
(``localisation`` = ``commune``): its position is the commune's, not the site's.
:func:`attach_places` then joins each placed row to its commune, EPCI and territories.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
from pyproj import Transformer

from geo import cog
from geo.cog import SCOPE_REGIONS
from geo.crs import LAMBERT93, WGS84, check_crs, check_same_crs
from geo.imports.problems import Severity
from geo.text import normalise
from geo.vocabulary import SITE_COLUMN_OF_KIND

# Bounding ranges of the two regions with a margin (WGS84 degrees, Lambert-93 metres):
# wide enough for every commune, narrow enough to tell the two systems and a swap apart.
LON_RANGE, LAT_RANGE = (0.5, 9.0), (46.8, 51.5)
X_RANGE, Y_RANGE = (500_000.0, 1_120_000.0), (6_650_000.0, 7_150_000.0)

LOCATED_BY_COORDINATES = "coordonnées"
LOCATED_BY_CODE = "commune (code INSEE)"
LOCATED_BY_NAME = "commune (nom)"

Report = Callable[[int, str, str, Severity], None]
"""``report(row_position, field_key, message, severity)``."""


@dataclass(frozen=True)
class CommuneLookup:
    """Everything needed to place a row: the COG code list and the communes of the map.

    Parameters
    ----------
    cog_communes : DataFrame
        Every COG entry of France (``code, nom, type, departement, region, chef_lieu``),
        plus absorbed codes (``type == "absorbee"``, ``chef_lieu`` = absorbing commune).
    communes : GeoDataFrame
        The map's communes (WGS84) with ``code, nom, departement, region, epci_siren``.
    """

    cog_communes: pd.DataFrame
    communes: gpd.GeoDataFrame

    def __post_init__(self) -> None:
        check_crs(self.communes, WGS84, name="communes")

    @property
    def points(self) -> gpd.GeoSeries:
        """One representative point per commune, indexed by code (computed once)."""
        cached = self.__dict__.get("_points")
        if cached is None:
            cached = gpd.GeoSeries(
                self.communes.geometry.representative_point().values, index=self.communes["code"], crs=WGS84
            )
            object.__setattr__(self, "_points", cached)
        return cached

    @property
    def absorbed(self) -> dict[str, str]:
        """Codes absorbed without a déléguée status → the current commune that holds them."""
        rows = self.cog_communes[self.cog_communes["type"] == "absorbee"]
        return dict(zip(rows["code"], rows["chef_lieu"], strict=True))

    @property
    def names(self) -> pd.DataFrame:
        """Current communes of France by normalised name: ``key, code, nom, departement, region``."""
        cached = self.__dict__.get("_names")
        if cached is None:
            current = self.cog_communes[self.cog_communes["type"] == cog.CURRENT]
            cached = current.assign(key=current["nom"].map(normalise))[["key", "code", "nom", "departement", "region"]]
            object.__setattr__(self, "_names", cached)
        return cached


def locate(values: pd.DataFrame, lookup: CommuneLookup, *, declared_crs: str | None, report: Report) -> pd.DataFrame:
    """Locate every row; rows that cannot be placed get ``insee_com`` = NA and an error.

    Parameters
    ----------
    values : DataFrame
        Parsed location fields (any of ``lon, lat, x, y, insee_com, commune, departement``).
    declared_crs : str, optional
        ``EPSG:2154`` or ``EPSG:4326`` when the user declared the coordinates' system.

    Returns
    -------
    DataFrame
        Same index: ``insee_com`` (current commune), ``lon``, ``lat`` (WGS84) and
        ``localisation`` (how the row was placed).
    """
    result = pd.DataFrame(
        {
            "insee_com": pd.Series(pd.NA, index=values.index, dtype="string"),
            "lon": np.nan,
            "lat": np.nan,
            "localisation": pd.Series(pd.NA, index=values.index, dtype="string"),
        }
    )
    first, second = _coordinate_pairs(values)
    has_coordinates = first.notna() & second.notna()
    _by_coordinates(result, first, second, has_coordinates, lookup, declared_crs, report)
    _check_against_code(result, values, has_coordinates, lookup, report)
    codes = values["insee_com"] if "insee_com" in values else pd.Series(pd.NA, index=values.index)
    by_code = ~has_coordinates & codes.notna()
    _by_code(result, codes[by_code], lookup, report)
    names = values["commune"] if "commune" in values else pd.Series(pd.NA, index=values.index)
    by_name = ~has_coordinates & ~by_code & names.notna()
    departements = values["departement"] if "departement" in values else pd.Series(pd.NA, index=values.index)
    _by_name(result, names[by_name], departements[by_name], lookup, report)
    for position in np.flatnonzero((~has_coordinates & ~by_code & ~by_name).to_numpy()):
        report(
            int(position),
            "",
            "ligne sans localisation : indiquez des coordonnées, un code INSEE ou une commune",
            Severity.ERROR,
        )
    return result


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
    membership = territoire_communes[territoire_communes["kind"].isin(list(SITE_COLUMN_OF_KIND))]
    lists = (
        membership.groupby(["code", "kind"])["territory_id"]
        .agg(lambda ids: ";".join(sorted(ids)))
        .unstack("kind")
        .rename(columns=SITE_COLUMN_OF_KIND)
        .reindex(columns=list(SITE_COLUMN_OF_KIND.values()))
    )
    joined = joined.drop(columns=[c for c in SITE_COLUMN_OF_KIND.values() if c in joined])
    joined = joined.merge(lists, left_on="insee_com", right_index=True, how="left")
    for column in SITE_COLUMN_OF_KIND.values():
        joined[column] = joined[column].astype("string")
    return gpd.GeoDataFrame(joined, geometry=sites.geometry.name, crs=sites.crs)


# --- private helpers -----------------------------------------------------------------------


def _coordinate_pairs(values: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(first, second) = (lon or X, lat or Y), whichever columns the file has."""
    empty = pd.Series(np.nan, index=values.index)
    first = values["lon"] if "lon" in values else empty
    second = values["lat"] if "lat" in values else empty
    if "x" in values:
        first = first.fillna(values["x"]) if "lon" in values else values["x"]
    if "y" in values:
        second = second.fillna(values["y"]) if "lat" in values else values["y"]
    return pd.to_numeric(first, errors="coerce"), pd.to_numeric(second, errors="coerce")


def _between(values: np.ndarray, bounds: tuple[float, float]) -> np.ndarray:
    return (values >= bounds[0]) & (values <= bounds[1])


def _by_coordinates(
    result: pd.DataFrame,
    first: pd.Series,
    second: pd.Series,
    mask: pd.Series,
    lookup: CommuneLookup,
    declared_crs: str | None,
    report: Report,
) -> None:
    if not mask.any():
        return
    a, b = first.to_numpy(dtype=float), second.to_numpy(dtype=float)
    wgs84 = _between(a, LON_RANGE) & _between(b, LAT_RANGE)
    swapped = _between(b, LON_RANGE) & _between(a, LAT_RANGE) & ~wgs84
    lambert = _between(a, X_RANGE) & _between(b, Y_RANGE)
    if declared_crs == LAMBERT93:
        wgs84 = swapped = np.zeros_like(lambert)
    elif declared_crs == WGS84:
        lambert = np.zeros_like(wgs84)
    lon, lat = np.where(swapped, b, a), np.where(swapped, a, b)
    if lambert.any():
        to_wgs84 = Transformer.from_crs(LAMBERT93, WGS84, always_xy=True)
        lon[lambert], lat[lambert] = to_wgs84.transform(a[lambert], b[lambert])
    readable = mask.to_numpy() & (wgs84 | swapped | lambert)
    for position in np.flatnonzero(mask.to_numpy() & ~readable):
        expected = {
            LAMBERT93: "Lambert-93 (X 500 000–1 120 000 m, Y 6 650 000–7 150 000 m)",
            WGS84: "WGS84 (longitude 0,5–9, latitude 46,8–51,5)",
        }.get(declared_crs or "", "WGS84 (longitude, latitude en degrés) ou Lambert-93 (X, Y en mètres)")
        report(
            int(position),
            "lon",
            f"coordonnées ({a[position]:g} ; {b[position]:g}) hors des deux régions ou dans un système inconnu ; "
            f"attendu : {expected}",
            Severity.ERROR,
        )
    for position in np.flatnonzero(mask.to_numpy() & swapped):
        report(
            int(position),
            "lon",
            f"latitude et longitude inversées ({a[position]:g} ; {b[position]:g}) : corrigé",
            Severity.WARNING,
        )
    codes = _commune_at(lon[readable], lat[readable], lookup)
    positions = np.flatnonzero(readable)
    in_scope = codes.map(lookup.communes.set_index("code")["region"]).isin(SCOPE_REGIONS).to_numpy()
    for position, inside in zip(positions, in_scope, strict=True):
        if not inside:
            report(
                int(position),
                "lon",
                f"le point ({lon[position]:.5f} ; {lat[position]:.5f}) est hors des Hauts-de-France et du Grand Est",
                Severity.ERROR,
            )
    kept = positions[in_scope]
    index = result.index[kept]
    result.loc[index, "insee_com"] = codes.to_numpy()[in_scope]
    result.loc[index, "lon"], result.loc[index, "lat"] = lon[kept], lat[kept]
    result.loc[index, "localisation"] = LOCATED_BY_COORDINATES


def _commune_at(lon: np.ndarray, lat: np.ndarray, lookup: CommuneLookup) -> pd.Series:
    """The commune code under each point (NA outside the map's communes), vectorised."""
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon, lat), crs=WGS84)
    joined = gpd.sjoin(points, lookup.communes[["code", "geometry"]], how="left", predicate="within")
    # A point exactly on a shared border matches two communes: keep the first.
    joined = joined[~joined.index.duplicated()]
    return joined["code"].astype("string").reset_index(drop=True)


def _check_against_code(
    result: pd.DataFrame, values: pd.DataFrame, has_coordinates: pd.Series, lookup: CommuneLookup, report: Report
) -> None:
    """Coordinates win over a code; a disagreement is reported, not hidden."""
    if "insee_com" not in values:
        return
    both = has_coordinates & values["insee_com"].notna() & result["insee_com"].notna()
    if not both.any():
        return
    stated = cog.current_codes(values.loc[both, "insee_com"], lookup.cog_communes, absorbed=lookup.absorbed)
    differ = stated["current_code"].to_numpy() != result.loc[both, "insee_com"].to_numpy()
    for position, code, found in zip(
        np.flatnonzero(both.to_numpy())[differ],
        stated["code"].to_numpy()[differ],
        result.loc[both, "insee_com"].to_numpy()[differ],
        strict=True,
    ):
        report(
            int(position),
            "insee_com",
            f"le code INSEE {code} ne correspond pas à la commune des coordonnées ({found}) : "
            "les coordonnées sont retenues",
            Severity.WARNING,
        )


def _by_code(result: pd.DataFrame, codes: pd.Series, lookup: CommuneLookup, report: Report) -> None:
    if codes.empty:
        return
    mapped = cog.current_codes(codes, lookup.cog_communes, absorbed=lookup.absorbed)
    mapped.index = codes.index
    region = mapped["current_code"].map(lookup.cog_communes.drop_duplicates("code").set_index("code")["region"])
    on_map = mapped["current_code"].isin(lookup.points.index)
    positions = result.index.get_indexer(codes.index)
    for position, row, reg, shown in zip(positions, mapped.itertuples(), region, on_map, strict=True):
        if row.how == "inconnue":
            report(int(position), "insee_com", f"code INSEE {row.code} inconnu du COG 2026", Severity.ERROR)
        elif reg not in SCOPE_REGIONS or not shown:
            report(
                int(position),
                "insee_com",
                f"la commune {row.current_code} est hors des Hauts-de-France et du Grand Est",
                Severity.ERROR,
            )
        elif row.how != "actuelle":
            report(
                int(position),
                "insee_com",
                f"ancienne commune {row.code} ({row.how}) rattachée à la commune actuelle {row.current_code}",
                Severity.WARNING,
            )
    ok = mapped["how"].ne("inconnue") & region.isin(SCOPE_REGIONS) & on_map
    _place_at_communes(result, mapped.loc[ok, "current_code"], LOCATED_BY_CODE, lookup)


def _by_name(
    result: pd.DataFrame, names: pd.Series, departements: pd.Series, lookup: CommuneLookup, report: Report
) -> None:
    if names.empty:
        return
    asked = pd.DataFrame(
        {"row": names.index, "key": names.astype(str).map(normalise).to_numpy(), "asked_dep": departements.to_numpy()}
    )
    candidates = asked.merge(lookup.names, on="key", how="inner")
    candidates = candidates[candidates["asked_dep"].isna() | (candidates["asked_dep"] == candidates["departement"])]
    count = candidates.groupby("row").size().reindex(asked["row"], fill_value=0)
    in_scope = candidates[candidates["region"].isin(SCOPE_REGIONS)]
    scope_count = in_scope.groupby("row").size().reindex(asked["row"], fill_value=0)
    # One match in the two regions is the commune meant, even if homonyms exist elsewhere
    # in France (they are named in a warning); two matches in the regions are never guessed.
    unique = scope_count == 1
    found = in_scope[in_scope["row"].isin(unique[unique].index)].set_index("row")["code"]
    _place_at_communes(result, found.astype("string"), LOCATED_BY_NAME, lookup)
    for row in asked[(~unique | (count > 1)).to_numpy()].itertuples():
        position = int(result.index.get_loc(row.row))
        name = names[row.row]
        mine = candidates[candidates["row"] == row.row]
        if unique[row.row]:
            elsewhere = ", ".join(
                f"{r.nom} ({r.departement})" for r in mine.itertuples() if r.region not in SCOPE_REGIONS
            )
            report(position, "commune", f"homonymes hors des deux régions écartés : {elsewhere}", Severity.WARNING)
            continue
        if mine.empty:
            message = _unknown_name(str(name), row.asked_dep, lookup.names)
        elif scope_count[row.row] == 0:
            where = ", ".join(f"{r.nom} ({r.departement})" for r in mine.itertuples())
            message = f"{where} : hors des Hauts-de-France et du Grand Est"
        else:
            options = ", ".join(f"{r.nom} ({r.departement}, {r.code})" for r in mine.itertuples())
            message = f"nom de commune ambigu « {name} » : {options} ; précisez le département ou le code INSEE"
        report(position, "commune", message, Severity.ERROR)


def _unknown_name(name: str, departement: object, table: pd.DataFrame) -> str:
    pool = table if pd.isna(departement) else table[table["departement"] == departement]
    close = difflib.get_close_matches(normalise(name), pool["key"].unique().tolist(), n=3, cutoff=0.8)
    where = "" if pd.isna(departement) else f" dans le département {departement}"
    hint = ""
    if close:
        hint = " ; vouliez-vous dire : " + ", ".join(
            f"{r.nom} ({r.departement})" for r in pool[pool["key"].isin(close)].itertuples()
        )
    return f"commune « {name} » introuvable{where}{hint}"


def _place_at_communes(result: pd.DataFrame, codes: pd.Series, how: str, lookup: CommuneLookup) -> None:
    if codes.empty:
        return
    points = lookup.points.reindex(codes.to_numpy())
    result.loc[codes.index, "insee_com"] = codes.to_numpy()
    result.loc[codes.index, "lon"] = points.x.to_numpy()
    result.loc[codes.index, "lat"] = points.y.to_numpy()
    result.loc[codes.index, "localisation"] = how


def lookup_from_store(store: object) -> CommuneLookup:
    """The lookup from a built store (anything with ``read(layer)``: GeoPackage or PostGIS)."""
    return CommuneLookup(store.read("cog_communes"), store.read("communes"))  # type: ignore[attr-defined]
