"""The EPCI profile (fiche) on the real build."""

from __future__ import annotations

import pytest

from geo.analysis.profiles import epci_profile


@pytest.fixture(scope="module")
def layers(store):
    return {name: store.read(name) for name in ("epci", "communes", "territoires", "territoire_communes")}


def test_porte_du_hainaut_profile(layers):
    profile = epci_profile(
        "200042190",
        **{
            "epci": layers["epci"],
            "communes": layers["communes"],
            "territories": layers["territoires"],
            "territory_communes": layers["territoire_communes"],
        },
    )
    assert profile.nom == "CA de la Porte du Hainaut"
    assert "59172" in profile.communes["code"].tolist()  # Denain
    ti2 = profile.territories_of_kind("ti_phase2")
    assert ti2["territory_id"].tolist() == ["p2-ti-3207"]
    assert ti2["share"].iloc[0] == 1.0
    bassins = profile.territories_of_kind("bassin_prioritaire").set_index("territory_id")
    assert bassins.loc["bassin-valenciennois", "share"] == 1.0
    assert 0 < bassins.loc["bassin-minier", "share"] < 1  # only part of it is in the BUD zoning


def test_unknown_siren(layers):
    with pytest.raises(KeyError, match="EPCI inconnu"):
        epci_profile(
            "999999999",
            epci=layers["epci"],
            communes=layers["communes"],
            territories=layers["territoires"],
            territory_communes=layers["territoire_communes"],
        )
