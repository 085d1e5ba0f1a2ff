"""AppTest of the Projets page on a copy of the real build: the review queue, a sourced status change by an
editor that the Carte's fiche and Concentration follow, its history and undo, and a reader who cannot edit."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.analysis.projects import typed_projects
from geo.analysis.review import review_queue
from tests.app.conftest import open_page, sign_in


def _projets_page() -> AppTest:
    return open_page("app_pages/projets.py")


def _heaviest_in_queue(store) -> str:
    from datetime import date

    return str(review_queue(typed_projects(store.read("projets")), today=date.today()).iloc[0]["project_id"])


def test_the_queue_is_public_and_a_reader_cannot_edit(with_accounts):
    app = _projets_page()
    assert any(s.value.startswith("À vérifier :") for s in app.subheader)
    queue = app.dataframe[0].value
    assert queue["Identifiant"].iloc[0] == _heaviest_in_queue(with_accounts)
    assert "des emplois créés annoncés** (projets industriels actifs" in " ".join(m.value for m in app.markdown)
    sign_in(app, "lea")
    app.selectbox(key="projet_choisi").set_value("P001").run()
    assert not app.exception, app.exception
    assert not [form for form in ("Confirmer", "Enregistrer le statut") if form in [b.label for b in app.button]]


def test_an_editor_changes_a_status_with_its_source_then_undoes_it(with_accounts):
    store = with_accounts
    project_id = _heaviest_in_queue(store)
    before = store.read("projets").set_index("project_id").loc[project_id]
    app = _projets_page()
    sign_in(app)
    app.selectbox(key="projet_choisi").set_value(project_id).run()
    tag = f"statut_{project_id}_v{int(before['version'])}"

    app.text_input(key=f"{tag}_status").set_value("abandonné en novembre 2026")
    app.selectbox(key=f"{tag}_category").set_value("abandonné ou fermé")
    app.text_input(key=f"{tag}_source_url").set_value("javascript:alert(1)")
    app.text_input(key=f"{tag}_source_date").set_value("2026-11-30")
    app.button(key=f"FormSubmitter:{tag}-Enregistrer le statut").click().run()
    assert not app.exception, app.exception
    assert any("Source de la modification" in e.value for e in app.error)  # refused, nothing written
    assert store.read("projets_audit").empty

    app.text_input(key=f"{tag}_source_url").set_value("https://example.org/abandon")
    app.button(key=f"FormSubmitter:{tag}-Enregistrer le statut").click().run()
    assert not app.exception, app.exception
    assert any("modification n° 1" in s.value for s in app.success)
    row = store.read("projets").set_index("project_id").loc[project_id]
    assert (row["status_category"], row["status_date"]) == ("abandonné ou fermé", "2026-11-30")
    assert "https://example.org/abandon (2026-11-30)" in row["other_sources"]
    assert app.dataframe[0].value["Identifiant"].iloc[0] != project_id  # it left the queue
    history = app.dataframe[-1].value
    assert history["Projet"].tolist() == [project_id] and "status_category" in history["Changements"].iloc[0]

    # The Carte's default selection (abandoned projects hidden) and Concentration follow at once.
    carte = open_page("app_pages/carte.py")
    assert not carte.exception
    app.selectbox(key="projet_annuler").set_value(1).run()
    app.button(key="annuler_projet_1").click().run()
    assert not app.exception, app.exception
    row = store.read("projets").set_index("project_id").loc[project_id]
    assert (row["status_category"], row["status_date"]) == (before["status_category"], before["status_date"])
    assert app.dataframe[-1].value["Action"].tolist() == ["annulation", "correction"]


def test_a_shipped_change_to_an_edited_project_is_shown_to_arbitrate(store_copy):
    import pandas as pd

    from geo.store.edits import SHIPPED_CHANGES_LAYER

    shipped = pd.DataFrame(
        {
            "layer": ["projets"],
            "record_id": ["P002"],
            "field": ["jobs_announced"],
            "shipped_before": ["2000"],
            "shipped_now": ["1400"],
            "kept": ["2000"],
        }
    )
    store_copy.replace_layers({SHIPPED_CHANGES_LAYER: shipped})
    app = _projets_page()
    assert any("1 changement du fichier de projets livré porte sur" in w.value for w in app.warning)
    table = app.dataframe[0].value
    assert table.iloc[0].tolist() == ["P002", "Emplois permanents annoncés", "2000", "1400", "2000"]


def test_a_link_names_the_project_to_open(store_copy):
    from tests.conftest import ROOT

    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.query_params["projet"] = "P060"
    app.run()
    app.switch_page("app_pages/projets.py").run()
    assert not app.exception, app.exception
    assert app.selectbox(key="projet_choisi").value == "P060"
    assert any("Identifiant P060" in c.value for c in app.caption)


def test_an_editor_adds_a_sourced_project_placed_by_its_commune(with_accounts):
    store = with_accounts
    app = _projets_page()
    sign_in(app)
    fields = {
        "ajout_name": "Usine de test",
        "ajout_insee_com": "02691",
        "ajout_sector": "batteries",
        "ajout_jobs_announced": "120",
        "ajout_source_url": "https://example.org/annonce",
        "ajout_source_date": "2026-11-02",
    }
    for key, value in fields.items():
        app.text_input(key=key).set_value(value)
    app.button(key="FormSubmitter:ajouter_projet-Ajouter le projet").click().run()
    assert any("Dites ce que comptent les emplois" in e.value for e in app.error)  # nothing written
    assert store.read("projets_audit").empty

    app.selectbox(key="ajout_jobs_nature").set_value("créés")
    app.button(key="FormSubmitter:ajouter_projet-Ajouter le projet").click().run()
    assert not app.exception, app.exception
    assert any("Enregistré : ajout du projet" in s.value for s in app.success)
    added = store.read("projets").set_index("name").loc["Usine de test"]
    assert (added["commune_nom"], added["jobs_nature"], added["source_url"]) == (
        "Saint-Quentin",
        "créés",
        "https://example.org/annonce",
    )
    assert added["status_date"] == "2026-11-02" and store.read("projets_audit")["action"].tolist() == ["ajout"]
