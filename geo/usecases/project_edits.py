"""Editing one project as the editor saw it: every write names the project and the version drawn.

The rules are those of every edited row (:mod:`~geo.usecases.record_edits`), as for foncier sites: a
write carries the :class:`SeenProject` the page drew (id, version, values) and the store refuses it
when the version moved; the refusal comes back as an :class:`EditConflict` telling what the other
editor changed and what this editor tried to write. Every write is audited under the editor's
account (who, when, before and after) and can be undone.

The status category and the sector family are derived from the free-text status and sector, as an
import derives them: a correction of the status (or the sector) that leaves its category (family)
untouched brings the derived one along, so the project never keeps the category of its old status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.analysis.projects import sector_family, status_category
from geo.store import Account, Store
from geo.store.edits import CORRECT, PROJECTS, ProjectChange
from geo.usecases.record_edits import (
    EditConflict,
    EditOutcome,
    OtherChange,
    SeenRecord,
    apply_record_change,
    changed_values,
    undo_record_change,
)

__all__ = [
    "EditConflict",
    "EditOutcome",
    "OtherChange",
    "SeenProject",
    "correct_project",
    "undo_project_change",
]

_DERIVED = {"status": ("status_category", status_category), "sector": ("sector_family", sector_family)}
"""Free-text column → (the column derived from it, how)."""


class SeenProject(SeenRecord):
    """A project as a page drew it: its id, its version and the editable values shown."""

    table = PROJECTS

    @property
    def project_id(self) -> str:
        return self.record_id


def correct_project(
    store: Store, seen: SeenProject, submitted: Mapping[str, Any], *, account: Account | None
) -> EditOutcome:
    """Save the fields of ``submitted`` that differ from what was drawn (``seen``), at the version drawn.

    Empty text means unknown (stored empty). Returns an empty outcome when nothing differs, a conflict
    (with the other editor's changes) when the project moved since it was drawn. Raises
    :class:`~geo.store.WriteRefused` (no editor account, a reader) or :class:`~geo.errors.StoreError`
    (the store is unreachable).
    """
    changes = _with_derived(seen, changed_values(seen, submitted))
    if not changes:
        return EditOutcome()
    author = account.signature if account is not None else "anonyme"  # the store signs it again
    change = ProjectChange(CORRECT, seen.record_id, author, seen.version, changes)
    return apply_record_change(store, change, account=account)


def undo_project_change(store: Store, change_id: int, *, account: Account | None) -> Mapping[str, Any]:
    """Undo change ``change_id`` of the projects (the one the editor chose, as drawn); return the new audit entry.

    Raises :class:`~geo.errors.EditConflictError` when it was undone already or the project changed since.
    """
    return undo_record_change(store, PROJECTS, change_id, account=account)


# --- private helpers -----------------------------------------------------------------------


def _with_derived(seen: SeenProject, changes: Mapping[str, Any]) -> dict[str, Any]:
    """The changes with the category (family) of a changed status (sector), unless the editor set it.

    >>> seen = SeenProject("P001", 3, {"status": "annoncé", "status_category": "annoncé"})
    >>> sorted(_with_derived(seen, {"status": "en service depuis 2025"}).items())
    [('status', 'en service depuis 2025'), ('status_category', 'en service')]
    """
    completed = dict(changes)
    for source, (derived, derive) in _DERIVED.items():
        if source in changes and derived not in changes:
            value = derive(changes[source])
            if value != seen.values.get(derived):
                completed[derived] = value
    return completed
