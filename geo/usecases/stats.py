"""The figures of Concentration and of ``reindus stats``: totals by unit, per inhabitant, shares, robustness.

The page and the command show the same numbers because they ask the same function: the page reads
its widgets (level, measure, per-inhabitant toggle, project filters) and draws what
:func:`concentration_stats` returns; ``reindus stats`` parses the same choices and prints it. The
ranking, the grand total (each project once), the top-N shares, the Lorenz curve and the robustness
of the total are decided here, never in an entry point.

``read`` is ``store.read`` for the CLI, the app's cached accessor for a page.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.analysis.concentration import (
    OUTSIDE_ID,
    TERRITORY_KIND_OF_UNIT,
    UNIT_KINDS,
    Robustness,
    UnitKind,
    gini,
    grand_total,
    lorenz_curve,
    robustness,
    top_share,
    totals_by,
    units_of,
)
from geo.analysis.profiles import CLOSED_CATEGORY
from geo.analysis.projects import created_jobs
from geo.analysis.relance import region_totals, relance_table
from geo.vocabulary import MEASURES, REGION_NAMES, ZE_PREFIX

Read = Callable[[str], pd.DataFrame]
"""A layer of the store by name: ``store.read`` or the app's cached ``layer``."""

UNIT_LAYERS = ("epci", "communes", "territoires", "departements", "regions")
"""The layers :func:`units_from_store` reads to list the units of a level with their population."""
PER_1000 = "_pour_1000_hab"
"""Suffix of the per-1,000-inhabitant column of a measure (see :func:`geo.analysis.concentration.totals_by`)."""


def units_from_store(read: Read, kind: str) -> pd.DataFrame:
    """Every unit of the level ``kind`` with its COG 2026 population: ``id, nom, population``."""
    return units_of(kind, **{name: read(name) for name in UNIT_LAYERS})


ZONE_EMPLOI = "zone-emploi"
"""The zones d'emploi 2020 as a level (``reindus stats --by zone-emploi``), drawn from the territories ``ze2020-…``."""


def unit_shapes(read: Read, kind: str) -> gpd.GeoDataFrame:
    """The web geometries of the units of a level, in the two regions: ``id, nom, geometry`` (WGS84)."""
    if kind == "epci":
        return read("epci_web").rename(columns={"siren": "id"})[["id", "nom", "geometry"]]
    if kind == ZONE_EMPLOI:
        shapes = read("territoires_web")
        shapes = shapes[shapes["territory_id"].astype(str).str.startswith(ZE_PREFIX)]
        return pd.DataFrame(
            {
                "id": shapes["territory_id"].str.removeprefix(ZE_PREFIX).to_numpy(),
                "nom": shapes["label"].to_numpy(),
            }
        ).pipe(lambda frame: gpd.GeoDataFrame(frame, geometry=shapes.geometry.to_numpy(), crs=shapes.crs))
    if kind in ("departement", "region"):
        shapes = read("departements_web" if kind == "departement" else "regions_web")
        return shapes[shapes["in_scope"]].rename(columns={"code": "id"})[["id", "nom", "geometry"]]
    shapes = read("territoires_web")
    shapes = shapes[shapes["kind"] == TERRITORY_KIND_OF_UNIT[kind]]
    return shapes.rename(columns={"territory_id": "id", "label": "nom"})[["id", "nom", "geometry"]]


@dataclass(frozen=True)
class ConcentrationStats:
    """The figures of one choice of level and measure over the chosen projects.

    ``table`` holds every unit (zeros included) and the row ``id == "hors"`` of the projects outside
    every unit, ranked by :attr:`ranked_column`, largest first, unknown totals last: it is what the page
    lists and lets download, and what ``reindus stats`` prints.
    """

    kind: str
    measure: str
    per_capita: bool
    projects: int
    missing: int  # projects whose sources do not give the measure: they add nothing to the totals
    total: float  # over the projects themselves, each once (units of a level may overlap)
    top5_share: float | None
    top10_share: float | None
    robustness: Robustness
    table: pd.DataFrame

    @property
    def unit(self) -> UnitKind:
        return UNIT_KINDS[self.kind]

    @property
    def label(self) -> str:
        """The measure's French name."""
        return MEASURES[self.measure]

    @property
    def ranked_column(self) -> str:
        """The column the units are ranked by: the measure, or the measure per 1,000 inhabitants."""
        return self.measure + PER_1000 if self.per_capita else self.measure

    @cached_property
    def in_units(self) -> pd.DataFrame:
        """The table without the row of the projects outside every unit (the map, chart and curve)."""
        return self.table[self.table["id"] != OUTSIDE_ID]

    @cached_property
    def lorenz(self) -> pd.DataFrame:
        """The Lorenz curve of the ranked column over the units (units without projects count as zeros)."""
        return lorenz_curve(self.in_units[self.ranked_column])

    @cached_property
    def gini(self) -> float | None:
        return gini(self.in_units[self.ranked_column])

    def robustness_record(self) -> dict[str, Any]:
        """The robustness of the total as one flat record (``reindus stats --robustesse``)."""
        figures = self.robustness
        return {
            **dataclasses.asdict(figures),
            "missing": figures.missing,
            "largest_share": figures.largest_share,
        }


