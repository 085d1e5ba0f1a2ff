"""Foncier sources in the foncier schema, at build time: Cartofriches and the sites clés en main.

Cerema's caveat travels with the data: rows of nature « MTE non vérifié » are only *potential*
brownfields (BASIAS/BASOL sites not checked), so they get ``verifie = False``. The 2023 snapshot
gives the distance to the railway for most sites but no distance to road, waterway or sea (its
``desserte_distance_*`` columns are read as they are). The sites clés en main are placed at their
commune's point (the list gives no coordinates). :func:`geo.assembly.pipeline.build` then brings both
to the COG 2026 and joins them to their places.
"""

from __future__ import annotations

import re
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import LAMBERT93, WGS84
from geo.errors import BuildIntegrityError
from geo.imports.locate import CommuneLookup
from geo.vocabulary import (
    DISTANCE_COLUMNS,
    KIND_CLES_EN_MAIN,
    KIND_FRICHE,
    STATUS_POTENTIAL_BROWNFIELD,
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
            "zone_urba_libelle": table.get("urba_zone_lib", pd.Series(pd.NA, index=table.index)).astype("string"),
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


CNIG_COLUMNS = ("site_id", "site_nom", "site_statut", "comm_insee", "geompoint", "geomsurf", "unite_fonciere_surface")
"""Columns of the national export in the CNIG « friches » standard this reader needs (among its fifty)."""


def is_cnig_export(columns: pd.Index) -> bool:
    """Whether a Cartofriches table is the national export in the CNIG standard (else the 2023 snapshot)."""
    return set(CNIG_COLUMNS) <= set(columns)


def read_cnig_export(path) -> pd.DataFrame:
    """The national export as Cerema publishes it on data.gouv.fr: semicolons, UTF-8 (with or without BOM),
    ``NA`` for an empty cell, quotes inside a cell escaped with a backslash (``\\"``)."""
    return pd.read_csv(
        path, sep=";", dtype=str, encoding="utf-8-sig", escapechar="\\", na_values=["NA"], keep_default_na=False
    )


def export_date(path, table: pd.DataFrame, *, url: str = "") -> str:
    """The date of a national export: the one in the name it was published under (``…/friches-standard-2026-04-15
    .csv``) or saved as, else the latest update of its sites."""
    for name in (url.rsplit("/", 1)[-1], Path(path).name):
        if found := re.search(r"(\d{4}-\d{2}-\d{2})", name):
            return found.group(1)
    dates = pd.to_datetime(table.get("site_actu_date"), errors="coerce")
    return "" if dates is None or dates.isna().all() else f"{dates.max():%Y-%m-%d}"


def sites_from_cnig_export(table: pd.DataFrame, *, source_date: str, departements: set[str]) -> gpd.GeoDataFrame:
    """The national Cartofriches export (CNIG « friches » standard) in the foncier schema, for ``departements``.

    - Position: ``geompoint`` (WKT); a polygon's centroid when only ``geomsurf`` is given. Coordinates out of
      longitude/latitude range are read as Lambert-93 (the standard leaves the system to the producer).
    - Surface: the area of the site's polygon (``geomsurf``, computed in Lambert-93) where it is published, else
      the land unit's (``unite_fonciere_surface``, m²), which the quality rules treat with suspicion.
    - Verified: every status but « friche potentielle » (the unchecked BASIAS/BASOL sites of the snapshot).
    - The standard has one undifferentiated ``desserte_distance``: the distances stay unknown, never guessed.
    """
    table = table[table["comm_insee"].fillna("").str.zfill(5).str[:2].isin(departements)].reset_index(drop=True)
    points = _wkt(table["geompoint"])
    polygons = _wkt(table["geomsurf"])
    centres = polygons.to_crs(LAMBERT93).centroid.to_crs(WGS84)
    position = points.where(~points.is_empty & points.notna(), centres)
    polygon_ha = polygons.to_crs(LAMBERT93).area / 10_000
    unit_ha = pd.to_numeric(table["unite_fonciere_surface"], errors="coerce") / 10_000
    statut = table["site_statut"].astype("string")
    text = lambda name: table.get(name, pd.Series(pd.NA, index=table.index)).astype("string")  # noqa: E731
    frame = pd.DataFrame(
        {
            "site_id": "cf-" + table["site_id"].astype(str),
            "nom": text("site_nom"),
            "kind": KIND_FRICHE,
            "site_type": text("site_type"),
            "statut": statut,
            "surface_ha": polygon_ha.where(polygon_ha.gt(0), unit_ha).to_numpy(),
            "pollution": text("sol_pollution_existe").fillna("inconnu"),
            "zone_urba": text("urba_zone_type"),
            "zone_urba_libelle": text("urba_zone_lib"),
            **{column: np.nan for column in DISTANCE_COLUMNS},
            "activite": text("activite_libelle"),
            "projet": text("site_projet_url"),
            "nature": text("source_producteur").fillna(text("source_nom")),
            "verifie": statut.ne(STATUS_POTENTIAL_BROWNFIELD).fillna(True).astype(bool).to_numpy(),
            "source": ("Cerema – Cartofriches ; " + text("source_nom").fillna("")).astype("string"),
            "source_url": text("site_url"),
            "date_maj": text("site_actu_date").str[:10],
            "date_source": source_date,
            "insee_com": table["comm_insee"].astype("string").str.zfill(5),
        }
    )
    return gpd.GeoDataFrame(frame, geometry=position.to_crs(WGS84).to_numpy(), crs=WGS84)


def _wkt(values: pd.Series) -> gpd.GeoSeries:
    """WKT cells as geometries in WGS84; a cell out of longitude/latitude range is read as Lambert-93."""
    parsed = gpd.GeoSeries.from_wkt(values.where(values.notna(), None), on_invalid="ignore")
    bounds = parsed.bounds
    projected = bounds["maxx"].abs().gt(180) | bounds["maxy"].abs().gt(90)
    result = gpd.GeoSeries(parsed, crs=WGS84)
    if projected.any():
        result[projected] = gpd.GeoSeries(parsed[projected], crs=LAMBERT93).to_crs(WGS84)
    return result


def complete_cles_en_main(listed: pd.DataFrame, curated: pd.DataFrame) -> pd.DataFrame:
    """The sites clés en main of the shared list, completed by ``data/sites_cles_en_main.csv`` (reindus' own
    research, each row sourced): a row naming a listed site in ``completes`` fills its empty commune and
    surface and adds its source; the others are sites the list did not have.

    Only a surface the source says is *available* goes to ``surface_ha`` (it counts in the foncier totals);
    a whole zone's surface (``surface_zone_ha``, mostly built on) is said in the note, never counted.
    """
    listed = listed.copy()
    curated = curated.copy()
    zone = pd.to_numeric(curated["surface_zone_ha"], errors="coerce")
    zone_text = zone.map(lambda ha: "" if pd.isna(ha) else f" ; toute la zone : {ha:g} ha (pas la surface libre)")
    curated["note"] = curated["note"].fillna("") + zone_text
    by_name = listed.reset_index().set_index("site_name")["index"]
    completing = curated["completes"].notna()
    unknown = set(curated.loc[completing, "completes"]) - set(by_name.index)
    if unknown:
        raise BuildIntegrityError(
            "data/sites_cles_en_main.csv complète des sites absents de la liste : " + ", ".join(sorted(unknown))
        )
    for row in curated[completing].itertuples():
        index = by_name[row.completes]
        for column in ("insee_com", "commune_as_given", "surface_ha"):
            if pd.isna(listed.at[index, column]) and pd.notna(getattr(row, column)):
                listed.at[index, column] = getattr(row, column)
        listed.at[index, "note"] = "; ".join(str(v) for v in (listed.at[index, "note"], row.note) if pd.notna(v))
        listed.at[index, "source_url"] = f"{listed.at[index, 'source_url']} ; {row.source_url}"
    added = curated.loc[~completing, [column for column in listed.columns if column in curated.columns]]
    return pd.concat([listed, added], ignore_index=True)


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
