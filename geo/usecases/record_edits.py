"""Editing one row (a foncier site, a project) as the editor saw it: every write names the row and the version drawn.

A page draws a row at some version; by the time the editor clicks, someone else may have changed it,
or the list the page draws from may have moved. So a write never re-reads "the selected row": it
carries the :class:`SeenRecord` the page drew (id, version, values) and the store refuses it when the
version moved (:class:`~geo.errors.EditConflictError`). A refusal comes back as an
:class:`EditConflict` that tells what the other editor changed, and what this editor tried to write, so
nothing typed is lost and the editor can start again from the current version.

A correction only sends the fields the editor changed compared with what was drawn; it is still
refused when the version moved, even if the other change touched other fields: the editor decided
on a row that no longer exists as seen.

The same rules for every edited table (:data:`geo.store.edits.EDITED_TABLES`);
:mod:`~geo.usecases.foncier_edits` and :mod:`~geo.usecases.project_edits` name them for their table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar, Self

from geo.errors import EditConflictError
from geo.store import Account, Store
from geo.store.edits import (
    ADD,
    CHANGE_TYPES,
    CORRECT,
    FONCIER,
    PROJECTS,
    TAKEN,
    UNDO,
    WITHDRAWN,
    EditedTable,
    ProjectChange,
    RecordChange,
    SiteChange,
    changed_fields,
    changes_since,
    plain_value,
)

ACTION_LABELS = {
    ADD: "ajout",
    CORRECT: "correction",
    TAKEN: "marqué pris",
    WITHDRAWN: "marqué retiré",
    UNDO: "annulation",
}
"""How the history and the conflict messages name each action."""


@dataclass(frozen=True)
class SeenRecord:
    """A row as a page drew it: its id, its version and the editable values shown (see :class:`SeenSite`
    in :mod:`~geo.usecases.foncier_edits`, :class:`SeenProject` in :mod:`~geo.usecases.project_edits`)."""

    record_id: str
    version: int
    values: Mapping[str, Any] = field(default_factory=dict)

    table: ClassVar[EditedTable]

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Self:
        """The row as drawn from its layer (the key, ``version`` and the table's editable fields)."""
        values = {name: plain_value(row.get(name)) for name in cls.table.editable}
        return cls(str(row[cls.table.key]), int(row["version"]), values)


@dataclass(frozen=True)
class OtherChange:
    """A change someone made to the row after the editor's version was drawn."""

    change_id: int
    action: str
    author: str
    at: str
    fields: Mapping[str, tuple[Any, Any]]
    table: EditedTable = FONCIER

    def describe(self) -> str:
        """One French line: « n° 13, le 06/12/2026 à 11:20 UTC, par … : marqué retiré (statut : a → b) »."""
        what = ACTION_LABELS.get(self.action, self.action)
        labels = self.table.editable
        details = " ; ".join(
            f"{labels.get(name, name)} : {shown_value(old)} → {shown_value(new)}"
            for name, (old, new) in self.fields.items()
            if name in labels
        )
        return f"n° {self.change_id}, {french_timestamp(self.at)}, par {self.author} : {what}" + (
            f" ({details})" if details else ""
        )


@dataclass(frozen=True)
class EditConflict:
    """A write refused because the row moved since it was drawn: what happened, and what was attempted."""

    record_id: str
    seen_version: int
    current_version: int | None
    others: tuple[OtherChange, ...]
    action: str
    attempted: Mapping[str, Any]
    table: EditedTable = FONCIER

    @property
    def site_id(self) -> str:
        """The foncier pages' name of :attr:`record_id`."""
        return self.record_id

    @property
    def deleted(self) -> bool:
        """The row no longer exists (an addition was undone)."""
        return self.current_version is None

    def summary(self) -> str:
        """The French headline: which row, which versions, nothing saved."""
        noun = self.table.noun
        if self.deleted:
            return f"Le {noun} « {self.record_id} » n'existe plus : rien n'a été enregistré."
        return (
            f"Le {noun} « {self.record_id} » a changé depuis que vous l'avez ouvert (vous aviez la version "
            f"{self.seen_version}, il en est à la version {self.current_version}) : rien n'a été enregistré."
        )

    def attempted_lines(self) -> list[str]:
        """What this editor tried to write, field by field (kept so nothing typed is lost)."""
        if self.action in self.table.status_of_action:
            return [f"{ACTION_LABELS[self.action]} (statut → {self.table.status_of_action[self.action]})"]
        labels = self.table.editable
        return [f"{labels.get(name, name)} → {shown_value(value)}" for name, value in self.attempted.items()]


@dataclass(frozen=True)
class EditOutcome:
    """The result of one write: the audit entry saved, a conflict, or nothing to save."""

    entry: Mapping[str, Any] | None = None
    conflict: EditConflict | None = None

    @property
    def saved(self) -> bool:
        return self.entry is not None


def correct_record(
    store: Store, seen: SeenRecord, submitted: Mapping[str, Any], *, account: Account | None
) -> EditOutcome:
    """Save the fields of ``submitted`` that differ from what was drawn (``seen``), at the version drawn.

    Empty text means unknown (stored empty). Returns an empty outcome when nothing differs, a conflict
    when the row moved since it was drawn. Raises :class:`~geo.store.AccountError` (no editor account)
    or :class:`~geo.errors.StoreError` (the store is unreachable).
    """
    changes = changed_values(seen, submitted)
    if not changes:
        return EditOutcome()
    return apply_record_change(store, _change(seen, CORRECT, changes, account), account=account)


def mark_record(store: Store, seen: SeenRecord, action: str, *, account: Account | None) -> EditOutcome:
    """Apply a marking action of the table (a foncier site taken or withdrawn) to the row drawn at ``seen.version``."""
    if action not in seen.table.status_of_action:
        raise ValueError(f"not a marking action of {seen.table.layer}: {action!r}")
    return apply_record_change(store, _change(seen, action, {}, account), account=account)


def apply_record_change(store: Store, change: RecordChange, *, account: Account | None) -> EditOutcome:
    """Write ``change`` through the store; a refused version comes back as the outcome's conflict."""
    try:
        if isinstance(change, ProjectChange):
            entry = store.apply_project_change(change, account=account)
        elif isinstance(change, SiteChange):
            entry = store.apply_site_change(change, account=account)
        else:
            raise TypeError(f"no store write for {type(change).__name__}")
    except EditConflictError as conflict:
        return EditOutcome(conflict=_conflict(store, change, conflict))
    return EditOutcome(entry=entry)


def undo_record_change(
    store: Store, table: EditedTable, change_id: int, *, account: Account | None
) -> Mapping[str, Any]:
    """Undo change ``change_id`` of ``table`` (the one the editor chose, as drawn); return the new audit entry.

    Raises :class:`~geo.errors.EditConflictError` when it was undone already or the row changed since.
    """
    undo = store.undo_project_change if table == PROJECTS else store.undo_site_change
    return undo(int(change_id), account=account)


def changed_values(seen: SeenRecord, submitted: Mapping[str, Any]) -> dict[str, Any]:
    """The cleaned values of ``submitted`` that differ from what was drawn."""
    cleaned = cleaned_values(submitted)
    return {name: value for name, value in cleaned.items() if _differs(value, seen.values.get(name))}


def cleaned_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """Form values as stored: text stripped, empty text means unknown (None), never an empty string."""
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}