def concentration_stats(
    projects: pd.DataFrame,
    *,
    kind: str,
    measure: str,
    units: pd.DataFrame,
    per_capita: bool = False,
    today: date | None = None,
) -> ConcentrationStats:
    """Totals of ``projects`` by unit of ``kind``, ranked by ``measure`` (per 1,000 inhabitants if ``per_capita``).

    Parameters
    ----------
    projects : DataFrame
        The chosen projects (typed and filtered by the caller: the page's filters, the CLI's options).
    kind : str
        An aggregation level of :data:`geo.analysis.concentration.UNIT_KINDS`.
    measure : str
        A measure column of :data:`geo.vocabulary.MEASURES`.
    units : DataFrame
        ``id, nom, population`` of every unit of ``kind`` (:func:`units_from_store`).
    per_capita : bool
        Rank by the measure per 1,000 inhabitants.

    Examples
    --------
    >>> units = pd.DataFrame({"id": ["a", "b"], "nom": ["A", "B"], "population": [1000, 4000]})
    >>> projects = pd.DataFrame({"name": ["x", "y"], "epci_siren": ["a", "b"], "jobs_announced": [10, 20],
    ...     "jobs_construction": [None, None], "investment_eur": [1.0, 2.0], "public_funding_eur": [None, None]})
    >>> stats = concentration_stats(projects, kind="epci", measure="jobs_announced", units=units, per_capita=True)
    >>> stats.table["id"].tolist(), stats.total, stats.top5_share
    (['a', 'b'], 30.0, 1.0)
    """
    if kind not in UNIT_KINDS:
        raise ValueError(f"kind must be one of {list(UNIT_KINDS)}, got {kind!r}")
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {list(MEASURES)}, got {measure!r}")
    table = totals_by(projects, kind, units)
    total = grand_total(projects, measure)
    ranked_column = measure + PER_1000 if per_capita else measure
    return ConcentrationStats(
        kind=kind,
        measure=measure,
        per_capita=per_capita,
        projects=len(projects),
        missing=int(pd.to_numeric(projects[measure], errors="coerce").isna().sum()),
        total=total,
        top5_share=top_share(table, measure, 5, total=total),
        top10_share=top_share(table, measure, 10, total=total),
        robustness=robustness(projects, measure, kind, units, today=today or date.today()),
        table=table.sort_values(ranked_column, ascending=False, na_position="last", kind="stable"),
    )


@dataclass(frozen=True)
class RelanceStats:
    """France Relance by département: firms aided, per 100,000 inhabitants, share of the two regions."""

    table: pd.DataFrame  # geo.analysis.relance.relance_table
    totals: dict[str, int]  # by region code, and ``total``

    @property
    def as_of(self) -> str:
        """The date of the counts (ISO)."""
        return str(self.table["date"].max())

    @property
    def by_region(self) -> list[tuple[str, int]]:
        """``(region name, firms)`` of each region covered, in :data:`~geo.vocabulary.REGION_NAMES` order."""
        return [(name, int(self.totals.get(code, 0))) for code, name in REGION_NAMES.items()]


def relance_stats(read: Read) -> RelanceStats:
    """France Relance by département, as Concentration shows it and ``reindus stats --measure relance`` prints it."""
    table = relance_table(read("relance"), read("departements"), read("communes"))
    return RelanceStats(table=table, totals=region_totals(table))


INDUSTRIAL_JOBS_YEARS = (2019, 2022, 2023, 2024)


def industrial_jobs_stats(read: Callable[[str], pd.DataFrame], *, year: int = 2024) -> pd.DataFrame:
    """Measured industrial jobs by zone d'emploi for ``year`` (URSSAF, see :mod:`geo.assembly.employment`), largest
    first, with 2019 and the change since: what ``reindus stats --by zone-emploi --measure emploi-industriel`` prints.
    """
    if year not in INDUSTRIAL_JOBS_YEARS:
        raise ValueError(f"year must be one of {INDUSTRIAL_JOBS_YEARS}, got {year!r}")
    table = read("emploi_industriel_ze")
    figure = table[f"emploi_industriel_{year}"]
    out = pd.DataFrame(
        {
            "code": table["code_ze"].astype(str),
            "nom": table["nom"],
            "annee": year,
            "emploi_industriel": figure,
            "emploi_industriel_2019": table["emploi_industriel_2019"],
            "evolution_depuis_2019_pct": ((figure.astype(float) / table["emploi_industriel_2019"].astype(float) - 1)
                                          * 100).round(2),
        }
    )  # fmt: skip
    return out.sort_values("emploi_industriel", ascending=False, kind="stable").reset_index(drop=True)


