"""Hostile files given to the importer: each is refused or reported in French, and read without a long
wait (the speed itself is measured by ``bench/hostile_parse.py``, not asserted here).

Files are generated in memory by :mod:`tests.hostile_files`; none is committed.
"""

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from geo.errors import ImportRefusedError
from geo.exports import csv_bytes
from geo.imports import tabular
from geo.imports.columns import Field, Kind
from geo.imports.pipeline import parse_table
from geo.imports.problems import Severity
from geo.imports.tabular import read_table
from tests import hostile_files

NNBSP = "\u202f"  # French thousands separator in the messages


def _read(data: bytes, name: str):
    return read_table(io.BytesIO(data), name=name)


def _refusal(data: bytes, name: str) -> str:
    with pytest.raises(ImportRefusedError) as error:
        _read(data, name)
    return str(error.value)


# --- limits, checked before the costly steps --------------------------------------------------------


def test_a_header_repeated_10_000_times_is_refused_at_once():
    message = _refusal(hostile_files.repeated_header_csv(10_000), "repete.csv")
    assert message == (
        f"repete.csv : 10{NNBSP}000 colonnes dans l'en-tête ; la limite est de 200 colonnes. "
        "Supprimez les colonnes inutiles ou découpez le fichier."
    )


def test_repeated_headers_within_the_limit_are_numbered():
    table = _read(hostile_files.repeated_header_csv(200), "repete.csv")
    assert table.headers[:3] == ["nom", "nom (2)", "nom (3)"] and table.headers[-1] == "nom (200)"
    table = _read(b"nom;nom (2);nom;x\r\na;b;c;d\r\n", "piege.csv")
    assert table.headers == ["nom", "nom (2)", "nom (3)", "x"]  # a numbered name already taken is skipped


def test_10_000_distinct_columns_are_refused_at_once():
    message = _refusal(hostile_files.distinct_columns_csv(10_000), "large.csv")
    assert f"10{NNBSP}000 colonnes dans l'en-tête ; la limite est de 200 colonnes" in message


def test_a_header_of_100_000_characters_is_refused():
    message = _refusal(hostile_files.long_header_csv(100_000), "long.csv")
    assert message == (
        f"long.csv : en-tête de la colonne 2 trop long (100{NNBSP}000 caractères) ; la limite est de 200 "
        "caractères par en-tête."
    )


def test_a_workbook_declaring_a1_xfd1048576_is_refused_before_its_cells_are_read():
    data = hostile_files.declared_xlsx("A1:XFD1048576")
    assert len(data) < 10_000  # a tiny file
    message = _refusal(data, "immense.xlsx")
    assert message.startswith(
        f"immense.xlsx : la feuille « Sheet » déclare 16{NNBSP}384 colonnes et 1{NNBSP}048{NNBSP}576 lignes "
        f"(A1:XFD1048576) ; la limite est de 200 colonnes, 101{NNBSP}000 lignes et 1{NNBSP}000{NNBSP}000 cellules."
    )


def test_a_workbook_is_read_up_to_its_real_last_cell_whatever_it_declares():
    table = _read(hostile_files.far_cells_xlsx(), "loin.xlsx")  # declares A1:B2, holds XFD2 and A1048576
    assert table.headers == ["nom", "commune"]
    assert table.lines == [2, 1_048_576]
    assert table.cells.values.tolist() == [["Usine", "Lens"], ["Tout en bas", ""]]
    table = _read(hostile_files.declared_xlsx("A1:C3"), "petit.xlsx")  # declares more than it holds
    assert table.headers == ["nom", "commune"] and len(table.cells) == 1  # no "colonne 3", no blank row


def test_a_csv_over_the_row_limit_is_refused_without_loading_it():
    message = _refusal(hostile_files.many_rows_csv(574_967), "enorme.csv")
    assert message == (
        f"enorme.csv : trop de lignes (environ 574{NNBSP}968 lignes) ; la limite est de 100{NNBSP}000 lignes de "
        "données. Découpez-le en plusieurs fichiers."
    )
    assert len(_read(hostile_files.many_rows_csv(100_000), "juste.csv").cells) == 100_000  # at the limit


