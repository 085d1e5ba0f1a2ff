"""Importing a user's file of projects or foncier sites: check it once, then apply what was checked.

``reindus import`` and the Données page do the same three things, through these functions only:

1. :func:`check_import` reads the file once, for the table chosen (:data:`IMPORT_TABLES`) and the
   coordinates' system declared (:data:`DECLARED_CRS`), and returns an :class:`ImportReport`: every
   problem, the valid and the rejected rows, and whether applying is allowed;
2. :func:`rejected_rows_file` hands the rejected rows back as a CSV, named after the user's file;
3. :func:`apply_import` writes the checked rows through the store under the editor's account,
   without reading the file again (the page keeps the report between its reruns).

The table, the CRS and whether the valid rows alone may go in are decided here, never in an entry point.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

import geopandas as gpd
import pandas as pd

from geo.analysis.foncier import FONCIER_IMPORT
from geo.analysis.projects import PROJECT_IMPORT
from geo.crs import LAMBERT93, WGS84
from geo.errors import ImportRefusedError
from geo.imports.locate import CommuneLookup
from geo.imports.pipeline import ImportResult, rejected_csv, run_import
from geo.imports.schema import ImportContext, ImportSchema
from geo.store import Account, Store
from geo.store.edits import ADD

IMPORT_TABLES: dict[str, ImportSchema] = {schema.table: schema for schema in (PROJECT_IMPORT, FONCIER_IMPORT)}
"""The tables a user's file may feed, by the name the CLI and the page give them (« projets », « foncier »)."""

DECLARED_CRS: dict[str, str] = {"2154": LAMBERT93, "4326": WGS84}
"""The systems a user may declare for X/Y columns (EPSG code → CRS); nothing declared means detected."""


@dataclass(frozen=True)
class ImportReport:
    """A checked file: what it holds, what applying it would write, and whether that is allowed.

    ``valid_rows_only`` is the user's choice to import the valid rows even though others were
    rejected; :meth:`choosing_valid_rows_only` gives the same report with another choice, so a page
    may offer the choice after showing the report without reading the file again.
    """

    schema: ImportSchema
    result: ImportResult
    valid_rows_only: bool = False

    @property
    def table(self) -> str:
        """« projets » or « foncier »."""
        return self.schema.table

    @property
    def applicable(self) -> bool:
        """Whether :func:`apply_import` would write: every row valid, or the valid rows alone when chosen."""
        return self.result.accepted or (self.valid_rows_only and self.result.valid_rows_applicable)

    @property
    def valid_rows_would_apply(self) -> bool:
        """Refused as it is, but the valid rows alone could be imported: the choice to offer the user."""
        return not self.result.accepted and self.result.valid_rows_applicable

    def choosing_valid_rows_only(self, valid_rows_only: bool) -> ImportReport:
        """The same checked file with the user's choice about the valid rows (nothing is read again)."""
        return dataclasses.replace(self, valid_rows_only=valid_rows_only)


@dataclass(frozen=True)
class RejectedRowsFile:
    """The rejected rows as a CSV for the user to correct and import again (see :func:`rejected_rows_file`)."""

    file_name: str
    content: bytes
    rows: int


@dataclass(frozen=True)
class AppliedImport:
    """What :func:`apply_import` wrote."""

    table: str
    added: int
    updated: int
    total: int
    rejected: int = 0
    change_ids: tuple[int, int] | None = None

    def summary(self) -> str:
        """One French sentence for the CLI and the page."""
        if self.table == FONCIER_IMPORT.table:
            history = ""
            if self.change_ids:
                history = f" (modifications n° {self.change_ids[0]} à {self.change_ids[1]} de l'historique)"
            text = f"Import appliqué : {self.added} sites ajoutés, {self.updated} corrigés{history}."
        else:
            text = (
                f"Import appliqué : {self.added + self.updated} projets ; {self.total} projets dans les données "
                f"({self.added} ajoutés, {self.updated} corrigés, chacun dans l'historique)."
            )
        if self.rejected:
            text += f" {self.rejected} ligne(s) rejetée(s) non importée(s)."
        return text


