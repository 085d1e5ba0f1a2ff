"""Editing rows with an audit trail: foncier sites and projects, added, corrected, undone.

Every change is one transaction of the store (see :mod:`geo.store`): the row's ``version``
is checked and incremented, and one audit row keeps who, when, the action, the row
before and after (JSON). An edit based on an old version is refused with
:class:`~geo.errors.EditConflictError` (optimistic concurrency): two editors correcting the
same row never silently lose one of the changes. Undoing a change is itself a change.

Each edited layer is described once by an :class:`EditedTable` (:data:`FONCIER`, :data:`PROJECTS`):
its key column, its audit table, the fields an editor may change and what a correction may set.
The logic lives here once, for every table; the backends only provide the row operations of
:class:`RowTransaction`, inside their own transaction, on the table it was opened for.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.crs import WGS84
from geo.errors import EditConflictError
from geo.frames import records
from geo.store.sql import quote_identifier
from geo.vocabulary import DISTANCE_COLUMNS, STATUS_TAKEN, STATUS_WITHDRAWN

ADD, CORRECT, TAKEN, WITHDRAWN, UNDO = "ajout", "correction", "pris", "retiré", "annulation"
STATUS_OF_ACTION = {TAKEN: STATUS_TAKEN, WITHDRAWN: STATUS_WITHDRAWN}
"""Statuses set by "mark taken / withdrawn"; neither is an available status, so the site leaves the search."""

EDITABLE_FIELDS: dict[str, str] = {
    "nom": "Nom du site",
    "statut": "Statut",
    "surface_ha": "Surface (ha)",
    "zone_urba": "Zonage d'urbanisme",
    "pollution": "Pollution",
    "site_type": "Type de site",
    "activite": "Ancienne activité",
    "projet": "Projet / remarque",
}
"""Columns an editor may change on a site, with their French labels (location is changed through the point)."""

PLACE_COLUMNS = ("insee_com", "commune_nom", "epci_siren", "departement", "region", "ti_phase1", "ti_phase2", "bassins")
CORRECTABLE = {*EDITABLE_FIELDS, "geometry", *PLACE_COLUMNS, *DISTANCE_COLUMNS, "source", "source_url", "date_maj"}
"""What a correction of a site may set: the editable fields, and what an import or a moved point also brings."""

PROJECT_EDITABLE_FIELDS: dict[str, str] = {
    "name": "Nom du projet",
    "company": "Entreprise",
    "programme": "Programme",
    "sector": "Secteur",
    "sector_family": "Famille de secteur",
    "kind": "Nature du projet",
    "jobs_announced": "Emplois permanents annoncés",
    "jobs_construction": "Emplois de chantier (pic)",
    "jobs_lost": "Emplois supprimés",
    "jobs_note": "Note emplois",
    "jobs_nature": "Nature des emplois",
    "jobs_perimeter": "Périmètre des emplois",
    "jobs_horizon": "Horizon des emplois",
    "jobs_in_place": "Emplois en place",
    "jobs_in_place_date": "Date des emplois en place",
    "investment_eur": "Investissement (€)",
    "investment_scope": "Portée de l'investissement",
    "investment_perimeter": "Périmètre de l'investissement",
    "investment_note": "Note investissement",
    "public_funding_eur": "Aides publiques (€)",
    "funding_scope": "Portée des aides",
    "funding_kind": "Forme de l'aide",
    "funding_perimeter": "Périmètre des aides",
    "funder": "Financeur",
    "funding_programme": "Dispositif d'aide",
    "public_funding_note": "Note aides publiques",
    "year_announced": "Année d'annonce",
    "status": "Statut",
    "status_category": "Catégorie de statut",
    "status_date": "Date du statut",
    "status_note": "Note statut",
    "not_found_date": "Introuvable au",
    "source_url": "Source",
    "source_publisher": "Éditeur de la source",
    "source_date": "Date de la source",
    "source_quality": "Qualité de la source",
    "checked_date": "Vérifié le",
    "other_sources": "Autres sources",
    "confidence": "Fiabilité",
}
"""Columns an editor may change on a project, with their French labels (the import's field labels, see
:data:`geo.analysis.projects.PROJECT_FIELDS`; a test keeps the two lists in step)."""

PROJECT_CORRECTABLE = {*PROJECT_EDITABLE_FIELDS, "geometry", "commune", "localisation", *PLACE_COLUMNS, "origin"}
"""What a correction of a project may set: the editable fields, and what an import or a moved point also brings."""


@dataclass(frozen=True)
class EditedTable:
    """A layer edited row by row: its key, its audit table, what an editor and a correction may set.

    ``noun`` names one row in French messages (« Le site « a » … », « Le projet « P001 » … »: both
    masculine). ``status_of_action`` maps the marking actions to the status they set in
    ``status_column``. ``reloads_layers``: a write also changes the store's layers revision, for a
    layer every page draws from (the projects), so no page keeps showing the old rows.
    """

    layer: str
    key: str
    audit: str
    noun: str
    editable: Mapping[str, str]
    correctable: frozenset[str]
    actions: tuple[str, ...] = (ADD, CORRECT)
    status_of_action: Mapping[str, str] = field(default_factory=dict)
    status_column: str | None = None
    reloads_layers: bool = False

    @property
    def audit_columns(self) -> tuple[str, ...]:
        """The audit table's columns: the change, the row's key, who, when, before and after."""
        return ("change_id", self.key, "action", "author", "at", "before", "after", "undoes", "undone_by")

    def empty_audit(self) -> pd.DataFrame:
        """The audit table with no change yet (typed, so every backend creates the same columns)."""
        return pd.DataFrame(
            {
                "change_id": pd.Series(dtype="int64"),
                self.key: pd.Series(dtype="str"),
                "action": pd.Series(dtype="str"),
                "author": pd.Series(dtype="str"),
                "at": pd.Series(dtype="str"),
                "before": pd.Series(dtype="str"),
                "after": pd.Series(dtype="str"),
                "undoes": pd.Series(dtype="float64"),  # change id or empty
                "undone_by": pd.Series(dtype="float64"),
            }
        )


FONCIER = EditedTable(
    layer="foncier",
    key="site_id",
    audit="foncier_audit",
    noun="site",
    editable=EDITABLE_FIELDS,
    correctable=frozenset(CORRECTABLE),
    actions=(ADD, CORRECT, TAKEN, WITHDRAWN),
    status_of_action=STATUS_OF_ACTION,
    status_column="statut",
)
PROJECTS = EditedTable(
    layer="projets",
    key="project_id",
    audit="projets_audit",
    noun="projet",
    editable=PROJECT_EDITABLE_FIELDS,
    correctable=frozenset(PROJECT_CORRECTABLE),
    reloads_layers=True,
)
EDITED_TABLES = (FONCIER, PROJECTS)
"""Every layer edited row by row; the build carries their edits over a rebuild."""

AUDIT_COLUMNS = FONCIER.audit_columns


def lookup_indexes(table: EditedTable) -> list[str]:
    """``CREATE INDEX IF NOT EXISTS`` statements (SQLite and PostgreSQL) for what every edit looks up: a row by its
    id, the last change and a row's changes. Without them an import of n rows scanned both tables n times (100,000
    projects would have taken hours); a rewritten layer loses its index and gets it again at the next edit."""
    wanted = [(table.layer, table.key), (table.audit, "change_id"), (table.audit, table.key)]
    return [
        f"CREATE INDEX IF NOT EXISTS {quote_identifier(f'{name}_{column}_idx')} "
        f"ON {quote_identifier(name)} ({quote_identifier(column)})"
        for name, column in wanted
    ]


def empty_audit(table: EditedTable = FONCIER) -> pd.DataFrame:
    """The audit table of ``table`` (foncier by default) with no change yet."""
    return table.empty_audit()


class RowTransaction(Protocol):
    """Row operations a backend offers inside one write transaction on ``table`` (rows are plain dicts, WGS84
    points, keyed by ``table.key``)."""

    table: EditedTable

    def get_row(self, record_id: str) -> dict[str, Any] | None: ...
    def get_rows(self, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]: ...
    def put_row(self, row: Mapping[str, Any], *, insert: bool) -> None: ...
    def put_rows(self, rows: Sequence[Mapping[str, Any]], *, insert: bool) -> None: ...
    def delete_row(self, record_id: str) -> None: ...
    def next_change_id(self) -> int: ...
    def get_change(self, change_id: int) -> dict[str, Any] | None: ...
    def add_change(self, entry: Mapping[str, Any]) -> None: ...
    def add_changes(self, entries: Sequence[Mapping[str, Any]]) -> None: ...
    def set_undone(self, change_id: int, by_change_id: int) -> None: ...


SiteTransaction = RowTransaction
"""The former name, when only foncier rows were edited."""


@dataclass(frozen=True)
class RecordChange:
    """One editor's change of one row of :attr:`table` (see :class:`SiteChange`, :class:`ProjectChange`).

    ``values`` holds the columns to set (for an addition, the whole row, geometry included).
    ``expected_version`` is the version the editor saw; None only for an addition.
    """

    action: str
    record_id: str
    author: str
    expected_version: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    table: ClassVar[EditedTable]

    def __post_init__(self) -> None:
        if self.action not in self.table.actions:
            raise ValueError(f"unknown action {self.action!r} for {self.table.layer}")
        if not self.author.strip():
            raise ValueError("a change needs its author")
        unknown = set(self.values) - self.table.correctable if self.action != ADD else set()
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")


class SiteChange(RecordChange):
    """One editor's change of one foncier site (for an addition, ``values`` is the whole row built by
    :func:`geo.analysis.sites.new_site_row`, geometry included)."""

    table = FONCIER

    @property
    def site_id(self) -> str:
        return self.record_id


class ProjectChange(RecordChange):
    """One editor's change of one project (for an addition, ``values`` is the whole row, geometry included)."""

    table = PROJECTS

    @property
    def project_id(self) -> str:
        return self.record_id


