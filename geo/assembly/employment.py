"""Industrial jobs as measured: URSSAF private salaried jobs by zone d'emploi 2020, 2019 to 2024.

What is counted: jobs of private employers under the general scheme (no public employers, no farm jobs), at
the place of work, on 31 December of each year; industry is sections B to E (A5 « BE »). The source files are
a third party's aggregates of the URSSAF commune × APE file (see ``urssaf-emploi/PROVENANCE.md``): their origin
and licence caveat travel with the figures in the metadata.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.vocabulary import MEASURED_JOBS_WHAT

WHAT_IS_COUNTED = MEASURED_JOBS_WHAT

INDUSTRY_A5 = "BE"
INDUSTRY_A21 = ("B", "C", "D", "E")
YEARS = (2019, 2022, 2023, 2024)


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


PRIVATE_JOBS_YEARS = tuple(range(2014, 2025))


def private_jobs_by_commune(
    series: pd.DataFrame, current_code: pd.Series, *, communes: pd.Index, departements: set[str]
) -> tuple[pd.DataFrame, list[str]]:
    """Total private salaried jobs (URSSAF, all sectors) of each current commune of ``communes``, 2014 to 2024.

    ``series``: the URSSAF series (``code, echelon, year, eff_total``); ``current_code``: commune code of the
    series → current (COG 2026) code, so merged communes add up. Any territory's private jobs are then the sum of
    its communes of today, comparable across the years whatever the boundaries were when the source was made.
    Returns ``code, emploi_prive_2014 … 2024`` and the warnings (communes of ``departements`` left out).

    >>> series = pd.DataFrame({"code": ["59001", "59002", "59002"], "echelon": "communes", "year": [2014, 2014, 2024],
    ...     "eff_total": [10, 5, 7]})
    >>> table, _ = private_jobs_by_commune(series, pd.Series({"59001": "59001", "59002": "59001"}),
    ...     communes=pd.Index(["59001"]), departements={"59"})
    >>> table[["code", "emploi_prive_2014", "emploi_prive_2024"]].to_dict("records")
    [{'code': '59001', 'emploi_prive_2014': 15, 'emploi_prive_2024': 7}]
    """
    rows = series[series["echelon"] == "communes"]
    current = rows["code"].map(current_code)
    known = current.isin(communes)
    lost = rows[rows["code"].str[:2].isin(departements) & ~known]
    warnings = (
        [f"{lost['code'].nunique()} communes de la série URSSAF absentes du COG 2026 : leurs emplois sont écartés"]
        if len(lost)
        else []
    )
    wide = rows.assign(current=current)[known].pivot_table(
        index="current", columns="year", values="eff_total", aggfunc="sum"
    )
    return _by_year(wide, "code"), warnings


def private_jobs_by_epci(by_commune: pd.DataFrame, commune_epci: pd.Series) -> pd.DataFrame:
    """``siren, emploi_prive_2014 … 2024``: the communes' private jobs summed by their EPCI of today."""
    years = [column for column in by_commune.columns if column.startswith("emploi_prive_")]
    siren = by_commune["code"].map(commune_epci)
    summed = by_commune[siren.notna()].groupby(siren[siren.notna()])[years].sum(min_count=1)
    return summed.reset_index(names="siren").astype({column: "Int64" for column in years})


def _by_year(wide: pd.DataFrame, key: str) -> pd.DataFrame:
    table = pd.DataFrame({key: wide.index.astype(str)})
    for year in PRIVATE_JOBS_YEARS:
        values = wide[year] if year in wide.columns else pd.Series(float("nan"), index=wide.index)
        table[f"emploi_prive_{year}"] = pd.to_numeric(values, errors="coerce").round().astype("Int64").to_numpy()
    return table


def industry_share_by_epci(indicators: list[dict], epci_sirens: pd.Index) -> tuple[pd.DataFrame, list[str]]:
    """``siren, part_industrie_2022`` (% of jobs, census 2022) for the EPCI of the COG 2026 that the source has.

    The source's EPCI are matched by SIREN: an EPCI of the two regions that the source lists under a SIREN the
    COG 2026 no longer has (a merger since) is left out and named in the warnings.
    """
    rows = pd.DataFrame(indicators)
    ours = rows[rows["regdep"].fillna("").str[:3].isin(("HDF", "GES"))]
    kept = ours[ours["code"].isin(epci_sirens)]
    gone = ours[~ours["code"].isin(epci_sirens)]
    warnings = (
        [
            f"Part de l'industrie (RP 2022) : {len(gone)} EPCI de la source absents du COG 2026, écartés : "
            + ", ".join(f"{row.libelle} ({row.code})" for row in gone.itertuples())
        ]
        if len(gone)
        else []
    )
    table = pd.DataFrame(
        {"siren": kept["code"].astype(str), "part_industrie_2022": pd.to_numeric(kept["eco_sectindus_pct_22"])}
    )
    return table.reset_index(drop=True), warnings


