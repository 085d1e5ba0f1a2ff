"""Communes → EPCI / départements on a 2×2 grid of square communes (Lambert-93)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.assembly.boundaries import (
    admin_units_from_communes,
    attach_geometry,
    communes_in_scope,
    epci_from_communes,
    finer_outlines,
)
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


def _outlines(codes, boxes) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": codes}, geometry=[box(*b) for b in boxes], crs=LAMBERT93)


def test_finer_outlines_keep_the_fitting_ones_and_fit_changed_communes_into_one_coverage():
    # 59001 has not moved since 2018: its fine outline is kept, though its coarse one spills 50 m into 59002.
    # 59003 split from 59002 after 2018: the fine outline of 59002 still covers both, 59003 has none; their coarse
    # outlines leave a 50 m gap between them, which must go to one of them, not stay open.
    coarse = _outlines(
        ["59001", "59002", "59003"],
        [(0, 0, 1.05 * KM, KM), (KM, 0, 1.95 * KM, KM), (2 * KM, 0, 3 * KM, KM)],
    )
    fine = _outlines(["59001", "59002"], [(0, 0, KM, KM), (KM, 0, 3 * KM, KM)])
    reference = pd.Series({"59001": KM * KM, "59002": KM * KM, "59003": KM * KM})

    result = finer_outlines(coarse, fine, reference).set_index("code")

    assert result["outline"].to_dict() == {"59001": "fine", "59002": "coarse", "59003": "coarse"}
    assert result.geometry["59001"].equals(box(0, 0, KM, KM))
    assert result.area.sum() == pytest.approx(3 * KM * KM)  # no overlap…
    assert result.union_all().area == pytest.approx(3 * KM * KM)  # …and no gap
    assert result.geometry["59002"].area == pytest.approx(KM * KM, rel=0.06)
    assert result.geometry["59003"].area == pytest.approx(KM * KM, rel=0.06)


def test_a_limit_moved_since_2018_is_drawn_where_it_is_now():
    # 80 m of 59002 went to 59001 in 2018's outlines (or the reverse since): both fine outlines are 8 % off.
    coarse = _outlines(["59001", "59002"], [(0, 0, KM, KM), (KM, 0, 2 * KM, KM)])
    fine = _outlines(["59001", "59002"], [(0, 0, 1.08 * KM, KM), (1.08 * KM, 0, 2 * KM, KM)])
    reference = pd.Series({"59001": KM * KM, "59002": KM * KM})
    result = finer_outlines(coarse, fine, reference).set_index("code")
    assert result["outline"].tolist() == ["coarse", "coarse"]
    assert result.area.tolist() == pytest.approx([KM * KM, KM * KM])


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
    epci = epci_from_communes(communes, _epci_table())
    units = admin_units_from_communes(communes, epci, context, names, level="departement").set_index("code")
    assert units.loc["59", "in_scope"] and units.loc["80", "in_scope"]
    assert not units.loc["76", "in_scope"]
    assert units.loc["76", "geometry"].intersection(units.loc["59", "geometry"]).area == pytest.approx(0)


def test_admin_units_rejects_unknown_level():
    primary, fallback = _geometries()
    communes = attach_geometry(communes_in_scope(_cog(), _membership()), primary, fallback)
    with pytest.raises(ValueError, match="level"):
        admin_units_from_communes(
            communes, epci_from_communes(communes, _epci_table()), primary, pd.DataFrame(), level="canton"
        )
