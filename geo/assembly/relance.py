"""France Relance beneficiaries by département, from the State's results barometer (Licence Ouverte).

The indicator counts the **industrial firms** (SMEs included) that received France Relance
**investment aid** (Territoires d'industrie / soutien à l'investissement industriel,
Résilience-(Re)localisation, automobile, aéronautique and nucléaire funds, Industrie du futur,
chaleur bas carbone, décarbonation): a count of firms, never an amount, and no commune.
The synthesis gives the latest value of every département (2022-12-31); the monthly series the
cumulative count from 2020-01 to 2022-12 for the départements of the two regions.

The readers keep only the indicator's rows, so they accept the barometer's full published files
as well as the extracts kept in the sources folder.
"""

from __future__ import annotations

import pandas as pd

INDICATOR = "nb-entreprises-industrielles-agricoles"
LATEST_COLUMNS = ["departement", "entreprises", "date"]
SERIES_COLUMNS = ["departement", "date", "entreprises"]


def latest_by_departement(synthesis: pd.DataFrame, departements: list[str]) -> pd.DataFrame:
    """``departement, entreprises, date``: the latest count of each of ``departements``.

    >>> rows = pd.DataFrame({"id_indicateur": [INDICATOR, INDICATOR, "autre"], "code_departement": ["59", "01", "59"],
    ...                      "valeur_actuelle": ["287.0", "240.0", "9"], "date_valeur_actuelle": ["2022-12-31"] * 3})
    >>> latest_by_departement(rows, ["59"]).to_dict("records")
    [{'departement': '59', 'entreprises': 287, 'date': '2022-12-31'}]
    """
    rows = synthesis[synthesis["id_indicateur"] == INDICATOR]
    rows = rows[rows["code_departement"].astype(str).str.zfill(2).isin(departements)]
    table = pd.DataFrame(
        {
            "departement": rows["code_departement"].astype(str).str.zfill(2).to_numpy(),
            "entreprises": pd.to_numeric(rows["valeur_actuelle"]).round().astype("Int64").to_numpy(),
            "date": rows["date_valeur_actuelle"].astype(str).to_numpy(),
        }
    )
    return table.sort_values("departement", ignore_index=True)[LATEST_COLUMNS]


def monthly_by_departement(series: pd.DataFrame, departements: list[str]) -> pd.DataFrame:
    """``departement, date, entreprises``: the cumulative monthly count of each of ``departements``."""
    rows = series[series["id_indicateur"] == INDICATOR]
    rows = rows[rows["code_departement"].astype(str).str.zfill(2).isin(departements)]
    table = pd.DataFrame(
        {
            "departement": rows["code_departement"].astype(str).str.zfill(2).to_numpy(),
            "date": rows["date"].astype(str).to_numpy(),
            "entreprises": pd.to_numeric(rows["valeur"]).round().astype("Int64").to_numpy(),
        }
    )
    return table.sort_values(["departement", "date"], ignore_index=True)[SERIES_COLUMNS]
