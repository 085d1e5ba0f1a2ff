"""AppTest of the Foncier page against the real build."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from geo.analysis.foncier import FoncierQuery, search_sites
from geo.vocabulary import AVAILABLE_STATUSES
from tests.conftest import ROOT


def test_foncier_search_matches_the_geo_function(store, monkeypatch):
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.run()
    app.switch_page("app_pages/foncier.py").run()
    assert not app.exception
    sites = store.read("foncier")
    sites["verifie"] = sites["verifie"].astype(bool)
    expected = search_sites(sites, FoncierQuery(min_surface_ha=1.0, statuts=AVAILABLE_STATUSES))
    assert any(m.value.startswith(f"**{len(expected):,}".replace(",", "\u202f")) for m in app.markdown)
    app.number_input(key="surface_min").set_value(20.0).run()
    app.checkbox(key="verifiees").set_value(True).run()
    expected = search_sites(sites, FoncierQuery(min_surface_ha=20.0, statuts=AVAILABLE_STATUSES, verified_only=True))
    assert len(app.dataframe[0].value) == len(expected)
    assert app.dataframe[0].value.iloc[0]["Site"] == expected.iloc[0]["nom"]
    assert "Cerema – Cartofriches" in app.caption[0].value
