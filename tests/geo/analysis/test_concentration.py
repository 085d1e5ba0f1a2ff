"""Aggregation of jobs and funds, checked by hand on small data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.analysis.concentration import OUTSIDE_ID, gini, grand_total, lorenz_curve, top_share, totals_by
from geo.analysis.projects import filter_projects

UNITS = pd.DataFrame({"id": ["a", "b", "c"], "nom": ["A", "B", "C"], "population": [10_000, 5_000, 1_000]})


def _projects():
    return pd.DataFrame(
        {
            "epci_siren": ["a", "a", "b", "b"],
            "bassins": ["x;y", "x", None, "y"],
            "jobs_announced": [100, 50, None, 30],
            "investment_eur": [1e6, None, None, 2e6],
            "public_funding_eur": [None, None, None, None],
            "sector_family": ["batteries", "non industriel", "recyclage", "batteries"],
            "status_category": ["annoncé", "en service", "abandonné ou fermé", "annoncé"],
            "year_announced": [2021, 2023, None, 2024],
            "region": ["32", "32", "44", "44"],
            "departement": ["59", "59", "57", "57"],
        }
    )


def test_totals_per_epci_by_hand():
    table = totals_by(_projects(), "epci", UNITS).set_index("id")
    assert table.loc["a", "projets"] == 2 and table.loc["a", "jobs_announced"] == 150
    assert table.loc["a", "jobs_announced_pour_1000_hab"] == pytest.approx(15.0)  # 150 / 10 000 × 1 000
    assert table.loc["b", "jobs_announced"] == 30 and table.loc["b", "jobs_announced_non_renseigne"] == 1
    assert table.loc["a", "investment_eur"] == 1e6 and table.loc["a", "investment_eur_non_renseigne"] == 1
    # No project → 0; projects that all lack the figure → unknown, not 0.
    assert table.loc["c", "jobs_announced"] == 0
    assert np.isnan(table.loc["a", "public_funding_eur"])
    assert list(table.index) == ["a", "b", "c"]  # ranked by jobs


def test_overlapping_territories_and_the_outside_row():
    units = pd.DataFrame({"id": ["x", "y"], "nom": ["X", "Y"], "population": [1000, 1000]})
    table = totals_by(_projects(), "bassin", units).set_index("id")
    assert table.loc["x", "jobs_announced"] == 150  # projects 1 and 2
    assert table.loc["y", "jobs_announced"] == 130  # projects 1 and 4: project 1 counts in both
    assert table.loc[OUTSIDE_ID, "projets"] == 1 and np.isnan(table.loc[OUTSIDE_ID, "jobs_announced"])
    assert grand_total(_projects(), "jobs_announced") == 180  # each project once


def test_top_share_lorenz_and_gini_by_hand():
    table = totals_by(_projects(), "epci", UNITS)
    assert top_share(table, "jobs_announced", 1, total=180) == pytest.approx(150 / 180)
    assert top_share(table, "jobs_announced", 10, total=180) == pytest.approx(1.0)
    assert top_share(table, "public_funding_eur", 1, total=0) is None
    curve = lorenz_curve(pd.Series([0, 30, 150]))
    assert curve["part_territoires"].tolist() == pytest.approx([0, 1 / 3, 2 / 3, 1])
    assert curve["part_mesure"].tolist() == pytest.approx([0, 0, 30 / 180, 1])
    assert gini(pd.Series([5, 5, 5])) == pytest.approx(0.0)
    assert gini(pd.Series([0, 0, 0, 10])) == pytest.approx(0.75)
    assert gini(pd.Series([0, 0])) is None


def test_filters():
    projects = _projects()
    assert len(filter_projects(projects, include_non_industrial=False)) == 3
    assert len(filter_projects(projects, status_categories=["annoncé"])) == 2
    assert len(filter_projects(projects, years=(2022, 2024))) == 2  # unknown year excluded from a range
    assert len(filter_projects(projects, regions=["44"], sector_families=["batteries"])) == 1


@given(st.lists(st.one_of(st.none(), st.integers(min_value=0, max_value=10_000)), min_size=1, max_size=30))
def test_aggregation_preserves_totals(jobs):
    """With one unit per project (EPCI), the units' totals add up to the grand total."""
    ids = [f"e{i % 3}" for i in range(len(jobs))]
    projects = pd.DataFrame(
        {"epci_siren": ids, "jobs_announced": jobs, "investment_eur": None, "public_funding_eur": None}
    )
    units = pd.DataFrame({"id": ["e0", "e1", "e2"], "nom": ["0", "1", "2"], "population": [1, 1, 1]})
    table = totals_by(projects, "epci", units)
    assert table["jobs_announced"].fillna(0).sum() == sum(j for j in jobs if j is not None)
    assert table["projets"].sum() == len(jobs)
    assert table["jobs_announced_non_renseigne"].sum() == jobs.count(None)
