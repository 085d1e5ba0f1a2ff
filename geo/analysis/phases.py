"""Territoires d'industrie, phase 1 (2018-2023) against phase 2 (2024-2027): which EPCI entered, left or stayed.

Both phases are EPCI lists brought to the COG 2026, so every current EPCI is wholly inside or
outside a phase; a Territoire d'industrie straddling two regions counts in each of them.
"""

from __future__ import annotations

import pandas as pd

PHASE_KINDS = {"ti_phase1": "2018-2023", "ti_phase2": "2024-2027"}
ENTERED, LEFT, BOTH, NEVER = "entré en 2024", "sorti en 2024", "dans les deux phases", "hors Territoire d'industrie"
CATEGORIES = (BOTH, ENTERED, LEFT, NEVER)
"""Categories in the order legends and tables show them."""


def phase_comparison(
    epci: pd.DataFrame, communes: pd.DataFrame, territoires: pd.DataFrame, territoire_communes: pd.DataFrame
) -> pd.DataFrame:
    """One row per EPCI: ``siren, nom, regions, categorie, ti_phase1, ti_phase2`` (territory names, « ; »-joined).

    >>> epci = pd.DataFrame({"siren": ["a", "b", "c"], "nom": ["A", "B", "C"], "regions": ["32", "32", "44"]})
    >>> communes = pd.DataFrame({"code": ["1", "2", "3"], "epci_siren": ["a", "b", "c"]})
    >>> territoires = pd.DataFrame({"territory_id": ["p1", "p2"], "kind": ["ti_phase1", "ti_phase2"],
    ...                             "label": ["Un", "Deux"]})
    >>> links = pd.DataFrame({"territory_id": ["p1", "p2", "p2"], "code": ["1", "1", "2"]})
    >>> phase_comparison(epci, communes, territoires, links)["categorie"].tolist()
    ['dans les deux phases', 'entré en 2024', "hors Territoire d'industrie"]
    """
    table = epci[["siren", "nom", "regions"]].copy()
    for kind in PHASE_KINDS:
        chosen = territoires[territoires["kind"] == kind][["territory_id", "label"]]
        links = (
            territoire_communes[["territory_id", "code"]]
            .merge(chosen, on="territory_id")
            .merge(communes[["code", "epci_siren"]], on="code")
        )
        names = links.groupby("epci_siren")["label"].agg(lambda labels: " ; ".join(sorted(set(labels))))
        table[kind] = table["siren"].map(names)
    in1, in2 = table["ti_phase1"].notna(), table["ti_phase2"].notna()
    table["categorie"] = NEVER
    table.loc[in1 & in2, "categorie"] = BOTH
    table.loc[~in1 & in2, "categorie"] = ENTERED
    table.loc[in1 & ~in2, "categorie"] = LEFT
    order = {category: rank for rank, category in enumerate(CATEGORIES)}
    table = table.sort_values(["categorie", "nom"], key=lambda s: s.map(order) if s.name == "categorie" else s)
    return table[["siren", "nom", "regions", "categorie", "ti_phase1", "ti_phase2"]].reset_index(drop=True)


def counts_by_region(comparison: pd.DataFrame, region_names: dict[str, str]) -> pd.DataFrame:
    """EPCI counted per category and region (an EPCI of two regions counts in each), then both regions."""
    rows = comparison.assign(region=comparison["regions"].astype(str).str.split(";")).explode("region")
    rows = rows[rows["region"].isin(region_names)]
    table = pd.crosstab(rows["region"].map(region_names), rows["categorie"]).reindex(columns=CATEGORIES, fill_value=0)
    table.loc["Deux régions"] = pd.Series(comparison["categorie"].value_counts()).reindex(CATEGORIES, fill_value=0)
    return table.rename_axis(index="Région", columns=None)


def territories_by_region(
    territoires: pd.DataFrame, territoire_communes: pd.DataFrame, communes: pd.DataFrame, region_names: dict[str, str]
) -> pd.DataFrame:
    """Territoires d'industrie per phase and region (one straddling two regions counts in each)."""
    chosen = territoires[territoires["kind"].isin(PHASE_KINDS)][["territory_id", "kind"]]
    links = territoire_communes[["territory_id", "code"]].merge(chosen, on="territory_id")
    links = links.merge(communes[["code", "region"]], on="code")
    links = links[links["region"].isin(region_names)].drop_duplicates(["territory_id", "region"])
    table = pd.crosstab(links["region"].map(region_names), links["kind"].map(PHASE_KINDS))
    return table.rename_axis(index="Région", columns="Phase")
