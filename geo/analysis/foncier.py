"""Available industrial land: Cartofriches brownfields, sites clés en main and the users' own sites, one schema,
one search.

The sources are brought into this schema at build time (:mod:`geo.assembly.foncier_sources`); a user's list
goes through the import pipeline with :data:`FONCIER_IMPORT`.

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

from geo.analysis.foncier_aptitude import aptitude, zoning_kind
from geo.analysis.foncier_quality import quality_flags
from geo.crs import LAMBERT93, WGS84, check_crs
from geo.imports.columns import LOCATION_FIELDS, Field, Kind
from geo.imports.locate import CommuneLookup
from geo.imports.pipeline import ImportResult, refuse_non_web_sources, run_import
from geo.imports.schema import ImportContext, ImportSchema
from geo.store import EDITED_LAYER
from geo.vocabulary import KIND_IMPORTED, POLLUTION_UNKNOWN, POLLUTIONS_KNOWN, STATUS_FREE_BROWNFIELD

FONCIER_FIELDS: tuple[Field, ...] = (
    Field("site_id", "identifiant", Kind.TEXT, ("id", "identifiant", "id site", "reference", "code site")),
    Field("nom", "nom du site", Kind.TEXT, ("nom", "site", "nom site", "libelle", "intitule", "name")),
    *LOCATION_FIELDS,
    Field("surface_ha", "surface (ha)", Kind.AREA, ("surface", "superficie", "surface ha", "surface totale")),
    Field("statut", "statut", Kind.TEXT, ("statut", "etat", "disponibilite")),
    Field("zone_urba", "zonage d'urbanisme", Kind.TEXT, ("zonage", "zone", "zone plu", "zonage plu", "zone urba")),
    Field(
        "zone_urba_libelle",
        "libellé du zonage",
        Kind.TEXT,
        ("libelle zonage", "libelle zone", "zonage libelle", "vocation zone"),
    ),
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

FONCIER_IMPORT = ImportSchema(
    table="foncier",
    layer=EDITED_LAYER,
    noun="sites",
    label="sites fonciers (friches, terrains)",
    fields=FONCIER_FIELDS,
    id_key="site_id",
    name_key="nom",
    name_column_missing="colonne du nom du site introuvable (en-tête attendu : « nom » ou « site »)",
    name_missing="nom du site manquant",
    row_checks=(refuse_non_web_sources,),
    defaults={  # what a user's list seldom says; the editors correct a site afterwards
        "kind": KIND_IMPORTED,
        "statut": STATUS_FREE_BROWNFIELD,
        "pollution": POLLUTION_UNKNOWN,
        "nature": "importé de {file}",
        "verifie": True,
        "source": "fichier importé {file}",
        "date_source": "{today}",
    },
)
"""A list of sites, for :func:`sites_from_file`, ``reindus import foncier`` and the Données page."""


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
    instead of duplicating. Applying is :func:`geo.usecases.imports.apply_import` (audited).
    """
    context = ImportContext(lookup, territoire_communes, declared_crs=declared_crs, today=today)
    return run_import(source, FONCIER_IMPORT, context, name=name)


@dataclass(frozen=True)
class FoncierQuery:
    """Search criteria; None means "no condition". Distances in metres, surfaces in hectares."""

    min_surface_ha: float | None = None
    max_surface_ha: float | None = None
    statuts: tuple[str, ...] | None = None
    zones_urba: tuple[str, ...] | None = None
    """Zone types of the plan as the source writes them (« U », « AUc »…); « AU » stands for AUc and AUs."""
    zonings: tuple[str, ...] | None = None
    """Zonings in words, keys of :data:`~geo.analysis.foncier_aptitude.ZONING_KINDS`."""
    pollution_known: bool = False
    verified_only: bool = False
    hide_flagged: bool = False
    """Leave out the sites with a quality flag (:mod:`geo.analysis.foncier_quality`)."""
    max_distance_m: dict[str, float] | None = None
    territory_column: str | None = None  # "epci_siren", "ti_phase2", "bassins"…
    territory_id: str | None = None
    origin_l93: tuple[float, float] | None = None  # (x, y) of the chosen point or commune
    max_distance_from_origin_m: float | None = None
    rank_by_aptitude: bool = True
    """Rank by :func:`~geo.analysis.foncier_aptitude.aptitude` first; False ranks by distance or surface only."""


