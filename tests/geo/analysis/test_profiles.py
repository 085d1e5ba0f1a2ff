"""The EPCI profile (fiche) on the real build."""

from __future__ import annotations

import pytest

from geo.analysis.profiles import commune_profile, epci_profile, project_totals
from geo.usecases.places import place_data_from_store
from geo.vocabulary import AVAILABLE_STATUSES


@pytest.fixture(scope="module")
def places(store):
    return place_data_from_store(store)


def test_porte_du_hainaut_profile(places):
    profile = epci_profile("200042190", places)
    assert profile.nom == "CA de la Porte du Hainaut"
    assert "59172" in profile.communes["code"].tolist()  # Denain
    ti2 = profile.territories_of_kind("ti_phase2")
    assert ti2["territory_id"].tolist() == ["p2-ti-3207"]
    assert ti2["share"].iloc[0] == 1.0
    bassins = profile.territories_of_kind("bassin_prioritaire").set_index("territory_id")
    assert bassins.loc["bassin-valenciennois", "share"] == 1.0
    assert 0 < bassins.loc["bassin-minier", "share"] < 1  # only part of it is in the BUD zoning
    # The fiche states the public aid as the Concentration page does, and why its project count is larger.
    totals = profile.project_totals
    assert totals.public_funding_eur == pytest.approx(21_800_000)
    assert (totals.n_projects, totals.n_closed, totals.n_non_industrial) == (8, 3, 1)


def test_unknown_siren(places):
    with pytest.raises(KeyError, match="EPCI inconnu"):
        epci_profile("999999999", places)


def test_commune_profile_carries_its_projects_summed_and_the_available_foncier_nearby(places):
    profile = commune_profile("59172", places)  # Denain
    assert (profile.nom, profile.epci_siren) == ("Denain", "200042190")
    assert set(profile.projects["insee_com"]) <= {"59172"}
    assert profile.project_totals == project_totals(places.projects[places.projects["insee_com"] == "59172"])
    assert profile.project_totals.n_projects == len(profile.projects)
    assert profile.foncier_nearby["distance_m"].is_monotonic_increasing
    assert not profile.foncier_nearby.empty and profile.foncier_nearby["statut"].isin(AVAILABLE_STATUSES).all()
