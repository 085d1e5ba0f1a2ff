"""Territoires d'industrie phase 1 against phase 2, on the real build, checked against the regions' own counts."""

from __future__ import annotations

import pytest

from geo.analysis.phases import (
    BOTH,
    CATEGORIES,
    ENTERED,
    LEFT,
    counts_by_region,
    phase_comparison,
    territories_by_region,
)

REGIONS = {"32": "Hauts-de-France", "44": "Grand Est"}


@pytest.fixture(scope="module")
def layers(store):
    return {name: store.read(name) for name in ("epci", "communes", "territoires", "territoire_communes")}


def test_every_epci_has_one_category(layers):
    comparison = phase_comparison(
        layers["epci"], layers["communes"], layers["territoires"], layers["territoire_communes"]
    )
    assert len(comparison) == 242 and comparison["siren"].is_unique
    assert set(comparison["categorie"]) <= set(CATEGORIES)
    both = comparison[comparison["categorie"] == BOTH]
    assert both["ti_phase1"].notna().all() and both["ti_phase2"].notna().all()
    assert comparison.loc[comparison["categorie"] == ENTERED, "ti_phase1"].isna().all()
    assert comparison.loc[comparison["categorie"] == LEFT, "ti_phase2"].isna().all()
    counts = counts_by_region(comparison, REGIONS)
    assert counts.loc["Deux régions"].sum() == 242
    assert counts.loc["Hauts-de-France"].sum() + counts.loc["Grand Est"].sum() >= 242  # straddling EPCI count twice


def test_territory_counts_match_the_regions(layers):
    """Hauts-de-France counts 14 territories in phase 1 and 18 in phase 2; the Grand Est had 15 in phase 1
    (13 labelled on 22 November 2018, 2 later) and 21 in phase 2."""
    table = territories_by_region(layers["territoires"], layers["territoire_communes"], layers["communes"], REGIONS)
    assert table.loc["Hauts-de-France", "2018-2023"] == 14 and table.loc["Hauts-de-France", "2024-2027"] == 18
    assert table.loc["Grand Est", "2018-2023"] == 15 and table.loc["Grand Est", "2024-2027"] == 21