def check_import(
    table: str,
    source: str | Path | IO[bytes],
    *,
    lookup: CommuneLookup,
    territoire_communes: pd.DataFrame,
    name: str | None = None,
    crs: str | None = None,
    valid_rows_only: bool = False,
    today: str | None = None,
) -> ImportReport:
    """Read, check and locate a user's file for ``table``; nothing is written.

    Parameters
    ----------
    table : str
        A key of :data:`IMPORT_TABLES`: ``"projets"`` or ``"foncier"``.
    source : path or binary file object
        CSV, XLSX or GeoJSON (an upload or a path: the same code reads both).
    lookup, territoire_communes
        The communes and territories of the store (the CLI reads them, a page takes its cached ones).
    name : str, optional
        The file's name as the user knows it (an upload's).
    crs : str, optional
        A key of :data:`DECLARED_CRS` (``"2154"``, ``"4326"``) or the CRS itself; None: detected.
    valid_rows_only : bool
        Apply the valid rows even though others are rejected.
    today : str, optional
        ISO date written on imported sites (default: today).

    Raises
    ------
    ValueError
        For an unknown table or CRS (an entry point offers only the known ones).
    ImportRefusedError
        When the file cannot be read at all (too big, not a table, unknown encoding…), in French.
    """
    schema = _schema(table)
    context = ImportContext(
        lookup,
        territoire_communes,
        declared_crs=declared_crs(crs),
        today=today or date.today().isoformat(),
    )
    return ImportReport(schema, run_import(source, schema, context, name=name), valid_rows_only)


def declared_crs(crs: str | None) -> str | None:
    """The CRS a user declared (``"2154"`` → ``EPSG:2154``); None when nothing is declared (detected).

    >>> declared_crs("2154"), declared_crs("EPSG:4326"), declared_crs(None)
    ('EPSG:2154', 'EPSG:4326', None)
    """
    if not crs:
        return None
    if crs in DECLARED_CRS.values():
        return crs
    if crs not in DECLARED_CRS:
        raise ValueError(f"crs must be one of {sorted(DECLARED_CRS)} or None, got {crs!r}")
    return DECLARED_CRS[crs]


def rejected_rows_file(checked: ImportReport) -> RejectedRowsFile | None:
    """The rejected rows with their line, column and reason, as ``<file>-rejets.csv``; None when none was rejected.

    The CSV opens as is in a French spreadsheet, no cell read as a formula, and keeps the id each row
    would have received, so the corrected file updates these rows instead of duplicating them
    (:func:`geo.imports.pipeline.rejected_csv`).
    """
    result = checked.result
    if not len(result.rejected):
        return None
    return RejectedRowsFile(f"{Path(result.name).stem}-rejets.csv", rejected_csv(result), len(result.rejected))


def apply_import(store: Store, checked: ImportReport, *, account: Account | None) -> AppliedImport:
    """Write a checked file's valid rows through the store, in one transaction, as they were checked.

    Parameters
    ----------
    store : Store
        GeoPackage or PostGIS: both write the same way.
    checked : ImportReport
        From :func:`check_import` (the file is not read again).
    account : Account or None
        The signed-in editor: the store refuses a missing, reader or disabled account
        (:class:`~geo.store.accounts.WriteRefused`) and signs the history with it.

    Raises
    ------
    ImportRefusedError
        When nothing may be imported (an error without the valid-rows choice, an error about the
        whole file, no valid row); the store is unchanged.
    WriteRefused
        When the account may not write; the store is unchanged.
    """
    result, schema = checked.result, checked.schema
    if not checked.applicable:
        raise ImportRefusedError(_refusal(checked))
    entries = _write(store, schema, result.rows, account=account)
    added = sum(entry["action"] == ADD for entry in entries)
    changes = (int(entries[0]["change_id"]), int(entries[-1]["change_id"]))
    total = len(store.read(schema.layer, columns=[schema.id_key]))
    return AppliedImport(schema.table, added, len(entries) - added, total, len(result.rejected), changes)


# --- private helpers -----------------------------------------------------------------------


def _schema(table: str) -> ImportSchema:
    if table not in IMPORT_TABLES:
        raise ValueError(f"table must be one of {sorted(IMPORT_TABLES)}, got {table!r}")
    return IMPORT_TABLES[table]


def _refusal(checked: ImportReport) -> str:
    result = checked.result
    if not checked.valid_rows_only:
        return f"{result.name} : import refusé ({len(result.errors)} erreur(s)) ; aucune donnée n'a été modifiée."
    if result.file_errors:
        reasons = " ; ".join(p.message for p in result.file_errors)
        return f"{result.name} : aucune ligne ne peut être importée ({reasons})."
    return f"{result.name} : aucune ligne valide à importer."


def _write(
    store: Store, schema: ImportSchema, rows: gpd.GeoDataFrame, *, account: Account | None
) -> list[dict[str, Any]]:
    """The store's audited import of the table: one transaction, new ids added, known ids corrected."""
    if schema is FONCIER_IMPORT:
        return store.import_sites(rows, account=account)
    return store.import_projects(rows, account=account)