def epci_employment_stats(read: Callable[[str], pd.DataFrame], *, year: int = 2024) -> pd.DataFrame:
    """What the sources give by EPCI: the share of industry in its jobs (census 2022) and its total private
    salaried jobs in ``year`` and 2019 (URSSAF, its communes of today), largest share first. The sources give no
    count of industrial jobs by EPCI (only the URSSAF commune × APE file would)."""
    if year not in INDUSTRIAL_JOBS_YEARS:
        raise ValueError(f"year must be one of {INDUSTRIAL_JOBS_YEARS}, got {year!r}")
    table = read("emploi_epci")
    jobs = table[f"emploi_prive_{year}"].astype(float)
    out = pd.DataFrame(
        {
            "code": table["siren"].astype(str),
            "nom": table["nom"],
            "part_industrie_2022_pct": table["part_industrie_2022"],
            "annee": year,
            "emploi_prive": table[f"emploi_prive_{year}"],
            "emploi_prive_2019": table["emploi_prive_2019"],
            "evolution_emploi_prive_depuis_2019_pct": (
                (jobs / table["emploi_prive_2019"].astype(float) - 1) * 100
            ).round(2),
        }
    )
    return out.sort_values("part_industrie_2022_pct", ascending=False, na_position="last", kind="stable").reset_index(
        drop=True
    )


@dataclass(frozen=True)
class ZoneEmploymentStats:
    """Measured industrial jobs by zone d'emploi beside the announced created jobs of the chosen active projects.

    ``table``: ``code, nom, population, emploi_industriel_2024, emploi_industriel_pour_1000_hab,
    evolution_2019_2024, emplois_crees_annonces, projets, part_annonces_base`` (announced created jobs as a % of
    the zone's measured industrial jobs), largest measured first. The concentration figures are the measured
    jobs' (Lorenz curve, Gini, top-5 and top-10 shares).
    """

    table: pd.DataFrame
    total_measured: float
    total_announced: float
    top5_share: float | None
    top10_share: float | None

    @cached_property
    def lorenz(self) -> pd.DataFrame:
        return lorenz_curve(self.table["emploi_industriel_2024"])

    @cached_property
    def gini(self) -> float | None:
        return gini(self.table["emploi_industriel_2024"])


def zone_employment_stats(read: Callable[[str], pd.DataFrame], projects: pd.DataFrame) -> ZoneEmploymentStats:
    """:class:`ZoneEmploymentStats` for ``projects`` (typed, already filtered by the caller): each active project
    counts in the zone d'emploi of its commune (COG 2026 membership), closures and abandonments never."""
    jobs = read("emploi_industriel_ze")
    territories = read("territoires").set_index("territory_id")
    members = read("territoire_communes")
    zone_of = members[members["territory_id"].astype(str).str.startswith(ZE_PREFIX)].set_index("code")["territory_id"]
    active = projects[projects["status_category"] != CLOSED_CATEGORY]
    zone = active["insee_com"].astype(str).map(zone_of).str.removeprefix(ZE_PREFIX)
    created = pd.to_numeric(created_jobs(active), errors="coerce")
    announced = created.groupby(zone).sum(min_count=1)
    counted = zone.value_counts()
    code = jobs["code_ze"].astype(str)
    measured = jobs["emploi_industriel_2024"].astype(float)
    population = (ZE_PREFIX + code).map(territories["population"]).astype(float)
    table = pd.DataFrame(
        {
            "code": code,
            "nom": jobs["nom"],
            "population": population,
            "emploi_industriel_2024": measured,
            "emploi_industriel_pour_1000_hab": (measured / population * 1000).round(1),
            "evolution_2019_2024": jobs["evolution_2019_2024"],
            "emplois_crees_annonces": code.map(announced).fillna(0.0),
            "projets": code.map(counted).fillna(0).astype(int),
        }
    )
    table["part_annonces_base"] = (table["emplois_crees_annonces"] / measured * 100).round(1)
    table = table.sort_values("emploi_industriel_2024", ascending=False, kind="stable").reset_index(drop=True)
    total = float(measured.sum())
    ranked = table.assign(id=table["code"])
    return ZoneEmploymentStats(
        table=table,
        total_measured=total,
        total_announced=float(table["emplois_crees_annonces"].sum()),
        top5_share=top_share(ranked, "emploi_industriel_2024", 5, total=total),
        top10_share=top_share(ranked, "emploi_industriel_2024", 10, total=total),
    )
