"""Editing one project as the editor saw it: every write names the project and the version drawn.

The rules are those of every edited row (:mod:`~geo.usecases.record_edits`), as for foncier sites: a
write carries the :class:`SeenProject` the page drew (id, version, values) and the store refuses it
when the version moved; the refusal comes back as an :class:`EditConflict` telling what the other
editor changed and what this editor tried to write. Every write is audited under the editor's
account (who, when, before and after) and can be undone.

The status category and the sector family are derived from the free-text status and sector, as an
import derives them: a correction of the status (or the sector) that leaves its category (family)
untouched brings the derived one along, so the project never keeps the category of its old status.

A change made in the app carries its :class:`EditSource` (the web address read and its date): it is added
to the project's ``other_sources`` and the project is marked checked today, so the history shows on what
each change rests. The review queue's three actions (:func:`confirm_project`, :func:`update_status`,
:func:`mark_not_found`) are corrections of this kind.
"""

from __future__ import annotations

import io
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from geo.analysis.projects import NOT_DATED, sector_family, status_category
from geo.errors import UnreadableValueError
from geo.store import Account, Store
from geo.store.edits import CORRECT, PROJECTS, ProjectChange
from geo.text import web_address_problem
from geo.usecases.imports import apply_import, check_import
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
    "NOT_FOUND_STATUS",
    "add_project",
    "EditConflict",
    "EditOutcome",
    "EditSource",
    "OtherChange",
    "SeenProject",
    "confirm_project",
    "correct_project",
    "mark_not_found",
    "undo_project_change",
    "update_status",
]

NOT_FOUND_STATUS = "introuvable"
"""What a review says of a project no source later than its status mentions (``not_found_date``)."""
_SOURCE_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")

_DERIVED = {"status": ("status_category", status_category), "sector": ("sector_family", sector_family)}
"""Free-text column → (the column derived from it, how)."""


@dataclass(frozen=True)
class EditSource:
    """What a change rests on: the web page read and its publication date (``AAAA[-MM[-JJ]]`` or « non datée »).

    Raises :class:`~geo.errors.UnreadableValueError` (French) when the address is not a web page or the date
    not a date.
    """

    url: str
    date: str

    def __post_init__(self) -> None:
        url, when = (self.url or "").strip(), (self.date or "").strip()
        if not url:
            raise UnreadableValueError("Indiquez la source de la modification (adresse de la page lue).")
        if problem := web_address_problem(url):
            raise UnreadableValueError(f"Source de la modification : {problem}")
        if when != NOT_DATED and not _SOURCE_DATE.fullmatch(when):
            raise UnreadableValueError(
                f"Date de la source « {when} » : écrire AAAA, AAAA-MM ou AAAA-MM-JJ (ou « {NOT_DATED} »)."
            )
        object.__setattr__(self, "url", url)
        object.__setattr__(self, "date", when)

    def cited(self) -> str:
        """« https://… (2026-11-03) »: how it is added to ``other_sources``."""
        return f"{self.url} ({self.date})"


class SeenProject(SeenRecord):
    """A project as a page drew it: its id, its version and the editable values shown."""

    table = PROJECTS

    @property
    def project_id(self) -> str:
        return self.record_id


def correct_project(
    store: Store,
    seen: SeenProject,
    submitted: Mapping[str, Any],
    *,
    account: Account | None,
    source: EditSource | None = None,
    today: date | None = None,
) -> EditOutcome:
    """Save the fields of ``submitted`` that differ from what was drawn (``seen``), at the version drawn.

    Empty text means unknown (stored empty). With a ``source`` (every change made in the app has one), the
    source is added to ``other_sources`` and ``checked_date`` becomes ``today``. Returns an empty outcome
    when nothing differs, a conflict (with the other editor's changes) when the project moved since it was
    drawn. Raises :class:`~geo.store.WriteRefused` (no editor account, a reader) or
    :class:`~geo.errors.StoreError` (the store is unreachable).
    """
    changes = _with_derived(seen, changed_values(seen, submitted))
    if not changes:
        return EditOutcome()
    if source is not None:
        changes |= _sourced(seen, source, today or date.today())
    return _write(store, seen, changes, account)


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


def confirm_project(
    store: Store, seen: SeenProject, source: EditSource, *, account: Account | None, today: date | None = None
) -> EditOutcome:
    """The status still holds, as ``source`` shows: the status date becomes the source's date, checked today."""
    return _review(store, seen, {"status_date": source.date}, source, account, today)


