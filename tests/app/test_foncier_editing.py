"""AppTest of foncier editing on a copy of the real build: accounts, sign-in, correction, history, undo,
read-only public, sessions closed when the account changes."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from app_pages.foncier_editing import _site_labels
from tests.app.conftest import PASSWORD, open_page, sign_in


def _foncier_page() -> AppTest:
    return open_page("app_pages/foncier.py")


def test_public_mode_shows_the_sheet_but_no_edit_control(store_copy):
    app = _foncier_page()  # no account in the store: read-only, as before accounts existed
    labels = [b.label for b in app.button]
    assert "Marquer comme pris" not in labels and "Ajouter le site" not in [b.label for b in app.button]
    assert any("Mode consultation" in c.value for c in app.sidebar.caption)
    assert any("Identifiant" in c.value for c in app.caption)  # the site sheet is public


def test_editor_corrects_marks_taken_and_undoes_with_history(with_accounts):
    store_copy = with_accounts
    app = _foncier_page()
    sign_in(app)
    assert any("Connecté : Camille Martin (éditeur)" in s.value for s in app.sidebar.success)
    site_id = app.selectbox(key="site_choisi").value
    original_status = store_copy.read("foncier").set_index("site_id").loc[site_id, "statut"]

    app.button(key=f"pris_{site_id}_v1").click().run()
    assert not app.exception, app.exception
    assert any("modification n° 1" in s.value for s in app.success)
    site = store_copy.read("foncier").set_index("site_id").loc[site_id]
    assert (site["statut"], site["version"]) == ("site pris", 2)
    audit = store_copy.read("foncier_audit")
    assert audit[["action", "author", "site_id"]].values.tolist() == [["pris", "Camille Martin (camille)", site_id]]

    app.selectbox(key="a_annuler").set_value(1).run()
    app.button(key="annuler_1").click().run()
    assert not app.exception, app.exception
    site = store_copy.read("foncier").set_index("site_id").loc[site_id]
    assert (site["statut"], site["version"]) == (original_status, 3)
    history = app.dataframe[-1].value
    assert history["Action"].tolist() == ["annulation", "pris"]
    assert history["Annulée par"].tolist() == ["", "n° 2"]


def test_wrong_password_stays_read_only(with_accounts):
    app = _foncier_page()
    sign_in(app, "camille", "faux")
    assert any("Identifiant ou mot de passe incorrect" in e.value for e in app.error)
    assert "Marquer comme pris" not in [b.label for b in app.button]
    sign_in(app, "personne", PASSWORD)  # an unknown account gets the very same message
    assert any("Identifiant ou mot de passe incorrect" in e.value for e in app.error)


def test_a_reader_sees_no_edit_control_and_a_disabled_account_is_signed_out(with_accounts):
    app = _foncier_page()
    sign_in(app, "lea")
    assert any("Léa Lectrice (lecteur)" in s.value for s in app.sidebar.success)
    assert "Marquer comme pris" not in [b.label for b in app.button]

    app = _foncier_page()
    sign_in(app)
    assert "Marquer comme pris" in [b.label for b in app.button]
    with_accounts.accounts().set_enabled("camille", False)  # by an admin, from another session or the CLI
    app.run()
    assert any("Session fermée" in w.value for w in app.sidebar.warning)
    assert "Marquer comme pris" not in [b.label for b in app.button]


def test_sites_sharing_a_label_are_told_apart_in_the_selector():
    """Streamlit takes a label for the last option bearing it: 697 real sites share « name — commune » with another
    (« (sans nom) — Reims » 63 times), so choosing one of them opened another. Their id follows the label."""
    sites = pd.DataFrame(
        {
            "site_id": ["cf-1", "cf-2", "cf-3"],
            "nom": [None, None, "Friche du canal"],
            "commune_nom": ["Reims", "Reims", "Reims"],
            "statut": ["friche sans projet", "friche sans projet", "site retiré"],
        }
    ).set_index("site_id", drop=False)
    labels = _site_labels(["cf-1", "cf-2", "cf-3"], sites, in_results={"cf-1", "cf-2"})
    assert labels == {
        "cf-1": "(sans nom) — Reims · cf-1",
        "cf-2": "(sans nom) — Reims · cf-2",
        "cf-3": "Friche du canal — Reims (hors des critères : site retiré)",
    }


def test_a_surface_is_typed_the_french_way_and_a_misread_one_saves_nothing(with_accounts):
    store_copy = with_accounts
    app = _foncier_page()
    sign_in(app)
    site_id = app.selectbox(key="site_choisi").value
    before = store_copy.read("foncier").set_index("site_id").loc[site_id, "surface_ha"]
    field = app.text_input(key=f"corriger_{site_id}_v1_surface_ha")
    assert "." not in field.value and (
        pd.isna(before) or field.value.replace(",", ".") == f"{before:.2f}".rstrip("0").rstrip(".")
    )

    submit = f"FormSubmitter:corriger_{site_id}_v1-Enregistrer la correction"
    app.button(key=submit).click().run()  # sent as drawn: « 25,82 » stands for 25.8249, nothing changed
    assert any("Aucun changement" in i.value for i in app.info) and store_copy.read("foncier_audit").empty

    field = app.text_input(key=f"corriger_{site_id}_v1_surface_ha")
    field.input("douze")  # inside the form: sent with it
    app.button(key=submit).click().run()
    assert not app.exception, app.exception
    assert any("Surface (ha) : surface illisible « douze »" in e.value for e in app.error)
    assert store_copy.read("foncier_audit").empty  # nothing saved
    assert app.text_input(key=f"corriger_{site_id}_v1_surface_ha").value == "douze"  # nothing lost either

    app.text_input(key=f"corriger_{site_id}_v1_surface_ha").input("12,5")
    app.button(key=submit).click().run()
    assert not app.exception, app.exception
    assert store_copy.read("foncier").set_index("site_id").loc[site_id, "surface_ha"] == 12.5
