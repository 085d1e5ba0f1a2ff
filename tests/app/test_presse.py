"""AppTest of the Presse and Présentation pages on the real build."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from layers.press import dossier as dossier_module
from layers.press.views import VIEWS
from tests.conftest import ROOT


def _page(path: str, monkeypatch, store) -> AppTest:
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(path).run()
    assert not app.exception, app.exception
    return app


def _by_label(app: AppTest, label: str):
    return next(widget for widget in app.text_input if widget.label == label)


def test_presse_renders_the_chosen_view_with_the_edited_title(store, monkeypatch):
    app = _page("app_pages/presse.py", monkeypatch, store)
    assert _by_label(app, "Titre").value == "Territoires d'industrie 2024-2027"
    assert app.get("download_button")[0].proto.label.startswith("Télécharger PDF")
    app.selectbox(key="vue_presse").set_value("emplois-epci").run()
    assert _by_label(app, "Titre").value == "Emplois créés annoncés par intercommunalité"
    _by_label(app, "Titre").set_value("Où vont les emplois ?").run()
    assert _by_label(app, "Titre").value == "Où vont les emplois ?"
    app.radio(key="format_presse").set_value("svg").run()
    assert not app.exception, app.exception
    assert app.get("download_button")[0].proto.label.startswith("Télécharger SVG")
    assert len(app.get("image")) == 1


def test_presse_accepts_a_carte_permalink(store, monkeypatch):
    app = _page("app_pages/presse.py", monkeypatch, store)
    app.selectbox(key="vue_presse").set_value("carte").run()
    app.text_input(key="permalien").set_value(
        "http://127.0.0.1:8501/?couches=bassins,projets&taille=investment_eur"
    ).run()
    assert not app.exception, app.exception
    assert "Bassins prioritaires, projets industriels" in _by_label(app, "Sous-titre").value


def test_presentation_steps_through_the_views(store, monkeypatch):
    app = _page("app_pages/presentation.py", monkeypatch, store)
    assert app.subheader[0].value == "Territoires d'industrie 2024-2027 (1/7)"
    app.button(key="suivante").click().run()
    assert app.subheader[0].value == "Bassins prioritaires et projets industriels (2/7)"
    assert app.query_params["vue"] == "2"
    app.button(key="precedente").click().run()
    assert app.subheader[0].value.endswith("(1/7)")


def test_presse_prepares_the_dossier_with_progress_then_offers_it(store, monkeypatch):
    # The page's flow, on a dossier of two views: the whole dossier's content is tests/layers/test_dossier.py's.
    monkeypatch.setattr(dossier_module, "VIEWS", dict(list(VIEWS.items())[:2]))
    app = _page("app_pages/presse.py", monkeypatch, store)
    assert not any(b.proto.label.startswith("Télécharger le dossier") for b in app.get("download_button"))
    app.button(key="preparer_dossier").click().run()
    assert not app.exception, app.exception
    (dossier,) = [b for b in app.get("download_button") if b.proto.label.startswith("Télécharger le dossier")]
    assert re.search(r"ZIP, \d+,\d Mo\)$", dossier.proto.label), dossier.proto.label  # French decimal comma
