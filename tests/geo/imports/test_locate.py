"""Attaching sites to their commune, EPCI and territories."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo.analysis.sites import attach_places, sites_in_territory


def _communes(crs="EPSG:4326"):
    return gpd.GeoDataFrame(
        {
            "code": ["59172", "02691"],
            "nom": ["Denain", "Saint-Quentin"],
            "departement": ["59", "02"],
            "region": ["32", "32"],
            "epci_siren": ["200042190", "200071892"],
        },
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1)],
        crs=crs,
    )


def test_attach_places_adds_epci_and_territory_lists():
    sites = gpd.GeoDataFrame(
        {"insee_com": ["59172", "02691"], "departement": ["99", "99"]},
        geometry=[shapely.Point(0.5, 0.5), shapely.Point(1.5, 0.5)],
        crs="EPSG:4326",
    )
    membership = pd.DataFrame(
        {
            "territory_id": ["p2-ti-3207", "bassin-minier", "bassin-valenciennois", "ze-3201"],
            "kind": ["ti_phase2", "bassin_prioritaire", "bassin_prioritaire", "zone_emploi"],
            "code": ["59172", "59172", "59172", "59172"],
        }
    )
    joined = attach_places(sites, _communes(), membership).set_index("insee_com")
    assert joined.loc["59172", "epci_siren"] == "200042190"
    assert joined.loc["59172", "departement"] == "59"  # the commune's, not the file's
    assert joined.loc["59172", "bassins"] == "bassin-minier;bassin-valenciennois"
    assert pd.isna(joined.loc["02691", "ti_phase2"])
    assert len(sites_in_territory(joined.reset_index(), "bassins", "bassin-minier")) == 1


def test_attach_places_refuses_mixed_crs():
    sites = gpd.GeoDataFrame({"insee_com": ["59172"]}, geometry=[shapely.Point(0, 0)], crs="EPSG:2154")
    with pytest.raises(ValueError, match="CRS mismatch"):
        attach_places(sites, _communes(), pd.DataFrame(columns=["territory_id", "kind", "code"]))
