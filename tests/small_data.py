"""Small frames built in code, shared by the tests of several packages: four foncier sites checked by hand,
two communes, two projects, and the small store layers made of them (WGS84, explicit CRS)."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point, box

from geo.analysis.foncier import FoncierQuery
from geo.crs import WGS84
from geo.store.edits import PROJECTS, empty_audit


def small_sites() -> gpd.GeoDataFrame:
    """Four hand-placed sites whose answers to each criterion are checked by hand below."""
    return gpd.GeoDataFrame(
        {
            "site_id": ["a", "b", "c", "d"],
            "surface_ha": [12.0, 3.0, None, 50.0],
            "statut": ["friche sans projet", "friche avec projet", "friche potentielle", "site clé en main"],
            "zone_urba": ["U", "N", pd.NA, pd.NA],
            "pollution": ["pollution avérée", "inconnu", "inconnu", "inconnu"],
            "verifie": [True, True, False, True],
            "distance_rail_m": [500.0, 5000.0, np.nan, np.nan],
            "epci_siren": ["200042190", "200042190", "245900428", "245900428"],
            "ti_phase2": ["p2-ti-3207", "p2-ti-3207", "p2-ti-3201", "p2-ti-3201"],
        },
        geometry=[
            shapely.Point(3.39, 50.33),  # Denain
            shapely.Point(3.52, 50.36),  # Valenciennes
            shapely.Point(2.37, 51.03),  # Dunkerque
            shapely.Point(2.25, 50.98),  # Bourbourg
        ],
        crs="EPSG:4326",
    )


BY_SURFACE = {"rank_by_aptitude": False}
"""These cases check what each criterion keeps, in the plain order (by surface); the aptitude has its own tests."""
CRITERIA_CASES = [
    (FoncierQuery(**BY_SURFACE), ["d", "a", "b", "c"]),  # by surface, unknown last
    (FoncierQuery(min_surface_ha=10, **BY_SURFACE), ["d", "a"]),
    (FoncierQuery(statuts=("friche sans projet", "friche potentielle"), **BY_SURFACE), ["a", "c"]),
    (FoncierQuery(zones_urba=("U",), **BY_SURFACE), ["a"]),
    (FoncierQuery(pollution_known=True, **BY_SURFACE), ["a"]),
    (FoncierQuery(verified_only=True, **BY_SURFACE), ["d", "a", "b"]),
    (FoncierQuery(max_distance_m={"distance_rail_m": 1000}, **BY_SURFACE), ["a"]),  # unknown distance never passes
    (FoncierQuery(territory_column="ti_phase2", territory_id="p2-ti-3201", **BY_SURFACE), ["d", "c"]),
    (FoncierQuery(territory_column="epci_siren", territory_id="200042190", min_surface_ha=5, **BY_SURFACE), ["a"]),
    (FoncierQuery(max_surface_ha=20, **BY_SURFACE), ["a", "b"]),  # unknown surface never passes
    (FoncierQuery(min_surface_ha=3, max_surface_ha=12, **BY_SURFACE), ["a", "b"]),  # both ends kept
    (FoncierQuery(zonings=("naturelle", "inconnu"), **BY_SURFACE), ["d", "b", "c"]),
    (FoncierQuery(zones_urba=("AU", "N"), **BY_SURFACE), ["b"]),
    (FoncierQuery(hide_flagged=True, **BY_SURFACE), ["d", "a"]),  # b: zonage N ; c: non vérifiée
]
"""Each search criterion on :func:`small_sites`, with the ids it must find, in order."""


def small_communes() -> gpd.GeoDataFrame:
    """Two square 'communes' around Denain and Saint-Quentin (Aisne: the code keeps its leading zero)."""
    return gpd.GeoDataFrame(
        {
            "code": ["59172", "02691"],
            "nom": ["Denain", "Saint-Quentin"],
            "departement": ["59", "02"],
            "region": ["32", "32"],
            "epci_siren": ["200042190", "200071983"],
        },
        geometry=[box(3.35, 50.30, 3.45, 50.36), box(3.20, 49.80, 3.35, 49.90)],
        crs=WGS84,
    )


def small_projects() -> gpd.GeoDataFrame:
    """Two projects, at version 1 as the build writes them."""
    return gpd.GeoDataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["Usine A", "Usine B"],
            "status": ["annoncé", "en service"],
            "status_category": ["annoncé", "en service"],
            "jobs_announced": [100, 50],
            "investment_eur": [1.0e6, 2.5e6],
            "insee_com": ["59172", "02691"],
            "origin": ["projets.csv", "projets.csv"],
            "version": [1, 1],
        },
        geometry=[Point(3.40, 50.33), Point(3.28, 49.85)],
        crs=WGS84,
    )


def small_layers() -> dict[str, pd.DataFrame]:
    sites = small_sites()
    sites = sites.assign(
        nom=[f"Site {i}" for i in sites["site_id"]],
        kind="friche",
        source="test",
        insee_com=["59172", "59172", "59183", "59094"],
        version=1,
    )
    return {
        "foncier": sites,
        "foncier_audit": empty_audit(),
        "projets": small_projects(),
        "projets_audit": PROJECTS.empty_audit(),
        "communes": small_communes(),
        "territoire_communes": pd.DataFrame(
            {
                "territory_id": ["p2-ti-3207", "bassin-x"],
                "kind": ["ti_phase2", "bassin_prioritaire"],
                "code": ["59172", "02691"],
            }
        ),
    }
