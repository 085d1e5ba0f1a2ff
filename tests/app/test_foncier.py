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


def test_reindus_foncier_and_the_page_give_the_same_first_ten_sites(store, monkeypatch, capsys):
    import io

    import pandas as pd

    from cli import main

    args = ["foncier", "--autour", "Valenciennes", "--rayon", "20", "--surface-min", "1", "--premiers", "10"]
    assert main([*args, "--store", str(store.path)]) == 0
    from_cli = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)

    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    app.run()
    app.switch_page("app_pages/foncier.py").run()
    app.text_input(key="autour").set_value("Valenciennes").run()
    assert not app.exception, app.exception
    on_page = app.dataframe[0].value.head(10)
    assert len(from_cli) == 10
    assert from_cli["Site"].tolist() == on_page["Site"].tolist()
    assert from_cli["Commune"].tolist() == on_page["Commune"].tolist()
    assert set(from_cli["Compté (plausible)"]) <= {"oui", "non"}
