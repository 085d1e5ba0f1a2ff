"""The import pipeline shared by projects and foncier: read, recognise, parse, locate, report.

``table → columns recognised → cells parsed (French numbers, codes) → rows checked → rows
located → problems with file, line and column``. :func:`run_import` runs these steps in this
order for every table; a table's specifics (fields, name, checks, defaults) are data in its
:class:`~geo.imports.schema.ImportSchema`. Reading never writes: applying is
:func:`geo.usecases.imports.apply_import` (used by the CLI and the Données page alike), all rows
or none, and only when no row has an error — or, when the user asks for it explicitly, the valid
rows alone, the rejected ones being handed back with their reasons (:func:`rejected_csv`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import geopandas as gpd
import numpy as np
import pandas as pd

from geo.crs import WGS84
from geo.exports import csv_bytes
from geo.imports import parsing
from geo.imports.columns import ColumnMapping, Field, Kind, map_columns
from geo.imports.locate import CommuneLookup, attach_places, locate
from geo.imports.problems import Problem, Severity
from geo.imports.schema import ImportContext, ImportSchema, RowReport
from geo.imports.tabular import GEOMETRY_X, GEOMETRY_Y, Table, read_table
from geo.text import web_address_problem

_PARSERS: dict[Kind, Callable[..., parsing.Parsed]] = {
    Kind.AMOUNT: parsing.parse_amount_eur,
    Kind.COUNT: parsing.parse_count,
    Kind.YEAR: parsing.parse_year,
    Kind.INSEE: parsing.parse_insee,
    Kind.DEPARTEMENT: parsing.parse_departement,
    Kind.COORDINATE: parsing.parse_coordinate,
    Kind.AREA: parsing.parse_area_ha,
    Kind.DISTANCE: parsing.parse_distance_m,
}
_NUMERIC_KINDS = (Kind.AMOUNT, Kind.COUNT, Kind.COORDINATE, Kind.AREA, Kind.DISTANCE)
_SCALED_KINDS = (Kind.AMOUNT, Kind.AREA, Kind.DISTANCE)  # the header may state a unit (M€, m², km)
_GROUP_SPACES = r"[ \u00a0\u202f\u2009]"
# 1200 · 1 200 · 1\u00a0200 · 12,5 · 1 234,56 (never "1.600": ambiguous, left to the parser)
_PLAIN_FRENCH_NUMBER = r"\d{1,15}(?:,\d+)?|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?"


def run_import(
    source: str | Path | IO[bytes], schema: ImportSchema, context: ImportContext, *, name: str | None = None
) -> ImportResult:
    """Read, check and locate a user's file for ``schema``'s table; nothing is written.

    Parameters
    ----------
    source : path or binary file object
        CSV (comma/semicolon, UTF-8/Windows-1252, BOM or not), XLSX or GeoJSON, within the limits
        of :func:`~geo.imports.tabular.read_table`.
    schema : ImportSchema
        The table's fields, name, checks, completion and defaults.
    context : ImportContext
        The communes and territories rows are placed on, the declared CRS, today's date.
    name : str, optional
        The file's name as the user knows it (an upload's), used in every message and in generated ids.

    Returns
    -------
    ImportResult
        Valid rows (WGS84) joined to commune, EPCI and territories, the rejected rows and every problem.

    Raises
    ------
    ImportRefusedError
        When the file cannot be read at all (too big, not a table, an unknown encoding…).
    """
    table = read_table(source, name=name)
    # Headers → fields (with the units they state), then every cell parsed by its field's kind.
    values, mapping, sink = parse_table(table, schema.fields)
    # A problem about the whole file blocks every row, even with "valid rows only".
    if schema.name_key not in mapping.fields:
        sink.file_problem(schema.name_column_missing)
    if table.cells.empty:
        sink.file_problem("aucune ligne de données sous l'en-tête")
    _check_rows(values, schema, sink)
    # Ids before locating: a rejected row's id goes back in the rejected-rows file, so a corrected
    # file updates the rows instead of duplicating them.
    values = _with_row_ids(values, schema.id_key, table, sink)
    frame = _locate_values(values, context.lookup, sink, declared_crs=context.declared_crs or table.declared_crs)
    if schema.complete is not None:
        frame = schema.complete(frame)
    rows = attach_places(_valid_rows(frame, sink), context.lookup.communes, context.territoire_communes)
    rows = _with_defaults(rows, schema.defaults, file=table.name, today=context.today)
    return _import_result(table, mapping, sink, rows, schema)


def refuse_non_web_sources(values: pd.DataFrame, report: RowReport) -> None:
    """Report each row whose ``source_url`` is not a web address (``javascript:``, ``data:``…).

    A row check (:data:`~geo.imports.schema.RowCheck`): the address becomes a link in the app, so only
    http and https are accepted; an empty source is left to the data checks (« non sourcé »).
    """
    if "source_url" not in values:
        return
    for position, url in enumerate(values["source_url"].tolist()):
        if problem := web_address_problem(url):
            report(position, "source_url", problem)


class ProblemSink:
    """Collects problems for one table, placing each at its line and the user's column."""

    def __init__(self, table: Table, mapping: ColumnMapping) -> None:
        self.table, self.mapping = table, mapping
        self.problems: list[Problem] = list(table.problems)
        positions = {line: position for position, line in enumerate(table.lines)}  # not lines.index: quadratic
        self.rejected: set[int] = {positions[p.line] for p in table.problems if p.is_error and p.line in positions}
        self.row_ids: pd.Series | None = None  # the id each row gets (set by with_row_ids)
        self.id_key: str | None = None

    def __call__(self, position: int, key: str, message: str, severity: Severity = Severity.ERROR) -> None:
        """Report a problem of row ``position`` (0-based) in field ``key`` ("" for the whole row)."""
        header = self.mapping.fields.get(key)
        if key == "lon" and header is None:
            header = self.mapping.fields.get("x") or ("geometry" if GEOMETRY_X in self.table.cells else None)
        line = self.table.lines[position] if 0 <= position < len(self.table.lines) else None
        self.problems.append(
            Problem(self.table.name, line, header, message, severity, self.table.column_refs.get(header or ""))
        )
        if severity is Severity.ERROR:
            self.rejected.add(position)

    def file_problem(self, message: str) -> None:
        """A problem about the whole file (no line)."""
        self.problems.append(Problem(self.table.name, None, None, message))


