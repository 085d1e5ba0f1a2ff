"""Press maps of hostile names (:mod:`tests.hostile`): the SVG stays well-formed and, like the PDF, holds the
names' literal characters as text; the dossier's tables hold a formula name as text."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

from openpyxl import load_workbook

from cli import main
from geo.analysis.projects import typed_projects
from geo.analysis.view import ProjectFilters
from geo.exports import csv_bytes, xlsx_bytes
from geo.usecases.press import press_projects
from layers.press.dossier import figures_of
from layers.press.views import VIEWS, press_data
from tests.conftest import pdf_text
from tests.hostile import FORMULA, PAYLOAD


def _export(store, out, fmt: str, title: str) -> None:
    arguments = ["export", "--view", "ti2", "--format", fmt, "--out", str(out), "--title", title]
    assert main([*arguments, "--store", str(store.path)]) == 0


def test_svg_and_pdf_keep_hostile_names_as_literal_text(hostile, tmp_path):
    store, names = hostile
    title = f"Titre {PAYLOAD}"
    _export(store, tmp_path / "carte.svg", "svg", title)
    _export(store, tmp_path / "carte.pdf", "pdf", title)
    svg = ET.parse(tmp_path / "carte.svg").getroot()  # well-formed XML, or this raises
    assert svg.tag.endswith("svg")
    assert not [element for element in svg.iter() if element.tag.split("}")[-1] in ("script", "foreignObject")]
    svg_text = " ".join(svg.itertext())
    assert title in svg_text and names.territory in svg_text  # the title, and the territory's label
    text = " ".join(pdf_text(tmp_path / "carte.pdf").split())
    assert "<img src=x onerror=window.__pwned=1>" in text and "<script>" in text


def test_the_dossier_writes_a_formula_name_as_text_in_its_csv_and_workbook(hostile):
    """What the dossier writes beside its maps: each view's tables (:func:`figures_of` of the view's data), as CSV
    files and one workbook, through the writers :func:`build_dossier` uses (the maps are not drawn: they hold no
    cell; tests/layers/test_dossier.py checks a whole dossier)."""
    store, _ = hostile
    typed = press_projects(typed_projects(store.read("projets")), ProjectFilters())
    tables = {
        f"{key} {suffix}"[:31]: table
        for key, view in VIEWS.items()
        for suffix, table in figures_of(view, press_data(store.read, view, projects=typed)).items()
    }
    csv_cells = {
        cell
        for table in tables.values()
        for row in csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig"), newline=""), delimiter=";")
        for cell in row
    }
    assert "'" + FORMULA in csv_cells and FORMULA not in csv_cells
    workbook = load_workbook(io.BytesIO(xlsx_bytes(tables)))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [f"{cell.parent.title}!{cell.coordinate}" for cell in cells if cell.data_type == "f"]
    assert "'" + FORMULA in {cell.value for cell in cells}
