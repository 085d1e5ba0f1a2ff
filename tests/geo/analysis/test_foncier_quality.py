"""The quality rules of the available foncier, each on real rows of the Cartofriches snapshot
(geo.analysis.foncier_quality)."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis.foncier_quality import FLAGS, plausible_available, quality_flags, set_aside_by_reason
from geo.vocabulary import AVAILABLE_STATUSES


@pytest.fixture(scope="module")
def available(store) -> pd.DataFrame:
    sites = store.read("foncier")
    return sites[sites["statut"].isin(AVAILABLE_STATUSES)]


@pytest.fixture(scope="module")
def flags(available) -> pd.DataFrame:
    return quality_flags(available)


def _row(available: pd.DataFrame, flags: pd.DataFrame, name: str, commune: str) -> pd.Series:
    found = available.index[(available["nom"] == name) & (available["commune_nom"] == commune)]
    assert len(found) == 1, (name, commune)
    return flags.loc[found[0]]


def test_the_same_ground_listed_twice_is_counted_once(available, flags):
    # « TERRIL » and « Usine E. ROUSSEAU » at Bruay-sur-l'Escaut share their 1,746.9 ha: one land unit, twice.
    pair = [_row(available, flags, name, "Bruay-sur-l'Escaut") for name in ("TERRIL", "Usine E. ROUSSEAU")]
    assert sorted(row["doublon"] for row in pair) == [False, True]
    same_ground = available.assign(key=available["insee_com"] + available["surface_ha"].round(4).astype(str))
    repeated = same_ground[same_ground["surface_ha"].gt(0)]["key"].duplicated(keep=False)
    groups = same_ground.loc[repeated[repeated].index, "key"].nunique()
    assert int(flags["doublon"].sum()) == int(repeated.sum()) - groups  # every group keeps one record


def test_terrils_quarries_landfills_and_solar_candidates_are_not_industrial_land(available, flags):
    assert _row(available, flags, "Terril 79", "Loos-en-Gohelle")["non_industriel"]
    assert _row(available, flags, "Décharge Wanacker", "Labaroche")["non_industriel"]
    solar = available["source"].str.contains("PV au sol")
    assert flags.loc[solar, "non_industriel"].all() and solar.sum() > 100


def test_natural_and_agricultural_zonings_and_unverified_potential_sites_are_flagged(available, flags):
    assert (flags["zonage"] == available["zone_urba"].isin(["N", "A", "Nh", "Ah"])).all()
    unverified = available["statut"].eq("friche potentielle") & ~available["verifie"].astype(bool)
    assert (flags["non_verifie"] == unverified).all()
    assert "non vérifiée par le Cerema" in flags.loc[unverified, "raisons_qualite"].iloc[0]


def test_an_unverified_surface_of_a_whole_land_unit_is_flagged(available, flags):
    big = available["surface_ha"].gt(50) & ~available["verifie"].astype(bool)
    assert (flags["surface_unite_fonciere"] == big).all() and big.sum() >= 40


def test_the_plausible_total_is_what_is_left_and_says_what_was_set_aside(store, available, flags):
    plausible = plausible_available(store.read("foncier"))
    assert plausible.sum() == (~flags[list(FLAGS)].any(axis=1)).sum()
    kept = store.read("foncier")["surface_ha"][plausible].sum()
    assert 0 < kept < 0.3 * available["surface_ha"].sum()  # the flagged records held most of the hectares
    assert set_aside_by_reason(store.read("foncier"))["non_verifie"] == pytest.approx(
        available.loc[flags["non_verifie"], "surface_ha"].sum()
    )
