"""Hostile files for the importer, generated in memory (never committed): tiny files that used to hold a
CPU for minutes, files over the limits, invalid encodings, control characters and formula-like cells.

Used by ``tests/geo/test_hostile_files.py`` and by the benchmark ``bench/hostile_parse.py``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable

from openpyxl import Workbook

from geo.imports.tabular import MAX_ROWS


def repeated_header_csv(repeats: int = 10_000) -> bytes:
    """One header name repeated (40 Ko for 10 000): the de-duplication was cubic (minutes)."""
    return ("nom;" * repeats).rstrip(";").encode() + b"\r\nUsine\r\n"


def distinct_columns_csv(columns: int = 10_000) -> bytes:
    """10 000 distinct headers (27.6 s to match them to the schema)."""
    header = ";".join(f"colonne_{i}" for i in range(columns))
    return f"{header}\r\n{';'.join('x' * columns)}\r\n".encode()


def long_header_csv(chars: int = 100_000) -> bytes:
    """A header cell of 100 000 characters."""
    return f"nom;{'a' * chars}\r\nUsine;1\r\n".encode()


def many_rows_csv(rows: int = 574_967) -> bytes:
    """More rows than :data:`~geo.imports.tabular.MAX_ROWS` (the tester's 574 967), short ones (6 Mo)."""
    return b"nom;commune\r\n" + b"".join(b"U%d;Lens\r\n" % i for i in range(rows))


def declared_xlsx(ref: str = "A1:XFD1048576", rows: list[list[object]] | None = None) -> bytes:
    """A workbook of a few cells whose sheet declares ``ref`` as its size (1.6 Ko for A1:XFD1048576).

    Built with openpyxl, then the ``<dimension ref>`` of the sheet's XML is rewritten in the zip.
    """
    workbook = Workbook()
    for row in rows or [["nom", "commune"], ["Usine", "Lens"]]:
        workbook.active.append(row)
    return _with_dimension(_saved(workbook), ref)


def far_cells_xlsx() -> bytes:
    """Real cells at XFD2 and A1048576 under a small declared size (A1:B2): the reader must not pad."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["nom", "commune"])
    sheet.append(["Usine", "Lens"])
    sheet["XFD2"] = "au bout de la ligne"
    sheet["A1048576"] = "Tout en bas"
    return _with_dimension(_saved(workbook), "A1:B2")


def many_rows_xlsx(rows: int = MAX_ROWS + 1) -> bytes:
    """A workbook of ``rows`` data rows under its header (streamed by openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["nom", "commune"])
    for i in range(rows):
        sheet.append([f"U{i}", "Lens"])
    return _saved(workbook)


def blank_bomb_xlsx(blanks: int = 100_000_000) -> bytes:
    """A two-row workbook whose sheet's XML ends with ``blanks`` spaces: 100 Mo deflated to about 100 Ko."""
    return _with_sheet(
        declared_xlsx("A1:B2"), lambda xml: xml.replace(b"</worksheet>", b" " * blanks + b"</worksheet>")
    )


def empty_rows_xlsx(rows: int = 1_000_000) -> bytes:
    """A two-row workbook followed by ``rows`` stored empty rows (``<row r="3"/>``…): 17 Mo of XML for 1 000 000."""
    empty = b"".join(b'<row r="%d"/>' % number for number in range(3, rows + 3))
    return _with_sheet(declared_xlsx("A1:B2"), lambda xml: xml.replace(b"</sheetData>", empty + b"</sheetData>"))


def _saved(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_dimension(data: bytes, ref: str) -> bytes:
    def rewrite(xml: bytes) -> bytes:
        xml, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="%s"' % ref.encode(), xml)
        assert count == 1, "the sheet has no <dimension> to rewrite"
        return xml

    return _with_sheet(data, rewrite)


def _with_sheet(data: bytes, rewrite: Callable[[bytes], bytes]) -> bytes:
    """The workbook with its sheet's XML rewritten."""
    source, target = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                content = rewrite(content)
            out.writestr(item, content)
    return target.getvalue()
