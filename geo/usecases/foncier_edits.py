"""Editing one foncier site as the editor saw it: every write names the site and the version drawn.

The rules are those of every edited row (:mod:`~geo.usecases.record_edits`): a write carries the
:class:`SeenSite` the page drew (id, version, values) and the store refuses it when the version
moved; the refusal comes back as an :class:`EditConflict` telling what the other editor changed and
what this editor tried to write, so nothing typed is lost.

A correction only sends the fields the editor changed compared with what was drawn; it is still
refused when the version moved, even if the other change touched other fields: the editor decided
on a site that no longer exists as seen.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from geo.store import Account, Store
from geo.store.edits import FONCIER
from geo.usecases.record_edits import (
    ACTION_LABELS,
    EditConflict,
    EditOutcome,
    OtherChange,
    SeenRecord,
    cleaned_values,
    correct_record,
    french_timestamp,
    mark_record,
    shown_value,
    undo_record_change,
)

__all__ = [
    "ACTION_LABELS",
    "EditConflict",
    "EditOutcome",
    "OtherChange",
    "SeenSite",
    "cleaned_values",
    "correct_site",
    "french_timestamp",
    "mark_site",
    "shown_value",
    "undo_change",
]


class SeenSite(SeenRecord):
    """A site as a page drew it: its id, its version and the editable values shown."""

    table = FONCIER

    @property
    def site_id(self) -> str:
        return self.record_id


def correct_site(store: Store, seen: SeenSite, submitted: Mapping[str, Any], *, account: Account | None) -> EditOutcome:
    """Save the fields of ``submitted`` that differ from what was drawn (``seen``), at the version drawn.

    Empty text means unknown (stored empty). Returns an empty outcome when nothing differs, a conflict
    when the site moved since it was drawn. Raises :class:`~geo.store.AccountError` (no editor account)
    or :class:`~geo.errors.StoreError` (the store is unreachable).
    """
    return correct_record(store, seen, submitted, account=account)


def mark_site(store: Store, seen: SeenSite, action: str, *, account: Account | None) -> EditOutcome:
    """Mark the site drawn at ``seen.version`` as taken or withdrawn (it leaves the available land)."""
    return mark_record(store, seen, action, account=account)


def undo_change(store: Store, change_id: int, *, account: Account | None) -> Mapping[str, Any]:
    """Undo change ``change_id`` (the one the editor chose, as drawn); return the new audit entry.

    Raises :class:`~geo.errors.EditConflictError` when it was undone already or the site changed since.
    """
    return undo_record_change(store, FONCIER, change_id, account=account)
