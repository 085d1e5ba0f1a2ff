"""Territory membership and dissolution on small frames."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.assembly.territories import curated_members, territories_from_members, ti_members
from geo.crs import LAMBERT93

COG = pd.DataFrame(
    {
        "code": ["59001", "59002", "59003", "59004"],
        "type": ["commune-actuelle"] * 3 + ["commune-deleguee"],
        "chef_lieu": [None, None, None, "59003"],
    }
)


def _communes_l93() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "code": ["59001", "59002", "59003"],
            "epci_siren": ["200000001", "200000001", "200000002"],
            "population": [10, 20, 30],
        },
        geometry=[box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)],
        crs=LAMBERT93,
    )


def test_ti_members_prefix_phase_and_clean_labels():
    table = pd.DataFrame({"id_ti": ["ti-3201"], "lib_ti": ["Sud Oise\u00a0 "], "siren_groupement": ["200000001"]})
    members = ti_members(table, phase=2, attribution="ANCT", vintage="2024").members
    assert members.loc[0, "territory_id"] == "p2-ti-3201"
    assert members.loc[0, "label"] == "Sud Oise"
    with pytest.raises(ValueError, match="phase"):
        ti_members(table, phase=3, attribution="ANCT", vintage="2024")


def test_curated_members_resolve_and_report_unknown_codes():
    definitions = [
        {
            "id": "z",
            "kind": "zonage",
            "label": "Z",
            "member_level": "commune",
            "members_from": {"source": "zone"},
            "source": "s",
            "vintage": "v",
        },
    ]
    tables = {"zone": pd.DataFrame({"insee_com_cog2018": ["59001", "59004", "62999"]})}
    result = curated_members(definitions, tables, COG, absorbed={})
    assert sorted(result.members["member_code"]) == ["59001", "59003"]
    assert len(result.warnings) == 1 and "62999" in result.warnings[0]


def test_curated_members_one_territory_per_zone():
    definitions = [
        {
            "id": "ze2020",
            "kind": "zonage",
            "label": "Zone d'emploi {name}",
            "member_level": "commune",
            "members_from": {"source": "ze", "each": "ZE2020", "name": "LIBZE2020"},
            "source": "INSEE",
            "vintage": "2022",
        },
    ]
    tables = {
        "ze": pd.DataFrame(
            {"CODGEO": ["59001", "59002", "59003"], "ZE2020": ["1", "1", "2"], "LIBZE2020": ["Un", "Un", "Deux"]}
        )
    }
    members = curated_members(definitions, tables, COG, absorbed={}).members
    assert set(members["territory_id"]) == {"ze2020-1", "ze2020-2"}
    assert set(members["label"]) == {"Zone d'emploi Un", "Zone d'emploi Deux"}


def test_territories_dissolve_from_epci_or_communes():
    table = pd.DataFrame({"id_ti": ["ti-1"], "lib_ti": ["TI"], "siren_epci": ["200000001"]})
    ti = ti_members(table, phase=1, attribution="ANCT", vintage="2022")
    communes = _communes_l93()
    epci = communes.dissolve("epci_siren", aggfunc={"code": "count"}).reset_index()
    epci = epci.rename(columns={"epci_siren": "siren", "code": "n_communes"})
    territories, links = territories_from_members(ti, communes, epci)
    row = territories.iloc[0]
    assert row.geometry.normalize().equals(box(0, 0, 2000, 1000).normalize())  # the EPCI's outline: its communes
    assert row["n_communes"] == 2 and row["population"] == 30
    assert row["area_km2"] == pytest.approx(2.0)
    assert row["source"] == "ANCT"
    assert sorted(links["code"]) == ["59001", "59002"]
