"""AppTest of the Foncier page against the real build: the search, its address, the shortlist."""

from __future__ import annotations

import io

import pandas as pd
from openpyxl import load_workbook
from pypdf import PdfReader

from geo.usecases.foncier_search import FoncierSearch, run_search
from geo.usecases.places import place_data_from_store
from tests.app.conftest import open_page


def _search(store, search: FoncierSearch):
    sites = store.read("foncier")
    sites["verifie"] = sites["verifie"].astype(bool)
    return run_search(sites, search, place_data_from_store(store).index)


def _summary(app) -> str:
    return next(m.value for m in app.markdown if "trouvé" in m.value)


def test_the_default_list_hides_the_flagged_sites_and_says_how_many(store, monkeypatch):
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    app = open_page("app_pages/foncier.py")
    expected = _search(store, FoncierSearch())
    count = f"{len(expected.sites):,}".replace(",", "\u202f")
    hidden = f"{len(expected.set_aside):,}".replace(",", "\u202f")
    assert _summary(app).startswith(f"**{count} sites trouvés** ; **{hidden} autres**")
    shown = app.dataframe[0].value
    assert len(shown) == len(expected.sites) and "Écarté des totaux car" not in shown.columns
    assert shown.iloc[0]["Site"] == expected.sites.iloc[0]["nom"]
    assert shown["Raisons du classement"].str.len().gt(0).all()
    assert shown["Aptitude (points)"].is_monotonic_decreasing

    app.toggle(key="ecartes").set_value(True).run()
    shown = app.dataframe[0].value
    assert len(shown) == len(expected.sites) + len(expected.set_aside)
    assert shown["Écarté des totaux car"].fillna("").ne("").sum() == len(expected.set_aside)
    assert app.query_params["ecartes"] == "1"
    assert "Cerema – Cartofriches" in app.caption[0].value


def test_a_search_kept_in_the_address_reopens_with_its_shortlist(store, monkeypatch):
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    app = open_page("app_pages/foncier.py")
    app.text_input(key="autour").set_value("Lens").run()
    app.slider(key="rayon").set_value(30).run()
    app.text_input(key="surface_min").input("5").run()
    app.text_input(key="surface_max").input("50,0").run()  # typed the French way
    app.multiselect(key="zonages").set_value(["activites", "urbaine"]).run()
    assert not app.exception, app.exception
    params = {key: app.query_params[key] for key in app.query_params}
    assert params["autour"] == "Lens" and params["rayon"] == "30" and params["surface"] == "5-50"
    assert params["zonage"] == "activites,urbaine"
    search = FoncierSearch.from_query(params)
    expected = _search(store, search)
    assert app.dataframe[0].value["Site"].tolist() == expected.sites["nom"].tolist()
    assert len(expected.sites) >= 2 and app.dataframe[0].value["Surface (ha)"].between(5, 50).all()

    # The shortlist: two sites, kept in the address, and kept when a new search no longer finds them.
    chosen = expected.sites["site_id"].head(2).tolist()
    app.multiselect(key="selection_foncier").set_value(chosen).run()
    assert not app.exception, app.exception
    assert app.query_params["selection"] == ",".join(chosen)
    app.text_input(key="autour").set_value("Metz").run()
    around_metz = _search(store, FoncierSearch.from_query({**params, "autour": "Metz"})).sites
    assert len(around_metz) and not set(chosen) & set(around_metz["site_id"])  # both left the results
    assert app.query_params["selection"] == ",".join(chosen)
    side_by_side = app.dataframe[1].value
    assert side_by_side.shape[1] == 2 and "Raisons du classement" in side_by_side.index


def test_the_shortlist_exports_one_pdf_page_per_site_and_an_xlsx(store):
    from geo.usecases.foncier_export import shortlist_table
    from geo.usecases.foncier_search import shortlisted
    from layers.site_sheet import site_sheet_pdf

    sites = store.read("foncier")
    search = FoncierSearch(autour="Valenciennes")
    found = _search(store, search)
    ids = found.sites["site_id"].head(3).tolist()
    ranked = shortlisted(sites, ids, search, found.origin)
    table = shortlist_table(ranked, {})
    assert list(ranked["site_id"]) == ids and table.shape[1] == 3
    communes = store.read("communes")
    for position, site in ranked.iterrows():
        pdf = site_sheet_pdf(
            {"Site": site["nom"], **table.iloc[:, position].to_dict()},
            point_wgs84=site.geometry,
            status=site["statut"],
            communes=communes[communes.intersects(site.geometry.buffer(0.2))],
            commune_code=site["insee_com"],
            footer="Sources : Cerema – Cartofriches (instantané du 2 octobre 2023).",
        )
        reader = PdfReader(io.BytesIO(pdf))
        text = reader.pages[0].extract_text()
        assert len(reader.pages) == 1
        assert reader.pages[0].mediabox.width == 595 or round(float(reader.pages[0].mediabox.width)) == 595  # A4
        assert site["commune_nom"] in text and "Raisons du classement" in text and "Cartofriches" in text
    workbook = pd.read_excel(io.BytesIO(_xlsx(table)), sheet_name=None)
    assert list(workbook) == ["Comparaison"] and workbook["Comparaison"].shape[1] == 4
    assert load_workbook(io.BytesIO(_xlsx(table))).active.title == "Comparaison"


def _xlsx(table: pd.DataFrame) -> bytes:
    from geo.exports import xlsx_bytes

    return xlsx_bytes({"Comparaison": table.reset_index(names="Champ")})


def test_reindus_foncier_and_the_page_give_the_same_first_ten_sites(store, monkeypatch, capsys):
    from cli import main

    args = ["foncier", "--autour", "Lens", "--rayon", "30", "--surface-min", "1", "--premiers", "10"]
    assert main([*args, "--store", str(store.path)]) == 0
    from_cli = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype=str)

    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    app = open_page("app_pages/foncier.py")
    app.text_input(key="autour").set_value("Lens").run()
    app.slider(key="rayon").set_value(30).run()
    assert not app.exception, app.exception
    on_page = app.dataframe[0].value.head(10)
    assert len(from_cli) == 10
    assert from_cli["Site"].tolist() == on_page["Site"].tolist()
    assert from_cli["Commune"].tolist() == on_page["Commune"].tolist()
    assert from_cli["Aptitude (points)"].astype(int).tolist() == on_page["Aptitude (points)"].tolist()
    assert set(from_cli["Compté (plausible)"]) == {"oui"}  # the flagged sites are hidden on both
