"""Reading users' files: CSV dialects and encodings, XLSX, GeoJSON, and files that are not tables."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import Workbook

from geo.errors import ImportRefusedError
from geo.imports import tabular
from geo.imports.tabular import GEOMETRY_X, read_table

ROWS = [["Nom du projet", "Commune", "Investissement (M€)"], ["Usine Hénin", "Hénin-Beaumont", "12,5"]]


def _csv(rows, delimiter=";", encoding="utf-8", bom=False) -> bytes:
    text = "\r\n".join(delimiter.join(row) for row in rows) + "\r\n"
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode(encoding)


@pytest.mark.parametrize(
    ("delimiter", "encoding", "bom", "expected"),
    [
        (";", "utf-8", False, "séparateur point-virgule, encodage UTF-8"),
        (",", "utf-8", True, "séparateur virgule, encodage UTF-8 avec BOM"),
        (";", "cp1252", False, "encodage Windows-1252"),
        ("\t", "utf-8", False, "séparateur tabulation"),
    ],
)
def test_csv_dialects_and_encodings(tmp_path, delimiter, encoding, bom, expected):
    rows = [r[:2] + [r[2].replace(",", ".")] if delimiter == "," else r for r in ROWS]
    path = tmp_path / "projets.csv"
    path.write_bytes(_csv(rows, delimiter, encoding, bom))
    table = read_table(path)
    assert table.headers == ["Nom du projet", "Commune", "Investissement (M€)"]
    assert table.cells.iloc[0, 0] == "Usine Hénin"
    assert table.lines == [2]
    assert expected in table.details[0]


def test_quoted_fields_keep_lines_and_count_fields(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text('nom;note\n"A";"sur\ndeux lignes"\nB;x\nC;y;z\n', encoding="utf-8")
    table = read_table(path)
    assert table.lines == [3, 4, 5]  # the physical line where each record ends
    assert [str(p) for p in table.problems] == [
        "p.csv, ligne 5 : erreur : 3 champs au lieu de 2 (séparateur ou guillemets ?)"
    ]


def test_file_objects_and_paths_share_the_reader():
    upload = io.BytesIO(_csv(ROWS))
    upload.name = "depuis-le-navigateur.csv"
    table = read_table(upload)
    assert table.name == "depuis-le-navigateur.csv" and len(table.cells) == 1


def test_xlsx_keeps_numbers_and_reports_column_letters(tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projets"
    sheet.append(["Nom", "Code INSEE", "Emplois"])
    sheet.append([None, None, None])  # blank row: skipped, numbering kept
    sheet.append(["Usine", 2691, 1200])
    path = tmp_path / "projets.xlsx"
    workbook.save(path)
    table = read_table(path)
    assert table.format == "XLSX" and table.lines == [3]
    assert table.cells.iloc[0]["Code INSEE"] == 2691  # a number, as Excel stored it
    assert table.column_refs == {"Nom": "A", "Code INSEE": "B", "Emplois": "C"}


def test_geojson_points_and_invalid_geometries(tmp_path):
    bowtie = [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]
    document = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"nom": "A"}, "geometry": {"type": "Point", "coordinates": [3.3, 49.8]}},
            {"type": "Feature", "properties": {"nom": "B"}, "geometry": {"type": "Polygon", "coordinates": bowtie}},
            {"type": "Feature", "properties": {"nom": "C"}, "geometry": {"type": "Point", "coordinates": ["a"]}},
        ],
    }
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    table = read_table(path)
    assert table.cells[GEOMETRY_X].tolist()[0] == 3.3
    messages = [str(p) for p in table.problems]
    assert any("ligne 2" in m and "géométrie invalide" in m for m in messages)
    assert any("ligne 3" in m and "géométrie illisible" in m for m in messages)


def test_lambert93_geojson_crs_member_is_honoured(tmp_path):
    document = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        "features": [],
    }
    path = tmp_path / "l93.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert read_table(path).declared_crs == "EPSG:2154"


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"", "vide.csv", "le fichier est vide"),
        (b"   \n\n", "blanc.csv", "le fichier est vide"),
        (bytes(range(256)) * 20, "garbage.csv", "fichier binaire"),
        (b"PK\x03\x04garbage", "faux.xlsx", "classeur Excel illisible"),
        (b"\xd0\xcf\x11\xe0 old excel", "ancien.xls", "anciens .xls"),
        (b"{ not json", "cassé.geojson", "GeoJSON illisible, ligne 1"),
        (b'{"type": "Feature"}', "seul.geojson", "FeatureCollection"),
        (b"une seule colonne\nsans separateur\n", "col.csv", "séparateur de colonnes introuvable"),
    ],
)
def test_files_that_are_not_tables_are_refused_in_french(tmp_path, content, name, fragment):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportRefusedError, match=fragment) as error:
        read_table(path)
    assert name in str(error.value)


def test_header_only_gives_an_empty_table(tmp_path):
    path = tmp_path / "entete.csv"
    path.write_text("nom;commune\n", encoding="utf-8")
    assert read_table(path).cells.empty


def test_files_above_the_limit_are_refused_before_parsing(tmp_path, monkeypatch):
    monkeypatch.setattr(tabular, "MAX_IMPORT_BYTES", 1000)
    path = tmp_path / "gros.csv"
    path.write_bytes(_csv(ROWS * 100))
    with pytest.raises(ImportRefusedError, match="trop volumineux"):
        read_table(path)
    upload = io.BytesIO(path.read_bytes())
    with pytest.raises(ImportRefusedError, match="trop volumineux"):
        read_table(upload, name="gros.csv")
