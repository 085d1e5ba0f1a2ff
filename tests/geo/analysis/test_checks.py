"""Data checks as code: the curated projects pass, a bad file is refused with a French report by row."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import pandas as pd
import pytest

from geo.analysis.checks import check_projects
from geo.analysis.projects import CURATED_PATH, NOT_DATED, SCOPES

TODAY = date(2026, 11, 29)
GRAND_EST = {"08", "10", "51", "52", "54", "55", "57", "67", "68", "88"}


@pytest.fixture(scope="module")
def curated() -> pd.DataFrame:
    return pd.read_csv(CURATED_PATH, dtype=str, keep_default_na=False)


def test_curated_projects_have_no_blocking_problem(curated):
    blocking = [str(f) for f in check_projects(curated, curated=True, today=TODAY) if f.blocking]
    assert blocking == []


def test_curated_projects_cover_both_regions_and_failures(curated):
    assert len(curated) >= 150
    in_grand_est = curated["departement"].isin(GRAND_EST)
    assert in_grand_est.sum() >= 60 and (~in_grand_est).sum() >= 60
    assert curated["project_id"].is_unique
    assert (curated["status_category"] == "abandonné ou fermé").sum() >= 20  # closures and abandonments are shown
    assert set(curated["investment_scope"]) <= {"", *SCOPES}
    dated = curated["source_date"].str.fullmatch(r"\d{4}(-\d{2}){0,2}") | curated["source_date"].eq(NOT_DATED)
    assert dated.all()


def test_construction_peak_is_not_counted_as_permanent_jobs(curated):
    epr2 = curated[curated["name"].str.contains("EPR2")].iloc[0]
    assert int(epr2["jobs_construction"]) == 8000 and int(epr2["jobs_announced"]) < 1000


def test_bad_rows_are_reported_by_line_and_column():
    rows = pd.DataFrame(
        {
            "project_id": ["X1", "X2", "X3"],
            "name": ["Usine A", "Usine A", "Usine B"],
            "company": ["Acme", "Acme SA", "Beta"],
            "insee_com": ["59183", "59183", "2738"],
            "source_url": ["https://example.org/a", "https://example.org/b", ""],
            "source_date": ["2024-05", "", ""],
            "status_category": ["en projet", "en service", "fini"],
            "status_date": ["2023-01", "2025-13-01x", "2025"],
            "investment_eur": ["1000000", "12,5 M€", ""],
            "investment_scope": ["", "site", ""],
        }
    )
    found = {(f.line, f.column, f.blocking) for f in check_projects(rows, curated=True, today=TODAY)}
    assert (2, "investment_scope", True) in found  # an amount without its scope
    assert (2, "status_date", False) in found  # « en projet » of 2023-01: à vérifier
    assert (3, "source_date", True) in found and (3, "status_date", True) in found
    assert (3, "investment_eur", True) in found  # « 12,5 M€ » is not a plain integer in the curated file
    assert (4, "source_url", True) in found and (4, "status_category", True) in found
    assert (4, "insee_com", True) in found  # leading zero lost
    assert (2, "company", False) in found and (3, "name", False) in found  # same company, same commune / same name


def test_user_rows_without_source_are_kept_but_marked():
    rows = pd.DataFrame({"name": ["Usine"], "source_url": [""], "status_date": ["2026-01"]})
    (finding,) = check_projects(rows, curated=False, today=TODAY)
    assert not finding.blocking and "non sourcé" in finding.message


def test_check_data_command_exit_status(tmp_path):
    bad = tmp_path / "projets.csv"
    bad.write_text("name,source_url,status_date,investment_eur\nUsine,,2026-01,5\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "cli", "check-data", str(bad)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 1
    assert "ligne 2, colonne « investment_scope » — BLOQUANT" in result.stdout
    curated = subprocess.run([sys.executable, "-m", "cli", "check-data"], capture_output=True, text=True, check=False)
    assert curated.returncode == 0, curated.stdout


def test_a_source_that_is_not_a_web_address_blocks(curated):
    rows = curated.head(2).copy()
    rows.loc[rows.index[1], "source_url"] = "javascript:alert(1)"
    findings = [f for f in check_projects(rows, curated=False, today=TODAY) if f.column == "source_url"]
    assert [(f.line, f.blocking) for f in findings] == [(3, True)]
    assert "n'est pas une adresse web" in findings[0].message


def test_a_figure_without_what_it_counts_blocks():
    rows = pd.DataFrame(
        {
            "project_id": ["X1", "X2", "X3"],
            "source_url": ["https://example.org/a"] * 3,
            "source_date": ["2025-01"] * 3,
            "status_date": ["2025-01"] * 3,
            "jobs_announced": ["100", "100", ""],
            "jobs_nature": ["", "créés", ""],
            "jobs_perimeter": ["projet", "tout", ""],
            "jobs_in_place": ["", "40", ""],
            "jobs_in_place_date": ["", "", ""],
            "investment_eur": ["", "", "5000000"],
            "investment_scope": ["", "", "site"],
            "investment_perimeter": ["", "", ""],
            "public_funding_eur": ["2000000", "0", ""],
            "funding_scope": ["site", "site", ""],
            "funding_kind": ["don", "", ""],
            "funding_perimeter": ["", "", ""],
        }
    )
    found = {(f.project_id, f.column) for f in check_projects(rows, curated=True, today=TODAY) if f.blocking}
    assert found == {
        ("X1", "jobs_nature"),  # 100 jobs: created, kept, moved?
        ("X1", "funding_kind"),  # « don » is not a kind of public money
        ("X1", "funding_perimeter"),
        ("X2", "jobs_perimeter"),  # « tout » is not a perimeter
        ("X2", "jobs_in_place_date"),  # 40 jobs in place, as of when?
        ("X3", "investment_perimeter"),
    }  # X2's stated zero of public aid has nothing to describe


def test_a_note_saying_a_figure_was_computed_blocks():
    rows = pd.DataFrame(
        {
            "project_id": ["X1", "X2"],
            "source_url": ["https://example.org/a"] * 2,
            "source_date": ["2025-01"] * 2,
            "status_date": ["2025-01"] * 2,
            "public_funding_eur": ["650000000", ""],
            "funding_scope": ["site", ""],
            "funding_kind": ["subvention", ""],
            "funding_perimeter": ["projet", ""],
            "public_funding_note": ["650 M computed as 50% of 1.3 bn", "Half of the 1.3 bn, computed: left empty"],
        }
    )
    found = [(f.project_id, f.column) for f in check_projects(rows, curated=True, today=TODAY) if f.blocking]
    assert found == [("X1", "public_funding_eur")]  # an empty cell whose note explains why is what the rule asks


def test_every_curated_jobs_figure_says_what_it_counts(curated):
    jobs = curated[curated["jobs_announced"].ne("")]
    assert jobs["jobs_nature"].ne("").all() and jobs["jobs_perimeter"].ne("").all()
    # The takeovers the check named count kept jobs, never created ones (Valdunes, Maash).
    kept = curated.set_index("project_id").loc[["P060", "P061", "P134"], "jobs_nature"]
    assert set(kept) == {"maintenus"}
