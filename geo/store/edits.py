"""Editing the foncier inventory: add, correct, mark taken or withdrawn, undo — with an audit trail.

Every change is one transaction of the store (see :mod:`geo.store`): the site's ``version``
is checked and incremented, and one audit row keeps who, when, the action, the site
before and after (JSON). An edit based on an old version is refused with
:class:`~geo.errors.EditConflictError` (optimistic concurrency): two editors correcting the
same site never silently lose one of the changes. Undoing a change is itself a change.

The logic lives here once; the backends only provide the row operations of
:class:`SiteTransaction`, inside their own transaction.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.crs import WGS84
from geo.errors import EditConflictError
from geo.vocabulary import DISTANCE_COLUMNS

ADD, CORRECT, TAKEN, WITHDRAWN, UNDO = "ajout", "correction", "pris", "retiré", "annulation"
ACTIONS = (ADD, CORRECT, TAKEN, WITHDRAWN, UNDO)
STATUS_OF_ACTION = {TAKEN: "site pris", WITHDRAWN: "site retiré"}
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
"""Columns an editor may change, with their French labels (location is changed through the point)."""

PLACE_COLUMNS = ("insee_com", "commune_nom", "epci_siren", "departement", "region", "ti_phase1", "ti_phase2", "bassins")
CORRECTABLE = {*EDITABLE_FIELDS, "geometry", *PLACE_COLUMNS, *DISTANCE_COLUMNS, "source", "source_url", "date_maj"}
"""What a correction may set: the editable fields, and what an import or a moved point also brings."""

AUDIT_COLUMNS = ("change_id", "site_id", "action", "author", "at", "before", "after", "undoes", "undone_by")


def empty_audit() -> pd.DataFrame:
    """The audit table with no change yet (typed, so every backend creates the same columns)."""
    return pd.DataFrame(
        {
            "change_id": pd.Series(dtype="int64"),
            "site_id": pd.Series(dtype="str"),
            "action": pd.Series(dtype="str"),
            "author": pd.Series(dtype="str"),
            "at": pd.Series(dtype="str"),
            "before": pd.Series(dtype="str"),
            "after": pd.Series(dtype="str"),
            "undoes": pd.Series(dtype="float64"),  # change id or empty
            "undone_by": pd.Series(dtype="float64"),
        }
    )


class SiteTransaction(Protocol):
    """Row operations a backend offers inside one write transaction (rows are plain dicts, WGS84 points)."""

    def get_site(self, site_id: str) -> dict[str, Any] | None: ...
    def put_site(self, row: Mapping[str, Any], *, insert: bool) -> None: ...
    def delete_site(self, site_id: str) -> None: ...
    def next_change_id(self) -> int: ...
    def get_change(self, change_id: int) -> dict[str, Any] | None: ...
    def add_change(self, entry: Mapping[str, Any]) -> None: ...
    def set_undone(self, change_id: int, by_change_id: int) -> None: ...


@dataclass(frozen=True)
class SiteChange:
    """One editor's change of one site.

    ``values`` holds the columns to set (for an addition, the whole row built by
    :func:`geo.analysis.sites.new_site_row`, geometry included). ``expected_version`` is the version the editor
    saw; None only for an addition.
    """

    action: str
    site_id: str
    author: str
    expected_version: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.action not in (ADD, CORRECT, TAKEN, WITHDRAWN):
            raise ValueError(f"unknown action {self.action!r}")
        if not self.author.strip():
            raise ValueError("a change needs its author")
        unknown = set(self.values) - CORRECTABLE if self.action != ADD else set()
        if unknown:
            raise ValueError(f"not editable: {sorted(unknown)}")


def apply_change(tx: SiteTransaction, change: SiteChange, *, now: datetime | None = None) -> dict[str, Any]:
    """Apply ``change`` through ``tx``; return the audit entry written.

    Raises
    ------
    EditConflictError
        The site changed since the editor read it, was deleted, or (addition) already exists.
    """
    current = tx.get_site(change.site_id)
    if change.action == ADD:
        if current is not None:
            raise EditConflictError(f"Le site « {change.site_id} » existe déjà : rien n'a été ajouté.")
        after = {**change.values, "site_id": change.site_id, "version": 1}
        tx.put_site(after, insert=True)
        return _record(tx, change.site_id, ADD, change.author, None, after, now=now)
    before = _require_version(current, change.site_id, change.expected_version)
    updates = dict(change.values)
    if change.action in STATUS_OF_ACTION:
        updates["statut"] = STATUS_OF_ACTION[change.action]
    after = {**before, **updates, "version": int(before["version"]) + 1}
    tx.put_site(after, insert=False)
    return _record(tx, change.site_id, change.action, change.author, before, after, now=now)


def undo_change(tx: SiteTransaction, change_id: int, *, author: str, now: datetime | None = None) -> dict[str, Any]:
    """Undo change ``change_id`` by restoring the site as it was before it; return the new audit entry.

    Only the latest change of a site can be undone (the site must still be as that change
    left it): undoing an older one would silently drop the changes made since.
    """
    entry = tx.get_change(change_id)
    if entry is None:
        raise EditConflictError(f"La modification n° {change_id} n'existe pas.")
    if _present(entry.get("undone_by")):
        raise EditConflictError(f"La modification n° {change_id} a déjà été annulée.")
    if entry["action"] == UNDO:
        raise EditConflictError("Une annulation ne s'annule pas : refaites la modification.")
    after = _decode(entry["after"])
    current = tx.get_site(entry["site_id"])
    if current is None or int(current["version"]) != int(after["version"]):
        raise EditConflictError(
            f"Le site « {entry['site_id']} » a été modifié depuis la modification n° {change_id} : "
            "annulez d'abord les modifications plus récentes."
        )
    before = _decode(entry["before"]) if _present(entry.get("before")) else None
    if before is None:  # undoing an addition removes the site
        tx.delete_site(entry["site_id"])
        restored = None
    else:
        restored = {**before, "version": int(current["version"]) + 1}
        tx.put_site(restored, insert=False)
    record = _record(tx, entry["site_id"], UNDO, author, current, restored, now=now, undoes=change_id)
    tx.set_undone(change_id, record["change_id"])
    return record


def import_rows(tx: SiteTransaction, rows: gpd.GeoDataFrame, *, author: str) -> list[dict[str, Any]]:
    """Apply an accepted import (see :func:`geo.analysis.foncier.sites_from_file`) inside ``tx``: new ids are
    added, known ids corrected, each with its audit entry; the caller's transaction makes it all-or-nothing.
    """
    entries = []
    for row in rows.to_crs(WGS84).to_dict("records"):
        site_id = str(row["site_id"])
        current = tx.get_site(site_id)
        if current is None:
            change = SiteChange(ADD, site_id, author, values={k: plain_value(v) for k, v in row.items()})
        else:
            values = {k: plain_value(v) for k, v in row.items() if k in CORRECTABLE}
            change = SiteChange(CORRECT, site_id, author, int(current["version"]), values)
        entries.append(apply_change(tx, change))
    return entries


def changed_fields(entry: Mapping[str, Any]) -> dict[str, tuple[Any, Any]]:
    """``{column: (before, after)}`` of an audit entry, for the history table."""
    before = _decode(entry["before"]) if _present(entry.get("before")) else {}
    after = _decode(entry["after"]) if _present(entry.get("after")) else {}
    keys = [k for k in dict.fromkeys([*before, *after]) if k != "version"]
    return {k: (before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)}


def changes_since(audit: pd.DataFrame, site_id: str, version: int) -> list[dict[str, Any]]:
    """The audit entries of ``site_id`` made after its ``version`` was read, oldest first.

    A change that took the site from version *v* to *v* + 1 holds *v* in its ``before``; an addition has
    no ``before`` (version 0), and the undo of an addition no ``after``.
    """
    rows = audit[audit["site_id"].astype(str) == str(site_id)].sort_values("change_id")
    since = []
    for entry in rows.to_dict("records"):
        before = _decode(entry["before"]) if _present(entry.get("before")) else {"version": 0}
        if int(before.get("version", 0)) >= int(version):
            since.append(entry)
    return since


def carry_over_edits(built: gpd.GeoDataFrame, edited: gpd.GeoDataFrame, audit: pd.DataFrame) -> gpd.GeoDataFrame:
    """The freshly built foncier layer with the editors' work kept: a rebuild never loses an edit.

    Sites touched by the audit trail keep their edited row (or stay deleted); the others
    come from the sources.
    """
    touched = set(audit["site_id"].astype(str))
    if not touched:
        return built
    kept = edited[edited["site_id"].isin(touched)].to_crs(built.crs)
    rest = built[~built["site_id"].isin(touched)]
    merged = pd.concat([rest, kept], ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=built.crs)


# --- private helpers -----------------------------------------------------------------------


def _require_version(current: dict[str, Any] | None, site_id: str, expected: int | None) -> dict[str, Any]:
    if current is None:
        raise EditConflictError(
            f"Le site « {site_id} » n'existe plus : il a été supprimé entre-temps. Rien n'a été enregistré.",
            record_id=site_id,
            seen_version=expected,
        )
    if expected is None or int(current["version"]) != int(expected):
        raise EditConflictError(
            f"Le site « {site_id} » a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert "
            f"(version {current['version']}, vous aviez la version {expected}). Rien n'a été enregistré.",
            record_id=site_id,
            seen_version=expected,
            current_version=int(current["version"]),
        )
    return current


def _record(
    tx: SiteTransaction,
    site_id: str,
    action: str,
    author: str,
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    *,
    now: datetime | None,
    undoes: int | None = None,
) -> dict[str, Any]:
    entry = {
        "change_id": tx.next_change_id(),
        "site_id": site_id,
        "action": action,
        "author": author,
        "at": (now or datetime.now(UTC)).isoformat(timespec="seconds"),
        "before": _encode(before),
        "after": _encode(after),
        "undoes": undoes,
        "undone_by": None,
    }
    tx.add_change(entry)
    return entry


def _encode(row: Mapping[str, Any] | None) -> str | None:
    """A row as JSON, the point as ``lon``/``lat`` (the geometry column is restored by :func:`_decode`)."""
    if row is None:
        return None
    plain = {key: plain_value(value) for key, value in row.items() if key != "geometry"}
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


def _present(value: Any) -> bool:
    return plain_value(value) is not None
