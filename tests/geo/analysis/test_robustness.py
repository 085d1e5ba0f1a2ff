"""Concentration figures that say how far they can be trusted, on the real build."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from cli import main
from geo.analysis.concentration import robustness, units_of
from geo.analysis.projects import default_selection, typed_projects
from layers.formatting import robustness_lines

LAYERS = ("epci", "communes", "territoires", "departements", "regions")


@pytest.fixture(scope="module")
def shown(store):
    return default_selection(typed_projects(store.read("projets")))


@pytest.fixture(scope="module")
def epci_units(store):
    return units_of("epci", **{name: store.read(name) for name in LAYERS})


def test_programme_amounts_are_never_added_to_site_totals(shown):
    acc = shown[shown["name"].str.contains("ACC")].iloc[0]
    assert pd.isna(acc["public_funding_eur"])
    assert acc["public_funding_eur_programme"] == 846_000_000  # IPCEI aid for the whole ACC programme
    hdf = shown[shown["region"] == "32"]
    assert hdf["public_funding_eur"].sum() + hdf["public_funding_eur_programme"].sum() > hdf["public_funding_eur"].sum()


def test_acc_gigafactory_is_inside_the_bassin_minier(shown):
    acc = shown[shown["name"].str.contains("ACC")].iloc[0]
    assert acc["commune_nom"] == "Douvrin" and "bassin-minier" in acc["bassins"]


def test_one_project_no_longer_decides_the_jobs_total(shown, epci_units):
    figures = robustness(shown, "jobs_announced", "epci", epci_units)
    assert figures.largest_share < 0.2  # was the EPR2 construction peak: 8,000 of 27,000 (30 %)
    assert figures.with_figure + figures.missing == figures.projects == len(shown)
    assert figures.top5_share_without_largest < figures.top5_share
    lines = robustness_lines(figures)
    assert any("sans lui" in line for line in lines) and any("ne le renseignent pas" in line for line in lines)


def test_construction_jobs_are_a_measure_of_their_own(shown, epci_units):
    construction = robustness(shown, "jobs_construction", "epci", epci_units)
    permanent = robustness(shown, "jobs_announced", "epci", epci_units)
    assert construction.largest_project == "Deux réacteurs EPR2 de Gravelines"
    assert construction.total >= 8000 and permanent.total != construction.total


def test_stats_command_reports_robustness(store, capsys):
    assert (
        main(
            [
                "stats",
                "--by",
                "epci",
                "--measure",
                "funding",
                "--robustesse",
                "--format",
                "json",
                "--store",
                str(store.path),
            ]
        )
        == 0
    )
    record = json.loads(capsys.readouterr().out)
    assert record["measure"] == "public_funding_eur" and record["programme_total"] >= 846_000_000
    assert main(["stats", "--by", "region", "--measure", "construction", "--store", str(store.path)]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("id,nom,population,projets") and "projets sur" in captured.err