CHANGE_TYPES: dict[str, type[RecordChange]] = {
    SiteChange.table.layer: SiteChange,
    ProjectChange.table.layer: ProjectChange,
}
"""The change type of each edited layer."""


def apply_change(tx: RowTransaction, change: RecordChange, *, now: datetime | None = None) -> dict[str, Any]:
    """Apply ``change`` through ``tx`` (opened on the change's table); return the audit entry written.

    Raises
    ------
    EditConflictError
        The row changed since the editor read it, was deleted, or (addition) already exists.
    """
    table = _same_table(tx, change.table)
    before, after = _planned(table, change, tx.get_row(change.record_id))
    tx.put_row(after, insert=before is None)
    entry = _entry(
        table, tx.next_change_id(), change.record_id, change.action, change.author, before, after, at=_timestamp(now)
    )
    tx.add_change(entry)
    return entry


def _planned(
    table: EditedTable, change: RecordChange, current: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    """The row before ``change`` (None for an addition) and after it, ``current`` being the row as stored."""
    if change.action == ADD:
        if current is not None:
            raise EditConflictError(
                f"Le {table.noun} « {change.record_id} » existe déjà : rien n'a été ajouté.", record_id=change.record_id
            )
        return None, {**change.values, table.key: change.record_id, "version": 1}
    before = _require_version(table, current, change.record_id, change.expected_version)
    updates = dict(change.values)
    if change.action in table.status_of_action and table.status_column:
        updates[table.status_column] = table.status_of_action[change.action]
    return before, {**before, **updates, "version": int(before["version"]) + 1}


def undo_change(tx: RowTransaction, change_id: int, *, author: str, now: datetime | None = None) -> dict[str, Any]:
    """Undo change ``change_id`` of ``tx.table`` by restoring the row as it was before it; return the new audit entry.

    Only the latest change of a row can be undone (the row must still be as that change
    left it): undoing an older one would silently drop the changes made since.
    """
    table = tx.table
    entry = tx.get_change(change_id)
    if entry is None:
        raise EditConflictError(f"La modification n° {change_id} n'existe pas.")
    if _present(entry.get("undone_by")):
        raise EditConflictError(f"La modification n° {change_id} a déjà été annulée.")
    if entry["action"] == UNDO:
        raise EditConflictError("Une annulation ne s'annule pas : refaites la modification.")
    record_id = str(entry[table.key])
    after = _decode(entry["after"])
    current = tx.get_row(record_id)
    if current is None or int(current["version"]) != int(after["version"]):
        raise EditConflictError(
            f"Le {table.noun} « {record_id} » a été modifié depuis la modification n° {change_id} : "
            "annulez d'abord les modifications plus récentes.",
            record_id=record_id,
            current_version=None if current is None else int(current["version"]),
        )
    before = _decode(entry["before"]) if _present(entry.get("before")) else None
    if before is None:  # undoing an addition removes the row
        tx.delete_row(record_id)
        restored = None
    else:
        restored = {**before, "version": int(current["version"]) + 1}
        tx.put_row(restored, insert=False)
    record = _entry(
        table, tx.next_change_id(), record_id, UNDO, author, current, restored, at=_timestamp(now), undoes=change_id
    )
    tx.add_change(record)
    tx.set_undone(change_id, record["change_id"])
    return record


def import_rows(
    tx: RowTransaction, rows: gpd.GeoDataFrame, *, author: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """Apply an accepted import (see :func:`geo.analysis.foncier.sites_from_file`,
    :func:`geo.analysis.projects.projects_from_file`) inside ``tx``: new ids are added, known ids corrected,
    each with its audit entry; the caller's transaction makes it all-or-nothing.

    The rows are read, written and audited in bulk (one statement per kind of write, not one per row: 100,000
    rows took 47 s one by one); the outcome is the one of applying each row in turn, a second row with the same
    id correcting the first.
    """
    table, change_type = tx.table, CHANGE_TYPES[tx.table.layer]
    incoming = records(rows.to_crs(WGS84))
    stored = tx.get_rows(list(dict.fromkeys(str(row[table.key]) for row in incoming)))
    at = _timestamp(now)
    change_id = tx.next_change_id()
    inserts: dict[str, dict[str, Any]] = {}
    updates: dict[str, dict[str, Any]] = {}
    entries = []
    for row in incoming:
        record_id = str(row[table.key])
        current = stored.get(record_id)
        values = plain_row(row)
        if current is None:
            change = change_type(ADD, record_id, author, values=values)
        else:
            correctable = {k: v for k, v in values.items() if k in table.correctable}
            change = change_type(CORRECT, record_id, author, int(current["version"]), correctable)
        before, after = _planned(table, change, current)
        stored[record_id] = after
        (inserts if current is None or record_id in inserts else updates)[record_id] = after
        entries.append(_entry(table, change_id, record_id, change.action, author, before, after, at=at))
        change_id += 1
    tx.put_rows(list(inserts.values()), insert=True)
    tx.put_rows(list(updates.values()), insert=False)
    tx.add_changes(entries)
    return entries


def changed_fields(entry: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{column: (before, after)}`` of an audit entry, for the history table."""
    before = _decode(entry["before"]) if _present(entry.get("before")) else {}
    after = _decode(entry["after"]) if _present(entry.get("after")) else {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k != "version"]
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


def changes_since(
    audit: pd.DataFrame, record_id: str, version: int, *, table: EditedTable = FONCIER
) -> list[dict[str, Any]]:
    """The audit entries of row ``record_id`` of ``table`` made after its ``version`` was read, oldest first.

    A change that took the row from version *v* to *v* + 1 holds *v* in its ``before``; an addition has
    no ``before`` (version 0), and the undo of an addition no ``after``.
    """
    rows = audit[audit[table.key].astype(str) == str(record_id)].sort_values("change_id")
    since = []
    for entry in records(rows):
        before = _decode(entry["before"]) if _present(entry.get("before")) else {"version": 0}
        if int(before.get("version", 0)) >= int(version):
            since.append(entry)
    return since


def carry_over_edits(
    built: gpd.GeoDataFrame, edited: gpd.GeoDataFrame, audit: pd.DataFrame, *, table: EditedTable = FONCIER
) -> gpd.GeoDataFrame:
    """The freshly built layer of ``table`` with the editors' work kept: a rebuild never loses an edit.

    Rows touched by the audit trail keep their edited row (or stay deleted); the others
    come from the sources.
    """
    touched = set(audit[table.key].astype(str))
    if not touched:
        return built
    kept = edited[edited[table.key].astype(str).isin(touched)].to_crs(built.crs)
    rest = built[~built[table.key].astype(str).isin(touched)]
    merged = pd.concat([rest, kept], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=built.crs)


SHIPPED_CHANGES_LAYER = "livraison_conflits"
"""The build's list of shipped changes to rows an editor had changed (kept, not applied: to arbitrate)."""
SHIPPED_CHANGES_COLUMNS = ("layer", "record_id", "field", "shipped_before", "shipped_now", "kept")


def shipped_changes(
    built: pd.DataFrame, edited: pd.DataFrame, audit: pd.DataFrame, *, table: EditedTable
) -> pd.DataFrame:
    """The editable fields the shipped data changed since an editor changed the row (the edited row is kept).

    A row's first audit entry holds the row as the previous build shipped it (its ``before``); where the new
    build ships another value, the editor decided on data that has moved: the build keeps the editor's row
    and lists the field here, never applying the shipped value silently nor dropping it unsaid.
    """
    rows: list[dict[str, Any]] = []
    if audit.empty:
        return pd.DataFrame(columns=list(SHIPPED_CHANGES_COLUMNS))
    first = audit.sort_values("change_id").drop_duplicates(table.key, keep="first")
    shipped = built.set_index(built[table.key].astype(str))
    current = edited.set_index(edited[table.key].astype(str))
    for entry in records(first):
        record_id = str(entry[table.key])
        if not _present(entry.get("before")) or record_id not in shipped.index:
            continue  # added by an editor, or no longer shipped
        before = _decode(entry["before"])
        for name in table.editable:
            old, new = (
                _comparable(before.get(name)),
                _comparable(shipped.at[record_id, name] if name in shipped else None),
            )
            if old != new:
                kept = current.at[record_id, name] if record_id in current.index and name in current else None
                rows.append(
                    {
                        "layer": table.layer,
                        "record_id": record_id,
                        "field": name,
                        "shipped_before": _shown(old),
                        "shipped_now": _shown(new),
                        "kept": _shown(_comparable(kept)),
                    }
                )
    return pd.DataFrame(rows, columns=list(SHIPPED_CHANGES_COLUMNS))


# --- private helpers -----------------------------------------------------------------------


def _comparable(value: Any) -> Any:
    """A value as two versions of a row are compared: unknown is None (never ""), numbers as floats."""
    value = plain_value(value)
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return value


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _same_table(tx: RowTransaction, table: EditedTable) -> EditedTable:
    if tx.table != table:
        raise ValueError(f"a change of {table.layer} in a transaction on {tx.table.layer}")
    return table


def _require_version(
    table: EditedTable, current: dict[str, Any] | None, record_id: str, expected: int | None
) -> dict[str, Any]:
    if current is None:
        raise EditConflictError(
            f"Le {table.noun} « {record_id} » n'existe plus : il a été supprimé entre-temps. Rien n'a été enregistré.",
            record_id=record_id,
            seen_version=expected,
        )
    if expected is None or int(current["version"]) != int(expected):
        raise EditConflictError(
            f"Le {table.noun} « {record_id} » a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert "
            f"(version {current['version']}, vous aviez la version {expected}). Rien n'a été enregistré.",
            record_id=record_id,
            seen_version=expected,
            current_version=int(current["version"]),
        )
    return current


def _entry(
    table: EditedTable,
    change_id: int,
    record_id: str,
    action: str,
    author: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    at: str,
    undoes: int | None = None,
) -> dict[str, Any]:
    """The audit entry of one change (rows as JSON) made ``at`` (:func:`_timestamp`)."""
    return {
        "change_id": change_id,
        table.key: record_id,
        "action": action,
        "author": author,
        "at": at,
        "before": _encode(before),
        "after": _encode(after),
        "undoes": undoes,
        "undone_by": None,
    }


def _timestamp(now: datetime | None) -> str:
    return (now or datetime.now(UTC)).isoformat(timespec="seconds")


def _encode(row: Mapping[str, Any] | None) -> str | None:
    """A row as JSON, the point as ``lon``/``lat`` (the geometry column is restored by :func:`_decode`)."""
    if row is None:
        return None
    plain = plain_row(row)
    plain.pop("geometry", None)
    geometry = row.get("geometry")
    if geometry is not None:
        plain["lon"], plain["lat"] = round(geometry.x, 7), round(geometry.y, 7)
    return json.dumps(plain, ensure_ascii=False, sort_keys=True)


def _decode(text: str) -> dict[str, Any]:
    row = json.loads(text)
    if "lon" in row and "lat" in row:
        row["geometry"] = Point(row.pop("lon"), row.pop("lat"))
    return row


def plain_value(value: Any) -> Any:
    """JSON- and SQL-friendly scalar: NaN and NA become None, numpy numbers plain numbers."""
    if value is None or value is pd.NA:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def by_columns_set(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str]
) -> dict[tuple[str, ...], list[Mapping[str, Any]]]:
    """``rows`` grouped by the stored ``columns`` each one sets, geometry apart (one write statement a group)."""
    stored = frozenset(columns) - {"geometry"}
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        groups.setdefault(tuple(key for key in row if key in stored), []).append(row)
    return groups


_PLAIN_TYPES = frozenset({str, int, bool, type(None)})


def plain_row(row: Mapping[str, Any]) -> dict[str, Any]:
    """``row`` with every value made plain (:func:`plain_value`); values already plain are kept as they are (an
    import of 100,000 rows of 53 columns, each row encoded twice)."""
    return {key: value if type(value) in _PLAIN_TYPES else plain_value(value) for key, value in row.items()}


def _present(value: Any) -> bool:
    return plain_value(value) is not None