@dataclass
class ImportResult:
    """What an import would do (``dry_run``) or did; rows are the valid ones, WGS84."""

    name: str
    details: list[str]
    columns: list[str]
    rows: gpd.GeoDataFrame
    problems: list[Problem] = field(default_factory=list)
    n_read: int = 0
    layer: str = ""
    rejected: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def errors(self) -> list[Problem]:
        """Problems that reject their row."""
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        """Corrections made and reported."""
        return [p for p in self.problems if not p.is_error]

    @property
    def accepted(self) -> bool:
        """An import applies only when every row is valid and there is at least one."""
        return not self.errors and len(self.rows) > 0

    @property
    def file_errors(self) -> list[Problem]:
        """Errors about the whole file (a missing column, no data): no row can be imported."""
        return [p for p in self.errors if p.line is None]

    @property
    def valid_rows_applicable(self) -> bool:
        """Whether the valid rows alone may be imported: at least one, and no error about the whole file."""
        return not self.file_errors and len(self.rows) > 0

    def summary(self) -> str:
        """French multi-line report, as printed by the CLI and shown on the Données page."""
        lines = [f"Fichier : {self.name} ({'; '.join(self.details)})", "Colonnes :"]
        lines += [f"  {line}" for line in self.columns]
        lines.append(
            f"{self.n_read} lignes lues : {len(self.rows)} valides, {len(self.rejected)} rejetée(s), "
            f"{len(self.errors)} erreur(s), {len(self.warnings)} avertissement(s)"
        )
        lines += [f"  {problem}" for problem in self.problems[:200]]
        if len(self.problems) > 200:
            lines.append(f"  … et {len(self.problems) - 200} autres problèmes")
        return "\n".join(lines)


