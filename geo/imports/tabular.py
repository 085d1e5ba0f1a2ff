"""Read a user's table (CSV, XLSX or GeoJSON) into raw cells with their line numbers.

The reader accepts a path or a file object (a Streamlit upload), so the CLI and the
Données page share it. Nothing is interpreted here beyond the container: cells stay
strings (CSV) or the spreadsheet's own numbers, and every row keeps the line a user
sees in their editor, for the error messages.
"""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import charset_normalizer
import pandas as pd
import shapely
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from geo.errors import ImportRefusedError
from geo.imports.problems import Problem

MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""Files above 50 Mo are refused before parsing (about 400 000 rows of projects)."""

GEOMETRY_X, GEOMETRY_Y = "__geometry_x", "__geometry_y"
"""Columns holding the point read from a GeoJSON geometry."""

_DELIMITERS = (";", ",", "\t", "|")
_DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
# Encodings a French office file comes in (Excel "CSV (séparateur : point-virgule)" writes
# Windows-1252); UTF-8 is tried first. Mac Roman is left out: it wins on short French texts.
_ENCODINGS = ["cp1252", "iso8859_15", "latin_1"]


@dataclass
class Table:
    """Raw cells of one file, in the order and with the headers the user wrote.

    ``cells`` has one column per header (object dtype); ``lines`` gives, for each row,
    the line number shown in messages. ``column_refs`` maps each header to its column
    letter (XLSX) or position (CSV).
    """

    name: str
    format: str
    cells: pd.DataFrame
    lines: list[int]
    column_refs: dict[str, str]
    details: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    declared_crs: str | None = None

    @property
    def headers(self) -> list[str]:
        """The user's headers (without the internal geometry columns)."""
        return [h for h in self.cells.columns if h not in (GEOMETRY_X, GEOMETRY_Y)]


def read_table(source: str | Path | IO[bytes], *, name: str | None = None) -> Table:
    """Read a CSV, XLSX or GeoJSON file given as a path or a binary file object.

    Raises
    ------
    ImportRefusedError
        For a file that cannot be read at all (empty, too large, binary, not a table),
        with a French message naming the file.
    """
    data, name = _read_bytes(source, name)
    if not data.strip():
        raise ImportRefusedError(f"{name} : le fichier est vide.")
    kind = _format_of(data, name)
    if kind == "XLSX":
        return _read_xlsx(data, name)
    if kind == "GeoJSON":
        return _read_geojson(data, name)
    return _read_csv(data, name)


def check_size(size: int, name: str) -> None:
    """Refuse a file above :data:`MAX_IMPORT_BYTES` (50 Mo) before reading it, with a French message.

    The Données page calls it with the upload's size; :func:`read_table` with the file's.

    Raises
    ------
    ImportRefusedError
        ``projets.csv : fichier trop volumineux (61,2 Mo) ; la limite est de 50 Mo…``
    """
    if size > MAX_IMPORT_BYTES:
        size_mo = f"{size / 1024**2:.1f}".replace(".", ",")
        raise ImportRefusedError(
            f"{name} : fichier trop volumineux ({size_mo} Mo) ; la limite est de "
            f"{MAX_IMPORT_BYTES // 1024**2} Mo. Découpez-le en plusieurs fichiers."
        )


# --- private helpers -----------------------------------------------------------------------


def _read_bytes(source: str | Path | IO[bytes], name: str | None) -> tuple[bytes, str]:
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise ImportRefusedError(f"{path} : fichier introuvable.")
        check_size(path.stat().st_size, path.name)
        return path.read_bytes(), name or path.name
    data = source.read(MAX_IMPORT_BYTES + 1)
    label = name or getattr(source, "name", None) or "fichier importé"
    check_size(len(data), Path(label).name)
    return data, Path(label).name


