"""Every CSV and XLSX written by reindus: text from the data never becomes a formula, numbers stay numbers."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from cli import main
from geo.exports import FORMULA_STARTS, csv_bytes, neutralised_cell, write_csv, xlsx_bytes
from tests.hostile import FORMULA

HOSTILE = ['=HYPERLINK("http://x","y")', "+cmd", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
"""Cells a spreadsheet would run (OWASP, "CSV Injection")."""


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "nom": [*HOSTILE, "Saint-Amand", "-1,5"],
            "emplois": [-2.5, 1, 2, 3, 4, 5, 6, None],
            "=SUM(B:B)": ["a", "b", "c", "d", "e", "f", "g", "h"],
        }
    )


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def test_the_french_csv_writes_hostile_text_behind_an_apostrophe_and_numbers_as_numbers():
    raw = csv_bytes(_frame())
    assert raw.startswith("\ufeff".encode())  # BOM: Excel opens the accents right
    header, *rows = _rows(raw.decode("utf-8-sig"), ";")
    assert header == ["nom", "emplois", "'=SUM(B:B)"]
    assert [row[0] for row in rows] == [*("'" + value for value in HOSTILE), "Saint-Amand", "-1,5"]
    assert [row[1] for row in rows] == ["-2,5", "1,0", "2,0", "3,0", "4,0", "5,0", "6,0", ""]


def test_the_plain_csv_for_scripts_is_neutralised_too():
    out = io.StringIO()
    write_csv(_frame(), out)
    header, *rows = _rows(out.getvalue(), ",")
    assert header[2] == "'=SUM(B:B)" and rows[0][:2] == ["'" + HOSTILE[0], "-2.5"]


def test_the_workbook_holds_no_formula_and_keeps_numbers():
    workbook = load_workbook(io.BytesIO(xlsx_bytes({"Foncier": _frame()})))
    sheet = workbook["Foncier"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert sheet["C1"].value == "'=SUM(B:B)"
    names = [sheet.cell(row=row, column=1).value for row in range(2, 8)]
    # XML reads a carriage return back as a line feed; what matters is the apostrophe in front
    assert names == ["'" + value.replace("\r", "\n") for value in HOSTILE]
    assert sheet["B2"].value == -2.5 and sheet["B2"].data_type == "n"


@given(st.text(max_size=12))
def test_a_neutralised_text_only_gains_an_apostrophe_and_never_starts_what_could_run(text):
    cell = neutralised_cell(text)
    assert cell in (text, "'" + text)
    if cell.startswith(FORMULA_STARTS):  # left as typed: a bare number, nothing a spreadsheet could call
        assert not re.search(r"[^\d\s.,+\-eE\u00a0\u202f]", cell), cell


def test_reindus_stats_writes_a_formula_name_as_text(hostile, capsys):
    store, _ = hostile
    assert main(["stats", "--by", "epci", "--store", str(store.path)]) == 0
    header, *rows = _rows(capsys.readouterr().out, ",")
    names = [row[header.index("nom")] for row in rows]
    assert "'" + FORMULA in names and FORMULA not in names