def search_sites(
    sites: gpd.GeoDataFrame, query: FoncierQuery, *, flags: pd.DataFrame | None = None
) -> gpd.GeoDataFrame:
    """The sites matching ``query``, ranked, with ``distance_m`` from the origin when one is given, their
    ``aptitude`` and ``raisons_aptitude`` when ranked by it, and ``raisons_qualite`` (computed over all ``sites``
    unless given).

    Ranking rule (shown to the user): by aptitude, best first; then by distance from the chosen point when
    there is one, otherwise by surface, largest first (sites of unknown surface come last). With
    ``rank_by_aptitude=False``, by distance or surface alone. ``flags``: :func:`quality_flags` of ``sites``
    when the caller keeps them (computed here otherwise).
    """
    check_crs(sites, WGS84, name="sites")
    # The quality rules run over every site (a duplicate's twin may be outside the search), and only when the
    # search needs them: a plain search over sites that carry their reasons (the Carte's layer) costs nothing more.
    if flags is None and (query.rank_by_aptitude or "raisons_qualite" not in sites):
        flags = quality_flags(sites)
    if "raisons_qualite" not in sites:
        sites = sites.assign(raisons_qualite=flags["raisons_qualite"])
    found = sites[_matches(sites, query)].copy()
    if query.rank_by_aptitude:
        found[["aptitude", "raisons_aptitude"]] = aptitude(
            found, surface_range_ha=(query.min_surface_ha, query.max_surface_ha), flags=flags.loc[found.index]
        )
    found["distance_m"] = np.nan
    if query.origin_l93 is not None:
        found["distance_m"] = distances_m(found, query.origin_l93)
        if query.max_distance_from_origin_m is not None:
            found = found[found["distance_m"] <= query.max_distance_from_origin_m]
        order, ascending = ["distance_m"], [True]
    else:
        order, ascending = ["surface_ha"], [False]
    if query.rank_by_aptitude:
        order, ascending = ["aptitude", *order], [False, *ascending]
    return found.sort_values(order, ascending=ascending, na_position="last", kind="stable")


def _matches(sites: gpd.GeoDataFrame, query: FoncierQuery) -> pd.Series:
    """Which sites meet every criterion of ``query`` but the distance from its origin."""
    keep = pd.Series(True, index=sites.index)
    surface = pd.to_numeric(sites["surface_ha"], errors="coerce")
    low, high = query.min_surface_ha, query.max_surface_ha
    if low is not None or high is not None:
        keep &= surface.between(low if low is not None else -np.inf, high if high is not None else np.inf)
    if query.statuts is not None:
        keep &= sites["statut"].isin(query.statuts)
    if query.zones_urba is not None:
        asked = set(query.zones_urba) | ({"AUc", "AUs"} if "AU" in query.zones_urba else set())
        keep &= sites["zone_urba"].isin(asked)
    if query.zonings is not None:
        keep &= zoning_kind(sites).isin(query.zonings)
    if query.pollution_known:
        keep &= sites["pollution"].isin(POLLUTIONS_KNOWN)
    if query.verified_only:
        keep &= sites["verifie"].astype(bool)
    if query.hide_flagged:
        keep &= sites["raisons_qualite"].fillna("").eq("")
    for column, limit in (query.max_distance_m or {}).items():
        keep &= sites[column].le(limit).fillna(False).astype(bool)
    if query.territory_column and query.territory_id:
        members = sites[query.territory_column].fillna("").astype(str).str.split(";")
        keep &= members.map(lambda ids: query.territory_id in ids)
    return keep


def distances_m(sites: gpd.GeoDataFrame, origin_l93: tuple[float, float]) -> pd.Series:
    """Straight-line distance in metres from ``origin_l93`` (Lambert-93 x, y), computed in Lambert-93.

    Lambert-93's scale error reaches about 0.1 % at the northern edge (Dunkerque), well within the
    0.5 % a site search needs (checked against pyproj's geodesic distance in the tests).
    """
    projected = sites.geometry.to_crs(LAMBERT93)
    return pd.Series(np.hypot(projected.x - origin_l93[0], projected.y - origin_l93[1]), index=sites.index)
