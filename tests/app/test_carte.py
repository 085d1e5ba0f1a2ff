"""AppTest smoke tests of the Streamlit pages against the real build."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


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
