"""Build-time conversion of the foncier sources (Cartofriches, sites clés en main) into the foncier schema."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.assembly.foncier_sources import sites_from_cartofriches, sites_from_cles_en_main
from geo.crs import WGS84
from geo.imports.locate import CommuneLookup
from geo.vocabulary import DISTANCE_COLUMNS, KIND_CLES_EN_MAIN, KIND_FRICHE, UNVERIFIED_NATURE


def _cartofriches() -> pd.DataFrame:
    """Two rows of the 2023 snapshot as read by the build (every cell a string, empty ones NaN)."""
    return pd.DataFrame(
        {
            "site_id": ["59172_1234", "02691_99"],
            "site_nom": ["Friche Cail", "Ancienne sucrerie"],
            "site_type": ["friche industrielle", "friche agricole"],
            "site_statut": ["friche sans projet", "friche potentielle"],
            "site_surface_ha": ["12.5", None],
            "sol_pollution_existe": ["pollution avérée", "inconnu"],
            "urba_zone_type": ["U", None],
            "desserte_distance_route": [None, None],
            "desserte_distance_ferroviaire": ["850", None],
            "desserte_distance_fluvial": [None, None],
            "desserte_distance_maritime": [None, None],
            "activite_libelle": ["construction ferroviaire", None],
            "site_projet": [None, "logements"],
            "nature": ["Friche vérifiée", UNVERIFIED_NATURE],
            "source_nom": ["Observatoire local", None],
            "site_url": ["https://cartofriches.cerema.fr/site/1234", None],
            "site_actu_date": ["2023-05-02", None],
            "comm_insee": ["59172", "2691"],
            "Long": ["3.40", "3.28"],
            "Lat": ["50.33", "49.85"],
        }
    )


def test_cartofriches_rows_in_the_foncier_schema_with_cerema_s_caveat():
    sites = sites_from_cartofriches(_cartofriches(), source_date="2023")
    assert sites.crs.to_string() == WGS84
    assert sites["site_id"].tolist() == ["cf-59172_1234", "cf-02691_99"]
    assert sites["kind"].eq(KIND_FRICHE).all()
    assert sites["insee_com"].tolist() == ["59172", "02691"]  # the leading zero restored
    assert sites["surface_ha"].iloc[0] == 12.5 and pd.isna(sites["surface_ha"].iloc[1])
    assert sites["distance_rail_m"].iloc[0] == 850 and sites["distance_route_m"].isna().all()
    assert sites["verifie"].tolist() == [True, False]  # « MTE non vérifié »: only a potential brownfield
    assert sites["source"].tolist() == ["Cerema – Cartofriches ; Observatoire local", "Cerema – Cartofriches ; "]
    assert sites["date_source"].eq("2023").all()
    assert (sites.geometry.x.tolist(), sites.geometry.y.tolist()) == ([3.40, 3.28], [50.33, 49.85])
    assert set(DISTANCE_COLUMNS) <= set(sites.columns)


def test_sites_cles_en_main_at_their_commune_s_point_and_a_warning_for_those_without_one():
    communes = gpd.GeoDataFrame(
        {"code": ["59172"], "nom": ["Denain"], "departement": ["59"], "region": ["32"], "epci_siren": ["200042190"]},
        geometry=[box(3.35, 50.30, 3.45, 50.36)],
        crs=WGS84,
    )
    lookup = CommuneLookup(
        pd.DataFrame(columns=["code", "nom", "type", "departement", "region", "chef_lieu"]), communes
    )
    table = pd.DataFrame(
        {
            "site_name": ["Parc Lavoisier", "Zone sans commune"],
            "departement": ["59", "57"],
            "insee_com": ["59172", None],
            "surface_ha": ["40", "12"],
            "note": ["label 2023", None],
            "label_wave": ["2023", "2021"],
            "source_url": ["https://www.entreprises.gouv.fr/sites-cles-en-main", None],
        }
    )
    sites, warnings = sites_from_cles_en_main(table, lookup, source_date="2024")
    assert warnings == ["Site clé en main « Zone sans commune » (57) sans commune connue : non cartographié"]
    (site,) = sites.itertuples()
    assert (site.site_id, site.nom, site.kind, site.surface_ha) == ("scm-01", "Parc Lavoisier", KIND_CLES_EN_MAIN, 40)
    assert (site.nature, site.date_source, site.verifie) == ("label 2023", "2024", True)
    assert site.geometry.equals(lookup.points["59172"])
    assert sites.crs.to_string() == WGS84 and sites["zone_urba"].dtype == "string"
    assert pytest.approx(site.geometry.x, abs=0.06) == 3.40
