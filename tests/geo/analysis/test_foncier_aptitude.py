"""The aptitude ranking on real rows of the built foncier layer (geo.analysis.foncier_aptitude)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from geo.analysis.foncier_aptitude import POINTS, ZONING_KINDS, aptitude, zoning_kind, zonings_from_text
from geo.errors import UnreadableValueError


@pytest.fixture(scope="module")
def sites(store) -> pd.DataFrame:
    return store.read("foncier")


@pytest.fixture(scope="module")
def scored(sites) -> pd.DataFrame:
    return sites.join(aptitude(sites, surface_range_ha=(1.0, None)))


def test_activity_zones_are_read_from_the_plans_own_label(sites):
    kinds = zoning_kind(sites)
    label = sites["zone_urba_libelle"].fillna("")
    assert (kinds[label.str.startswith("UE - Zone d'activités diversifiées")] == "activites").all()
    assert (kinds[label.str.startswith("UI - Zone d'industrie")] == "activites").all()
    # « Tissu résidentiel de l'ère industrielle » is housing, whatever the word « industrielle » says.
    assert (kinds[label.str.contains("Tissu résidentiel de l'ère industrielle")] == "urbaine").all()
    assert (kinds[sites["zone_urba"].isin(["N", "Nh"])] == "naturelle").all()
    assert (kinds[sites["kind"] == "site clé en main"] == "activites").all()
    assert set(kinds) <= set(ZONING_KINDS) and (kinds == "activites").sum() > 500


def test_every_score_is_the_sum_of_the_points_it_shows(scored):
    shown = scored["raisons_aptitude"].map(lambda text: sum(int(p) for p in re.findall(r" : ([+-]\d+)(?: ;|$)", text)))
    assert (shown == scored["aptitude"]).all()
    assert (
        scored["aptitude"]
        .between(sum(v for v in POINTS.values() if v < 0), sum(v for v in POINTS.values() if v > 0))
        .all()
    )


def test_a_verified_site_in_an_activity_zone_near_the_railway_ranks_above_a_terril(scored):
    prouvy = scored[scored["site_id"] == "cf-59475_13339"].iloc[0]  # Prouvy, zone UEa, rail at 690 m
    assert prouvy["raisons_aptitude"].startswith("zone d'activités (UEa) : +3 ; site vérifié (MTE) : +1")
    assert "voie ferrée à 690 m : +2" in prouvy["raisons_aptitude"]
    terril = scored[(scored["nom"] == "Terril 79") & (scored["commune_nom"] == "Loos-en-Gohelle")].iloc[0]
    assert "terrain qui n'est pas du foncier industriel : -5" in terril["raisons_aptitude"]
    assert prouvy["aptitude"] - terril["aptitude"] >= 8


def test_a_site_cle_en_main_and_a_known_pollution_count(scored):
    turnkey = scored[scored["kind"] == "site clé en main"]
    assert turnkey["raisons_aptitude"].str.startswith("site industriel clé en main labellisé par l'État : +3").all()
    polluted = scored[scored["pollution"] == "pollution avérée"]
    assert polluted["raisons_aptitude"].str.contains("pollution avérée : dépollution à prévoir : -1").all()


def test_the_surface_asked_counts_only_inside_the_range(sites):
    scores = aptitude(sites, surface_range_ha=(10.0, 30.0))
    inside = sites["surface_ha"].between(10, 30)
    assert (
        scores.loc[inside, "raisons_aptitude"]
        .str.contains("surface dans la fourchette demandée (10 ha à 30 ha) : +2", regex=False)
        .all()
    )
    assert not scores.loc[~inside, "raisons_aptitude"].str.contains("fourchette").any()
    unknown = sites["surface_ha"].isna()
    assert scores.loc[unknown, "raisons_aptitude"].str.contains("surface inconnue : -1").all()


def test_zonings_are_asked_in_words_or_in_the_plans_letters():
    assert zonings_from_text("U,AU") == ("activites", "urbaine", "a_urbaniser")
    assert zonings_from_text(" agricole , naturelle ") == ("agricole", "naturelle")
    with pytest.raises(UnreadableValueError, match="zonage inconnu : « 1AUX »"):
        zonings_from_text("1AUX")
