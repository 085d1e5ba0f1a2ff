"""Selecting a place at a point or by a search (geo.usecases.places), on small frames built here."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.analysis.places import PlaceData
from geo.analysis.view import MapView
from geo.crs import LAMBERT93, WGS84
from geo.scales import COMMUNE_OUTLINE_MIN_ZOOM
from geo.usecases.places import place_at, place_from_search, places_matching, with_commune_epci

PORTE_DU_HAINAUT, DENAIN, TERRITORY = "200042190", "59172", "p2-ti-3207"
IN_DENAIN = (3.40, 50.32)  # lon, lat
IN_THE_EPCI_OUTSIDE_DENAIN = (3.50, 50.40)


@pytest.fixture
def places() -> PlaceData:
    epci = gpd.GeoDataFrame(
        {"siren": [PORTE_DU_HAINAUT], "nom": ["CA de la Porte du Hainaut"], "type": ["CA"]},
        geometry=[box(3.3, 50.2, 3.6, 50.5)],
        crs=WGS84,
    )
    communes = gpd.GeoDataFrame(
        {"code": [DENAIN], "nom": ["Denain"], "epci_siren": [PORTE_DU_HAINAUT]},
        geometry=[box(3.38, 50.31, 3.42, 50.34)],
        crs=WGS84,
    )
    territories = gpd.GeoDataFrame(
        {"territory_id": [TERRITORY], "label": ["Grand-Hainaut Douaisis Cambrésis"], "kind": ["ti_phase2"]},
        geometry=[box(3.0, 50.0, 3.8, 50.5)],
        crs=WGS84,
    )
    return PlaceData.from_layers(
        epci=epci,
        communes=communes,
        territories=territories,
        territory_communes=pd.DataFrame({"territory_id": [TERRITORY], "code": [DENAIN]}),
        projects=pd.DataFrame({"insee_com": [], "epci_siren": []}),
        foncier=gpd.GeoDataFrame({"statut": []}, geometry=gpd.GeoSeries([], crs=LAMBERT93)),
    )


def test_a_click_close_in_selects_the_commune_with_its_epci(places):
    view = place_at(IN_DENAIN, COMMUNE_OUTLINE_MIN_ZOOM, MapView().select_territory(TERRITORY), places)
    assert (view.commune, view.epci, view.territoire) == (DENAIN, PORTE_DU_HAINAUT, None)


def test_a_click_further_out_or_outside_every_commune_selects_the_epci(places):
    far = place_at(
        IN_DENAIN, COMMUNE_OUTLINE_MIN_ZOOM - 1, MapView().select_commune(DENAIN, epci=PORTE_DU_HAINAUT), places
    )
    assert (far.commune, far.epci) == (None, PORTE_DU_HAINAUT)
    close = place_at(IN_THE_EPCI_OUTSIDE_DENAIN, 12, MapView(), places)
    assert (close.commune, close.epci) == (None, PORTE_DU_HAINAUT)


def test_a_click_outside_every_epci_leaves_the_view(places):
    view = MapView().select_territory(TERRITORY)
    assert place_at((1.0, 45.0), 12, view, places) is view


def test_a_search_selects_its_result_and_a_commune_outlines_its_epci(places):
    view, match = place_from_search("denain", MapView(), places)
    assert match.kind == "commune" and (view.commune, view.epci, view.search) == (DENAIN, PORTE_DU_HAINAUT, "denain")
    assert match.bounds == [[50.31, 3.38], [50.34, 3.42]]  # [[south, west], [north, east]]
    ranked = [m.kind for m in places_matching("hainaut", places)]
    assert ranked == ["epci", "territoire"]
    view, match = place_from_search("hainaut", view, places, rank=1)
    assert view.selection == ("territoire", TERRITORY) and view.epci is None
    unchanged, nothing = place_from_search("Tombouctou", view, places)
    assert nothing is None and unchanged.selection == view.selection and unchanged.search == "Tombouctou"


def test_an_address_naming_only_a_commune_outlines_its_epci(places):
    assert with_commune_epci(MapView(commune=DENAIN), places).epci == PORTE_DU_HAINAUT
    assert places.bounds("territoire", TERRITORY) == [[50.0, 3.0], [50.5, 3.8]]
    assert places.bounds("territoire", "inconnu") is None


def test_place_data_refuses_units_in_another_crs(places):
    with pytest.raises(ValueError):
        PlaceData(
            places.epci.to_crs(LAMBERT93),
            places.communes,
            places.territories,
            places.territory_communes,
            places.index,
            places.projects,
            places.foncier,
        )
