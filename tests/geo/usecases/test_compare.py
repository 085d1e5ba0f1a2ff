"""Territories side by side (geo.usecases.compare) on the real build."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.analysis.concentration import totals_by
from geo.analysis.projects import typed_projects
from geo.usecases.compare import ROWS, compare, comparison_export, comparison_table, parse_keys, unavailable_cells
from geo.usecases.stats import units_from_store

EPCI = ["200042190", "245901160", "200044618"]  # Porte du Hainaut, Valenciennes Métropole, Douaisis Agglo


@pytest.fixture(scope="module")
def columns(store):
    keys = [*(f"epci:{siren}" for siren in EPCI), "territoire:ze2020-3222", "epci:000000000"]
    return compare(store.read, keys, typed_projects(store.read("projets")))


def test_each_place_is_a_column_and_its_region_the_reference(columns):
    assert [column.label for column in columns] == [
        "CA de la Porte du Hainaut",
        "CA Valenciennes Métropole",
        "CA Douaisis Agglo",
        "Zone d'emploi Valenciennes",
        "Hauts-de-France (référence)",
    ]  # the unknown SIREN is left out
    table = comparison_table(columns)
    assert list(table.index) == list(ROWS.values())


def test_an_epci_adds_up_as_the_concentration_page_does(store, columns):
    projects = typed_projects(store.read("projets"))
    active = projects[projects["status_category"] != "abandonné ou fermé"]
    by_epci = totals_by(active, "epci", units_from_store(store.read, "epci")).set_index("id")
    for siren, column in zip(EPCI, columns, strict=False):
        assert column.figures["emplois_crees"] == pytest.approx(by_epci.loc[siren, "jobs_created"])
        assert column.figures["aides_publiques"] == pytest.approx(by_epci.loc[siren, "public_funding_eur"])
        assert column.figures["population"] == by_epci.loc[siren, "population"]
    assert columns[0].figures["aides_publiques"] == pytest.approx(21_800_000)


def test_measured_figures_are_given_where_the_sources_have_them_and_said_absent_elsewhere(columns):
    zone, porte = columns[3], columns[0]
    assert zone.figures["emploi_industriel_2024"] == 27_100 and zone.figures["emploi_industriel_evolution"] == 5.0
    assert porte.figures["emploi_industriel_2024"] is None and "emploi_industriel_2024" in porte.unavailable
    assert porte.figures["part_industrie_2022"] == pytest.approx(20.9, abs=0.05)
    assert "part_industrie_2022" not in porte.unavailable and "part_industrie_2022" in zone.unavailable
    assert porte.figures["emploi_prive_2024"] == 31_189
    cells = unavailable_cells(columns)
    assert ROWS["emploi_industriel_2024"] in cells["CA Douaisis Agglo"]
    region = columns[-1]
    assert region.figures["population"] == pytest.approx(6_000_000, rel=0.01)
    assert 0 < region.figures["part_premier_aides"] <= 100  # one project's share of the region's aid, said


def test_addresses_are_read_strictly():
    assert parse_keys("epci:1,territoire:ze2020-3222,javascript:alert(1),epci:1") == (
        "epci:1",
        "territoire:ze2020-3222",
    )
    assert parse_keys("") == () and len(parse_keys(",".join(f"epci:{n}" for n in range(9)))) == 4
    assert pd.isna(comparison_table([]).to_numpy()).all()


def test_every_exported_figure_carries_its_sources_and_dates(store, columns):
    exported = comparison_export(columns, store.read("metadata"))
    assert list(exported["Indicateur"]) == list(ROWS.values())
    sources = dict(zip(exported["Indicateur"], exported["Sources (millésime)"], strict=True))
    assert all(sources.values())
    assert "URSSAF" in sources[ROWS["emploi_industriel_2024"]]
    assert "Cartofriches" in sources[ROWS["foncier_plausible_ha"]]
    assert "projets industriels" in sources[ROWS["aides_publiques"]]
    assert "COG 2026" in sources[ROWS["emplois_crees_pour_1000"]]  # a rate cites its population too
