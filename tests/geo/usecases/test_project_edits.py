"""Correcting and undoing a project as the editor saw it, on GeoPackage and PostGIS (geo.usecases.project_edits)."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest

from geo.errors import EditConflictError, UnreadableValueError
from geo.store import Store, WriteRefused
from geo.store.edits import CORRECT, UNDO, changed_fields
from geo.usecases.project_edits import (
    EditSource,
    SeenProject,
    confirm_project,
    correct_project,
    mark_not_found,
    undo_project_change,
    update_status,
)


def _seen(store: Store, project_id: str) -> SeenProject:
    row = store.read("projets").set_index("project_id", drop=False).loc[project_id]
    return SeenProject.from_row(row.to_dict())


def _row(store: Store, project_id: str) -> pd.Series:
    return store.read("projets").set_index("project_id").loc[project_id]


def test_a_correction_is_audited_with_the_account_and_undone(project_store, people):
    seen = _seen(project_store, "P1")
    assert (seen.project_id, seen.version, seen.values["name"]) == ("P1", 1, "Usine A")
    submitted = {**seen.values, "jobs_announced": 120, "status": "  en service depuis 2026 ", "company": ""}
    outcome = correct_project(project_store, seen, submitted, account=people["alice"])
    assert outcome.saved and outcome.entry["action"] == CORRECT
    row = _row(project_store, "P1")
    assert (row["jobs_announced"], row["status"], row["version"]) == (120, "en service depuis 2026", 2)
    assert row["status_category"] == "en service"  # derived from the new status, as an import would
    assert pd.isna(row["company"])  # emptied text is unknown, never ""

    audit = project_store.read("projets_audit")
    assert audit["author"].tolist() == [people["alice"].signature]
    assert datetime.fromisoformat(audit["at"].iloc[0]).tzinfo is not None
    assert changed_fields(audit.iloc[0]) == {
        "company": ("Alpha", None),
        "jobs_announced": (100, 120),
        "status": ("annoncé", "en service depuis 2026"),
        "status_category": ("annoncé", "en service"),
    }

    undo = undo_project_change(project_store, outcome.entry["change_id"], account=people["bob"])
    row = _row(project_store, "P1")
    assert (row["jobs_announced"], row["status_category"], row["company"], row["version"]) == (
        100,
        "annoncé",
        "Alpha",
        3,
    )
    audit = project_store.read("projets_audit").sort_values("change_id")
    assert audit["action"].tolist() == [CORRECT, UNDO]
    assert audit["author"].tolist() == [people["alice"].signature, people["bob"].signature]
    with pytest.raises(EditConflictError, match="déjà été annulée"):
        undo_project_change(project_store, outcome.entry["change_id"], account=people["alice"])
    assert undo["undoes"] == outcome.entry["change_id"]


def test_nothing_changed_writes_nothing(project_store, people):
    seen = _seen(project_store, "P2")
    assert not correct_project(
        project_store, seen, {"jobs_announced": 50.0, "name": "Usine B "}, account=people["bob"]
    ).saved
    assert project_store.read("projets_audit").empty


def test_a_reader_is_refused_in_french_and_nothing_is_written(project_store, people):
    seen = _seen(project_store, "P1")
    with pytest.raises(WriteRefused, match="Modification refusée : votre compte est en lecture seule"):
        correct_project(project_store, seen, {"name": "Lecture"}, account=people["lea"])
    with pytest.raises(WriteRefused, match="connectez-vous avec un compte éditeur"):
        correct_project(project_store, seen, {"name": "Personne"}, account=None)
    assert project_store.read("projets_audit").empty and _row(project_store, "P1")["name"] == "Usine A"


def test_a_stale_version_is_refused_with_the_other_change_and_what_was_typed(project_store, people):
    seen_by_alice = seen_by_bob = _seen(project_store, "P2")
    first = correct_project(project_store, seen_by_alice, {"name": "Usine B2"}, account=people["alice"])
    assert first.saved

    second = correct_project(project_store, seen_by_bob, {"jobs_announced": 70}, account=people["bob"])
    assert not second.saved and second.conflict is not None
    conflict = second.conflict
    assert (conflict.record_id, conflict.seen_version, conflict.current_version) == ("P2", 1, 2)
    assert conflict.summary() == (
        "Le projet « P2 » a changé depuis que vous l'avez ouvert (vous aviez la version 1, il en est à la "
        "version 2) : rien n'a été enregistré."
    )
    (other,) = conflict.others
    assert (other.change_id, other.author) == (first.entry["change_id"], people["alice"].signature)
    assert other.describe().endswith(
        f"par {people['alice'].signature} : correction (Nom du projet : Usine B → Usine B2)"
    )
    assert conflict.attempted_lines() == ["Emplois permanents annoncés → 70"]  # nothing typed is lost

    row = _row(project_store, "P2")  # nothing overwritten
    assert (row["name"], row["jobs_announced"], row["version"]) == ("Usine B2", 50, 2)
    assert len(project_store.read("projets_audit")) == 1
    # starting again from the current version saves
    again = correct_project(project_store, _seen(project_store, "P2"), {"jobs_announced": 70}, account=people["bob"])
    assert again.saved and _row(project_store, "P2")["jobs_announced"] == 70


def test_an_undo_of_an_older_change_is_refused(project_store, people):
    first = correct_project(project_store, _seen(project_store, "P1"), {"name": "A1"}, account=people["alice"])
    correct_project(project_store, _seen(project_store, "P1"), {"name": "A2"}, account=people["bob"])
    with pytest.raises(EditConflictError, match="Le projet « P1 » a été modifié depuis la modification n° 1"):
        undo_project_change(project_store, first.entry["change_id"], account=people["alice"])
    assert _row(project_store, "P1")["name"] == "A2"


TODAY = date(2026, 12, 6)


def test_a_source_is_required_and_must_be_a_dated_web_page():
    with pytest.raises(UnreadableValueError, match="Indiquez la source"):
        EditSource("", "2026-11")
    with pytest.raises(UnreadableValueError, match="Source de la modification"):
        EditSource("javascript:alert(1)", "2026-11")
    with pytest.raises(UnreadableValueError, match="AAAA-MM-JJ"):
        EditSource("https://example.org/b", "novembre")
    assert EditSource(" https://example.org/b ", "non datée").cited() == "https://example.org/b (non datée)"


def test_the_review_actions_are_sourced_audited_and_refused_to_a_reader(project_store, people):
    source = EditSource("https://example.org/inauguration", "2026-11-20")
    updated = update_status(
        project_store, _seen(project_store, "P1"), "en service depuis le 20/11/2026", source,
        account=people["alice"], today=TODAY,
    )  # fmt: skip
    row = _row(project_store, "P1")
    assert (row["status"], row["status_category"], row["status_date"]) == (
        "en service depuis le 20/11/2026",
        "en service",
        "2026-11-20",  # known at the source's date, not at the click's
    )
    assert row["checked_date"] == "2026-12-06"
    assert row["other_sources"] == "https://example.org/a ; https://example.org/inauguration (2026-11-20)"
    assert changed_fields(updated.entry)["status"] == ("annoncé", "en service depuis le 20/11/2026")

    confirmed = confirm_project(
        project_store, _seen(project_store, "P2"), EditSource("https://example.org/c", "2026-10"),
        account=people["bob"], today=TODAY,
    )  # fmt: skip
    assert set(changed_fields(confirmed.entry)) == {"status_date", "other_sources", "checked_date"}
    assert _row(project_store, "P2")["status"] == "en service"  # confirmed: the status itself is untouched

    mark_not_found(
        project_store, _seen(project_store, "P2"), "site de l'entreprise, presse locale 2025-2026",
        account=people["alice"], today=TODAY,
    )  # fmt: skip
    row = _row(project_store, "P2")
    # The last known status stays, with its date; the review is recorded beside it.
    assert (row["status"], row["status_date"], row["not_found_date"]) == ("en service", "2026-10", "2026-12-06")
    assert row["status_note"] == "Inaugurée Introuvable au 2026-12-06 : site de l'entreprise, presse locale 2025-2026"
    with pytest.raises(WriteRefused):
        confirm_project(project_store, _seen(project_store, "P1"), source, account=people["lea"], today=TODAY)
    with pytest.raises(UnreadableValueError, match="ce qui a été cherché"):
        mark_not_found(project_store, _seen(project_store, "P1"), "  ", account=people["alice"])
    audit = project_store.read("projets_audit")
    assert len(audit) == 3  # the refused writes left no trace


def test_a_review_of_a_project_that_moved_is_a_conflict(project_store, people):
    seen = _seen(project_store, "P1")
    correct_project(project_store, _seen(project_store, "P1"), {"name": "Usine A2"}, account=people["bob"])
    outcome = confirm_project(
        project_store, seen, EditSource("https://example.org/d", "2026-12"), account=people["alice"], today=TODAY
    )
    assert outcome.conflict is not None and not outcome.saved
    assert _row(project_store, "P1")["status_date"] == "2024-01"
