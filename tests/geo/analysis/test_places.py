"""Place search: accents, case, codes and ranking on small frames."""

from __future__ import annotations

import geopandas as gpd
from shapely.geometry import box

from geo.analysis.places import place_index, search_places
from geo.crs import WGS84
from geo.text import normalise


def _index():
    epci = gpd.GeoDataFrame(
        {"siren": ["200042190"], "nom": ["CA de la Porte du Hainaut"], "type": ["CA"]},
        geometry=[box(3.3, 50.2, 3.6, 50.5)],
        crs=WGS84,
    )
    communes = gpd.GeoDataFrame(
        {
            "code": ["59172", "59651", "02691"],
            "nom": ["Denain", "Wavrechain-sous-Denain", "Saint-Quentin"],
            "epci_siren": ["200042190", "200042190", None],
        },
        geometry=[box(3.38, 50.31, 3.42, 50.34), box(3.40, 50.32, 3.42, 50.34), box(3.2, 49.8, 3.3, 49.9)],
        crs=WGS84,
    )
    territories = gpd.GeoDataFrame(
        {"territory_id": ["p2-ti-3207"], "label": ["Grand Hainaut Douaisis Cambrésis"], "kind": ["ti_phase2"]},
        geometry=[box(3.0, 50.0, 3.8, 50.5)],
        crs=WGS84,
    )
    return place_index(epci=epci, communes=communes, territories=territories)


def test_normalise():
    assert normalise("  Saint-Étienne-du-Rouvray ") == "saint etienne du rouvray"
    assert normalise("CAMBRÉSIS") == "cambresis"


def test_exact_name_first_then_contains():
    matches = search_places("DENAIN", _index())
    assert matches["label"].tolist() == ["Denain", "Wavrechain-sous-Denain"]
    assert matches.loc[0, "detail"] == "CA de la Porte du Hainaut"
    assert matches.loc[0, "miny"] < matches.loc[0, "maxy"]


def test_accents_ignored_and_territories_found():
    matches = search_places("cambresis", _index())
    assert matches[["kind", "id"]].values.tolist() == [["territoire", "p2-ti-3207"]]
    assert matches.loc[0, "detail"].startswith("Territoire d'industrie, phase 2")


def test_insee_code_with_dropped_leading_zero():
    assert search_places("2691", _index())["label"].tolist() == ["Saint-Quentin"]


def test_empty_and_unknown_queries():
    assert search_places("   ", _index()).empty
    assert search_places("Tombouctou", _index()).empty


def test_epci_at():
    from geo.analysis.places import epci_at

    epci = gpd.GeoDataFrame({"siren": ["200042190"]}, geometry=[box(3.3, 50.2, 3.6, 50.5)], crs=WGS84)
    assert epci_at(3.4, 50.3, epci) == "200042190"
    assert epci_at(1.0, 45.0, epci) is None
