"""Everything about one EPCI at once: the data behind the « fiche territoire »."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class EpciProfile:
    """An EPCI with its communes and the territories it belongs to.

    ``territories`` has one row per territory touching the EPCI: ``territory_id, kind,
    label, n_communes_in`` and ``share`` (share of the EPCI's communes inside it, 0–1).
    """

    siren: str
    nom: str
    type: str
    population: int
    area_km2: float
    communes: pd.DataFrame
    territories: pd.DataFrame

    def territories_of_kind(self, kind: str) -> pd.DataFrame:
        """The territories of one kind (``ti_phase2``…), largest share first."""
        return self.territories[self.territories["kind"] == kind]


def epci_profile(
    siren: str,
    *,
    epci: pd.DataFrame,
    communes: pd.DataFrame,
    territories: pd.DataFrame,
    territory_communes: pd.DataFrame,
) -> EpciProfile:
    """Gather the profile of EPCI ``siren``.

    Raises
    ------
    KeyError
        If ``siren`` is not in ``epci`` (French message).
    """
    rows = epci[epci["siren"] == siren]
    if rows.empty:
        raise KeyError(f"EPCI inconnu : {siren}")
    row = rows.iloc[0]
    members = communes.loc[communes["epci_siren"] == siren, ["code", "nom", "population"]].sort_values("nom")
    inside = territory_communes[territory_communes["code"].isin(members["code"])]
    counts = inside.groupby("territory_id").size().rename("n_communes_in").reset_index()
    linked = counts.merge(territories[["territory_id", "kind", "label"]], on="territory_id")
    linked["share"] = linked["n_communes_in"] / len(members)
    linked = linked.sort_values(["kind", "share", "label"], ascending=[True, False, True], ignore_index=True)
    return EpciProfile(
        siren=siren,
        nom=str(row["nom"]),
        type=str(row["type"]),
        population=int(row["population"]),
        area_km2=float(row["area_km2"]),
        communes=members.reset_index(drop=True),
        territories=linked[["territory_id", "kind", "label", "n_communes_in", "share"]],
    )
