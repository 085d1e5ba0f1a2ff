"""Where jobs and funds are concentrated: totals by territory, per inhabitant, top-N shares, Lorenz, Gini.

Totals add only the figures the sources state: a project without a stated amount adds
nothing and is counted in ``<measure>_non_renseigne``, so a reader sees how complete a
total is. A project counts in every territory it belongs to; territories of one kind
may overlap (bassins), so their totals can add up to more than the grand total, which
is always computed on the projects themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from geo.analysis.review import stale_share
from geo.vocabulary import MEASURES, SITE_COLUMN_OF_KIND, UNIT_OF_KIND

OUTSIDE_ID = "hors"


@dataclass(frozen=True)
class UnitKind:
    """A level of aggregation: how a project names its unit(s), and the French labels."""

    key: str
    label: str
    plural: str
    project_column: str
    multiple: bool = False  # the project column lists several ids separated by ";"
    outside_label: str | None = None


UNIT_KINDS: dict[str, UnitKind] = {
    "epci": UnitKind("epci", "EPCI", "EPCI", "epci_siren"),
    "ti2": UnitKind(
        "ti2",
        "Territoire d'industrie 2024-2027",
        "Territoires d'industrie 2024-2027",
        SITE_COLUMN_OF_KIND["ti_phase2"],
        multiple=True,
        outside_label="Hors Territoire d'industrie 2024-2027",
    ),
    "ti1": UnitKind(
        "ti1",
        "Territoire d'industrie 2018-2023",
        "Territoires d'industrie 2018-2023",
        SITE_COLUMN_OF_KIND["ti_phase1"],
        multiple=True,
        outside_label="Hors Territoire d'industrie 2018-2023",
    ),
    "bassin": UnitKind(
        "bassin",
        "bassin prioritaire",
        "bassins prioritaires",
        SITE_COLUMN_OF_KIND["bassin_prioritaire"],
        multiple=True,
        outside_label="Hors bassin prioritaire",
    ),
    "departement": UnitKind("departement", "département", "départements", "departement"),
    "region": UnitKind("region", "région", "régions", "region"),
}
TERRITORY_KIND_OF_UNIT = {unit: kind for kind, unit in UNIT_OF_KIND.items()}
"""Aggregation level → ``kind`` of the ``territoires`` layer."""


def units_of(
    kind: str,
    *,
    epci: pd.DataFrame,
    communes: pd.DataFrame,
    territoires: pd.DataFrame,
    departements: pd.DataFrame,
    regions: pd.DataFrame,
) -> pd.DataFrame:
    """Every unit of a kind, with or without projects: ``id, nom, population`` (COG 2026).

    Units without projects matter: they are the zeros of the Lorenz curve and of the
    top-N shares.
    """
    if kind == "epci":
        frame = epci.rename(columns={"siren": "id"})
    elif kind in TERRITORY_KIND_OF_UNIT:
        chosen = territoires[territoires["kind"] == TERRITORY_KIND_OF_UNIT[kind]]
        frame = chosen.rename(columns={"territory_id": "id", "label": "nom"})
    elif kind in ("departement", "region"):
        # Only the communes of the two regions: out-of-region members of straddling EPCI excluded.
        in_regions = communes[communes["in_regions"].astype(bool)]
        population = in_regions.groupby(kind)["population"].sum()
        names = (departements if kind == "departement" else regions).set_index("code")["nom"]
        frame = pd.DataFrame({"id": population.index.astype(str), "population": population.to_numpy()})
        frame["nom"] = frame["id"].map(names)
    else:
        raise ValueError(f"unknown unit kind {kind!r}; expected one of {sorted(UNIT_KINDS)}")
    return frame[["id", "nom", "population"]].reset_index(drop=True)


def totals_by(projects: pd.DataFrame, kind: str, units: pd.DataFrame) -> pd.DataFrame:
    """Totals of every measure by unit, per 1,000 inhabitants, ranked by jobs.

    Parameters
    ----------
    projects : DataFrame
        Projects (already filtered) with the measure columns and the unit column.
    kind : str
        One of :data:`UNIT_KINDS`.
    units : DataFrame
        ``id, nom, population`` from :func:`units_of`.

    Returns
    -------
    DataFrame
        ``id, nom, population, projets`` then, for each measure ``m``: ``m``,
        ``m_non_renseigne`` (projects without the figure) and ``m_pour_1000_hab``. A
        last row ``id == "hors"`` holds the projects outside every unit of the kind.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "nom": ["A", "B"], "population": [1000, 2000]})
    >>> projects = pd.DataFrame({"epci_siren": ["a", "a"], "jobs_announced": [10, None],
    ...                          "investment_eur": [1e6, 2e6], "public_funding_eur": [None, None]})
    >>> totals_by(projects, "epci", units)[["id", "jobs_announced", "jobs_announced_non_renseigne"]]
      id  jobs_announced  jobs_announced_non_renseigne
    0  a            10.0                             1
    1  b             0.0                             0
    """
    unit = UNIT_KINDS[kind]
    long = _one_row_per_unit(projects, unit)
    grouped = long.groupby("unit_id")
    table = units.set_index("id")[["nom", "population"]].copy()
    table["projets"] = grouped.size().reindex(table.index, fill_value=0)
    measures = [measure for measure in MEASURES if measure in long]
    for measure in measures:
        values = pd.to_numeric(long[measure], errors="coerce")
        # No project → 0; projects that all lack the figure → unknown (NaN), never 0.
        table[measure] = values.groupby(long["unit_id"]).sum(min_count=1).reindex(table.index)
        table.loc[table["projets"] == 0, measure] = 0.0
        table[f"{measure}_non_renseigne"] = (
            values.isna().groupby(long["unit_id"]).sum().reindex(table.index, fill_value=0).astype(int)
        )
        table[f"{measure}_pour_1000_hab"] = table[measure] / table["population"].replace(0, np.nan) * 1000
    order = [m for m in ("jobs_created", "jobs_announced", "investment_eur") if m in table]
    table = table.sort_values(order, ascending=False, kind="stable", na_position="last").reset_index(names="id")
    outside = long[long["unit_id"] == OUTSIDE_ID]
    if unit.outside_label and len(outside):
        row = {"id": OUTSIDE_ID, "nom": unit.outside_label, "population": np.nan, "projets": len(outside)}
        for measure in measures:
            values = pd.to_numeric(outside[measure], errors="coerce")
            row |= {measure: values.sum(min_count=1), f"{measure}_non_renseigne": int(values.isna().sum())}
            row[f"{measure}_pour_1000_hab"] = np.nan
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    return table


def grand_total(projects: pd.DataFrame, measure: str) -> float:
    """The sum of a measure over the projects themselves (each counted once)."""
    return float(pd.to_numeric(projects[measure], errors="coerce").sum())


def top_share(table: pd.DataFrame, measure: str, n: int, *, total: float) -> float | None:
    """Share of ``total`` held by the ``n`` units with the largest ``measure`` (None if total is 0)."""
    if total <= 0:
        return None
    ranked = table.loc[table["id"] != OUTSIDE_ID, measure].sort_values(ascending=False)
    return float(min(ranked.head(n).sum() / total, 1.0))


def lorenz_curve(values: pd.Series) -> pd.DataFrame:
    """Cumulative share of units (poorest first) against cumulative share of the measure.

    Starts at (0, 0) and ends at (1, 1); empty when the measure totals zero.
    """
    sorted_values = np.sort(pd.to_numeric(values, errors="coerce").fillna(0).to_numpy(dtype=float))
    total = sorted_values.sum()
    if total <= 0:
        return pd.DataFrame({"part_territoires": [], "part_mesure": []})
    n = len(sorted_values)
    return pd.DataFrame(
        {
            "part_territoires": np.concatenate([[0.0], np.arange(1, n + 1) / n]),
            "part_mesure": np.concatenate([[0.0], np.cumsum(sorted_values) / total]),
        }
    )


def gini(values: pd.Series) -> float | None:
    """Gini coefficient (0 = evenly spread, 1 = all in one unit), None when the measure totals zero.

    Examples
    --------
    >>> gini(pd.Series([0, 0, 0, 10]))
    0.75
    """
    sorted_values = np.sort(pd.to_numeric(values, errors="coerce").fillna(0).to_numpy(dtype=float))
    n, total = len(sorted_values), sorted_values.sum()
    if n == 0 or total <= 0:
        return None
    ranks = np.arange(1, n + 1)
    return float((2 * np.sum(ranks * sorted_values)) / (n * total) - (n + 1) / n)


def _one_row_per_unit(projects: pd.DataFrame, unit: UnitKind) -> pd.DataFrame:
    """Projects exploded to one row per (project, unit); no unit → ``hors``."""
    ids = projects[unit.project_column].astype("string")
    if unit.multiple:
        ids = ids.fillna("").str.split(";")
        long = projects.assign(unit_id=ids).explode("unit_id")
        long["unit_id"] = long["unit_id"].replace("", OUTSIDE_ID)
        return long
    return projects.assign(unit_id=ids.fillna(OUTSIDE_ID))


@dataclass(frozen=True)
class Robustness:
    """How far a total can be trusted: its completeness, and how much one project weighs in it.

    Site amounts only: programme-level amounts (see :func:`geo.analysis.projects.typed_projects`)
    are counted apart in ``programme_total`` and never added to ``total``.
    """

    measure: str
    projects: int
    with_figure: int
    total: float
    median: float | None
    largest_project: str | None
    largest_value: float | None
    total_without_largest: float
    programme_total: float
    programme_rows: int
    top5_share: float | None
    top5_share_without_largest: float | None
    stale_share: float | None = None  # rests on open statuses older than 18 months or undated
    other_nature_rows: int = 0  # created jobs: projects whose announced jobs are kept, moved, indirect or unsaid
    as_of: str | None = None  # the day the statuses' age is counted from

    @property
    def missing(self) -> int:
        return self.projects - self.with_figure

    @property
    def largest_share(self) -> float | None:
        return None if not self.total or self.largest_value is None else self.largest_value / self.total


def robustness(
    projects: pd.DataFrame, measure: str, kind: str, units: pd.DataFrame, *, today: date | None = None
) -> Robustness:
    """Totals with and without the largest project, median and count, programme amounts apart, and (given
    ``today`` and statuses) the share of the total resting on statuses older than 18 months.

    >>> units = pd.DataFrame({"id": ["a", "b"], "nom": ["A", "B"], "population": [1000, 2000]})
    >>> rows = pd.DataFrame({"name": ["x", "y", "z"], "epci_siren": ["a", "b", "b"],
    ...     "jobs_announced": [8000, 100, None], "investment_eur": [1.0, 2.0, 3.0], "public_funding_eur": [None] * 3})
    >>> r = robustness(rows, "jobs_announced", "epci", units)
    >>> r.total, r.largest_project, r.total_without_largest, r.missing, r.median
    (8100.0, 'x', 100.0, 1, 4050.0)
    """
    values = pd.to_numeric(projects[measure], errors="coerce")
    known = values.dropna()
    programme = pd.to_numeric(projects.get(f"{measure}_programme", pd.Series(dtype=float)), errors="coerce").dropna()
    largest = known.idxmax() if len(known) else None
    total = float(known.sum())
    without = projects.drop(index=largest) if largest is not None else projects
    return Robustness(
        measure=measure,
        projects=len(projects),
        with_figure=len(known),
        total=total,
        median=float(known.median()) if len(known) else None,
        largest_project=str(projects.at[largest, "name"]) if largest is not None else None,
        largest_value=float(known[largest]) if largest is not None else None,
        total_without_largest=total - (float(known[largest]) if largest is not None else 0.0),
        programme_total=float(programme.sum()),
        programme_rows=len(programme),
        top5_share=_top5(projects, measure, kind, units),
        top5_share_without_largest=_top5(without, measure, kind, units),
        stale_share=_stale_share(projects, measure, today),
        other_nature_rows=_other_nature_rows(projects, measure),
        as_of=today.isoformat() if today is not None else None,
    )


def _other_nature_rows(projects: pd.DataFrame, measure: str) -> int:
    if measure != "jobs_created" or "jobs_announced" not in projects:
        return 0
    announced = pd.to_numeric(projects["jobs_announced"], errors="coerce").notna()
    return int((announced & pd.to_numeric(projects[measure], errors="coerce").isna()).sum())


def _stale_share(projects: pd.DataFrame, measure: str, today: date | None) -> float | None:
    if today is None or not {"status_category", "status_date"} <= set(projects.columns):
        return None
    return stale_share(projects, measure, today=today)


def _top5(projects: pd.DataFrame, measure: str, kind: str, units: pd.DataFrame) -> float | None:
    table = totals_by(projects, kind, units)
    return top_share(table, measure, 5, total=grand_total(projects, measure))
