"""Project editing in Chromium: an editor changes a project's status with its source on the Projets page, the
Carte's fiche and Concentration follow, the history holds the change and its undo restores the project; the edit
survives a rebuild of the data; a reader sees no edit control."""

from __future__ import annotations

import re

import pytest

from geo.assembly.pipeline import build
from geo.store import GeoPackageStore
from tests.browser.conftest import (
    EDITOR_LOGIN,
    EDITOR_PASSWORD,
    choose_option,
    editor_app,
    sign_in,
    wait_until_idle,
)

PROJECT = "P001"  # Verkor, Bourbourg: created jobs in the default totals
READER, READER_PASSWORD = "lea", "mot-de-passe-lectrice"


@pytest.fixture(scope="module")
def app(store, tmp_path_factory):
    """The app on a copy of the build with an editor and a reader; yields (URL, copy)."""
    with editor_app(store, tmp_path_factory.mktemp("projets")) as (url, copy):
        copy.accounts().add(READER, role="lecteur", password=READER_PASSWORD, display_name="Léa Lectrice")
        yield url, copy


def _closures_in_fiche(page, url: str, siren: str) -> int:
    page.goto(f"{url}/?epci={siren}")
    text = page.get_by_text(re.compile(r"Projets industriels : \d+, dont \d+ fermetures? ou abandons?")).first
    text.wait_for(timeout=90_000)
    return int(re.search(r"dont (\d+) fermeture", text.inner_text()).group(1))


def _created_jobs_total(page, url: str) -> int:
    page.goto(f"{url}/concentration")
    metric = page.locator("[data-testid='stMetric']").filter(has_text="Emplois créés annoncés").first
    metric.wait_for(timeout=90_000)
    wait_until_idle(page)
    value = metric.locator("[data-testid='stMetricValue']").inner_text()
    return int(re.sub(r"\D", "", value))


def _choose(page, store: GeoPackageStore, project_id: str) -> None:
    page.get_by_text("Fiche d'un projet").wait_for(timeout=90_000)
    wait_until_idle(page)
    # The visible selector: during a rerun the page may still hold the previous run's one, hidden.
    box = page.locator("[data-testid='stSelectbox']").filter(has_text="Projet", visible=True).first
    project = store.read("projets").set_index("project_id").loc[project_id]
    choose_option(page, box, project_id, f"{project_id} — {project['name']} ({project['commune_nom']})")
    page.get_by_text(f"Identifiant {project_id} · version").wait_for(timeout=60_000)


def test_a_sourced_status_change_is_followed_everywhere_undone_and_survives_a_rebuild(
    page, app, raw_sources, artifacts_dir
):
    url, copy = app
    project = copy.read("projets").set_index("project_id").loc[PROJECT]
    siren, created = str(project["epci_siren"]), int(project["jobs_announced"])
    assert created > 0 and project["status_category"] != "abandonné ou fermé"

    page.goto(f"{url}/projets")
    sign_in(page, EDITOR_LOGIN, EDITOR_PASSWORD)
    _choose(page, copy, PROJECT)
    page.get_by_role("tab", name="Nouveau statut").click()
    form = page.locator("[data-testid='stForm']").filter(has_text="Nouveau statut (texte court)")
    form.get_by_label("Nouveau statut (texte court)").fill("arrêt de la production annoncé (test)")
    form.locator("[data-testid='stSelectbox']").click()
    page.get_by_role("option", name="abandonné ou fermé").click()
    form.get_by_label("Source de la modification (adresse de la page lue)").fill("https://example.org/verkor-arret")
    form.get_by_label("Date de la source (AAAA-MM-JJ)").fill("2026-11-30")
    form.get_by_role("button", name="Enregistrer le statut").click()
    page.get_by_text(f"Enregistré : correction du projet « {PROJECT} »").wait_for(timeout=60_000)
    wait_until_idle(page)
    page.screenshot(path=str(artifacts_dir / "projets-editeur.png"), full_page=True)

    # The figures with the edit; those without it are read after the undo (the pages are opened twice, not three
    # times), and the undo is checked to restore the project's row as it was.
    closures, total = _closures_in_fiche(page, url, siren), _created_jobs_total(page, url)

    # A rebuild from the sources keeps the edit and its history.
    report = build(raw_sources, GeoPackageStore(copy.path))
    assert report.tiles_reused  # the same outlines: the map's archive is kept, not encoded again
    rebuilt = copy.read("projets").set_index("project_id").loc[PROJECT]
    assert (rebuilt["status_category"], rebuilt["status_date"]) == ("abandonné ou fermé", "2026-11-30")
    assert len(copy.read("projets_audit")) == 1

    page.goto(f"{url}/projets")  # a new page load is a new session: sign in again
    page.get_by_text("Historique des modifications").wait_for(timeout=90_000)
    sign_in(page, EDITOR_LOGIN, EDITOR_PASSWORD)
    page.get_by_role("button", name="Annuler cette modification").click()
    page.get_by_text("Modification n° 1 annulée").wait_for(timeout=60_000)
    restored = copy.read("projets").set_index("project_id").loc[PROJECT]
    assert restored[["status", "status_category", "status_date"]].tolist() == (
        project[["status", "status_category", "status_date"]].tolist()
    )
    assert _closures_in_fiche(page, url, siren) == closures - 1  # the edit counted it with the closures
    assert _created_jobs_total(page, url) == total + created  # and took it out of the active projects' created jobs


def test_a_reader_sees_the_project_but_no_edit_control(page, app):
    url, copy = app
    page.goto(f"{url}/projets")
    sign_in(page, READER, READER_PASSWORD)
    _choose(page, copy, PROJECT)
    for label in ("Confirmer", "Enregistrer le statut", "Marquer introuvable", "Annuler cette modification"):
        assert page.get_by_role("button", name=label).count() == 0
    assert page.outside_requests == []