def update_status(
    store: Store,
    seen: SeenProject,
    status: str,
    source: EditSource,
    *,
    category: str | None = None,
    note: str = "",
    account: Account | None,
    today: date | None = None,
) -> EditOutcome:
    """A new status, known at the source's date; its category is ``category`` or follows the status text."""
    if not (status or "").strip():
        raise UnreadableValueError("Indiquez le nouveau statut.")
    values = {"status": status.strip(), "status_date": source.date}
    if category:
        values["status_category"] = category
    if note.strip():
        values["status_note"] = note.strip()
    return _review(store, seen, values, source, account, today)


def mark_not_found(
    store: Store, seen: SeenProject, searched: str, *, account: Account | None, today: date | None = None
) -> EditOutcome:
    """No source later than the status could be found: ``not_found_date`` is today and the status note says what
    was searched. The status and the figures stay as they were (the last known ones, with their sources): the
    project leaves the review queue for 18 months, and its figures still count as resting on an old status."""
    if not (searched or "").strip():
        raise UnreadableValueError("Dites ce qui a été cherché (sites, mots-clés, dates) avant de marquer introuvable.")
    day = (today or date.today()).isoformat()
    note = str(seen.values.get("status_note") or "").strip()
    values = {
        "not_found_date": day,
        "status_note": f"{note} {NOT_FOUND_STATUS.capitalize()} au {day} : {searched.strip()}".strip(),
        "checked_date": day,
    }
    return _write(store, seen, changed_values(seen, values), account)


def _review(
    store: Store,
    seen: SeenProject,
    values: Mapping[str, Any],
    source: EditSource,
    account: Account | None,
    today: date | None,
) -> EditOutcome:
    """A review action: its values, the source cited and today's check, written even when only the check is new."""
    changes = _with_derived(seen, changed_values(seen, values)) | _sourced(seen, source, today or date.today())
    return _write(store, seen, changes, account)


def _sourced(seen: SeenProject, source: EditSource, today: date) -> dict[str, Any]:
    """``other_sources`` with ``source`` added (once) and ``checked_date`` set to ``today``."""
    known = [part.strip() for part in str(seen.values.get("other_sources") or "").split(";") if part.strip()]
    cited = source.cited()
    others = " ; ".join(known if any(part.startswith(source.url) for part in known) else [*known, cited])
    return {"other_sources": others or None, "checked_date": today.isoformat()}


def _write(store: Store, seen: SeenProject, changes: Mapping[str, Any], account: Account | None) -> EditOutcome:
    author = account.signature if account is not None else "anonyme"  # the store signs it again
    change = ProjectChange(CORRECT, seen.record_id, author, seen.version, dict(changes))
    return apply_record_change(store, change, account=account)


def add_project(
    store: Store,
    values: Mapping[str, Any],
    source: EditSource,
    *,
    lookup,
    territoire_communes,
    account: Account | None,
    today: date | None = None,
) -> Mapping[str, Any]:
    """Add one project an editor typed, through the import pipeline (the same checks, commune lookup and
    derived categories as a file), audited under the account; return the audit entry.

    ``values`` holds fields of :data:`~geo.analysis.projects.PROJECT_FIELDS` (``insee_com`` places it); the
    source of the change becomes the project's source. Raises :class:`~geo.errors.UnreadableValueError` with
    the pipeline's French messages when the row is refused; nothing is written then.
    """
    day = (today or date.today()).isoformat()
    row = {key: value for key, value in values.items() if value not in (None, "")}
    if row.get("jobs_announced") and not row.get("jobs_nature"):
        raise UnreadableValueError("Dites ce que comptent les emplois annoncés (créés, maintenus, transférés…).")
    if row.get("investment_eur") and not row.get("investment_perimeter"):
        raise UnreadableValueError("Dites si l'investissement couvre une phase ou tout le projet sur le site.")
    row |= {
        "project_id": f"saisie-{uuid.uuid4().hex[:8]}",
        "source_url": source.url,
        "source_date": source.date,
        "checked_date": day,
    }
    if not row.get("status_date"):
        row["status_date"] = source.date
    buffer = io.BytesIO()
    pd.DataFrame([row]).to_csv(buffer, index=False)
    buffer.seek(0)
    checked = check_import(
        "projets", buffer, lookup=lookup, territoire_communes=territoire_communes, name="saisie", today=day
    )
    if not checked.applicable:
        problems = "; ".join(problem.message for problem in checked.result.errors) or "ligne refusée"
        raise UnreadableValueError(f"Projet non ajouté : {problems}")
    applied = apply_import(store, checked, account=account)
    return {"project_id": row["project_id"], "change_id": applied.change_ids[0]}
