"""AppTest of the Administration page: accounts and the whole audit trail for administrators only."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import GeoPackageStore, WriteRefused
from geo.store.edits import TAKEN, SiteChange
from tests.app.test_foncier_editing import PASSWORD, _sign_in
from tests.conftest import ROOT


@pytest.fixture
def admin_store(store, tmp_path, monkeypatch) -> GeoPackageStore:
    copy = GeoPackageStore(tmp_path / "admin.gpkg")
    shutil.copyfile(store.path, copy.path)
    monkeypatch.setenv("REINDUS_STORE", str(copy.path))
    accounts = copy.accounts()
    accounts.add("anne", role="admin", password=PASSWORD, display_name="Anne Admin")
    accounts.add("camille", role="editeur", password=PASSWORD, display_name="Camille Martin")
    return copy


def _admin_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("app_pages/admin.py").run()
    assert not app.exception, app.exception
    return app


def _apply(app: AppTest) -> None:
    next(button for button in app.button if button.label == "Appliquer").click().run()


def test_only_administrators_see_the_accounts(admin_store):
    app = _admin_page()
    assert any("Réservé aux administrateurs" in info.value for info in app.info) and not app.dataframe
    _sign_in(app, "camille")
    assert any("Réservé aux administrateurs" in info.value for info in app.info) and not app.dataframe
    app = _admin_page()
    _sign_in(app, "anne")
    accounts = app.dataframe[0].value
    assert accounts["Identifiant"].tolist() == ["anne", "camille"]
    assert accounts["Rôle"].tolist() == ["administrateur", "éditeur"]
    assert (
        "password_hash" not in accounts.columns
        and not accounts.astype(str).apply(lambda column: column.str.contains("argon2")).any().any()
    )


def test_an_administrator_disables_an_editor_whose_next_write_is_refused(admin_store):
    editor = admin_store.accounts().sign_in("camille", PASSWORD, client="poste-camille")
    app = _admin_page()
    _sign_in(app, "anne")
    app.selectbox(key="compte_choisi").set_value("camille")
    app.selectbox(key="role_choisi").set_value("editeur")
    app.radio(key="etat_choisi").set_value("désactivé")
    _apply(app)
    assert not app.exception, app.exception
    assert any("camille" in s.value and "désactivé" in s.value for s in app.success)
    site = admin_store.read("foncier").iloc[0]
    with pytest.raises(WriteRefused, match="session a été fermée"):
        admin_store.apply_site_change(
            SiteChange(TAKEN, site["site_id"], "camille", int(site["version"])), account=editor
        )
    # An administrator cannot lock themself out from the page.
    app.selectbox(key="compte_choisi").set_value("anne")
    app.selectbox(key="role_choisi").set_value("lecteur")
    app.radio(key="etat_choisi").set_value("actif")
    _apply(app)
    assert any("vos propres droits" in e.value for e in app.error)
    assert admin_store.accounts().get("anne").role == "admin"