def shown_value(value: Any) -> str:
    """A stored value as a message shows it (unknown is « — »)."""
    value = plain_value(value)
    return "—" if value is None else str(value)


def french_timestamp(at: str) -> str:
    """``2026-12-06T11:20:05+00:00`` → « le 06/12/2026 à 11:20 UTC »."""
    day, _, time = str(at).partition("T")
    year, month, date = day.split("-") if day.count("-") == 2 else ("", "", "")
    if not date:
        return str(at)
    return f"le {date}/{month}/{year} à {time[:5]} UTC"


# --- private helpers -----------------------------------------------------------------------


def _change(seen: SeenRecord, action: str, values: Mapping[str, Any], account: Account | None) -> RecordChange:
    # The store signs every change again from the account it checks; this only fills the field.
    author = account.signature if account is not None else "anonyme"
    return CHANGE_TYPES[seen.table.layer](action, seen.record_id, author, seen.version, dict(values))


def _conflict(store: Store, change: RecordChange, error: EditConflictError) -> EditConflict:
    table = change.table
    seen_version = int(change.expected_version or 0)
    audit = store.read(table.audit)
    others = tuple(
        OtherChange(
            int(entry["change_id"]),
            str(entry["action"]),
            str(entry["author"]),
            str(entry["at"]),
            changed_fields(entry),
            table,
        )
        for entry in changes_since(audit, change.record_id, seen_version, table=table)
    )
    return EditConflict(
        record_id=change.record_id,
        seen_version=seen_version,
        current_version=error.current_version,
        others=others,
        action=change.action,
        attempted=dict(change.values),
        table=table,
    )


def _differs(new: Any, old: Any) -> bool:
    new, old = plain_value(new), plain_value(old)
    if isinstance(new, float) and isinstance(old, int | float):
        return not math.isclose(new, float(old))
    return new != old
