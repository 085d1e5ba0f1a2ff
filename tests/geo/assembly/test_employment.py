"""Measured industrial jobs by zone d'emploi (URSSAF) in the build (geo.assembly.employment)."""

from __future__ import annotations


def test_the_build_holds_the_measured_industrial_jobs_of_every_zone_drawn(store):
    jobs = store.read("emploi_industriel_ze").set_index("nom")
    zones = store.read("territoires")
    assert len(jobs) == zones["territory_id"].str.startswith("ze2020-").sum()
    # Figures of the issue, from the URSSAF aggregates: 2019 → 2024.
    assert (jobs.at["Valenciennes", "emploi_industriel_2019"], jobs.at["Valenciennes", "emploi_industriel_2024"]) == (
        25_809,
        27_100,
    )
    assert jobs.at["Dunkerque", "emploi_industriel_2024"] == 22_265
    assert jobs.at["Mulhouse", "evolution_2019_2024"] < 0 < jobs.at["Dunkerque", "evolution_2019_2024"]
    sectors = store.read("emploi_industriel_secteurs")
    valenciennes = sectors[sectors["code_ze"] == "3222"].nlargest(1, "emploi_2024").iloc[0]
    assert valenciennes["secteur"] == "Matériels transport"  # Alstom, Toyota, Stellantis
    assert set(sectors["a38"].str[0]) <= {"B", "C", "D", "E"}  # industry only


def test_the_metadata_says_where_the_figures_come_from_and_the_licence_caveat(store):
    metadata = store.read("metadata").set_index("key")
    row = metadata.loc["urssaf_industrie_ze"]
    assert "URSSAF" in row["attribution"] and "à vérifier" in row["licence"]
    assert "emploi_industriel_ze" in row["layers"]
