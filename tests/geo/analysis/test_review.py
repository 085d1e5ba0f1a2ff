"""The review queue « À vérifier » and the share of a total resting on old statuses (geo.analysis.review)."""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.analysis.projects import default_selection, typed_projects
from geo.analysis.review import is_stale, review_queue, stale_share

TODAY = date(2026, 12, 6)


def _projects() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "project_id": ["A", "B", "C", "D"],
            "name": ["Grande usine", "Petite usine", "Usine en service", "Usine fermée"],
            "status_category": ["en projet", "annoncé", "en service", "abandonné ou fermé"],
            "status_date": ["2023-05", "non datée", "2022", "2021"],
            "checked_date": ["2026-11-29", "2026-11-29", "", "2026-11-29"],
            "source_url": ["https://example.org/a"] * 4,
            "source_date": ["2023-05"] * 4,
            "jobs_created": [900, 100, 0, 0],
            "investment_eur": [1e6, 5e6, 4e6, None],
            "investment_scope": ["site", "site", "site", ""],
        }
    )


def test_the_queue_holds_old_open_statuses_and_unchecked_rows_heaviest_first():
    queue = review_queue(_projects(), today=TODAY)
    assert queue["project_id"].tolist() == ["A", "B", "C"]  # a closure stays closed: not in the queue
    reasons = dict(zip(queue["project_id"], queue["raisons"], strict=True))
    assert reasons == {
        "A": "statut « en projet » du 2023-05",
        "B": "statut « annoncé » non daté",
        "C": "jamais revérifié",
    }
    weights = dict(zip(queue["project_id"], queue["poids"].round(2), strict=True))
    assert weights == {"A": 0.9, "B": 0.5, "C": 0.4}  # the larger of its share of created jobs and of investment


def test_the_queue_lists_what_check_data_flags():
    rows = _projects().assign(jobs_announced=["900", "", "", ""], jobs_nature=["", "", "", ""])
    queue = review_queue(rows, today=TODAY)
    reasons = queue.set_index("project_id").at["A", "raisons"]
    # Introduced by the field's French label on the Projets page (the message names the file's columns to fix).
    assert "nature des emplois : « jobs_announced » sans « jobs_nature »" in reasons


def test_a_project_searched_for_recently_leaves_the_queue_but_still_counts_as_old():
    projects = _projects().assign(not_found_date=["2026-11-30", "", "", ""])
    assert review_queue(projects, today=TODAY)["project_id"].tolist() == ["B", "C"]
    assert stale_share(projects, "jobs_created", today=TODAY) == 1.0


def test_the_share_of_a_total_resting_on_old_statuses():
    projects = _projects()
    assert is_stale(projects, today=TODAY).tolist() == [True, True, False, False]
    assert stale_share(projects, "jobs_created", today=TODAY) == 1.0
    assert stale_share(projects, "investment_eur", today=TODAY) == 0.6


def test_the_curated_queue_puts_the_rows_that_move_the_totals_first(store):
    projects = default_selection(typed_projects(store.read("projets")))
    queue = review_queue(projects, today=TODAY)
    assert 10 <= len(queue) < len(projects)
    assert queue["poids"].is_monotonic_decreasing
    assert queue["raisons"].str.len().gt(0).all()
    share = stale_share(projects, "jobs_created", today=TODAY)
    assert share is not None and 0 < share < 1
