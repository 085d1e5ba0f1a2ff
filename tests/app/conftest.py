"""Fixtures of the page tests: a copy of the real build the test may change."""

from __future__ import annotations

import pytest

from geo.store import GeoPackageStore
from tests.conftest import copy_store


@pytest.fixture
def store_copy(store, tmp_path, monkeypatch) -> GeoPackageStore:
    """A copy of the built store that the app under test reads (``REINDUS_STORE``) and the test may change."""
    copy = copy_store(store, tmp_path / "edit.gpkg")
    monkeypatch.setenv("REINDUS_STORE", str(copy.path))
    return copy


PASSWORD = "mot-de-passe-de-test"


@pytest.fixture
def with_accounts(store_copy) -> GeoPackageStore:
    """The copy with an administrator, an editor and a reader (all with :data:`PASSWORD`)."""
    accounts = store_copy.accounts()
    accounts.add("anne", role="admin", password=PASSWORD, display_name="Anne Admin")
    accounts.add("camille", role="editeur", password=PASSWORD, display_name="Camille Martin")
    accounts.add("lea", role="lecteur", password=PASSWORD, display_name="Léa Lectrice")
    return store_copy
