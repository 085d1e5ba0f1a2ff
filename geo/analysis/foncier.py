"""Available industrial land: Cartofriches brownfields and sites clés en main, one schema, one search.

Cerema's caveat travels with the data: rows of nature « MTE non vérifié » are only
*potential* brownfields (BASIAS/BASOL sites not checked), not statistics; they are
flagged ``verifie = False`` and the page says so. The 2023 snapshot gives the distance
to the railway for most sites but no distance to road, waterway or sea: those filters
say the data is missing instead of pretending.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.sites import attach_places, refuse_non_web_sources
from geo.crs import LAMBERT93, WGS84, check_crs
from geo.imports.columns import LOCATION_FIELDS, Field, Kind
from geo.imports.locate import CommuneLookup
from geo.imports.pipeline import ImportResult, import_result, locate_values, parse_table, valid_rows, with_row_ids
from geo.imports.tabular import read_table
from geo.store import EDITED_LAYER
from geo.vocabulary import (
    DISTANCE_COLUMNS,
    KIND_CLES_EN_MAIN,
    KIND_FRICHE,
    KIND_IMPORTED,
    POLLUTIONS_KNOWN,
    UNVERIFIED_NATURE,
)


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
    return sites.astype({"zone_urba": "string", "activite": "string", "date_maj": "string"}), warnings


FONCIER_FIELDS: tuple[Field, ...] = (
    Field("site_id", "identifiant", Kind.TEXT, ("id", "identifiant", "id site", "reference", "code site")),
    Field("nom", "nom du site", Kind.TEXT, ("nom", "site", "nom site", "libelle", "intitule", "name")),
    *LOCATION_FIELDS,
    Field("surface_ha", "surface (ha)", Kind.AREA, ("surface", "superficie", "surface ha", "surface totale")),
    Field("statut", "statut", Kind.TEXT, ("statut", "etat", "disponibilite")),
    Field("zone_urba", "zonage d'urbanisme", Kind.TEXT, ("zonage", "zone", "zone plu", "zonage plu", "zone urba")),
    Field("pollution", "pollution", Kind.TEXT, ("pollution", "pollution sol", "sol pollue")),
    Field("site_type", "type de site", Kind.TEXT, ("type", "type site", "nature")),
    Field("activite", "ancienne activité", Kind.TEXT, ("activite", "ancienne activite", "activite passee")),
    Field("projet", "projet / remarque", Kind.TEXT, ("projet", "remarque", "commentaire", "observations")),
    Field("distance_route_m", "distance route (m)", Kind.DISTANCE, ("distance route", "acces routier")),
    Field("distance_rail_m", "distance voie ferrée (m)", Kind.DISTANCE, ("distance rail", "distance voie ferree")),
    Field("distance_fluvial_m", "distance voie d'eau (m)", Kind.DISTANCE, ("distance fluvial", "distance voie eau")),
    Field("distance_maritime_m", "distance port (m)", Kind.DISTANCE, ("distance port", "distance maritime")),
    Field("source", "source", Kind.TEXT, ("source", "producteur", "origine")),
    Field("source_url", "lien", Kind.TEXT, ("url", "lien", "url source")),
    Field("date_maj", "date de mise à jour", Kind.TEXT, ("date", "date maj", "mise a jour", "date mise a jour")),
)
"""What ``reindus import foncier`` and the Données page understand; other columns are reported as ignored."""


def sites_from_file(
    source: str | Path | IO[bytes],
    *,
    lookup: CommuneLookup,
    territoire_communes: pd.DataFrame,
    name: str | None = None,
    declared_crs: str | None = None,
    today: str,
) -> ImportResult:
    """Read, check and locate a user's list of sites; nothing is written (same rules as projects).

    Rows without an id get ``<file>:<line>``, so importing the same file twice updates
    instead of duplicating. Applying is :func:`geo.store.edits.import_rows` (audited).
    """
    table = read_table(source, name=name)
    values, mapping, sink = parse_table(table, FONCIER_FIELDS)
    if "nom" not in mapping.fields:
        sink.file_problem("colonne du nom du site introuvable (en-tête attendu : « nom » ou « site »)")
    if table.cells.empty:
        sink.file_problem("aucune ligne de données sous l'en-tête")
    for position in values["nom"].isna().to_numpy().nonzero()[0] if "nom" in values else ():
        sink(int(position), "nom", "nom du site manquant")
    refuse_non_web_sources(values, sink)
    values = with_row_ids(values, "site_id", table, sink)
    frame = locate_values(values, lookup, sink, declared_crs=declared_crs or table.declared_crs)
    rows = attach_places(valid_rows(frame, sink), lookup.communes, territoire_communes)
    defaults = {
        "kind": KIND_IMPORTED,
        "statut": "friche sans projet",
        "pollution": "inconnu",
        "nature": f"importé de {table.name}",
        "verifie": True,
        "source": f"fichier importé {table.name}",
        "date_source": today,
    }
    for column, value in defaults.items():
        rows[column] = rows[column].fillna(value) if column in rows else value
    return import_result(table, mapping, sink, rows, FONCIER_FIELDS, layer=EDITED_LAYER)


@dataclass(frozen=True)
class FoncierQuery:
    """Search criteria; None means "no condition". Distances in metres, surfaces in hectares."""

    min_surface_ha: float | None = None
    statuts: tuple[str, ...] | None = None
    zones_urba: tuple[str, ...] | None = None
    pollution_known: bool = False
    verified_only: bool = False
    max_distance_m: dict[str, float] | None = None
    territory_column: str | None = None  # "epci_siren", "ti_phase2", "bassins"…
    territory_id: str | None = None
    origin_l93: tuple[float, float] | None = None  # (x, y) of the chosen point or commune
    max_distance_from_origin_m: float | None = None


def search_sites(sites: gpd.GeoDataFrame, query: FoncierQuery) -> gpd.GeoDataFrame:
    """The sites matching ``query``, ranked, with ``distance_m`` from the origin when one is given.

    Ranking rule (shown to the user): by distance from the chosen point when there is one,
    otherwise by surface, largest first; sites of unknown surface come last.
    """
    check_crs(sites, WGS84, name="sites")
    keep = pd.Series(True, index=sites.index)
    if query.min_surface_ha is not None:
        keep &= sites["surface_ha"].ge(query.min_surface_ha).fillna(False).astype(bool)
    if query.statuts is not None:
        keep &= sites["statut"].isin(query.statuts)
    if query.zones_urba is not None:
        keep &= sites["zone_urba"].isin(query.zones_urba)
    if query.pollution_known:
        keep &= sites["pollution"].isin(POLLUTIONS_KNOWN)
    if query.verified_only:
        keep &= sites["verifie"].astype(bool)
    for column, limit in (query.max_distance_m or {}).items():
        keep &= sites[column].le(limit).fillna(False).astype(bool)
    if query.territory_column and query.territory_id:
        members = sites[query.territory_column].fillna("").astype(str).str.split(";")
        keep &= members.map(lambda ids: query.territory_id in ids)
    found = sites[keep].copy()
    if query.origin_l93 is not None:
        found["distance_m"] = distances_m(found, query.origin_l93)
        if query.max_distance_from_origin_m is not None:
            found = found[found["distance_m"] <= query.max_distance_from_origin_m]
        return found.sort_values("distance_m", kind="stable")
    found["distance_m"] = np.nan
    return found.sort_values("surface_ha", ascending=False, na_position="last", kind="stable")


def distances_m(sites: gpd.GeoDataFrame, origin_l93: tuple[float, float]) -> pd.Series:
    """Straight-line distance in metres from ``origin_l93`` (Lambert-93 x, y), computed in Lambert-93.

    Lambert-93's scale error reaches about 0.1 % at the northern edge (Dunkerque), well within the
    0.5 % a site search needs (checked against pyproj's geodesic distance in the tests).
    """
    projected = sites.geometry.to_crs(LAMBERT93)
    return pd.Series(np.hypot(projected.x - origin_l93[0], projected.y - origin_l93[1]), index=sites.index)


_RAW_DISTANCES = {
    "desserte_distance_route": "distance_route_m",
    "desserte_distance_ferroviaire": "distance_rail_m",
    "desserte_distance_fluvial": "distance_fluvial_m",
    "desserte_distance_maritime": "distance_maritime_m",
}
