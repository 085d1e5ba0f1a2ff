"""AppTest of the Données page: a visitor gets an explanation and no upload box (so no file is read for
them); a signed-in editor gets the box."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import PASSWORD
from tests.conftest import ROOT


def _donnees_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("app_pages/donnees.py").run()
    assert not app.exception, app.exception
    return app


def test_a_visitor_gets_no_upload_box_and_an_editor_does(with_accounts):
    app = _donnees_page()
    assert app.get("file_uploader") == []
    assert any("Le dépôt de fichiers est réservé aux éditeurs" in info.value for info in app.info)

    app.text_input(key="identifiant").set_value("lea")  # a reader: still no box
    app.text_input(key="mot_de_passe").set_value(PASSWORD)
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception
    assert app.get("file_uploader") == []

    app.sidebar.button(key="deconnexion").click().run()
    app.text_input(key="identifiant").set_value("camille")
    app.text_input(key="mot_de_passe").set_value(PASSWORD)
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception
    assert len(app.get("file_uploader")) == 1
    assert not app.info or all("réservé aux éditeurs" not in info.value for info in app.info)
