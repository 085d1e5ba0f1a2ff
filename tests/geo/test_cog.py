"""Code normalisation to the COG 2026 on small frames built in code."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.cog import absorbed_codes, current_codes
from geo.crs import LAMBERT93, WGS84

COG = pd.DataFrame(
    {
        "code": ["02589", "02589", "02001", "08439", "59350"],
        "nom": ["Pargny-et-Filain", "Pargny-Filain (déléguée)", "Abbécourt", "Tannay-le-Mont-Dieu", "Lille"],
        "type": ["commune-deleguee", "commune-actuelle", "commune-actuelle", "commune-actuelle", "commune-actuelle"],
        "departement": ["02", "02", "02", "08", "59"],
        "region": ["32", "32", "32", "44", "32"],
        "population": [None, 500, 600, 200, 230000],
        "chef_lieu": ["02589", None, None, None, None],
    }
)


def test_current_codes_kinds():
    cog = pd.concat(
        [COG, pd.DataFrame([{"code": "59298", "type": "commune-associee", "chef_lieu": "59350"}])], ignore_index=True
    )
    mapped = current_codes(pd.Series(["02001", "59298", "02311", "99999"]), cog, absorbed={"02311": "02589"})
    assert mapped["current_code"].tolist()[:3] == ["02001", "59350", "02589"]
    assert pd.isna(mapped["current_code"].iloc[3])
    assert mapped["how"].tolist() == ["actuelle", "déléguée/associée", "absorbée", "inconnue"]


def test_current_entry_wins_over_a_deleguee_with_the_same_code():
    mapped = current_codes(pd.Series(["02589"]), COG)
    assert mapped.loc[0, "how"] == "actuelle"


def test_leading_zero_restored():
    mapped = current_codes(pd.Series(["2001"]), COG)
    assert mapped.loc[0, "current_code"] == "02001"


def test_absorbed_commune_goes_to_the_neighbour_holding_it():
    current = gpd.GeoDataFrame(
        {"code": ["A", "B"]}, geometry=[box(0, 0, 100, 100), box(100, 0, 200, 100)], crs=LAMBERT93
    )
    old = gpd.GeoDataFrame({"code": ["X"]}, geometry=[box(90, 10, 180, 90)], crs=LAMBERT93)  # mostly inside B
    assert absorbed_codes(old, current) == {"X": "B"}


def test_absorbed_codes_refuses_degrees():
    current = gpd.GeoDataFrame({"code": ["A"]}, geometry=[box(0, 0, 1, 1)], crs=WGS84)
    with pytest.raises(ValueError, match="EPSG:2154"):
        absorbed_codes(current, current)
