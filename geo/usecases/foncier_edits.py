"""Editing one foncier site as the editor saw it: every write names the site and the version drawn.

A page draws a site at some version; by the time the editor clicks, someone else may have changed it,
or the list the page draws from may have moved. So a write never re-reads "the selected site": it
carries the :class:`SeenSite` the page drew (id, version, values) and the store refuses it when the
version moved (:class:`~geo.errors.EditConflictError`). A refusal comes back as an
:class:`EditConflict` that tells what the other editor changed, and what this editor tried to write, so
nothing typed is lost and the editor can start again from the current version.

A correction only sends the fields the editor changed compared with what was drawn; it is still
refused when the version moved, even if the other change touched other fields: the editor decided
on a site that no longer exists as seen.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from geo.errors import EditConflictError
from geo.store import Account, Store
from geo.store.edits import (
    ADD,
    CORRECT,
    EDITABLE_FIELDS,
    STATUS_OF_ACTION,
    TAKEN,
    UNDO,
    WITHDRAWN,
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
class SeenSite:
    """A site as a page drew it: its id, its version and the editable values shown."""

    site_id: str
    version: int
    values: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> SeenSite:
        """The site as drawn from a row of the foncier layer."""
        values = {name: plain_value(row.get(name)) for name in EDITABLE_FIELDS}
        return cls(str(row["site_id"]), int(row["version"]), values)


@dataclass(frozen=True)
class OtherChange:
    """A change someone made to the site after the editor's version was drawn."""

    change_id: int
    action: str
    author: str
    at: str
    fields: Mapping[str, tuple[Any, Any]]

    def describe(self) -> str:
        """One French line: « n° 13, le 06/12/2026 à 11:20 UTC, par … : marqué retiré (statut : a → b) »."""
        what = ACTION_LABELS.get(self.action, self.action)
        details = " ; ".join(
            f"{EDITABLE_FIELDS.get(name, name)} : {shown_value(old)} → {shown_value(new)}"
            for name, (old, new) in self.fields.items()
            if name in EDITABLE_FIELDS
        )
        return f"n° {self.change_id}, {french_timestamp(self.at)}, par {self.author} : {what}" + (
            f" ({details})" if details else ""
        )


@dataclass(frozen=True)
class EditConflict:
    """A write refused because the site moved since it was drawn: what happened, and what was attempted."""

    site_id: str
    seen_version: int
    current_version: int | None
    others: tuple[OtherChange, ...]
    action: str
    attempted: Mapping[str, Any]

    @property
    def deleted(self) -> bool:
        """The site no longer exists (an addition was undone)."""
        return self.current_version is None

    def summary(self) -> str:
        """The French headline: which site, which versions, nothing saved."""
        if self.deleted:
            return f"Le site « {self.site_id} » n'existe plus : rien n'a été enregistré."
        return (
            f"Le site « {self.site_id} » a changé depuis que vous l'avez ouvert (vous aviez la version "
            f"{self.seen_version}, il en est à la version {self.current_version}) : rien n'a été enregistré."
        )

    def attempted_lines(self) -> list[str]:
        """What this editor tried to write, field by field (kept so nothing typed is lost)."""
        if self.action in STATUS_OF_ACTION:
            return [f"{ACTION_LABELS[self.action]} (statut → {STATUS_OF_ACTION[self.action]})"]
        return [f"{EDITABLE_FIELDS.get(name, name)} → {shown_value(value)}" for name, value in self.attempted.items()]


@dataclass(frozen=True)
class EditOutcome:
    """The result of one write: the audit entry saved, a conflict, or nothing to save."""

    entry: Mapping[str, Any] | None = None
    conflict: EditConflict | None = None

    @property
    def saved(self) -> bool:
        return self.entry is not None


def correct_site(store: Store, seen: SeenSite, submitted: Mapping[str, Any], *, account: Account | None) -> EditOutcome:
    """Save the fields of ``submitted`` that differ from what was drawn (``seen``), at the version drawn.

    Empty text means unknown (stored empty). Returns an empty outcome when nothing differs, a conflict
    when the site moved since it was drawn. Raises :class:`~geo.store.AccountError` (no editor account)
    or :class:`~geo.errors.StoreError` (the store is unreachable).
    """
    cleaned = cleaned_values(submitted)
    changes = {name: value for name, value in cleaned.items() if _differs(value, seen.values.get(name))}
    if not changes:
        return EditOutcome()
    return _apply(store, SiteChange(CORRECT, seen.site_id, _author(account), seen.version, changes), account=account)


def mark_site(store: Store, seen: SeenSite, action: str, *, account: Account | None) -> EditOutcome:
    """Mark the site drawn at ``seen.version`` as taken or withdrawn (it leaves the available land)."""
    if action not in STATUS_OF_ACTION:
        raise ValueError(f"not a marking action: {action!r}")
    return _apply(store, SiteChange(action, seen.site_id, _author(account), seen.version), account=account)


def undo_change(store: Store, change_id: int, *, account: Account | None) -> Mapping[str, Any]:
    """Undo change ``change_id`` (the one the editor chose, as drawn); return the new audit entry.

    Raises :class:`~geo.errors.EditConflictError` when it was undone already or the site changed since.
    """
    return store.undo_site_change(int(change_id), account=account)


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


def _author(account: Account | None) -> str:
    # The store signs every change again from the account it checks; this only fills the field.
    return account.signature if account is not None else "anonyme"


def _apply(store: Store, change: SiteChange, *, account: Account | None) -> EditOutcome:
    try:
        entry = store.apply_site_change(change, account=account)
    except EditConflictError as conflict:
        return EditOutcome(conflict=_conflict(store, change, conflict))
    return EditOutcome(entry=entry)


def _conflict(store: Store, change: SiteChange, error: EditConflictError) -> EditConflict:
    seen_version = int(change.expected_version or 0)
    audit = store.read("foncier_audit")
    others = tuple(
        OtherChange(
            int(entry["change_id"]), str(entry["action"]), str(entry["author"]), str(entry["at"]), changed_fields(entry)
        )
        for entry in changes_since(audit, change.site_id, seen_version)
    )
    return EditConflict(
        site_id=change.site_id,
        seen_version=seen_version,
        current_version=error.current_version,
        others=others,
        action=change.action,
        attempted=dict(change.values),
    )


def _differs(new: Any, old: Any) -> bool:
    new, old = plain_value(new), plain_value(old)
    if isinstance(new, float) and isinstance(old, int | float):
        return not math.isclose(new, float(old))
    return new != old