def parse_table(table: Table, schema: tuple[Field, ...]) -> tuple[pd.DataFrame, ColumnMapping, ProblemSink]:
    """Recognise the columns and parse every recognised cell; unparsable cells are reported.

    Returns the parsed values (one column per recognised field, plus the GeoJSON point as
    ``lon``/``lat`` when there is one), the mapping and the sink holding the problems.
    """
    mapping = map_columns(table.headers, schema)
    sink = ProblemSink(table, mapping)
    kinds = {f.key: f.kind for f in schema}
    values = pd.DataFrame(index=table.cells.index)
    for key, header in mapping.fields.items():
        values[key] = _parse_column(table.cells[header], kinds[key], key, mapping.unit(key), sink)
    if GEOMETRY_X in table.cells:
        geometry_x = pd.to_numeric(table.cells[GEOMETRY_X], errors="coerce")
        geometry_y = pd.to_numeric(table.cells[GEOMETRY_Y], errors="coerce")
        values["lon"] = geometry_x if "lon" not in values else values["lon"].fillna(geometry_x)
        values["lat"] = geometry_y if "lat" not in values else values["lat"].fillna(geometry_y)
    return values, mapping, sink


REJECT_COLUMNS = ("ligne d'origine", "colonne en cause", "motif du rejet")
"""The columns :func:`rejected_csv` puts before the user's own (French: the file goes back to the user)."""


def rejected_csv(result: ImportResult) -> bytes:
    """The rejected rows as a CSV a French spreadsheet opens as is (:func:`geo.exports.csv_bytes`: UTF-8 with
    BOM, semicolons, no cell read as a formula).

    Each row is the user's row as read, preceded by its line, the column(s) at fault and the
    reason(s); the id each row would have received is written in the id column, so importing
    the corrected file later updates these rows instead of duplicating them.
    """
    return csv_bytes(result.rejected)


def merge_rows(existing: gpd.GeoDataFrame, imported: gpd.GeoDataFrame, id_column: str) -> gpd.GeoDataFrame:
    """The layer after an import: imported rows replace existing ones with the same id, new ones are added."""
    kept = existing[~existing[id_column].isin(imported[id_column])]
    merged = pd.concat([kept, imported.to_crs(existing.crs)], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=existing.crs)


def _with_row_ids(values: pd.DataFrame, key: str, table: Table, sink: ProblemSink) -> pd.DataFrame:
    """Keep the file's ids in ``key``; rows without one get ``<file>:<line>`` (stable across re-imports).

    An id repeated in the file is an error of its second row.
    """
    generated = pd.Series(
        [f"{Path(table.name).stem}:{line}" for line in table.lines], index=values.index, dtype="string"
    )
    ids = values[key].fillna(generated) if key in values else generated
    for position in ids.duplicated(keep="first").to_numpy().nonzero()[0]:
        sink(int(position), key, f"identifiant « {ids.iloc[position]} » en double dans le fichier")
    sink.row_ids, sink.id_key = ids, key
    return values.assign(**{key: ids})


def _locate_values(
    values: pd.DataFrame, lookup: CommuneLookup, sink: ProblemSink, *, declared_crs: str | None
) -> gpd.GeoDataFrame:
    """Add ``insee_com`` (current), ``localisation`` and a WGS84 point geometry to ``values``."""
    located = locate(values, lookup, declared_crs=declared_crs, report=sink)
    frame = values.drop(columns=[c for c in ("lon", "lat", "x", "y", "insee_com") if c in values])
    frame = frame.assign(insee_com=located["insee_com"], localisation=located["localisation"])
    geometry = gpd.points_from_xy(located["lon"].to_numpy(), located["lat"].to_numpy(), crs=WGS84)
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=WGS84)