INDUSTRY_DIVISIONS = range(5, 40)
"""NAF divisions 05 to 39: sections B (05-09), C (10-33), D (35) and E (36-39), the industry of the A5 « BE »."""
_JOBS_COLUMN = re.compile(r"^effectifs_salaries_(\d{4})$")


def read_commune_ape(path) -> pd.DataFrame:
    """The official URSSAF commune × APE file as open.urssaf.fr exports it: semicolons, UTF-8 (BOM or not), field
    names as headers (``code_commune``, ``code_ape``, ``effectifs_salaries_2024``…), every cell read as text."""
    return pd.read_csv(path, sep=";", dtype=str, encoding="utf-8-sig", keep_default_na=False, na_values=[""])


def industrial_jobs_from_commune_ape(table: pd.DataFrame, zone_of: pd.Series, current_code: pd.Series) -> pd.DataFrame:
    """Industrial jobs by zone d'emploi recomputed from the official file: ``code_ze, emploi_industriel_<year>``
    for :data:`YEARS`, and ``part_emploi_prive_2024`` (% of all private jobs of the zone).

    Industry is the APE codes of NAF divisions 05 to 39; each commune of the file (any vintage) is brought to
    its current code (``current_code``) and counted in its zone d'emploi 2020 (``zone_of``: current code → zone).
    Columns are found by name (``effectifs_salaries_YYYY``), whatever their order or the last year published.

    >>> table = pd.DataFrame({"code_commune": ["59606", "59606", "59178"], "code_ape": ["2910Z", "4711D", "2451Z"],
    ...     "effectifs_salaries_2019": ["100", "40", "5"], "effectifs_salaries_2024": ["120", "50", ""]})
    >>> out = industrial_jobs_from_commune_ape(table, pd.Series({"59606": "3222", "59178": "3222"}),
    ...     pd.Series({"59606": "59606", "59178": "59178"}))
    >>> row = out.iloc[0]
    >>> int(row["emploi_industriel_2019"]), int(row["emploi_industriel_2024"]), float(row["part_emploi_prive_2024"])
    (105, 120, 70.59)
    """
    years = {int(m.group(1)): column for column in table.columns if (m := _JOBS_COLUMN.match(column))}
    zone = table["code_commune"].astype(str).str.zfill(5).map(current_code).map(zone_of)
    division = pd.to_numeric(table["code_ape"].astype(str).str[:2], errors="coerce")
    industry = division.isin(list(INDUSTRY_DIVISIONS))
    out = pd.DataFrame({"code_ze": sorted(zone.dropna().unique())})
    for year in YEARS:
        jobs = pd.to_numeric(table[years[year]], errors="coerce") if year in years else pd.Series(float("nan"))
        summed = jobs[industry].groupby(zone[industry]).sum(min_count=1)
        out[f"emploi_industriel_{year}"] = out["code_ze"].map(summed).round().astype("Int64")
    last = max(YEARS)
    if last in years:
        everything = pd.to_numeric(table[years[last]], errors="coerce").groupby(zone).sum(min_count=1)
        share = out[f"emploi_industriel_{last}"].astype(float) / out["code_ze"].map(everything) * 100
        out[f"part_emploi_prive_{last}"] = share.round(2)
    return out


def replace_with_recomputed(aggregates: pd.DataFrame, recomputed: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """The zones' table with the recomputed figures in place of the aggregates', and the zones where they differ
    (the two must agree on the years both cover: any difference is named in the build report)."""
    table = aggregates.copy()
    by_zone = recomputed.set_index("code_ze")
    differences = []
    for column in [f"emploi_industriel_{year}" for year in YEARS] + ["part_emploi_prive_2024"]:
        if column not in by_zone:
            continue
        new = table["code_ze"].map(by_zone[column])
        changed = new.notna() & (pd.to_numeric(new).astype(float) - table[column].astype(float)).abs().gt(0.01)
        differences += [f"{row.nom} ({column})" for row in table[changed].itertuples()]
        table[column] = new.where(new.notna(), table[column]).astype(table[column].dtype)
    first, last = table["emploi_industriel_2019"].astype(float), table["emploi_industriel_2024"].astype(float)
    table["evolution_2019_2024"] = ((last / first - 1) * 100).round(2)
    warnings = (
        [
            f"Emploi industriel recalculé depuis le fichier URSSAF : différent des agrégats pour {len(differences)} "
            "chiffres : " + ", ".join(differences[:20]) + (" …" if len(differences) > 20 else "")
        ]
        if differences
        else ["Emploi industriel recalculé depuis le fichier URSSAF : identique aux agrégats sur les années communes"]
    )
    return table, warnings
