"""Communes → EPCI / départements on a 2×2 grid of square communes (Lambert-93)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.assembly.boundaries import admin_units_from_communes, attach_geometry, communes_in_scope, epci_from_communes
from geo.crs import LAMBERT93
from geo.errors import BuildIntegrityError

KM = 1000.0


def _cog() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": ["59001", "59002", "76001", "76002", "80001"],
            "nom": ["A", "B", "C", "D", "E"],
            "type": ["commune-actuelle"] * 5,
            "departement": ["59", "59", "76", "76", "80"],
            "region": ["32", "32", "28", "28", "32"],
            "population": [100, 200, 300, 400, 500],
            "chef_lieu": [None] * 5,
        }
    )


def _membership() -> pd.DataFrame:
    # EPCI 1 straddles the border (59001 + 76001); EPCI 2 is entirely outside; EPCI 3 inside.
    return pd.DataFrame(
        {
            "siren": ["200000001", "200000001", "200000002", "200000003", "200000003"],
            "code": ["59001", "76001", "76002", "59002", "80001"],
        }
    )


def _epci_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "siren": ["200000001", "200000002", "200000003"],
            "nom": ["CC Un", "CC Deux", "CA Trois"],
            "type": ["CC", "CC", "CA"],
            "population": [400, 400, 700],
            "population_municipale": [390, 390, 690],
        }
    )


def test_scope_keeps_out_of_region_members_of_straddling_epci():
    scope = communes_in_scope(_cog(), _membership())
    assert scope["code"].tolist() == ["59001", "59002", "76001", "80001"]
    in_regions = scope.set_index("code")["in_regions"]
    assert not in_regions["76001"]
    assert in_regions["59001"]


def _geometries():
    primary = gpd.GeoDataFrame(
        {"code": ["59001", "59002", "80001"]},
        geometry=[box(0, 0, KM, KM), box(KM, 0, 2 * KM, KM), box(0, -KM, 2 * KM, 0)],
        crs=LAMBERT93,
    )
    # The fallback outline overlaps 59001 by 100 m: it must be cut.
    fallback = gpd.GeoDataFrame({"code": ["76001"]}, geometry=[box(-KM, 0, 0.1 * KM, KM)], crs=LAMBERT93)
    return primary, fallback


def test_attach_geometry_cuts_fallback_overlap():
    primary, fallback = _geometries()
    communes = attach_geometry(communes_in_scope(_cog(), _membership()), primary, fallback)
    shapes = communes.set_index("code").geometry
    assert shapes["76001"].area == pytest.approx(KM * KM)
    assert shapes["76001"].intersection(shapes["59001"]).area == pytest.approx(0)


def test_attach_geometry_never_drops_a_commune():
    primary, _ = _geometries()
    empty = primary.iloc[0:0]
    with pytest.raises(BuildIntegrityError, match="76001"):
        attach_geometry(communes_in_scope(_cog(), _membership()), primary, empty)


def test_epci_dissolved_with_lambert93_area():
    primary, fallback = _geometries()
    communes = attach_geometry(communes_in_scope(_cog(), _membership()), primary, fallback)
    epci = epci_from_communes(communes, _epci_table()).set_index("siren")
    assert epci.loc["200000001", "area_km2"] == pytest.approx(2.0)
    assert epci.loc["200000001", "regions"] == "28;32"
    assert epci.loc["200000003", "n_communes"] == 2
    assert epci.loc["200000003", "population"] == 700
    assert "200000002" not in epci.index


def test_admin_units_cut_context_by_scope():
    primary, fallback = _geometries()
    communes = attach_geometry(communes_in_scope(_cog(), _membership()), primary, fallback)
    context = gpd.GeoDataFrame({"code": ["59", "76"]}, geometry=[box(0, 0, 1, 1), box(-KM, -KM, KM, KM)], crs=LAMBERT93)
    names = pd.DataFrame({"code": ["59", "76", "80"], "nom": ["Nord", "Seine-Maritime", "Somme"]})
    units = admin_units_from_communes(communes, context, names, level="departement").set_index("code")
    assert units.loc["59", "in_scope"] and units.loc["80", "in_scope"]
    assert not units.loc["76", "in_scope"]
    assert units.loc["76", "geometry"].intersection(units.loc["59", "geometry"]).area == pytest.approx(0)


def test_admin_units_rejects_unknown_level():
    primary, fallback = _geometries()
    communes = attach_geometry(communes_in_scope(_cog(), _membership()), primary, fallback)
    with pytest.raises(ValueError, match="level"):
        admin_units_from_communes(communes, primary, pd.DataFrame(), level="canton")
