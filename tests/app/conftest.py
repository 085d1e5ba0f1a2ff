"""Fixtures of the page tests: a copy of the real build the test may change."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from geo.store import GeoPackageStore
from tests.conftest import ROOT, copy_store


@pytest.fixture
def store_copy(store, tmp_path, monkeypatch) -> GeoPackageStore:
    """A copy of the built store that the app under test reads (``REINDUS_STORE``) and the test may change."""
    copy = copy_store(store, tmp_path / "edit.gpkg")
    monkeypatch.setenv("REINDUS_STORE", str(copy.path))
    return copy


PASSWORD = "mot-de-passe-de-test"


def open_page(path: str) -> AppTest:
    """The app opened, then switched to the page at ``path`` (e.g. ``app_pages/foncier.py``), with no error."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(path).run()
    assert not app.exception, app.exception
    return app


def sign_in(app: AppTest, login: str = "camille", password: str = PASSWORD) -> None:
    """Sign in from the sidebar form (its submit button is the sidebar's first button)."""
    app.text_input(key="identifiant").set_value(login)
    app.text_input(key="mot_de_passe").set_value(password)
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception


@pytest.fixture
def with_accounts(store_copy) -> GeoPackageStore:
    """The copy with an administrator, an editor and a reader (all with :data:`PASSWORD`)."""
    accounts = store_copy.accounts()
    accounts.add("anne", role="admin", password=PASSWORD, display_name="Anne Admin")
    accounts.add("camille", role="editeur", password=PASSWORD, display_name="Camille Martin")
    accounts.add("lea", role="lecteur", password=PASSWORD, display_name="Léa Lectrice")
    return store_copy
