"""Four territories side by side, in Chromium: the comparison opens from its address, shows the region as the
reference and exports (CSV, XLSX and the press table as PDF)."""

from __future__ import annotations

import io

import pandas as pd
from pypdf import PdfReader

FOUR = "epci:200042190,epci:245901160,epci:200044618,territoire:ze2020-3222"


def _download(page, name: str) -> bytes:
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=name, exact=True).click()
    return download.value.path().read_bytes()


def test_a_comparison_of_four_territories_opens_from_its_address_and_exports(page, app_url, artifacts_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_url}/comparer?comparer={FOUR}")
    page.get_by_role("button", name="Tableau PDF").wait_for(timeout=90_000)
    chosen = page.locator("[data-testid='stMultiSelect']").inner_text()
    for name in ("CA de la Porte du Hainaut", "CA Valenciennes Métropole", "CA Douaisis Agglo", "Valenciennes"):
        assert name in chosen
    page.screenshot(path=str(artifacts_dir / "comparer.png"))

    table = pd.read_csv(io.BytesIO(_download(page, "CSV")), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(table.columns) == [
        "Indicateur",
        "CA de la Porte du Hainaut",
        "CA Valenciennes Métropole",
        "CA Douaisis Agglo",
        "Zone d'emploi Valenciennes",
        "Hauts-de-France (référence)",
        "Sources (millésime)",
    ]
    by_row = table.set_index("Indicateur")
    assert "URSSAF" in by_row.loc["Emplois industriels mesurés 2024 (URSSAF, zone d'emploi)", "Sources (millésime)"]
    assert by_row.loc["Emplois industriels mesurés 2024 (URSSAF, zone d'emploi)", "Zone d'emploi Valenciennes"] == 27100
    assert by_row.loc["Aides publiques annoncées, projets actifs (€, toutes formes)", "CA de la Porte du Hainaut"] > 0
    workbook = pd.read_excel(io.BytesIO(_download(page, "XLSX")), sheet_name=None)
    assert list(workbook) == ["Comparaison"] and workbook["Comparaison"].shape == table.shape
    pdf = PdfReader(io.BytesIO(_download(page, "Tableau PDF")))
    text = pdf.pages[0].extract_text()
    assert len(pdf.pages) == 1 and "Hauts-de-France" in text and "pas à ce niveau" in text and "URSSAF" in text
    assert page.outside_requests == []
