"""Where France Relance investment aid went: industrial firms aided, by département, per inhabitant.

Counts of firms, not amounts (the barometer publishes no amount by département); see
:mod:`geo.assembly.relance` for what the indicator covers.
"""

from __future__ import annotations

import pandas as pd

WHAT_IS_COUNTED = (
    "Nombre d'entreprises industrielles (dont PME) bénéficiaires des aides à l'investissement de France Relance "
    "(Territoires d'industrie et soutien à l'investissement industriel, Résilience, fonds automobile, aéronautique "
    "et nucléaire, Industrie du futur, chaleur bas carbone, décarbonation) : des entreprises, pas des montants."
)


def relance_table(latest: pd.DataFrame, departements: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """``departement, nom, region, population, entreprises, pour_100000_hab, part_deux_regions, date``.

    Population: COG 2026 communes of the two regions (out-of-region members of straddling EPCI excluded).

    >>> latest = pd.DataFrame({"departement": ["59", "55"], "entreprises": [287, 24], "date": ["2022-12-31"] * 2})
    >>> deps = pd.DataFrame({"code": ["59", "55"], "nom": ["Nord", "Meuse"]})
    >>> communes = pd.DataFrame({"departement": ["59", "55"], "region": ["32", "44"],
    ...                          "population": [2_600_000, 180_000], "in_regions": [True, True]})
    >>> table = relance_table(latest, deps, communes)
    >>> table["nom"].tolist(), table["pour_100000_hab"].round(1).tolist()
    (['Nord', 'Meuse'], [11.0, 13.3])
    """
    in_regions = communes[communes["in_regions"].astype(bool)]
    population = in_regions.groupby("departement")["population"].sum()
    region = in_regions.groupby("departement")["region"].first()
    names = departements.set_index("code")["nom"]
    table = latest.assign(
        nom=latest["departement"].map(names),
        region=latest["departement"].map(region),
        population=latest["departement"].map(population),
    )
    table["pour_100000_hab"] = table["entreprises"].astype(float) / table["population"] * 100_000
    table["part_deux_regions"] = table["entreprises"].astype(float) / table["entreprises"].sum()
    columns = ["departement", "nom", "region", "population", "entreprises", "pour_100000_hab", "part_deux_regions"]
    return table.sort_values("entreprises", ascending=False, ignore_index=True)[[*columns, "date"]]


def region_totals(table: pd.DataFrame) -> dict[str, int]:
    """Firms aided in each region (``32``, ``44``) and in both."""
    totals = table.groupby("region")["entreprises"].sum()
    return {**{str(k): int(v) for k, v in totals.items()}, "total": int(table["entreprises"].sum())}