def _valid_rows(frame: gpd.GeoDataFrame, sink: ProblemSink) -> gpd.GeoDataFrame:
    """The rows without any error, in file order."""
    keep = np.ones(len(frame), dtype=bool)
    keep[list(sink.rejected)] = False
    return frame[keep].reset_index(drop=True)


def _import_result(
    table: Table, mapping: ColumnMapping, sink: ProblemSink, rows: gpd.GeoDataFrame, schema: ImportSchema
) -> ImportResult:
    """The report of an import into the schema's layer: valid rows, rejected rows and every problem, in file order."""
    problems = sorted(sink.problems, key=lambda p: (p.line or 0, p.column or ""))
    return ImportResult(
        name=table.name,
        details=table.details,
        columns=mapping.report(schema.fields),
        rows=rows,
        problems=problems,
        n_read=len(table.cells),
        layer=schema.layer,
        rejected=_rejected_rows(table, mapping, sink, problems),
    )


def _check_rows(values: pd.DataFrame, schema: ImportSchema, sink: ProblemSink) -> None:
    """The name every row must have, then the table's own checks."""
    if schema.name_key in values:
        for position in values[schema.name_key].isna().to_numpy().nonzero()[0]:
            sink(int(position), schema.name_key, schema.name_missing)
    for check in schema.row_checks:
        check(values, sink)


def _with_defaults(
    rows: gpd.GeoDataFrame, defaults: Mapping[str, object], *, file: str, today: str | None
) -> gpd.GeoDataFrame:
    """Fill the cells the file leaves empty (and the columns it lacks) with the schema's defaults."""
    for column, default in defaults.items():
        value = default
        if isinstance(default, str):
            if "{today}" in default and today is None:
                raise ValueError(f"the default of {column!r} needs today's date: pass ImportContext(today=...)")
            value = default.format(file=file, today=today)
        rows[column] = rows[column].fillna(value) if column in rows else value
    return rows


def _rejected_rows(table: Table, mapping: ColumnMapping, sink: ProblemSink, problems: list[Problem]) -> pd.DataFrame:
    """The user's rejected rows as read, with line, column(s) and reason(s) first (see :func:`rejected_csv`)."""
    positions = sorted(sink.rejected)
    cells = table.cells.iloc[positions][table.headers].astype(object)
    if sink.row_ids is not None and sink.id_key:
        ids = sink.row_ids.iloc[positions].to_numpy()
        header = mapping.fields.get(sink.id_key)
        if header is None:
            cells.insert(0, "identifiant", ids)
        else:
            cells[header] = ids  # the file's id, or the one generated for an empty cell
    if GEOMETRY_X in table.cells:  # a GeoJSON point, re-read as X/Y if the file comes back as CSV
        cells["x (géométrie)"] = table.cells[GEOMETRY_X].iloc[positions].to_numpy()
        cells["y (géométrie)"] = table.cells[GEOMETRY_Y].iloc[positions].to_numpy()
    by_line: dict[int | None, list[Problem]] = {}
    for problem in problems:
        if problem.is_error:
            by_line.setdefault(problem.line, []).append(problem)
    lines = [table.lines[position] for position in positions]
    reasons = [by_line.get(line, []) for line in lines]
    reasons_frame = pd.DataFrame(
        {
            REJECT_COLUMNS[0]: lines,
            REJECT_COLUMNS[1]: [" ; ".join(dict.fromkeys(p.column for p in found if p.column)) for found in reasons],
            REJECT_COLUMNS[2]: [" ; ".join(p.message for p in found) for found in reasons],
        }
    )
    return pd.concat([reasons_frame, cells.reset_index(drop=True)], axis=1)


