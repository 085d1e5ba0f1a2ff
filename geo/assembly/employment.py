"""Industrial jobs as measured: URSSAF private salaried jobs by zone d'emploi 2020, 2019 to 2024.

What is counted: jobs of private employers under the general scheme (no public employers, no farm jobs), at
the place of work, on 31 December of each year; industry is sections B to E (A5 « BE »). The source files are
a third party's aggregates of the URSSAF commune × APE file (see ``urssaf-emploi/PROVENANCE.md``): their origin
and licence caveat travel with the figures in the metadata.
"""

from __future__ import annotations

import pandas as pd

INDUSTRY_A5 = "BE"
INDUSTRY_A21 = ("B", "C", "D", "E")
YEARS = (2019, 2022, 2023, 2024)
WHAT_IS_COUNTED = (
    "Emplois salariés des employeurs privés du régime général (sans employeurs publics ni emplois agricoles), "
    "au lieu de travail, au 31 décembre ; industrie = sections B à E (URSSAF)."
)


def industrial_jobs_by_ze(a5: pd.DataFrame, ze_names: pd.Series) -> pd.DataFrame:
    """``code_ze, nom, emploi_industriel_<year>…, part_emploi_prive_2024 (%), evolution_2019_2024 (%)`` for the zones
    d'emploi of ``ze_names`` (code → name, the zones the app draws).

    >>> a5 = pd.DataFrame({"code_ze": ["3222", "3222", "9999"], "a5": ["BE", "GU", "BE"], "eff_19": [100, 5, 1],
    ...     "eff_22": [110, 5, 1], "eff_23": [120, 5, 1], "eff_24": [130, 5, 1], "pct_24": [27.6, 2.0, 1.0]})
    >>> industrial_jobs_by_ze(a5, pd.Series({"3222": "Valenciennes"})).iloc[0].to_dict()["evolution_2019_2024"]
    30.0
    """
    industry = a5[(a5["a5"] == INDUSTRY_A5) & a5["code_ze"].isin(ze_names.index)]
    table = pd.DataFrame({"code_ze": industry["code_ze"].astype(str), "nom": industry["code_ze"].map(ze_names)})
    for year in YEARS:
        table[f"emploi_industriel_{year}"] = industry[f"eff_{str(year)[2:]}"].astype("Int64")
    table["part_emploi_prive_2024"] = industry["pct_24"].astype(float)
    first, last = table["emploi_industriel_2019"].astype(float), table["emploi_industriel_2024"].astype(float)
    table["evolution_2019_2024"] = ((last / first - 1) * 100).round(2)
    return table.sort_values("emploi_industriel_2024", ascending=False).reset_index(drop=True)


def industrial_sectors_by_ze(a38: pd.DataFrame, ze_codes: pd.Index) -> pd.DataFrame:
    """``code_ze, a38, secteur, emploi_2019, emploi_2024`` for the industrial A38 sectors (sections B to E)."""
    industry = a38[a38["a21"].isin(INDUSTRY_A21) & a38["code_ze"].isin(ze_codes)]
    return pd.DataFrame(
        {
            "code_ze": industry["code_ze"].astype(str),
            "a38": industry["a38"].astype(str),
            "secteur": industry["lib"].astype(str),
            "emploi_2019": industry["eff_19"].astype("Int64"),
            "emploi_2024": industry["eff_24"].astype("Int64"),
        }
    ).reset_index(drop=True)