def test_a_workbook_over_the_row_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 1_000)  # a small limit: a workbook of 100 001 rows takes seconds
    monkeypatch.setattr(tabular, "MAX_SHEET_ROWS", 10_000)
    assert len(_read(hostile_files.many_rows_xlsx(1_000), "juste.xlsx").cells) == 1_000
    message = _refusal(hostile_files.many_rows_xlsx(1_001), "enorme.xlsx")
    assert f"trop de lignes (au moins 1{NNBSP}001 lignes de données) ; la limite est de 1{NNBSP}000 lignes" in message
    message = _refusal(hostile_files.declared_xlsx("A1:B10001"), "declare.xlsx")  # refused before reading
    assert "déclare 2 colonnes et 10\u202f001 lignes (A1:B10001)" in message


def test_a_workbook_over_the_row_limit_declaring_no_size_is_refused_before_its_cells_are_parsed(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("the cells were parsed")

    monkeypatch.setattr(tabular, "_sheet_rows", never)
    monkeypatch.setattr(tabular, "MAX_ROWS", 10_000)  # the same file ten times smaller: generated faster
    data = hostile_files.many_rows_xlsx(10_001)  # openpyxl's write-only mode: no <dimension>
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    assert _refusal(data, "enorme.xlsx") == (
        f"enorme.xlsx : trop de lignes (au moins 10{NNBSP}001 lignes de données) ; la limite est de 10{NNBSP}000 "
        "lignes de données. Découpez-le en plusieurs fichiers."
    )


def test_the_rows_are_counted_as_the_reader_counts_them(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 4)
    monkeypatch.setattr(tabular, "MAX_SHEET_ROWS", 10)
    blank = [["nom", "commune"], ["  ", None], ["Usine", "Lens"], [None, 0], ["Forge", None], ["", "Douai"]]
    assert len(_read(hostile_files.declared_xlsx("A1:B2", blank), "blancs.xlsx").cells) == 4  # "  ": blank
    message = _refusal(hostile_files.declared_xlsx("A1:B2", [*blank, ["x", "y"]]), "plus.xlsx")
    assert "trop de lignes (au moins 5 lignes de données)" in message
    message = _refusal(hostile_files.empty_rows_xlsx(9), "vides.xlsx")  # 2 rows of cells, 9 empty ones
    assert message == (
        "vides.xlsx : plus de 10 lignes dans la feuille « Sheet », vides comprises (atteint à la ligne 11) ; la "
        "limite est de 10 lignes. Supprimez les lignes vides au-delà de vos données, ou enregistrez la feuille en CSV."
    )
    assert _read(hostile_files.empty_rows_xlsx(8), "vides.xlsx").lines == [2]


def test_a_million_empty_rows_are_refused_without_parsing_them(monkeypatch):
    monkeypatch.setattr(tabular, "_sheet_rows", lambda *args: pytest.fail("the cells were parsed"))
    data = hostile_files.empty_rows_xlsx(1_000_000)
    assert len(data) < 3_000_000  # 2,4 Mo
    assert f"plus de 101{NNBSP}000 lignes dans la feuille « Sheet », vides comprises" in _refusal(data, "vide.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_inflated(monkeypatch):
    data = hostile_files.blank_bomb_xlsx(100_000_000)  # 100 Mo of spaces in the sheet's XML
    assert len(data) < 200_000
    message = _refusal(data, "bombe.xlsx")
    assert message.startswith("bombe.xlsx : la partie « xl/worksheets/sheet1.xml » du classeur se décompresse ")
    assert "fois (de 0,1 à 95,4 Mo) ; la limite est de 100 fois. Fichier suspect (bombe zip)" in message
    monkeypatch.setattr(tabular, "MAX_XLSX_RATIO", 10_000)  # its declared size is then over the size limit
    monkeypatch.setattr(tabular, "MAX_XLSX_PART_BYTES", 50 * 1024**2)
    assert _refusal(data, "bombe.xlsx") == (
        "bombe.xlsx : la partie « xl/worksheets/sheet1.xml » du classeur fait 95,4 Mo une fois décompressée ; la "
        "limite est de 50 Mo. Enregistrez la feuille en CSV ou découpez-la."
    )


def test_the_inflated_bytes_are_counted_whatever_the_zip_declares(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_XLSX_PART_BYTES", 1024**2)
    monkeypatch.setattr(tabular, "_check_part", lambda info, name: None)  # as if the declared size were small
    message = _refusal(hostile_files.blank_bomb_xlsx(3 * 1024**2), "bombe.xlsx")
    assert "la partie « xl/worksheets/sheet1.xml » du classeur fait plus de 1 Mo une fois décompressée" in message


def test_a_workbook_over_the_cell_limit_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_SHEET_CELLS", 500)
    message = _refusal(hostile_files.declared_xlsx("A1:B300"), "declare.xlsx")
    assert "déclare 2 colonnes et 300 lignes (A1:B300)" in message and "500 cellules" in message
    rows = [["nom", "commune"]] + [[f"U{i}", "Lens"] for i in range(300)]
    message = _refusal(hostile_files.declared_xlsx("A1:B2", rows), "menteur.xlsx")  # lies about its size
    assert "plus de 500 cellules dans la feuille « Sheet » (atteint à la ligne 251)" in message
    assert "Enregistrez-le en CSV" in message


def test_a_geojson_over_the_limits_is_refused(monkeypatch):
    monkeypatch.setattr(tabular, "MAX_ROWS", 2)
    feature = '{"type": "Feature", "properties": {"nom": "A"}, "geometry": null}'
    data = ('{"type": "FeatureCollection", "features": [' + ",".join([feature] * 3) + "]}").encode()
    assert "trop de lignes (3 entités)" in _refusal(data, "points.geojson")
    properties = ", ".join(f'"p{i}": 1' for i in range(201))
    data = ('{"type": "FeatureCollection", "features": [{"properties": {' + properties + "}}]}").encode()
    assert "201 colonnes dans l'en-tête ; la limite est de 200" in _refusal(data, "large.geojson")
    data = b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert "imbrication trop profonde" in _refusal(data, "profond.geojson")


def test_a_field_over_the_csv_module_limit_is_a_french_refusal():
    data = b"nom;note\r\nUsine;" + b"x" * 200_000 + b"\r\n"
    assert _refusal(data, "champ.csv").startswith("champ.csv, ligne 2 : CSV illisible (field larger than")


# --- encodings, stated ------------------------------------------------------------------------------


def test_windows_1252_is_read_and_stated_with_the_lines_that_are_not_utf8():
    text = "nom;commune\r\nUsine;Lens\r\nAciérie;Hénin-Beaumont\r\nForge;Liévin\r\n"
    table = _read(text.encode("cp1252"), "excel.csv")
    assert table.cells["nom"].tolist() == ["Usine", "Aciérie", "Forge"]
    assert "encodage Windows-1252 (pas de l'UTF-8 valide)" in table.details[0]
    assert [str(p) for p in table.problems] == [
        "excel.csv, ligne 3 : avertissement : octets non valides en UTF-8 (E9, lu « é »), fichier lu en "
        "Windows-1252 — vérifiez les accents ; 2 lignes concernées (3, 4…)"
    ]


def test_a_utf8_file_with_broken_bytes_rejects_those_cells_instead_of_turning_into_mojibake():
    data = "nom;commune\r\nAciérie;Hénin-Beaumont\r\nForge;Liévin\r\n".encode() + b"Fonderie;Li\xe9vin\r\n"
    table = _read(data, "melange.csv")
    assert table.cells["nom"].tolist() == ["Aciérie", "Forge", "Fonderie"]  # no « AciÃ©rie »
    assert "encodage UTF-8 (avec 1 octet(s) non valide(s))" in table.details[0]
    assert [str(p) for p in table.problems] == [
        "melange.csv, ligne 4, colonne « commune » (2) : erreur : valeur refusée : caractère « \ufffd » (U+FFFD), "
        "trace d'un accent perdu ou d'octets non valides ; corrigez le texte"
    ]


# --- control characters -----------------------------------------------------------------------------


@pytest.mark.parametrize(("character", "code"), [("\x07", "U+0007"), ("\x1b", "U+001B"), ("\x85", "U+0085")])
def test_control_characters_in_cells_are_errors_with_line_and_column(character, code):
    ordinary = "Usine ordinaire;Lens;une ligne sans rien de particulier\r\n" * 10  # not a binary file
    data = f"nom;commune;note\r\nUsine;Lens;ok\r\nForge{character};Liévin;x{character}\r\n{ordinary}".encode()
    problems = _read(data, "controle.csv").problems
    assert [str(p) for p in problems] == [
        f"controle.csv, ligne 3, colonne « nom » (1) : erreur : valeur refusée : caractère de contrôle {code}, "
        "invisible, qu'un tableau ne contient pas (et 1 autre(s) colonne(s) : note)"
    ]


def test_tabs_and_newlines_inside_cells_are_not_control_characters():
    table = _read(b'nom;note\r\nUsine;"deux\r\nlignes\tet tabulation"\r\n', "ok.csv")
    assert table.problems == []


def test_a_control_character_in_a_header_blocks_the_whole_file():
    problems = _read(b"nom;com\x08mune\r\n" + b"Usine ordinaire;Lens\r\n" * 10, "entete.csv").problems
    assert [(p.line, p.column, p.message) for p in problems] == [
        (None, "com\x08mune", "en-tête refusé : caractère de contrôle U+0008, invisible, qu'un tableau ne contient pas")
    ]


# --- formula-like text --------------------------------------------------------------------------------

SCHEMA = (
    Field("name", "nom", Kind.TEXT, ("nom",)),
    Field("investment_eur", "investissement", Kind.AMOUNT, ("investissement",)),
    Field("lon", "longitude", Kind.COORDINATE, ("longitude",)),
)


def test_formula_like_text_is_kept_with_a_warning_but_numbers_are_numbers():
    rows = [
        "nom;investissement;longitude",
        '"=HYPERLINK(""http://exemple.invalid"",""Cliquez"")";1;2,5',
        "+cmd|' /C calc'!A0;2;2,5",
        "@SUM(A1:A9);3;-1,25",
        "-2+3;+12,5;-0,5",
        '"\tTabulation";4;2,5',
        "Usine ordinaire;5;2,5",
        "-;6;2,5",
    ]
    table = _read("\r\n".join(rows).encode(), "formules.csv")
    values, _, sink = parse_table(table, SCHEMA)
    assert values["name"].tolist()[:4] == [
        '=HYPERLINK("http://exemple.invalid","Cliquez")',
        "+cmd|' /C calc'!A0",
        "@SUM(A1:A9)",
        "-2+3",
    ]  # kept as written
    assert values["lon"].tolist()[2:4] == [-1.25, -0.5] and values["investment_eur"].tolist()[3] == 12.5
    assert [(p.line, p.column, p.severity, p.message) for p in sink.problems] == [
        (
            line,
            "nom",
            Severity.WARNING,
            f"valeur qui commence par {start} : elle sera exportée comme texte, jamais comme formule",
        )
        for line, start in [(2, "« = »"), (3, "« + »"), (4, "« @ »"), (5, "« - »"), (6, "une tabulation")]
    ]


def test_a_rejected_rows_file_reimported_gives_back_the_values_without_the_export_mark():
    written = csv_bytes(pd.DataFrame({"nom": ["=HYPERLINK(1)", "@SUM(A1)", "Usine"], "longitude": ["-1,5", "2", "3"]}))
    assert b"'=HYPERLINK(1)" in written  # neutralised in the file a spreadsheet opens
    table = read_table(io.BytesIO(written), name="rejets.csv")
    values, _, sink = parse_table(table, SCHEMA)
    assert values["name"].tolist() == ["=HYPERLINK(1)", "@SUM(A1)", "Usine"]  # the mark is not part of the value
    assert values["lon"].tolist() == [-1.5, 2.0, 3.0]
    assert [p.line for p in sink.problems if p.severity is Severity.WARNING] == [2, 3]
