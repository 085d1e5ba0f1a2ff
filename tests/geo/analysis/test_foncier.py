"""Foncier search: each criterion on hand-checked small data, distances against pyproj's geodesic."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from pyproj import Geod, Transformer

from geo.analysis.foncier import FoncierQuery, distances_m, search_sites
from tests.small_data import CRITERIA_CASES, small_sites

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


def _ids(found):
    return found["site_id"].tolist()


@pytest.mark.parametrize(("query", "expected"), CRITERIA_CASES)
def test_each_criterion(query, expected):
    assert _ids(search_sites(small_sites(), query)) == expected


def test_distance_from_a_point_ranks_and_limits():
    origin = TO_L93.transform(3.40, 50.33)  # next to Denain
    found = search_sites(small_sites(), FoncierQuery(origin_l93=origin, max_distance_from_origin_m=20_000))
    assert _ids(found) == ["a", "b"]
    assert found["distance_m"].is_monotonic_increasing


def test_lambert93_distances_match_geodesic_within_half_a_percent():
    geod = Geod(ellps="GRS80")
    origin_lon, origin_lat = 4.03, 49.26  # Reims
    origin = TO_L93.transform(origin_lon, origin_lat)
    sites = small_sites()
    ours = distances_m(sites, origin)
    _, _, geodesic = geod.inv([origin_lon] * len(sites), [origin_lat] * len(sites), sites.geometry.x, sites.geometry.y)
    relative = np.abs(ours.to_numpy() - geodesic) / geodesic
    assert relative.max() < 0.005, relative


def test_search_refuses_a_projected_frame():
    with pytest.raises(ValueError, match="expected EPSG:4326"):
        search_sites(small_sites().to_crs("EPSG:2154"), FoncierQuery())


def test_built_foncier_layer(store):
    foncier = store.read("foncier")
    assert (foncier["kind"] == "friche").sum() == 6104
    # 25 listed + 6 found by reindus (data/sites_cles_en_main.csv); 5 have no commune in their sources.
    turnkey = foncier[foncier["kind"] == "site clé en main"].set_index("nom")
    assert len(turnkey) == 26
    assert turnkey.loc["Axioparc", "commune_nom"] == "Drusenheim"  # the list gave no commune: completed
    assert turnkey.loc["Site militaire de Domgermain", "surface_ha"] == 47
    assert "toute la zone : 460 ha" in turnkey.loc["Artois-Flandres (Parc des industries)", "projet"]
    assert pd.isna(turnkey.loc["Artois-Flandres (Parc des industries)", "surface_ha"])  # a zone is not free land
    assert (~foncier["verifie"].astype(bool)).sum() == 3390  # Cerema's "MTE non vérifié"
    assert foncier["epci_siren"].notna().all()
    assert foncier["distance_route_m"].isna().all()  # not in the 2023 snapshot: never invented
