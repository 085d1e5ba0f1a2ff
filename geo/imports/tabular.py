"""Read a user's table (CSV, XLSX or GeoJSON) into raw cells with their line numbers.

The reader accepts a path or a file object (a Streamlit upload), so the CLI and the
Données page share it. Nothing is interpreted here beyond the container: cells stay
strings (CSV) or the spreadsheet's own numbers, and every row keeps the line a user
sees in their editor, for the error messages.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd
import shapely
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import WorkSheetParser

from geo.errors import ImportRefusedError
from geo.imports.problems import Problem, Severity

MAX_IMPORT_BYTES = 50 * 1024 * 1024
"""Files above 50 Mo are refused before parsing (about 400 000 rows of projects)."""

# Limits on what a file may hold, checked as it is read and before the costly steps (matching the headers,
# building the table): a tiny file must not hold a CPU for minutes (a 40 Ko CSV repeating one header
# 10 000 times, a 1,6 Ko XLSX declaring A1:XFD1048576). Each refusal is an ImportRefusedError naming the
# limit and what the file has. The real files are far below: data/projets.csv has 200 rows, 33 columns,
# headers of 19 characters at most; the Cartofriches extract of the two regions 6 104 rows, 41 columns
# (78 in the Cerema source), headers of 29 characters at most.
MAX_COLUMNS = 200
"""Columns of the header row: 2.5 times the 78 of the Cartofriches source, the widest table we import."""

MAX_HEADER_CHARS = 200
"""Characters of one header cell: seven times the longest real header (29, Cartofriches)."""

MAX_ROWS = 100_000
"""Data rows of one file: the whole national Cartofriches inventory fits, and the benchmark imports
100 000 rows in under 10 s (``bench/projects_import.py``); reading stops at the first row above it."""

MAX_SHEET_ROWS = MAX_ROWS + 1_000
"""Rows a workbook may declare (its ``<dimension>``): the data rows plus the header, title rows above
it and blank rows. A sheet declaring more rows, or more than :data:`MAX_COLUMNS` columns, is refused
before its cells are read; the cells are then read up to the real last one, whatever the declaration."""

MAX_SHEET_CELLS = 1_000_000
"""Cells of a workbook, declared or read: openpyxl parses about 80 000 cells a second on the reference
machine (12 s for this many), ten times slower than a CSV; a larger table is refused with the advice to
save it as CSV. A CSV has no such limit beyond :data:`MAX_ROWS` × :data:`MAX_COLUMNS`."""

MAX_XLSX_PART_BYTES = 128 * 1024**2
"""Uncompressed bytes of one part of a workbook that is read (the sheet's XML, the shared strings…), as
declared in the zip and as actually inflated. A table at :data:`MAX_SHEET_CELLS` (1 000 000 cells of text,
amounts and numbers, written by openpyxl) is a 53 Mo sheet; a 100 000 × 40 table, refused by the cell
limit anyway, 108 to 135 Mo written the way Excel does (shared strings), 210 Mo with inline strings."""

MAX_XLSX_RATIO = 100
"""Compression ratio of a read part above 1 Mio: four times the most compressible sheets measured (24 for
a million empty formatted rows, 17 for 100 000 × 40 cells holding one shared string); a run of blanks
deflates 1 029 times. Refused as a zip bomb before it is inflated."""

GEOMETRY_X, GEOMETRY_Y = "__geometry_x", "__geometry_y"
"""Columns holding the point read from a GeoJSON geometry."""

_DELIMITERS = (";", ",", "\t", "|")
_DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
# Characters no table holds: C0 controls but tab, newline and carriage return, DEL, C1 controls (UTF-8
# text decoded twice), and U+FFFD, the replacement character a lossy conversion leaves for an accent.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]")


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

    The limits (:data:`MAX_IMPORT_BYTES`, :data:`MAX_COLUMNS`, :data:`MAX_HEADER_CHARS`,
    :data:`MAX_ROWS`, :data:`MAX_SHEET_ROWS`, :data:`MAX_SHEET_CELLS`, :data:`MAX_XLSX_PART_BYTES`,
    :data:`MAX_XLSX_RATIO`) are checked as the file is read, before the costly steps: a workbook's rows
    and cells are counted in its XML before openpyxl parses one. A CSV or GeoJSON that is not valid UTF-8
    is read as Windows-1252 (what Excel writes) and says so: a warning names the lines of the bytes that
    are not UTF-8. A cell holding a control character or a replacement character (``�``, an accent lost
    by a bad conversion) is an error of its row.

    Raises
    ------
    ImportRefusedError
        For a file that cannot be read at all (empty, too large, binary, not a table, above a
        limit), with a French message naming the file.
    """
    data, name = _read_bytes(source, name)
    if not data.strip():
        raise ImportRefusedError(f"{name} : le fichier est vide.")
    kind = _format_of(data, name)
    if kind == "XLSX":
        table = _read_xlsx(data, name)
    elif kind == "GeoJSON":
        table = _read_geojson(data, name)
    else:
        table = _read_csv(data, name)
    table.problems += _control_characters(table)
    return table


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


def _decode(data: bytes, name: str) -> tuple[str, str, list[Problem]]:
    """Text, a French name of the encoding it was read in, and a warning when it is not UTF-8.

    Not valid UTF-8: a file mostly in UTF-8 (more valid accented characters than bytes in error) stays
    UTF-8, its broken bytes becoming ``�`` that the cell check refuses with their line and column; any
    other file is read as Windows-1252, what Excel writes (the README promises UTF-8 or Windows-1252),
    with a warning naming the lines whose bytes were not UTF-8 so the user checks those accents.
    """
    label = "UTF-8"
    if data.startswith(b"\xef\xbb\xbf"):
        data, label = data[3:], "UTF-8 avec BOM"
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _checked_text(data.decode("utf-16", errors="replace"), name), "UTF-16", []
    elif b"\x00" in data[:4096]:
        raise ImportRefusedError(f"{name} : fichier binaire, pas un tableau CSV, XLSX ou GeoJSON.")
    try:
        return _checked_text(data.decode("utf-8"), name), label, []
    except UnicodeDecodeError:
        pass
    escaped = data.decode("utf-8", errors="surrogateescape")  # each invalid byte → one U+DC80–U+DCFF
    invalid = [(match.start(), match.group()) for match in _INVALID_BYTES.finditer(escaped)]
    n_invalid = sum(len(run) for _, run in invalid)
    n_accents = len(escaped) - len(escaped.encode("ascii", errors="ignore")) - n_invalid
    if n_accents > n_invalid:
        text = _INVALID_BYTES.sub(lambda match: "\ufffd" * len(match.group()), escaped)
        return _checked_text(text, name), f"{label} (avec {_count_fr(n_invalid)} octet(s) non valide(s))", []
    text = data.decode("cp1252", errors="replace")  # 81, 8D, 8F, 90, 9D are undefined: refused as « � »
    warning = _not_utf8_warning(escaped, invalid, name)
    return _checked_text(text, name), "Windows-1252 (pas de l'UTF-8 valide)", [warning]


_INVALID_BYTES = re.compile("[\udc80-\udcff]+")


def _not_utf8_warning(escaped: str, invalid: list[tuple[int, str]], name: str) -> Problem:
    """« octets non valides en UTF-8 (E9 lu « é »), fichier lu en Windows-1252 — vérifiez les accents »."""
    lines: list[int] = []
    line, previous = 1, 0
    for position, _ in invalid:  # line numbers by counting newlines between runs: linear in the file
        line += escaped.count("\n", previous, position)
        previous = position
        if not lines or lines[-1] != line:
            lines.append(line)
    first = bytes(ord(ch) - 0xDC00 for ch in invalid[0][1][:4])
    shown = " ".join(f"{byte:02X}" for byte in first)
    read_as = first.decode("cp1252", errors="replace")
    others = ""
    if len(lines) > 1:
        others = f" ; {_count_fr(len(lines))} lignes concernées ({', '.join(map(str, lines[:5]))}…)"
    return Problem(
        name,
        lines[0],
        None,
        f"octets non valides en UTF-8 ({shown}, lu « {read_as} »), fichier lu en Windows-1252 — vérifiez les "
        f"accents{others}",
        Severity.WARNING,
    )


def _checked_text(text: str, name: str) -> str:
    if _control_ratio(text) > 0.01:
        raise ImportRefusedError(f"{name} : fichier binaire, pas un tableau CSV, XLSX ou GeoJSON.")
    return text


def _control_ratio(text: str) -> float:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls / max(len(sample), 1)


def _control_characters(table: Table) -> list[Problem]:
    """An error for each row (and header) holding a control or replacement character, at its first column.

    Such a cell is a damaged value (a binary paste, a file converted twice, an accent lost); kept, it
    would be shown and exported as is. Each column is searched at once, cell by cell only when it holds
    one; a row gets one error (its first such cell, the others counted), so a damaged file of 100 000
    rows gives 100 000 messages at most.
    """
    problems = []
    found: dict[int, list[str]] = {}  # row position → headers of its damaged cells, in column order
    for header in table.headers:
        if _CONTROL.search(header):
            problems.append(Problem(table.name, None, header, f"en-tête refusé : {_control_message(header)}"))
        column = table.cells[header]
        if not _CONTROL.search("".join(value for value in column if isinstance(value, str))):
            continue
        for position, value in enumerate(column):
            if isinstance(value, str) and _CONTROL.search(value):
                found.setdefault(position, []).append(header)
    for position in sorted(found):
        header, *others = found[position]
        message = f"valeur refusée : {_control_message(table.cells[header].iloc[position])}"
        if others:
            message += f" (et {len(others)} autre(s) colonne(s) : {', '.join(others[:3])})"
        ref = table.column_refs.get(header)
        problems.append(Problem(table.name, table.lines[position], header, message, column_ref=ref))
    return problems


def _control_message(value: str) -> str:
    found = _CONTROL.search(value)
    assert found is not None
    if found.group() == "\ufffd":
        return "caractère « \ufffd » (U+FFFD), trace d'un accent perdu ou d'octets non valides ; corrigez le texte"
    return f"caractère de contrôle U+{ord(found.group()):04X}, invisible, qu'un tableau ne contient pas"


def _read_csv(data: bytes, name: str) -> Table:
    text, encoding, problems = _decode(data, name)
    delimiter = _sniff_delimiter(text, name)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for record in reader:
            if header is None:
                if any(cell.strip() for cell in record):
                    header = _checked_headers(record, name, [str(i + 1) for i in range(len(record))])
                continue
            if not any(cell.strip() for cell in record):
                continue  # blank lines are not data
            if len(rows) == MAX_ROWS:  # stop here: never load a file of 500 000 rows to refuse it
                raise _too_many_rows(name, f"environ {_count_fr(text.count(chr(10)))} lignes")
            line = reader.line_num
            if len(record) != len(header):
                message = f"{len(record)} champs au lieu de {len(header)} (séparateur ou guillemets ?)"
                problems.append(Problem(name, line, None, message))
                record = (record + [""] * len(header))[: len(header)]
            rows.append(record)
            lines.append(line)
    except csv.Error as error:  # a field over csv.field_size_limit() (131 072 characters), a NUL byte
        raise ImportRefusedError(f"{name}, ligne {reader.line_num} : CSV illisible ({error}).") from None
    if header is None:
        raise ImportRefusedError(f"{name} : le fichier est vide.")
    cells = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    refs = {h: str(i + 1) for i, h in enumerate(header)}
    details = [f"CSV, séparateur {_DELIMITER_NAMES[delimiter]}, encodage {encoding}"]
    return Table(name, "CSV", cells, lines, refs, details, problems)


def _sniff_delimiter(text: str, name: str) -> str:
    """The delimiter giving the same number (≥ 2) of fields on the first lines."""
    sample = [line for line in text[: 1 << 20].splitlines()[:50] if line.strip()]  # not all 50 Mo split
    best, best_score = None, (0, 0)
    for delimiter in _DELIMITERS:
        try:
            counts = [len(row) for row in csv.reader(sample, delimiter=delimiter)]
        except csv.Error:  # a field over csv.field_size_limit(): reported with its line by the reader
            counts = [line.count(delimiter) + 1 for line in sample]
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


def _checked_headers(record: list[Any], name: str, refs: list[str]) -> list[str]:
    """The header row within the limits, made unique; ``refs`` are the columns' letters or numbers."""
    if len(record) > MAX_COLUMNS:
        raise ImportRefusedError(
            f"{name} : {_count_fr(len(record))} colonnes dans l'en-tête ; la limite est de {MAX_COLUMNS} colonnes. "
            "Supprimez les colonnes inutiles ou découpez le fichier."
        )
    for ref, raw in zip(refs, record, strict=True):
        if len(str(raw)) > MAX_HEADER_CHARS:
            raise ImportRefusedError(
                f"{name} : en-tête de la colonne {ref} trop long ({_count_fr(len(str(raw)))} caractères) ; la limite "
                f"est de {MAX_HEADER_CHARS} caractères par en-tête."
            )
    return _unique_headers([str(raw) for raw in record])


def _unique_headers(record: list[str]) -> list[str]:
    """Headers made unique by numbering repeats (``nom``, ``nom (2)``…), in linear time."""
    headers: list[str] = []
    taken: set[str] = set()
    repeats: dict[str, int] = {}
    for index, raw in enumerate(record):
        base = raw.strip().lstrip("\ufeff") or f"colonne {index + 1}"
        header = base
        while header in taken:  # each base keeps its counter: a header is tried about once
            repeats[base] = repeats.get(base, 1) + 1
            header = f"{base} ({repeats[base]})"
        headers.append(header)
        taken.add(header)
    return headers


def _too_many_rows(name: str, found: str) -> ImportRefusedError:
    return ImportRefusedError(
        f"{name} : trop de lignes ({found}) ; la limite est de {_count_fr(MAX_ROWS)} lignes de données. "
        "Découpez-le en plusieurs fichiers."
    )


def _count_fr(count: int) -> str:
    """``574967`` → ``574 967`` (narrow no-break space, as French typography and Babel write it)."""
    return f"{count:,}".replace(",", "\u202f")


def _read_xlsx(data: bytes, name: str) -> Table:
    try:
        reader = _XlsxReader(data, name)
        with warnings.catch_warnings():  # defined names of the sheets left unopened
            warnings.filterwarnings("ignore", "Defined names for sheet index")
            reader.read()
        workbook = reader.wb
        sheet = workbook.worksheets[0]
    except ImportRefusedError:
        raise
    except Exception as error:  # openpyxl raises many unrelated types for a damaged file
        raise ImportRefusedError(f"{name} : classeur Excel illisible ({type(error).__name__}).") from None
    try:
        _check_declared_size(sheet, name)
        header, rows, lines = _sheet_rows(sheet, name)
    except ImportRefusedError:
        raise
    except Exception as error:  # a damaged sheet XML, a bad cell value
        raise ImportRefusedError(f"{name} : classeur Excel illisible ({type(error).__name__}).") from None
    finally:
        workbook.close()
    if header is None:
        raise ImportRefusedError(f"{name} : la première feuille du classeur est vide.")
    cells = pd.DataFrame(rows, columns=header, dtype=object) if rows else pd.DataFrame(columns=header, dtype=object)
    refs = {h: get_column_letter(i + 1) for i, h in enumerate(header)}
    return Table(name, "XLSX", cells, lines, refs, [f"XLSX, feuille « {sheet.title} »"])


class _CappedZipFile(zipfile.ZipFile):
    """A workbook's zip whose parts are checked against :data:`MAX_XLSX_PART_BYTES` and
    :data:`MAX_XLSX_RATIO` as openpyxl opens them: only the parts it reads count (an unread second
    sheet may be anything), and none is inflated before its declared size is checked. CPython's zipfile
    inflates no byte beyond the declared size, so a part lying about it is cut short, then refused for its
    checksum (« classeur Excel illisible »)."""

    label = "fichier importé"

    def open(self, name: Any, mode: str = "r", pwd: bytes | None = None, **kwargs: Any) -> IO[bytes]:  # type: ignore[override]
        if mode == "r":
            _check_part(name if isinstance(name, zipfile.ZipInfo) else self.getinfo(name), self.label)
        return super().open(name, mode, pwd, **kwargs)


def _check_part(info: zipfile.ZipInfo, name: str) -> None:
    if info.file_size > MAX_XLSX_PART_BYTES:
        raise _part_too_large(name, info.filename, f"{_mo(info.file_size)} Mo")
    if info.file_size > 1024**2 and info.file_size > MAX_XLSX_RATIO * max(info.compress_size, 1):
        ratio = info.file_size // max(info.compress_size, 1)
        raise ImportRefusedError(
            f"{name} : la partie « {info.filename} » du classeur se décompresse {ratio} "
            f"fois (de {_mo(info.compress_size)} à {_mo(info.file_size)} Mo) ; la limite est de {MAX_XLSX_RATIO} fois. "
            "Fichier suspect (bombe zip), refusé : enregistrez la feuille en CSV."
        )


def _part_too_large(name: str, part: str, found: str) -> ImportRefusedError:
    return ImportRefusedError(
        f"{name} : la partie « {part} » du classeur fait {found} une fois décompressée ; la limite est de "
        f"{MAX_XLSX_PART_BYTES // 1024**2} Mo. Enregistrez la feuille en CSV ou découpez-la."
    )


def _mo(size: int) -> str:
    return f"{size / 1024**2:.1f}".replace(".", ",")


class _XlsxReader(ExcelReader):
    """openpyxl's read-only loading (what ``load_workbook(read_only=True, data_only=True)`` does), with the
    first worksheet's rows and cells counted by :func:`_scan_sheet` before any of its cells is parsed, and
    only that worksheet opened (openpyxl parses the whole XML of each sheet declaring no size to size it)."""

    def __init__(self, data: bytes, name: str) -> None:
        super().__init__(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
        self.archive.close()
        self.archive = _CappedZipFile(io.BytesIO(data))
        self.archive.label = name
        self.name = name

    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():  # the first one openpyxl would list in ``worksheets``
            if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                _scan_sheet(self.archive, rel.target, sheet.name, self.shared_strings, self.name)
                self.parser.sheets = [sheet]
                break
        super().read_worksheets()


# A start tag of a row or a cell, whatever the namespace prefix (``<row``, ``<x:row``; not ``<rowBreaks``, ``<col``)
_ROW_TAG = re.compile(rb"<(?:[\w.-]+:)?row(?=[\s/>])([^>]*)>")
_CELL_TAG = re.compile(rb"<(?:[\w.-]+:)?c(?=[\s/>])([^>]*)>")
_ROW_NUMBER = re.compile(rb'\sr\s*=\s*["\'](\d+)')
_CELL_TYPE = re.compile(rb'\st\s*=\s*["\'](\w+)')
# A cell's start tag (its attributes), or the text of a value (``<v>``) or of an inline string (``<t>``)
_CELL_TOKEN = re.compile(rb"<(?:[\w.-]+:)?(?:c(?=[\s/>])([^>]*)>|([vt])(?=[\s>])[^>]*>([^<]*))")
_SHEET_DATA_END = re.compile(rb"</(?:[\w.-]+:)?sheetData\s*>")
_SCAN_CHUNK = 1 << 20
_TAG_TAIL = 4096  # a start tag cut by the end of a chunk is found again from this many bytes before it


def _scan_sheet(archive: zipfile.ZipFile, part: str, title: str, shared: list[Any], name: str) -> None:
    """Refuse a sheet over :data:`MAX_ROWS`, :data:`MAX_SHEET_CELLS` or :data:`MAX_SHEET_ROWS` stored rows
    before openpyxl parses any cell (about 30 µs a row: 6 s for 100 001 rows of two cells).

    The sheet's XML is inflated by chunks of 1 Mio and its ``<row>`` and ``<c>`` start tags found with
    regular expressions: about 0.2 s for those 100 001 rows. A row counts as a line of data when one of its
    cells holds a value that is not blank (a number, a shared or inline string with a character other than
    a space), as :func:`_sheet_rows` counts them, so the refusals are the ones reading would give. The
    inflated bytes are counted too (:data:`MAX_XLSX_PART_BYTES`), whatever the zip declares.
    """
    counter = _RowCounter(title, shared, name)
    pending = bytearray()  # from the start tag of the last row seen (or the last bytes read) to the end
    in_row = False
    n_bytes = 0
    with archive.open(part) as source:
        while chunk := source.read(_SCAN_CHUNK):
            n_bytes += len(chunk)
            if n_bytes > MAX_XLSX_PART_BYTES:
                raise _part_too_large(name, part, f"plus de {MAX_XLSX_PART_BYTES // 1024**2} Mo")
            search_from = max(1 if in_row else 0, len(pending) - _TAG_TAIL)
            pending += chunk
            starts = [tag.start() for tag in _ROW_TAG.finditer(pending, search_from)]
            if in_row and starts:
                starts.insert(0, 0)
            for begin, end in zip(starts, starts[1:], strict=False):  # each row up to the next one
                counter.row(pending, begin, end)
            if starts:
                del pending[: starts[-1]]
                in_row = True
            elif not in_row:
                del pending[:-_TAG_TAIL]
    if in_row:
        end = _SHEET_DATA_END.search(pending)
        counter.row(pending, 0, end.start() if end else len(pending))


class _RowCounter:
    """Rows, cells and rows holding a value of a sheet, refused as soon as one is over its limit."""

    def __init__(self, title: str, shared: list[Any], name: str) -> None:
        self.title, self.shared, self.name = title, shared, name
        self.n_rows = self.n_filled = self.n_cells = self.row_number = 0

    def row(self, xml: bytearray, begin: int, end: int) -> None:
        """Count the row whose start tag is at ``begin`` in ``xml`` and ends before ``end``."""
        tag = _ROW_TAG.match(xml, begin)
        assert tag is not None
        number = _ROW_NUMBER.search(tag.group(1))
        self.row_number = int(number.group(1)) if number else self.row_number + 1  # as openpyxl numbers them
        self.n_rows += 1
        if self.n_rows > MAX_SHEET_ROWS:
            raise ImportRefusedError(
                f"{self.name} : plus de {_count_fr(MAX_SHEET_ROWS)} lignes dans la feuille « {self.title} », vides "
                f"comprises (atteint à la ligne {_count_fr(self.row_number)}) ; la limite est de "
                f"{_count_fr(MAX_SHEET_ROWS)} lignes. Supprimez les lignes vides au-delà de vos données, ou "
                "enregistrez la feuille en CSV."
            )
        self.n_cells += len(_CELL_TAG.findall(xml, tag.end(), end))
        if self.n_cells > MAX_SHEET_CELLS:
            raise _too_many_cells(self.name, self.title, self.row_number)
        if _holds_a_value(_CELL_TOKEN.findall(xml, tag.end(), end), self.shared):
            self.n_filled += 1
            if self.n_filled > MAX_ROWS + 1:  # the first one is the header
                raise _too_many_rows(self.name, f"au moins {_count_fr(MAX_ROWS + 1)} lignes de données")


def _too_many_cells(name: str, title: str, row_number: int) -> ImportRefusedError:
    return ImportRefusedError(
        f"{name} : plus de {_count_fr(MAX_SHEET_CELLS)} cellules dans la feuille « {title} » "
        f"(atteint à la ligne {_count_fr(row_number)}) ; c'est la limite d'un classeur. Enregistrez-le "
        "en CSV (lu dix fois plus vite) ou découpez-le."
    )


def _holds_a_value(tokens: list[tuple[bytes, bytes, bytes]], shared: list[Any]) -> bool:
    """Whether a row's cells (their :data:`_CELL_TOKEN` matches) hold a value :func:`_is_filled` keeps."""
    cell_type = b"n"
    for attributes, tag, raw in tokens:
        if not tag:  # a cell's start tag
            kind = _CELL_TYPE.search(attributes)
            cell_type = kind.group(1) if kind else b"n"
            continue
        if (tag == b"t") != (cell_type == b"inlineStr"):
            continue  # a <t> only holds the text of an inline string, a <v> the value of any other cell
        value = raw.decode("utf-8", errors="replace")
        if "&" in value:
            value = html.unescape(value)
        if cell_type == b"s":
            try:
                value = shared[int(value)]
            except (ValueError, IndexError):
                continue  # left to the parser to refuse
            if _is_filled(value):
                return True
        elif value.strip():
            return True
    return False


def _check_declared_size(sheet: Any, name: str) -> None:
    """Refuse a sheet whose ``<dimension>`` is above the limits before reading any cell.

    openpyxl pads every row to the declared width and yields every declared row: a 1,6 Ko file
    declaring A1:XFD1048576 kept a CPU busy for minutes.
    """
    if sheet.max_row is None or sheet.max_column is None:
        return  # no declaration: the cells are read up to the real last one anyway
    n_rows, n_columns = sheet.max_row - sheet.min_row + 1, sheet.max_column - sheet.min_column + 1
    if n_rows > MAX_SHEET_ROWS or n_columns > MAX_COLUMNS or n_rows * n_columns > MAX_SHEET_CELLS:
        first, last = get_column_letter(sheet.min_column), get_column_letter(sheet.max_column)
        declared = f"{first}{sheet.min_row}:{last}{sheet.max_row}"
        raise ImportRefusedError(
            f"{name} : la feuille « {sheet.title} » déclare {_count_fr(n_columns)} colonnes et {_count_fr(n_rows)} "
            f"lignes ({declared}) ; la limite est de {MAX_COLUMNS} colonnes, {_count_fr(MAX_SHEET_ROWS)} lignes et "
            f"{_count_fr(MAX_SHEET_CELLS)} cellules. "
            "Supprimez les lignes et colonnes vides au-delà de vos données, ou enregistrez la feuille en CSV."
        )


def _sheet_rows(sheet: Any, name: str) -> tuple[list[str] | None, list[list[Any]], list[int]]:
    """Header, rows and row numbers of a sheet, read as stored: no cell is made up for a missing one.

    The stored rows are parsed one by one (openpyxl's streaming parser, the one its read-only mode
    uses, without the padding to the declared size); reading stops at the first row above
    :data:`MAX_ROWS`, and cells right of the header's last one are left out.
    """
    parent = sheet.parent
    header: list[str] | None = None
    width = 0
    rows: list[list[Any]] = []
    lines: list[int] = []
    n_cells = 0
    with parent._archive.open(sheet._worksheet_path) as source:
        parser = WorkSheetParser(
            source,
            sheet._shared_strings,
            data_only=True,
            epoch=parent.epoch,
            date_formats=parent._date_formats,
            timedelta_formats=parent._timedelta_formats,
        )
        for row_number, stored in parser.parse():
            n_cells += len(stored)
            if n_cells > MAX_SHEET_CELLS:
                raise _too_many_cells(name, sheet.title, row_number)
            filled = [(cell["column"], cell["value"]) for cell in stored if _is_filled(cell["value"])]
            if not filled:
                continue
            if header is None:
                width = max(column for column, _ in filled)  # trailing empty columns are not columns
                if width > MAX_COLUMNS:
                    raise ImportRefusedError(
                        f"{name} : {_count_fr(width)} colonnes dans l'en-tête (jusqu'à la colonne "
                        f"{get_column_letter(width)}) ; la limite est de {MAX_COLUMNS} colonnes. Supprimez les "
                        "colonnes inutiles ou découpez le fichier."
                    )
                record: list[Any] = [""] * width
                for column, value in filled:
                    record[column - 1] = value
                header = _checked_headers(record, name, [get_column_letter(i + 1) for i in range(width)])
                continue
            if len(rows) == MAX_ROWS:
                raise _too_many_rows(name, f"au moins {_count_fr(MAX_ROWS + 1)} lignes de données")
            values: list[Any] = [""] * width
            for column, value in filled:
                if column <= width:
                    values[column - 1] = value
            rows.append(values)
            lines.append(row_number)
    return header, rows, lines


def _is_filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _read_geojson(data: bytes, name: str) -> Table:
    text, encoding, problems = _decode(data, name)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportRefusedError(
            f"{name} : GeoJSON illisible, ligne {error.lineno}, colonne {error.colno} : {error.msg}."
        ) from None
    except RecursionError:  # arrays nested thousands of times deep
        raise ImportRefusedError(f"{name} : GeoJSON illisible (imbrication trop profonde).") from None
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportRefusedError(f"{name} : le GeoJSON doit être une FeatureCollection.")
    features = document.get("features") or []
    if not isinstance(features, list):
        raise ImportRefusedError(f"{name} : le membre « features » du GeoJSON doit être une liste.")
    if len(features) > MAX_ROWS:
        raise _too_many_rows(name, f"{_count_fr(len(features))} entités")
    declared_crs = _geojson_crs(document)
    rows, lines = [], []
    keys: dict[str, None] = {}  # every property name, in order of appearance
    for number, feature in enumerate(features, start=1):
        properties = (feature or {}).get("properties") if isinstance(feature, dict) else None
        properties = dict(properties) if isinstance(properties, dict) else {}
        keys.update(dict.fromkeys(properties))
        if len(keys) > MAX_COLUMNS:  # refused before the table is built
            _checked_headers(list(keys), name, [f"« {key[:40]} »" for key in keys])
        x, y, problem = _point_of(feature, name, number)
        if problem:
            problems.append(problem)
        properties[GEOMETRY_X], properties[GEOMETRY_Y] = x, y
        rows.append(properties)
        lines.append(number)
    _checked_headers(list(keys), name, [f"« {key[:40]} »" for key in keys])
    cells = pd.DataFrame(rows, dtype=object)
    if cells.empty:
        cells = pd.DataFrame(columns=[GEOMETRY_X, GEOMETRY_Y], dtype=object)
    refs = {h: h for h in cells.columns}
    details = [f"GeoJSON (lignes = numéros d'entité), encodage {encoding}"]
    details += [f"système déclaré {declared_crs}"] if declared_crs else []
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
