"""AppTest of the Concentration and Données pages against the real build."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.analysis.concentration import totals_by, units_of
from geo.analysis.projects import filter_projects, typed_projects
from tests.conftest import ROOT, curated_counts


@pytest.fixture
def app(store, monkeypatch) -> AppTest:
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    test = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    test.run()
    return test


def _metric(app, label):
    return next(m.value for m in app.metric if m.label == label)


def _expected_top(store, kind, **filters):
    projects = filter_projects(typed_projects(store.read("projets")), **filters)
    tables = {n: store.read(n) for n in ("epci", "communes", "territoires", "departements", "regions")}
    return totals_by(projects, kind, units_of(kind, **tables)), projects


def test_concentration_defaults_exclude_non_industrial_and_abandoned(app, store):
    app.switch_page("app_pages/concentration.py").run()
    assert not app.exception
    _, expected = _expected_top(
        store,
        "epci",
        include_non_industrial=False,
        status_categories=[
            "annoncé",
            "en projet",
            "en construction",
            "en service",
            "suspendu ou incertain",
            "non renseigné",
        ],
    )
    assert _metric(app, "Projets retenus") == str(len(expected))
    assert len(expected) == curated_counts()["default"]  # industrial, not abandoned or closed
    caption = " ".join(c.value for c in app.caption)
    assert "reindus – projets industriels" in caption and "COG 2026" in caption
    ranking = app.dataframe[0].value
    assert ranking.iloc[0]["EPCI"] == "CU de Dunkerque"


def test_filters_change_the_totals_and_live_in_the_url(app, store):
    app.switch_page("app_pages/concentration.py").run()
    app.selectbox(key="niveau").set_value("bassin").run()
    app.toggle(key="conc_industriels").set_value(False).run()
    app.multiselect(key="conc_statuts").set_value(["en service"]).run()
    assert not app.exception
    table, expected = _expected_top(store, "bassin", status_categories=["en service"])
    assert _metric(app, "Projets retenus") == str(len(expected))
    shown = app.dataframe[0].value.set_index("Bassin prioritaire")
    first = table.iloc[0]
    assert shown.loc[first["nom"], "Projets"] == first["projets"]
    assert app.query_params["niveau"] == "bassin"
    assert app.query_params["statuts"] == "en service"
    assert app.query_params["industriels"] == "0"


def test_concentration_permalink(store, monkeypatch):
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.query_params["niveau"] = "region"
    app.query_params["mesure"] = "investment_eur"
    app.switch_page("app_pages/concentration.py").run()
    assert not app.exception
    assert app.selectbox(key="niveau").value == "region"
    assert app.dataframe[0].value.iloc[0]["Région"] == "Hauts-de-France"


def test_donnees_is_read_only_without_an_account(app):
    app.switch_page("app_pages/donnees.py").run()
    assert not app.exception
    assert any("Mode consultation" in c.value for c in app.sidebar.caption)
    assert f"{curated_counts()['all']} projets" in app.info[0].value


def test_departement_level_shows_france_relance_counts(app):
    app.query_params["niveau"] = "departement"
    app.switch_page("app_pages/concentration.py").run()
    assert not app.exception
    assert any("France Relance" in h.value for h in app.subheader)
    assert _metric(app, "Hauts-de-France") == "781" and _metric(app, "Grand Est") == "684"
    caption = " ".join(c.value for c in app.caption)
    assert "pas des montants" in caption and "31/12/2022" in caption


def test_the_zones_d_emploi_level_sets_measured_jobs_beside_announced_ones(app, store):
    from geo.analysis.view import ProjectFilters
    from geo.usecases.stats import zone_employment_stats

    app.switch_page("app_pages/concentration.py").run()
    app.selectbox(key="niveau").set_value("zone-emploi").run()
    assert not app.exception, app.exception
    projects = filter_projects(typed_projects(store.read("projets")), **ProjectFilters().as_kwargs())
    expected = zone_employment_stats(store.read, projects)
    assert _metric(app, "Emplois industriels mesurés 2024") == "587\u202f865"
    assert _metric(app, "Emplois créés annoncés") == f"{expected.total_announced:,.0f}".replace(",", "\u202f")
    shown = app.dataframe[0].value
    assert shown["Zone d'emploi"].iloc[:3].tolist() == ["Strasbourg", "Lille", "Valenciennes"]
    dunkerque = shown.set_index("Zone d'emploi").loc["Dunkerque"]
    assert dunkerque["Emplois industriels 2024 (mesurés)"] == 22265
    assert dunkerque["Annoncés / base mesurée (%)"] == pytest.approx(
        expected.table.set_index("nom").loc["Dunkerque", "part_annonces_base"]
    )
    assert app.query_params["niveau"] == "zone-emploi"
