"""Tables written for spreadsheets: every CSV and XLSX the app and the CLI produce.

Data is text: a name, a note or a source read from a user's file must open in Excel or LibreOffice as
the text it is, never as a formula (``=HYPERLINK(…)`` would show a link, ``=WEBSERVICE(…)`` fetch an
address, ``=cmd|…`` start a program). So every cell goes through one function, :func:`neutralised_cell`,
as sqlite-utils routes every identifier through one quoting function.
"""

from __future__ import annotations

import datetime as dt
import io
import numbers
import re
from collections.abc import Callable, Mapping
from typing import TextIO

import numpy as np
import pandas as pd
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""What a spreadsheet may read as the start of a formula (OWASP, "CSV Injection"): such a text cell is written
behind an apostrophe, the spreadsheet's own mark for "this is text"."""

PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*(?:[eE][+-]?\d+)?")
"""A text that is only a signed number (``-1,5``, ``+3.2e5``): a spreadsheet reads it as that number and runs
nothing, so it is left as typed (a rejected row keeps its longitude ``-1,5``). Spaces are not allowed: Excel
reads ``+33 6 12`` as a formula (a space is its intersection operator), so that one gets the apostrophe."""


def neutralised_cell(value: object) -> object:
    """``value`` as a spreadsheet must read it: a text that could start a formula behind an apostrophe.

    Numbers, booleans, dates and missing values stay as they are (a negative number is still a number), and
    so does a text that is only a number (:data:`PLAIN_NUMBER`); any other object is written as its text.

    >>> neutralised_cell('=HYPERLINK("http://x","y")'), neutralised_cell("-2+3"), neutralised_cell(-2.5)
    ('\\'=HYPERLINK("http://x","y")', "'-2+3", -2.5)
    >>> neutralised_cell("Saint-Amand"), neutralised_cell("-1,5"), neutralised_cell("+33 6 12"), neutralised_cell(None)
    ('Saint-Amand', '-1,5', "'+33 6 12", None)
    """
    if isinstance(value, str):
        text = value
    elif value is None or isinstance(value, numbers.Number | dt.date | dt.time | np.generic):
        return value
    elif pd.api.types.is_scalar(value) and pd.isna(value):
        return value
    else:
        text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(text) else text


def neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells and column names went through :func:`neutralised_cell`."""
    return _text_cells_mapped(frame, neutralised_cell)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as a CSV a French spreadsheet opens as is: semicolons, decimal comma, UTF-8 with BOM (for the
    accents), CRLF line ends; no index, cells neutralised."""
    buffer = io.StringIO()
    neutralised(frame).to_csv(buffer, sep=";", decimal=",", index=False, lineterminator="\r\n")
    return buffer.getvalue().encode("utf-8-sig")


def write_csv(frame: pd.DataFrame, out: TextIO) -> None:
    """``frame`` as a plain CSV for scripts (commas, decimal point, no BOM) on ``out``, e.g. ``sys.stdout``;
    cells neutralised, since the output may still be opened in a spreadsheet."""
    neutralised(frame).to_csv(out, index=False, lineterminator="\n")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per table (names cut to Excel's 31 characters); cells neutralised, so no text
    becomes a formula. Numbers stay numbers, shown with thousands separators (French Excel: ``1 234,5``);
    header in bold and frozen."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            shown = _text_cells_mapped(table, _xlsx_cell)
            shown.to_excel(writer, sheet_name=name[:31], index=False)
            _style(writer.sheets[name[:31]], shown)
    return buffer.getvalue()


def _text_cells_mapped(frame: pd.DataFrame, cell: Callable[[object], object]) -> pd.DataFrame:
    """A copy of ``frame`` with ``cell`` applied to its column names and to every cell of its non-numeric columns
    (by position: two columns may share a name)."""
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"a DataFrame is expected, got {type(frame).__name__}")
    copy = pd.DataFrame(frame).copy()
    copy.columns = [cell(name) for name in frame.columns]
    for position, dtype in enumerate(frame.dtypes):
        if not (pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype)):
            copy.isetitem(position, copy.iloc[:, position].astype(object).map(cell))
    return copy


def _xlsx_cell(value: object) -> object:
    """:func:`neutralised_cell`, then control characters as spaces (an XLSX string may not hold them)."""
    value = neutralised_cell(value)
    return ILLEGAL_CHARACTERS_RE.sub(" ", value) if isinstance(value, str) else value


def _style(sheet, table: pd.DataFrame) -> None:
    """Bold frozen header, widths from the content, number formats on numeric columns."""
    sheet.freeze_panes = "A2"
    for column, (header, values) in zip(sheet.iter_cols(min_row=1, max_row=1), table.items(), strict=True):
        cell = column[0]
        cell.font = Font(bold=True)
        width = max([len(str(header)), *(len(str(v)) for v in values.head(200))])
        sheet.column_dimensions[cell.column_letter].width = min(max(width + 2, 10), 60)
        if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
            decimals = "" if pd.api.types.is_integer_dtype(values) or (values.dropna() % 1 == 0).all() else ".0"
            for row in sheet.iter_rows(min_row=2, min_col=cell.column, max_col=cell.column):
                row[0].number_format = f"#,##0{decimals}"
