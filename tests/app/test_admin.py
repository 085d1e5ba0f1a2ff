"""AppTest of the Administration page: accounts and the whole audit trail for administrators only."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import WriteRefused
from geo.store.edits import TAKEN, SiteChange
from tests.app.conftest import PASSWORD, open_page, sign_in


def _admin_page() -> AppTest:
    return open_page("app_pages/admin.py")


def _apply(app: AppTest) -> None:
    next(button for button in app.button if button.label == "Appliquer").click().run()


def test_only_administrators_see_the_accounts(with_accounts):
    app = _admin_page()
    assert any("Réservé aux administrateurs" in info.value for info in app.info) and not app.dataframe
    sign_in(app, "camille")
    assert any("Réservé aux administrateurs" in info.value for info in app.info) and not app.dataframe
    app = _admin_page()
    sign_in(app, "anne")
    accounts = app.dataframe[0].value
    assert accounts["Identifiant"].tolist() == ["anne", "camille", "lea"]
    assert accounts["Rôle"].tolist() == ["administrateur", "éditeur", "lecteur"]
    assert (
        "password_hash" not in accounts.columns
        and not accounts.astype(str).apply(lambda column: column.str.contains("argon2")).any().any()
    )


def test_an_administrator_disables_an_editor_whose_next_write_is_refused(with_accounts):
    editor = with_accounts.accounts().sign_in("camille", PASSWORD, client="poste-camille")
    app = _admin_page()
    sign_in(app, "anne")
    app.selectbox(key="compte_choisi").set_value("camille").run()
    assert app.selectbox(key="role_camille").value == "editeur"  # the form starts from the account's state
    app.radio(key="etat_camille").set_value("désactivé")
    _apply(app)
    assert not app.exception, app.exception
    assert any("camille" in s.value and "désactivé" in s.value for s in app.success)
    site = with_accounts.read("foncier").iloc[0]
    with pytest.raises(WriteRefused, match="session a été fermée"):
        with_accounts.apply_site_change(
            SiteChange(TAKEN, site["site_id"], "camille", int(site["version"])), account=editor
        )
    # An administrator cannot lock themself out from the page.
    app.selectbox(key="compte_choisi").set_value("anne").run()
    app.selectbox(key="role_anne").set_value("lecteur")
    _apply(app)
    assert any("vos propres droits" in e.value for e in app.error)
    assert with_accounts.accounts().get("anne").role == "admin"
