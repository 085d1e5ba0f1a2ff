"""AppTest smoke tests of the Streamlit pages against the real build."""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import pytest
from streamlit.testing.v1 import AppTest

from cli import main
from geo.analysis.projects import typed_projects
from tests.conftest import ROOT, curated_counts


@pytest.fixture
def app(store, monkeypatch) -> AppTest:
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)


def test_carte_renders_the_242_epci_with_sources(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Carte de la réindustrialisation"
    assert any("242 EPCI" in block.value for block in app.markdown)
    sources = " ".join(block.value for block in app.markdown)
    assert "INSEE – Code officiel géographique 2026" in sources
    assert "ADMIN EXPRESS" in sources


def test_missing_store_gives_a_french_message(monkeypatch, tmp_path):
    monkeypatch.setenv("REINDUS_STORE", str(tmp_path / "absent.gpkg"))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.run()
    assert not app.exception
    assert "introuvable" in app.error[0].value
    assert "make run" in app.error[0].value


def test_missing_tile_archive_is_said_in_french_with_the_command(app, monkeypatch, tmp_path):
    monkeypatch.setenv("REINDUS_TILES", str(tmp_path / "absent.pmtiles"))
    app.run()
    assert not app.exception
    message = app.error[0].value
    assert "absent.pmtiles" in message and "est absente" in message and "reindus build" in message
    assert any("242 EPCI" in block.value for block in app.markdown)  # the simplified map is drawn instead


def test_an_archive_not_published_is_said_in_french_and_the_page_writes_nothing(app, monkeypatch, tmp_path):
    from geo import settings

    monkeypatch.setattr(settings, "PUBLISHED_TILES_DIR", tmp_path / "static" / "tiles")
    app.run()
    assert not app.exception
    message = app.error[0].value
    assert "n'est pas publiée" in message and "reindus publish-tiles" in message
    assert any("242 EPCI" in block.value for block in app.markdown)  # the simplified map is drawn instead
    assert not (tmp_path / "static").exists()  # the page only reads: the build publishes


def test_missing_vector_map_scripts_are_said_in_french_with_the_command(app, monkeypatch, tmp_path):
    from geo import settings

    missing = settings.REPO_ROOT / "static" / "vendor" / "absent" / "protomaps-leaflet.js"
    monkeypatch.setattr(settings, "VECTOR_MAP_ASSETS", (*settings.VECTOR_MAP_ASSETS, missing))
    app.run()
    assert not app.exception
    message = app.error[0].value
    assert "manquent" in message and "static/vendor/absent/protomaps-leaflet.js" in message
    assert "make install" in message


def test_permalink_reopens_overlays_and_fiche(app):
    app.query_params["couches"] = "ti1,bassins"
    app.query_params["epci"] = "200042190"
    app.run()
    assert not app.exception
    toggles = {t.key: t.value for t in app.toggle}
    assert toggles["couche_ti1"] and toggles["couche_bassins"] and not toggles["couche_ti2"]
    assert app.subheader[0].value == "Fiche : CA de la Porte du Hainaut"
    text = " ".join(m.value for m in app.markdown)
    assert "Grand-Hainaut Douaisis Cambrésis" in text  # its Territoire d'industrie 2024-2027
    assert "Valenciennois" in text


def test_search_opens_the_commune_fiche_selects_its_epci_and_writes_the_url(app):
    app.run()
    app.text_input[0].input("denain").run()
    assert not app.exception
    assert app.selectbox[0].options[0].startswith("Denain — Commune")
    assert app.subheader[0].value == "Fiche : Denain"
    assert any("Voir la fiche de l'EPCI" in block.value for block in app.markdown)
    assert app.query_params["epci"] == ["200042190"] or app.query_params["epci"] == "200042190"
    assert app.query_params["commune"] in ("59172", ["59172"])
    assert app.query_params["q"] in ("denain", ["denain"])


def test_a_search_whose_address_never_reached_the_browser_still_selects_its_place(app):
    """A run stopped by another (the map reporting its view) leaves the browser's address without the search's
    ``q`` and selection, while the session has seen the search: the next run must select the place again."""
    app.run()
    app.text_input[0].input("denain").run()
    assert app.query_params["commune"] in ("59172", ["59172"])
    for name in ("q", "commune", "epci"):  # the address the browser sends back with the next run
        del app.query_params[name]
    app.run()
    assert not app.exception
    assert app.subheader[0].value == "Fiche : Denain"
    assert app.query_params["commune"] in ("59172", ["59172"])
    assert app.query_params["q"] in ("denain", ["denain"])


def test_a_fiche_says_no_figure_where_no_active_project_states_one_never_zero(app, store):
    projects = typed_projects(store.read("projets"))
    active = projects[projects["status_category"] != "abandonné ou fermé"]
    stated = active.groupby("epci_siren")["jobs_created"].count()
    closed = projects[projects["status_category"] == "abandonné ou fermé"].groupby("epci_siren").size()
    # An EPCI with one closure and active projects none of which states its created jobs (in the curated data).
    siren = next(s for s, n in stated.items() if n == 0 and closed.get(s) == 1)
    app.query_params["epci"] = siren
    app.run()
    assert not app.exception
    fiche = next(m.value for m in app.markdown if m.value.startswith("**Projets industriels**"))
    assert ", dont 1 fermeture ou abandon. Projets actifs : aucun chiffre d'emplois permanents créés (" in fiche
    assert " 0 emplois" not in fiche


def test_toggling_an_overlay_updates_the_url(app):
    app.run()
    app.toggle(key="couche_ze").set_value(True).run()
    assert not app.exception
    couches = app.query_params["couches"]
    couches = couches[0] if isinstance(couches, list) else couches
    assert set(couches.split(",")) == {"ti2", "ze", "projets"}
    assert any("Zones d'emploi 2020 : 51" in m.value for m in app.markdown)


def test_project_layer_filters_and_fiche_projects(app, store):
    app.query_params["epci"] = "245900428"  # CU de Dunkerque
    app.run()
    assert not app.exception
    counts = curated_counts()
    legend = next(m.value for m in app.markdown if m.value.startswith("**Projets**"))
    assert f"{counts['default']} projets sur {counts['all']}" in legend and "batteries (" in legend
    in_dunkerque = store.read("projets").query("epci_siren == '245900428'")
    closed = int((in_dunkerque["status_category"] == "abandonné ou fermé").sum())
    fiche = next(m.value for m in app.markdown if m.value.startswith("**Projets industriels**"))
    closures = f"{closed} fermeture ou abandon" if closed < 2 else f"{closed} fermetures ou abandons"
    assert fiche.startswith(f"**Projets industriels** : {len(in_dunkerque)}, dont {closures}.")
    assert "emplois permanents créés annoncés" in fiche and "Autres emplois annoncés, non additionnés" in fiche
    app.multiselect(key="carte_statuts").set_value(["en service"]).run()
    legend = next(m.value for m in app.markdown if m.value.startswith("**Projets**"))
    assert f"{counts['in_service']} projets sur {counts['all']}" in legend
    app.toggle(key="couche_projets").set_value(False).run()
    assert not any(m.value.startswith("**Projets**") for m in app.markdown)
    assert "projets" not in app.query_params["couches"]


def test_departement_and_ti_phase_filters_follow_the_geo_function_and_the_url(app, store):
    from geo.analysis.projects import default_selection, filter_projects, typed_projects

    app.run()
    app.multiselect(key="carte_departements").set_value(["59"]).run()
    app.selectbox(key="carte_ti").set_value("ti_phase2").run()
    assert not app.exception
    every = typed_projects(store.read("projets"))
    expected = filter_projects(default_selection(every), departements=["59"], in_territory="ti_phase2")
    assert 0 < len(expected) < len(default_selection(every))
    assert (expected["departement"] == "59").all() and expected["ti_phase2"].notna().all()
    legend = next(m.value for m in app.markdown if m.value.startswith("**Projets**"))
    assert f"{len(expected)} projets sur {curated_counts()['all']}" in legend and "départements : 59" in legend
    assert app.query_params["departements"] in ("59", ["59"]) and app.query_params["ti"] in ("ti_phase2", ["ti_phase2"])


def test_territory_fiche_lists_its_epci_with_links_and_totals(app):
    app.query_params["territoire"] = "p2-ti-3207"  # Grand-Hainaut Douaisis Cambrésis (TI 2024-2027)
    app.run()
    assert not app.exception
    assert app.subheader[0].value == "Fiche : Grand-Hainaut Douaisis Cambrésis"
    text = " ".join(m.value for m in app.markdown)
    assert "**9 EPCI**" in text
    assert "[CA de la Porte du Hainaut](?" in text and "epci=200042190" in text  # link to the EPCI fiche
    assert "territoire=" not in text.split("[CA de la Porte du Hainaut](", 1)[1].split(")", 1)[0]
    assert "**Projets industriels** :" in text and "**Foncier disponible** :" in text


def test_epci_fiche_links_to_its_territories_and_counts_foncier(app, store):
    from geo.analysis.foncier_quality import plausible_available
    from geo.vocabulary import AVAILABLE_STATUSES
    from layers.formatting import number_fr

    app.query_params["epci"] = "200042190"
    app.run()
    text = " ".join(m.value for m in app.markdown)
    assert "(?" in text and "territoire=p2-ti-3207" in text
    sites = store.read("foncier")
    available = sites[(sites["epci_siren"] == "200042190") & sites["statut"].isin(AVAILABLE_STATUSES)]
    plausible = available[plausible_available(available)]
    assert (
        f"**{number_fr(plausible['surface_ha'].sum(), decimals=1)} ha plausibles** sur {len(plausible)} sites" in text
    )
    assert f"Recensés au total : {len(available)} sites" in text and "de friches potentielles non vérifiées" in text


def test_centre_and_zoom_in_the_url_are_kept_and_validated(app):
    app.query_params["centre"] = "50.3300,3.3900"
    app.query_params["zoom"] = "11"
    app.run()
    assert not app.exception
    assert app.query_params["zoom"] in ("11", ["11"])
    app.query_params["zoom"] = "99"  # out of range: ignored, the map fits the regions
    app.run()
    assert not app.exception


def test_foncier_layer_and_optional_basemap_are_toggled_and_kept_in_the_url(app, store):
    from geo.vocabulary import AVAILABLE_STATUSES

    app.run()
    sites = store.read("foncier")
    available = sites[sites["statut"].isin(AVAILABLE_STATUSES) & sites["surface_ha"].ge(1)]
    toggle = app.toggle(key="couche_foncier")
    assert f"({len(available)})" in toggle.label and not toggle.value  # off by default
    toggle.set_value(True).run()
    app.selectbox(key="fond").set_value("osm").run()
    assert not app.exception
    couches = app.query_params["couches"]
    assert "foncier" in (couches[0] if isinstance(couches, list) else couches)
    assert app.query_params["fond"] in ("osm", ["osm"])
    text = " ".join(m.value for m in app.markdown)  # the "Sources et millésimes" list
    assert "Cerema – Cartofriches" in text and "OpenStreetMap" in text


def test_france_relance_layer_is_in_the_address_with_its_legend_and_source(app):
    app.query_params["couches"] = "ti2,relance"
    app.run()
    assert not app.exception
    assert app.toggle(key="couche_relance").value is True
    legend = next(m.value for m in app.markdown if m.value.startswith("**France Relance**"))
    assert "pour 100 000 hab." in legend and "pas des montants" in legend
    app.toggle(key="couche_relance").set_value(False).run()
    assert "relance" not in app.query_params["couches"]


def test_phase_comparison_layer_with_counts_and_table(app):
    app.query_params["couches"] = "ti_evolution"
    app.run()
    assert not app.exception
    legend = next(m.value for m in app.markdown if m.value.startswith("**Territoires d'industrie, 2018-2023"))
    assert "entré en 2024" in legend and "sorti en 2024" in legend and "dans les deux phases" in legend
    counts = app.dataframe[0].value
    assert counts.loc["Deux régions"].sum() == 242
    assert app.toggle(key="couche_ti_evolution").value is True
    sources = next(e for e in app.expander if "Sources" in e.label).markdown[0].value
    assert "Territoires d'industrie phase 1" in sources and "Territoires d'industrie phase 2" in sources


DENAIN = {"lat": 50.3290, "lng": 3.3960}


def click_map(app: AppTest, point: dict, *, zoom: int) -> AppTest:
    """What the browser does when the map is clicked: the map component sends its new value, Streamlit runs.

    AppTest has no driver for custom components, so the value goes in as the browser sends it (the JSON state
    of the map frame's widget, with the other widgets' values).
    """
    import json

    from streamlit.proto.WidgetStates_pb2 import WidgetState

    (component,) = [e for e in app.get("component_instance") if e.proto.component_name.endswith("map_component.carte")]
    states = app._tree.get_widget_states()
    report = {"last_clicked": point, "center": point, "zoom": zoom}
    states.widgets.append(WidgetState(id=component.proto.id, json_value=json.dumps(report)))
    return app._run(states)


@pytest.fixture
def map_drawings(monkeypatch) -> list[int]:
    """One entry per map the Carte draws (the page imports ``explorer_map`` at each run, so it gets this one)."""
    import layers.overview

    drawn: list[int] = []
    original = layers.overview.explorer_map

    def counted(*args, **kwargs):
        drawn.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(layers.overview, "explorer_map", counted)
    return drawn


def test_a_click_opens_the_commune_fiche_and_draws_the_map_once(app, map_drawings):
    app.query_params.update({"centre": "50.3290,3.3960", "zoom": "11"})
    app.run()
    assert map_drawings == [1]
    click_map(app, DENAIN, zoom=11)
    assert not app.exception
    assert app.subheader[0].value == "Fiche : Denain"
    assert app.query_params["commune"] in ("59172", ["59172"])
    assert app.query_params["epci"] in ("200042190", ["200042190"])
    assert len(map_drawings) == 2, "the click's run draws the map once, with the commune outlined (no second run)"
    app.run()  # a later run (a widget) does not act on the same click again
    assert app.subheader[0].value == "Fiche : Denain"


def test_reindus_lieu_selects_what_a_click_on_the_carte_selects(app, store, capsys):
    """The CLI and the page select a place at a point through one function (``place_at``): same commune, EPCI."""
    assert (
        main(["lieu", "--point", f"{DENAIN['lng']},{DENAIN['lat']}", "--zoom", "11", "--store", str(store.path)]) == 0
    )
    printed = json.loads(capsys.readouterr().out)
    link = parse_qs(printed["lien"].removeprefix("?"))
    app.query_params.update({"centre": "50.3290,3.3960", "zoom": "11"})
    app.run()
    click_map(app, DENAIN, zoom=11)
    assert app.subheader[0].value == f"Fiche : {printed['nom']}"
    assert (link["commune"], link["epci"]) == (["59172"], ["200042190"])
    assert app.query_params["commune"] in ("59172", ["59172"]) and printed["epci"]["siren"] == "200042190"
    assert "Valenciennois" in printed["territoires"]
    assert main(["lieu", "--point", "0,0", "--store", str(store.path)]) == 1  # the sea: nothing selected


def test_an_epci_fiche_gives_the_measured_industrial_jobs_of_its_zone_d_emploi(app, store):
    epci = store.read("epci")
    siren = epci.loc[epci["nom"].str.contains("Valenciennes Métropole"), "siren"].iloc[0]
    app.query_params["epci"] = siren
    app.run()
    text = " ".join(m.value for m in app.markdown)
    assert "**Emploi industriel mesuré**, zone d'emploi de Valenciennes : 25\u202f809 salariés en 2019" in text
    assert "27\u202f100 en 2024 (+5,0 %)" in text and "Matériels transport" in text
    assert any("sans employeurs publics ni emplois agricoles" in c.value for c in app.caption)