def _parse_column(cells: pd.Series, kind: Kind, key: str, unit: float, sink: ProblemSink) -> pd.Series:
    if kind is Kind.TEXT:
        raw = cells.astype("string")
        # An apostrophe before a formula sign is the mark our exports put (geo.exports): a rejected-rows file
        # re-imported gives back the value as it was, not with the mark.
        text = raw.str.strip().str.replace(r"^'(?=[=+\-@\t\r])", "", regex=True)
        text = text.mask(text.str.lower().isin(parsing.UNKNOWN_MARKERS) | cells.isna())
        _warn_formula_like(raw, text, key, sink)
        return text
    parser = _PARSERS[kind]
    parsed = pd.Series(pd.NA, index=cells.index, dtype=object)
    remaining = cells
    if kind in _NUMERIC_KINDS:
        # Fast path, vectorised, for the common French forms of a large file (1200, 1 200, 12,5):
        # digits grouped by spaces with an optional decimal comma. Anything else goes to the parser.
        text = cells.astype(str)
        plain = text.str.fullmatch(_PLAIN_FRENCH_NUMBER)
        if kind is Kind.COORDINATE:  # GIS exports write coordinates with a decimal point
            plain |= text.str.fullmatch(r"-?\d{1,7}\.\d+")
            text = text.where(~text.str.fullmatch(r"-?\d{1,7}\.\d+"), text.str.replace(".", ",", regex=False))
        if kind is Kind.COUNT:
            plain &= ~text.str.contains(",", regex=False)
        numbers = pd.to_numeric(text[plain].str.replace(_GROUP_SPACES, "", regex=True).str.replace(",", "."))
        parsed[plain] = numbers * unit if kind in _SCALED_KINDS else numbers
        remaining = cells[~plain]
    elif kind is Kind.INSEE:
        text = cells.astype(str).str.strip()
        five = text.str.fullmatch(r"\d{5}")
        parsed[five] = text[five]
        remaining = cells[~five]
    extra = {"unit": unit} if kind in _SCALED_KINDS else {}
    for index, cell in remaining.items():
        position = int(cells.index.get_loc(index))
        try:
            result = parser(cell, **extra)
        except ValueError as error:
            sink(position, key, str(error))
            continue
        parsed[index] = result.value
        if result.note:
            sink(position, key, result.note, Severity.WARNING)
    return _typed(parsed, kind)


# The OWASP rule for CSV injection: a spreadsheet may run a cell starting with one of these as a formula.
_FORMULA_STARTS = {
    "=": "« = »",
    "+": "« + »",
    "-": "« - »",
    "@": "« @ »",
    "\t": "une tabulation",
    "\r": "un retour chariot",
}


def _warn_formula_like(raw: pd.Series, text: pd.Series, key: str, sink: ProblemSink) -> None:
    """A warning for each text that a spreadsheet could take for a formula (``=HYPERLINK(…)``, ``@SUM``, ``-2+3``).

    The value is kept as written: the exports write such cells as text, never as formulas. Numbers are
    parsed by their own kinds, so ``-12,5`` in an amount column is never reported.
    """
    by_space = raw.str.match(r"[\t\r]", na=False)  # stripped from the value, but what the file held
    by_sign = text.str.match(r"[=+\-@]", na=False)
    for position in (by_space | by_sign).to_numpy().nonzero()[0]:
        start = raw.iloc[position][0] if by_space.iloc[position] else text.iloc[position][0]
        what = _FORMULA_STARTS[start]
        message = f"valeur qui commence par {what} : elle sera exportée comme texte, jamais comme formule"
        sink(int(position), key, message, Severity.WARNING)


def _typed(parsed: pd.Series, kind: Kind) -> pd.Series:
    if kind in (Kind.COUNT, Kind.YEAR):
        return pd.to_numeric(parsed, errors="coerce").astype("Int64")
    if kind in (Kind.AMOUNT, Kind.COORDINATE, Kind.AREA, Kind.DISTANCE):
        return pd.to_numeric(parsed, errors="coerce").astype("Float64")
    return parsed.astype("string")
