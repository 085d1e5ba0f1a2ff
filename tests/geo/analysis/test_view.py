"""The Carte's view state: one reading of the URL for the page and `reindus export --permalink`."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.analysis.projects import DEFAULT_STATUS_CATEGORIES, MEASURES, SECTOR_FAMILIES
from geo.analysis.view import COLOUR_KEYS, MapView, ProjectFilters
from geo.vocabulary import OVERLAY_KEYS


def test_default_view_is_ti_phase_2_with_projects():
    view = MapView.from_query({})
    assert view.overlays == ("ti2",) and view.show_projects and not view.show_foncier
    assert view.filters.as_kwargs()["status_categories"] == list(DEFAULT_STATUS_CATEGORIES)
    assert view.filters.as_kwargs()["include_non_industrial"] is False


def test_permalink_written_by_the_previous_page_still_opens_the_same_view():
    url = (
        "http://localhost:8501/?couches=ti1%2Cbassins%2Cprojets%2Cfoncier&taille=investment_eur&couleur=status_category"
        "&statuts=en+service&industriels=0&departements=59%2C62&ti=ti_phase2&annees=2020-2024"
        "&epci=200042190&centre=50.3300%2C3.3900&zoom=11&fond=osm&q=denain"
    )
    view = MapView.from_permalink(url)
    assert view.overlays == ("ti1", "bassins") and view.show_projects and view.show_foncier
    assert (view.size_measure, view.colour_by, view.basemap) == ("investment_eur", "status_category", "osm")
    assert view.filters == ProjectFilters(
        include_non_industrial=True,
        status_categories=("en service",),
        departements=("59", "62"),
        in_territory="ti_phase2",
        years=(2020, 2024),
    )
    assert (view.epci, view.centre, view.zoom, view.search) == ("200042190", (50.33, 3.39), 11, "denain")


def test_bad_values_fall_back_to_defaults():
    view = MapView.from_query(
        {"couches": "ti9,<script>", "taille": "x", "couleur": "y", "fond": "evil", "zoom": "99", "centre": "50,3"}
    )
    assert view.overlays == () and not view.show_projects
    assert (view.size_measure, view.colour_by, view.basemap) == (MapView().size_measure, COLOUR_KEYS[0], "")
    assert (view.centre, view.zoom) == (None, None)


def test_defaults_are_not_written_to_the_address():
    assert MapView().to_query() == {"couches": "ti2,projets", "taille": next(iter(MEASURES)), "couleur": COLOUR_KEYS[0]}
    assert ProjectFilters(sector_families=SECTOR_FAMILIES).to_query() == {}


DEPARTEMENTS = ["02", "08", "59", "67"]
_words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789 -", max_size=12)
views = st.builds(
    MapView,
    overlays=st.lists(st.sampled_from(OVERLAY_KEYS), unique=True).map(tuple),
    show_projects=st.booleans(),
    show_foncier=st.booleans(),
    show_relance=st.booleans(),
    show_phases=st.booleans(),
    size_measure=st.sampled_from(list(MEASURES)),
    colour_by=st.sampled_from(COLOUR_KEYS),
    search=_words,
    epci=st.none() | st.from_regex(r"2[0-9]{8}", fullmatch=True),
    centre=st.none(),
    filters=st.builds(
        ProjectFilters,
        include_non_industrial=st.booleans(),
        status_categories=st.lists(st.sampled_from(DEFAULT_STATUS_CATEGORIES), min_size=1, unique=True).map(tuple),
        departements=st.none()
        | st.lists(st.sampled_from(["02", "08", "59", "67"]), min_size=1, unique=True).map(tuple),
        years=st.none() | st.tuples(st.integers(2015, 2020), st.integers(2021, 2026)),
    ),
)


@given(views)
def test_a_view_survives_its_address(view):
    assert MapView.from_query(view.to_query()) == view


# The selection: one place at a time, the rule written once in MapView.


def test_selecting_a_place_replaces_the_other_kinds():
    on_commune = MapView(search="denain").select_commune("59172", epci="200042190")
    assert (on_commune.commune, on_commune.epci, on_commune.territoire) == ("59172", "200042190", None)
    on_territory = on_commune.select_territory("p2-ti-3207")
    assert (on_territory.commune, on_territory.epci, on_territory.territoire) == (None, None, "p2-ti-3207")
    on_epci = on_territory.select_epci("245900428")
    assert (on_epci.commune, on_epci.epci, on_epci.territoire) == (None, "245900428", None)
    assert on_epci.cleared().selection is None
    assert on_epci.search == "denain"  # only the selection changes


def test_the_fiche_shown_is_the_most_precise_selection():
    assert MapView().select_commune("59172", epci="200042190").selection == ("commune", "59172")
    assert MapView().select_epci("200042190").selection == ("epci", "200042190")
    assert MapView().select_territory("p2-ti-3207").selection == ("territoire", "p2-ti-3207")
    assert MapView().selection is None


def test_a_view_with_a_territory_and_an_epci_is_refused_and_an_address_keeps_the_territory():
    with pytest.raises(ValueError, match="territoire='p2-ti-3207'"):
        MapView(territoire="p2-ti-3207", epci="200042190")
    crafted = MapView.from_query({"territoire": "p2-ti-3207", "epci": "200042190", "commune": "59172"})
    assert crafted.selection == ("territoire", "p2-ti-3207") and (crafted.epci, crafted.commune) == (None, None)
    old_commune_link = MapView.from_query({"commune": "59172"})  # before EPCI were written beside communes
    assert (old_commune_link.commune, old_commune_link.epci) == ("59172", None)


def test_a_link_to_another_fiche_keeps_the_view_and_selects_only_that_place():
    view = MapView.from_query(
        {"couches": "ti1,projets", "q": "denain", "commune": "59172", "epci": "200042190", "centre": "50.3,3.4"}
        | {"zoom": "11", "departements": "59"}
    )
    to_territory = view.select_territory("p2-ti-3207").link()
    assert to_territory["territoire"] == "p2-ti-3207" and "epci" not in to_territory and "commune" not in to_territory
    assert (to_territory["couches"], to_territory["q"], to_territory["zoom"]) == ("ti1,projets", "denain", "11")
    assert to_territory["departements"] == "59"
    to_epci = view.select_epci("200042190").link()
    assert to_epci["epci"] == "200042190" and "commune" not in to_epci and "territoire" not in to_epci
    assert MapView.from_query(to_epci) == view.select_epci("200042190")


def test_a_link_leaves_out_a_crafted_long_value():
    view = MapView.from_query({"q": "x" * 5_000, "epci": "200042190"})
    assert "q" not in view.select_territory("p2-ti-3207").link()
    assert len(MapView.from_query({"q": "denain"}).link()["q"]) == 6


def test_the_reported_position_is_rounded_to_some_ten_metres():
    assert MapView().moved_to((50.123456, 3.987654), 11.0) == MapView(centre=(50.1235, 3.9877), zoom=11)