def _format_of(data: bytes, name: str) -> str:
    suffix = Path(name).suffix.lower()
    if data[:4] == b"PK\x03\x04":  # the content wins over a misleading extension
        return "XLSX"
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise ImportRefusedError(
            f"{name} : ce fichier n'est pas un classeur Excel .xlsx lisible "
            "(les anciens .xls ne sont pas pris en charge : enregistrez-le en .xlsx ou en CSV)."
        )
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if suffix in (".geojson", ".json") or head == b"{":
        return "GeoJSON"
    return "CSV"


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """Text and a French description of its encoding."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "UTF-8 avec BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "UTF-16"
    if b"\x00" in data[:4096]:
        raise ImportRefusedError(f"{name} : fichier binaire, pas un tableau CSV, XLSX ou GeoJSON.")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data, cp_isolation=_ENCODINGS).best()
    # On large files charset-normalizer may judge every candidate too "chaotic" (no-break
    # spaces as separators): fall back to Windows-1252, what Excel writes, when it decodes.
    encoding = best.encoding if best is not None else _first_decoding(data)
    if encoding is None:
        raise ImportRefusedError(f"{name} : encodage des caractères non reconnu (enregistrez le fichier en UTF-8).")
    text = str(best) if best is not None else data.decode(encoding)
    if _control_ratio(text) > 0.01:
        raise ImportRefusedError(f"{name} : fichier binaire, pas un tableau CSV, XLSX ou GeoJSON.")
    label = {"cp1252": "Windows-1252", "latin_1": "Latin-1 (ISO-8859-1)", "iso8859_15": "Latin-9 (ISO-8859-15)"}
    return text, label.get(encoding, encoding)


def _first_decoding(data: bytes) -> str | None:
    for encoding in _ENCODINGS:
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return encoding
    return None


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls / max(len(sample), 1)


def _read_csv(data: bytes, name: str) -> Table:
    text, encoding = _decode(data, name)
    delimiter = _sniff_delimiter(text, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    for record in reader:
        if header is None:
            if not any(cell.strip() for cell in record):
                continue
            header = _unique_headers(record)
            continue
        if not any(cell.strip() for cell in record):
            continue  # blank lines are not data
        line = reader.line_num
        if len(record) != len(header):
            problems.append(
                Problem(name, line, None, f"{len(record)} champs au lieu de {len(header)} (séparateur ou guillemets ?)")
            )
            record = (record + [""] * len(header))[: len(header)]
        rows.append(record)
        lines.append(line)
    if header is None:
        raise ImportRefusedError(f"{name} : le fichier est vide.")
    cells = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    refs = {h: str(i + 1) for i, h in enumerate(header)}
    details = [f"CSV, séparateur {_DELIMITER_NAMES[delimiter]}, encodage {encoding}"]
    return Table(name, "CSV", cells, lines, refs, details, problems)


def _sniff_delimiter(text: str, name: str) -> str:
    """The delimiter giving the same number (≥ 2) of fields on the first lines."""
    sample = [line for line in text.splitlines()[:50] if line.strip()]
    best, best_score = None, (0, 0)
    for delimiter in _DELIMITERS:
        counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        if not counts or counts[0] < 2:
            continue
        consistent = sum(count == counts[0] for count in counts)
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    if best is None:
        raise ImportRefusedError(
            f"{name} : séparateur de colonnes introuvable ; attendu point-virgule, virgule ou tabulation "
            "sur la ligne d'en-tête."
        )
    return best


def _unique_headers(record: list[str]) -> list[str]:
    headers: list[str] = []
    for index, raw in enumerate(record):
        header = raw.strip().lstrip("\ufeff") or f"colonne {index + 1}"
        while header in headers:
            header += " (bis)"
        headers.append(header)
    return headers


def _read_xlsx(data: bytes, name: str) -> Table:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many unrelated types for a damaged file
        raise ImportRefusedError(f"{name} : classeur Excel illisible ({type(error).__name__}).") from None
    sheet = workbook.worksheets[0]
    header: list[str] | None = None
    rows: list[list[Any]] = []
    lines: list[int] = []
    for row_number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        values = ["" if v is None else v for v in values]
        if not any(str(v).strip() for v in values):
            continue
        if header is None:
            header = _unique_headers([str(v) for v in values])
            continue
        rows.append((list(values) + [""] * len(header))[: len(header)])
        lines.append(row_number)
    workbook.close()
    if header is None:
        raise ImportRefusedError(f"{name} : la première feuille du classeur est vide.")
    cells = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    refs = {h: get_column_letter(i + 1) for i, h in enumerate(header)}
    return Table(name, "XLSX", cells, lines, refs, [f"XLSX, feuille « {sheet.title} »"])


def _read_geojson(data: bytes, name: str) -> Table:
    text, _ = _decode(data, name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefusedError(
            f"{name} : GeoJSON illisible, ligne {error.lineno}, colonne {error.colno} : {error.msg}."
        ) from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportRefusedError(f"{name} : le GeoJSON doit être une FeatureCollection.")
    features = document.get("features") or []
    declared_crs = _geojson_crs(document)
    rows, lines, problems = [], [], []
    for number, feature in enumerate(features, start=1):
        properties = dict((feature or {}).get("properties") or {})
        x, y, problem = _point_of(feature, name, number)
        if problem:
            problems.append(problem)
        properties[GEOMETRY_X], properties[GEOMETRY_Y] = x, y
        rows.append(properties)
        lines.append(number)
    cells = pd.DataFrame(rows, dtype=object)
    if cells.empty:
        cells = pd.DataFrame(columns=[GEOMETRY_X, GEOMETRY_Y], dtype=object)
    refs = {h: h for h in cells.columns}
    details = ["GeoJSON (lignes = numéros d'entité)"] + ([f"système déclaré {declared_crs}"] if declared_crs else [])
    return Table(name, "GeoJSON", cells, lines, refs, details, problems, declared_crs=declared_crs)


def _geojson_crs(document: dict[str, Any]) -> str | None:
    """The CRS of a pre-RFC 7946 GeoJSON (``crs`` member), e.g. QGIS exports in Lambert-93."""
    crs_name = str(((document.get("crs") or {}).get("properties") or {}).get("name") or "")
    if "2154" in crs_name:
        return "EPSG:2154"
    return None


def _point_of(feature: Any, name: str, number: int) -> tuple[float | None, float | None, Problem | None]:
    geometry = (feature or {}).get("geometry") if isinstance(feature, dict) else None
    if geometry is None:
        return None, None, None
    try:
        shape = shapely.geometry.shape(geometry)
    except Exception as error:  # shapely raises several types for malformed coordinates
        return None, None, Problem(name, number, "geometry", f"géométrie illisible ({error})")
    if shape.is_empty:
        return None, None, Problem(name, number, "geometry", "géométrie vide")
    if not shape.is_valid:
        reason = shapely.is_valid_reason(shape)
        return None, None, Problem(name, number, "geometry", f"géométrie invalide ({reason})")
    point = shape if shape.geom_type == "Point" else shape.representative_point()
    if not (math.isfinite(point.x) and math.isfinite(point.y)):
        return None, None, Problem(name, number, "geometry", "coordonnées non numériques")
    return point.x, point.y, None
