"""The dossier de presse, built by the CLI on the real build: every file, figures equal to `reindus stats`."""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader

from cli import main
from geo.analysis.projects import DEFAULT_STATUS_CATEGORIES, default_selection, typed_projects
from layers.press import PNG_DPI, VIEWS
from tests.conftest import pdf_text


@pytest.fixture(scope="module")
def dossier(store, tmp_path_factory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("dossier") / "dossier.zip"
    assert main(["export", "--dossier", "--out", str(out), "--store", str(store.path)]) == 0
    return zipfile.ZipFile(out)


def _csv(dossier: zipfile.ZipFile, name: str) -> pd.DataFrame:
    raw = dossier.read(name)
    assert raw.startswith("\ufeff".encode()), name  # BOM: Excel opens the accents right
    return pd.read_csv(io.BytesIO(raw), sep=";", decimal=",", encoding="utf-8-sig", dtype={"SIREN EPCI": str})


def test_the_dossier_holds_every_view_as_png_and_pdf_with_figures_and_a_note(dossier):
    names = set(dossier.namelist())
    for number, key in enumerate(VIEWS, 1):
        assert {f"cartes/{number:02d}-{key}.png", f"cartes/{number:02d}-{key}.pdf"} <= names
        assert any(name.startswith(f"chiffres/{number:02d}-{key}-") and name.endswith(".csv") for name in names), key
        png = Image.open(io.BytesIO(dossier.read(f"cartes/{number:02d}-{key}.png")))
        assert round(png.info["dpi"][0]) == PNG_DPI == 300 and png.size == (4000, 2250), key  # 16:9, 13.33 × 7.5 in
    assert {"chiffres/reindus-chiffres.xlsx", "note-methode.pdf", "note-methode.md"} <= names
    assert "Bassins prioritaires et projets industriels" in pdf_text(dossier.read("cartes/02-bassins-projets.pdf"))


def test_figures_equal_reindus_stats(dossier, store, capsys):
    statuses = [arg for status in DEFAULT_STATUS_CATEGORIES for arg in ("--statut", status)]
    assert main(["stats", "--by", "epci", "--sans-non-industriels", *statuses, "--store", str(store.path)]) == 0
    stats = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"code": str})
    by_epci = _csv(dossier, "chiffres/03-emplois-epci-epci.csv")
    # The EPCI map counts created jobs only: jobs kept in a takeover or moved from another site are not new.
    assert by_epci["emplois permanents créés annoncés"].sum() == stats["jobs_created"].sum() > 20_000
    assert stats["jobs_created"].sum() < stats["jobs_announced"].sum()
    drawn = _csv(dossier, "chiffres/02-bassins-projets-projets.csv")
    shown = default_selection(typed_projects(store.read("projets")))
    assert len(drawn) == len(shown)
    assert drawn["emplois créés annoncés"].sum() == stats["jobs_created"].sum()
    assert drawn["emplois annoncés, toutes natures"].sum() == stats["jobs_announced"].sum()
    phases = _csv(dossier, "chiffres/04-ti-evolution-epci.csv")
    counts = phases["parcours"].value_counts()
    assert (counts["entré en 2024"], counts["sorti en 2024"], counts["dans les deux phases"]) == (28, 23, 129)


def test_the_workbook_keeps_numbers_as_numbers_with_thousands_separators(dossier):
    workbook = load_workbook(io.BytesIO(dossier.read("chiffres/reindus-chiffres.xlsx")))
    csvs = [name for name in dossier.namelist() if name.endswith(".csv")]
    assert len(workbook.sheetnames) == len(csvs)
    sheet = workbook["03 epci"]
    header = [cell.value for cell in sheet[1]]
    jobs = sheet.cell(row=2, column=header.index("emplois permanents créés annoncés") + 1)
    assert isinstance(jobs.value, int | float) and jobs.number_format == "#,##0"
    foncier = workbook["06 foncier"]
    header = [cell.value for cell in foncier[1]]
    assert foncier.cell(row=2, column=header.index("surface (ha)") + 1).number_format == "#,##0.0"


def test_the_method_note_is_one_page_generated_from_the_metadata(dossier, store):
    note = PdfReader(io.BytesIO(dossier.read("note-methode.pdf")))
    assert len(note.pages) == 1
    text = " ".join(note.pages[0].extract_text().split())
    for expected in ("Emplois permanents annoncés", "Bassin minier", "Cartofriches", "Licence Ouverte", "Fichiers"):
        assert expected in text, expected
    markdown = dossier.read("note-methode.md").decode()
    caveats = store.read("territoires_web")["approximation"].dropna()
    assert sum(note[:40] in markdown for note in caveats) >= 5  # the perimeters' own notes, not a hand-written copy
