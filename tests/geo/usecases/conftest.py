"""A small store of each backend holding two projects, for the editing use cases."""

from __future__ import annotations

from collections.abc import Iterator

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.crs import WGS84
from geo.store import Account, GeoPackageStore, PostgisStore, Store
from geo.store.edits import FONCIER, PROJECTS


def two_projects() -> gpd.GeoDataFrame:
    """Two projects at version 1, as the build writes them (only the columns the tests read)."""
    return gpd.GeoDataFrame(
        {
            "project_id": ["P1", "P2"],
            "name": ["Usine A", "Usine B"],
            "company": ["Alpha", "Beta"],
            "status": ["annoncé", "en service"],
            "status_category": ["annoncé", "en service"],
            "sector": ["batteries", "verre"],
            "sector_family": ["batteries", "métallurgie et matériaux"],
            "jobs_announced": [100, 50],
            "investment_eur": [1.0e6, 2.5e6],
            "status_date": ["2024-01", "2025-06"],
            "status_note": ["Annonce de 2024", "Inaugurée"],
            "other_sources": ["https://example.org/a", ""],
            "checked_date": ["2025-02-01", "2025-07-01"],
            "not_found_date": pd.Series([None, None], dtype="string"),
            "version": [1, 1],
        },
        geometry=[Point(3.40, 50.33), Point(3.28, 49.85)],
        crs=WGS84,
    )


@pytest.fixture(params=["geopackage", "postgis"])
def project_store(request, tmp_path) -> Iterator[Store]:
    """Each backend with the two projects, an empty history and no site."""
    if request.param == "geopackage":
        target: Store = GeoPackageStore(tmp_path / "projets.gpkg")
    else:
        target = PostgisStore(request.getfixturevalue("postgres_server").new_database())
    sites = gpd.GeoDataFrame({"site_id": ["s"], "version": [1]}, geometry=[Point(3.4, 50.3)], crs=WGS84)
    target.replace_all(
        {
            "projets": two_projects(),
            "projets_audit": PROJECTS.empty_audit(),
            "foncier": sites,
            "foncier_audit": FONCIER.empty_audit(),
        }
    )
    yield target
    target.close()


@pytest.fixture
def people(project_store) -> dict[str, Account]:
    """Two editors and a reader."""
    accounts = project_store.accounts()
    roles = {"alice": "editeur", "bob": "editeur", "lea": "lecteur"}
    return {name: accounts.add(name, role=role, password=f"{name}-mot-de-passe-long") for name, role in roles.items()}
