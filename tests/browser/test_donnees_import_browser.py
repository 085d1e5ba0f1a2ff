"""The Données upload in Chromium, with a messy file as people export them: the report places each problem, and
the valid rows can be imported alone while the rejected ones are downloaded with their reasons."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from geo.imports.locate import lookup_from_store
from tests.browser.conftest import EDITOR_LOGIN, EDITOR_PASSWORD, editor_app, sign_in

BAD_CODE_ROW, BAD_AMOUNT_ROW, BLANK_AFTER_ROW = 120, 301, 199


def messy_projects_csv(codes: list[str]) -> bytes:
    """500 projects as a French office exports them: BOM, semicolons, ``1 200`` and ``12,5``, a header with its unit
    (``investissement_meur``), a blank line; one unknown INSEE code and one unreadable amount."""
    lines = ["Nom du projet;Code INSEE;investissement_meur;Emplois;Remarque"]
    for i in range(500):
        code = "99999" if i == BAD_CODE_ROW else codes[i]
        amount = "douze" if i == BAD_AMOUNT_ROW else f"{i % 40},5"
        lines.append(f"Projet navigateur {i};{code};{amount};1 2{i % 10}0;remarque {i}")
        if i == BLANK_AFTER_ROW:
            lines.append("")
    return b"\xef\xbb\xbf" + ("\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture(scope="module")
def import_app(store, tmp_path_factory):
    """The app on a copy of the build, with one editor account in it; yields (url, store copy)."""
    with editor_app(store, tmp_path_factory.mktemp("import")) as running:
        yield running


def test_messy_upload_reports_problems_and_imports_the_valid_rows(page, import_app, store, artifacts_dir):
    url, copy = import_app
    codes = sorted(lookup_from_store(store).points.index)[:500]
    count_before = len(copy.read("projets"))
    page.goto(f"{url}/donnees")
    page.get_by_text("Données : importer des projets").wait_for(timeout=90_000)
    page.get_by_text("Le dépôt de fichiers est réservé aux éditeurs").wait_for(timeout=30_000)
    assert page.locator("input[type=file]").count() == 0  # no upload, hence no parsing, for a visitor
    sign_in(page, EDITOR_LOGIN, EDITOR_PASSWORD)
    uploader = page.locator("[data-testid='stFileUploader']")
    uploader.get_by_text("au plus 50 Mo").wait_for(timeout=30_000)  # the page's limit, in French…
    assert "MB" not in uploader.inner_text()  # … and not Streamlit's English one (set at 100 MB, hidden)

    page.locator("input[type=file]").set_input_files(
        {"name": "projets-region.csv", "mimeType": "text/csv", "buffer": messy_projects_csv(codes)}
    )
    page.get_by_text("Compte rendu").wait_for(timeout=90_000)
    metrics = page.locator("[data-testid='stMetric']")
    assert metrics.filter(has_text="Lignes lues").inner_text().split()[-1] == "500"
    assert metrics.filter(has_text="Lignes valides").inner_text().split()[-1] == "498"
    # the problems table (its accessible grid, since the cells are drawn on a canvas): line and column of each
    problems = page.locator("[data-testid='stDataFrame'] [role=grid]").first
    problems.locator("[role=gridcell]", has_text="99999").first.wait_for(state="attached", timeout=30_000)
    table = [row.locator("[role=gridcell]").all_text_contents() for row in problems.locator("[role=row]").all()[1:]]
    assert [cells[1:4] for cells in table] == [
        [str(BAD_CODE_ROW + 2), "Code INSEE", "erreur"],
        [str(BAD_AMOUNT_ROW + 3), "investissement_meur", "erreur"],  # + the header line and the blank line
    ]
    page.get_by_text("Colonnes reconnues").click()
    page.get_by_text("« investissement_meur » → investissement (€) (en millions d'euros)").wait_for()

    # the rejected rows, downloaded as the user would: line, column and French reason for each
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Télécharger les lignes rejetées (2, CSV avec ligne, colonne et motif)").click()
    download = download_info.value
    assert download.suggested_filename == "projets-region-rejets.csv"
    content = Path(download.path()).read_bytes()
    rejected = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert [(r["ligne d'origine"], r["colonne en cause"]) for r in rejected] == [
        (str(BAD_CODE_ROW + 2), "Code INSEE"),
        (str(BAD_AMOUNT_ROW + 3), "investissement_meur"),  # + the header line and the blank line
    ]
    assert "code INSEE 99999 inconnu du COG 2026" in rejected[0]["motif du rejet"]
    assert "montant illisible « douze »" in rejected[1]["motif du rejet"]

    page.get_by_text("Import refusé : corrigez les erreurs ci-dessus").wait_for()
    assert page.get_by_role("button", name="Importer 498 projets").count() == 0  # nothing without the option
    page.get_by_text("Importer seulement les lignes valides (498 sur 500)").click()
    page.get_by_role("button", name="Importer 498 projets").click()
    page.get_by_text(f"Import appliqué : 498 projets ; {count_before + 498} projets dans les données").wait_for(
        timeout=90_000
    )
    page.screenshot(path=str(artifacts_dir / "donnees-lignes-valides.png"), full_page=True)
    imported = copy.read("projets").set_index("project_id")
    assert len(imported) == count_before + 498
    assert imported.loc["projets-region:5", "investment_eur"] == 3_500_000  # row 3, "3,5" M€
    assert f"projets-region:{BAD_CODE_ROW + 2}" not in imported.index
    assert page.outside_requests == []
