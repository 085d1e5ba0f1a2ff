"""Territories side by side: up to four EPCI, Territoires d'industrie, bassins or zones d'emploi, with the region
as the reference, on the same rows: measured jobs, announced created jobs, stated public funding, plausible
foncier, each also per 1,000 inhabitants.

Every figure of a territory is summed over its communes of today (COG 2026), the same way for every kind of
territory, so two columns can be read side by side: projects and foncier sites by the commune they are in,
private jobs (URSSAF) by the commune where they are. Measured *industrial* jobs exist by zone d'emploi only
(URSSAF's sector detail is published to us at that level): another territory shows the zone(s) d'emploi it lies
in instead of a figure it does not have.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from geo.analysis.foncier_quality import plausible_available
from geo.analysis.profiles import CLOSED_CATEGORY
from geo.analysis.projects import created_jobs
from geo.metadata import attributions
from geo.vocabulary import REGION_NAMES, ZE_PREFIX

COMPARED_MAX = 4
COMPARE_PARAM = "comparer"
"""The URL parameter of a comparison (``?comparer=epci:200042190,territoire:ze2020-3222``)."""
PLACE_KINDS = ("epci", "territoire")
"""What may be compared: an EPCI (``epci:SIREN``) or a territory of the ``territoires`` layer (``territoire:ID``:
Territoires d'industrie, bassins, zonages and zones d'emploi)."""
_KEY = re.compile(r"^(epci|territoire):([A-Za-z0-9_.-]{1,40})$")

ROWS: dict[str, str] = {
    "population": "Population (INSEE)",
    "emploi_industriel_2024": "Emplois industriels mesurés 2024 (URSSAF, zone d'emploi)",
    "emploi_industriel_evolution": "Évolution des emplois industriels 2019-2024 (%)",
    "emploi_industriel_pour_1000": "Emplois industriels mesurés pour 1 000 hab.",
    "emploi_prive_2024": "Emplois salariés privés 2024, tous secteurs (URSSAF)",
    "emploi_prive_evolution": "Évolution des emplois salariés privés 2019-2024 (%)",
    "part_industrie_2022": "Part de l'industrie dans l'emploi, RP 2022 (%, EPCI)",
    "emplois_crees": "Emplois créés annoncés, projets actifs",
    "emplois_crees_pour_1000": "Emplois créés annoncés pour 1 000 hab.",
    "aides_publiques": "Aides publiques annoncées, projets actifs (€, toutes formes)",
    "aides_publiques_pour_1000": "Aides publiques annoncées pour 1 000 hab. (€)",
    "foncier_plausible_ha": "Foncier disponible plausible (ha)",
    "foncier_plausible_pour_1000": "Foncier disponible plausible pour 1 000 hab. (ha)",
    "part_premier_emplois": "Part du plus gros projet dans les emplois créés (%)",
    "part_premier_aides": "Part de la plus grosse aide dans les aides (%)",
    "projets_sans_emplois": "Projets actifs sans nombre d'emplois créés connu",
    "projets_sans_aides": "Projets actifs sans montant d'aide connu",
}
"""The rows of the comparison, in order, with their French names (the press table and exports use them)."""
ROW_UNITS: dict[str, str] = {
    **dict.fromkeys(ROWS, "count"),
    **dict.fromkeys(
        ["part_industrie_2022", "part_premier_emplois", "part_premier_aides"],
        "percent",
    ),
    **dict.fromkeys(["emploi_industriel_evolution", "emploi_prive_evolution"], "change"),
    **dict.fromkeys(["emploi_industriel_pour_1000", "emplois_crees_pour_1000"], "rate"),
    **dict.fromkeys(["aides_publiques", "aides_publiques_pour_1000"], "euros"),
    **dict.fromkeys(["foncier_plausible_ha", "foncier_plausible_pour_1000"], "hectares"),
}
"""How each row's figure reads: a count, a percentage, a signed change, a rate per 1,000 inhabitants, euros or
hectares."""
WHAT_IS_COUNTED = (
    "Mesuré : emplois salariés des employeurs privés du régime général au 31 décembre (URSSAF, sans employeurs "
    "publics ni emplois agricoles). Annoncé : ce que les sources des projets disent, projets actifs seulement "
    "(ni fermetures ni abandons), emplois créés seulement (pas les emplois maintenus ou transférés) ; une aide "
    "peut être une subvention, une avance remboursable, un prêt ou une aide fiscale (voir la page Projets). Foncier "
    "plausible : sites disponibles hors doublons, terrils, zonages N ou A et friches potentielles non vérifiées. "
    "Chaque territoire est compté sur ses communes au COG 2026."
)


@dataclass(frozen=True)
class Compared:
    """One column: a territory (or a region, as the reference), its communes of today and its figures by row."""

    key: str
    label: str
    kind: str
    codes: frozenset[str]
    figures: dict[str, float | None]
    unavailable: frozenset[str] = frozenset()
    """Rows the sources do not give at this level (measured industrial jobs outside a zone d'emploi, the share of
    industry outside an EPCI): said so, never shown as an unknown figure."""


def parse_keys(text: str) -> tuple[str, ...]:
    """The places of a comparison address (``epci:200042190,territoire:ze2020-3222``), unknown forms dropped, at
    most :data:`COMPARED_MAX`, each once.

    >>> parse_keys("epci:200042190, territoire:ze2020-3222,epci:200042190,<b>,territoire:a,territoire:b,epci:1")
    ('epci:200042190', 'territoire:ze2020-3222', 'territoire:a', 'territoire:b')
    """
    keys = [part.strip() for part in str(text or "").split(",")]
    return tuple(dict.fromkeys(key for key in keys if _KEY.match(key)))[:COMPARED_MAX]


def compare(read: Callable[[str], pd.DataFrame], keys: Sequence[str], projects: pd.DataFrame) -> list[Compared]:
    """The columns of a comparison: each place of ``keys`` that exists, then its region(s) as the reference.

    ``read`` is a store's (or the app's cached) layer reader; ``projects`` the typed projects
    (:func:`~geo.analysis.projects.typed_projects`).
    """
    communes = read("communes")
    communes = communes[communes["in_regions"].astype(bool)]
    data = _Data(
        communes=communes,
        members=read("territoire_communes"),
        territories=read("territoires"),
        epci=read("epci"),
        projects=projects,
        foncier=read("foncier"),
        private=read("emploi_prive_communes").set_index("code"),
        industrial=read("emploi_industriel_ze").set_index("code_ze"),
        epci_jobs=read("emploi_epci").set_index("siren"),
    )
    columns = [column for key in keys if (column := data.column(key)) is not None]
    regions = [code for code in REGION_NAMES if any(data.region_of(column) == code for column in columns)]
    return columns + [data.region_column(code) for code in regions]


def unavailable_cells(columns: Sequence[Compared]) -> dict[str, set[str]]:
    """Column label → the French names of the rows its sources do not give (see :attr:`Compared.unavailable`)."""
    return {column.label: {ROWS[row] for row in column.unavailable} for column in columns}


ROW_SOURCES: dict[str, tuple[str, ...]] = {
    "population": ("communes",),
    "emploi_industriel_2024": ("emploi_industriel_ze",),
    "emploi_industriel_evolution": ("emploi_industriel_ze",),
    "emploi_industriel_pour_1000": ("emploi_industriel_ze", "communes"),
    "emploi_prive_2024": ("emploi_prive_communes",),
    "emploi_prive_evolution": ("emploi_prive_communes",),
    "part_industrie_2022": ("emploi_epci",),
    "emplois_crees": ("projets",),
    "emplois_crees_pour_1000": ("projets", "communes"),
    "aides_publiques": ("projets",),
    "aides_publiques_pour_1000": ("projets", "communes"),
    "foncier_plausible_ha": ("foncier",),
    "foncier_plausible_pour_1000": ("foncier", "communes"),
    "part_premier_emplois": ("projets",),
    "part_premier_aides": ("projets",),
    "projets_sans_emplois": ("projets",),
    "projets_sans_aides": ("projets",),
}
"""The layers each row is computed from: their sources and dates go with the row into the CSV and XLSX."""


def comparison_export(columns: Sequence[Compared], metadata: pd.DataFrame) -> pd.DataFrame:
    """The comparison as a file gives it: one row per figure, its value in each column, and the sources with
    their dates of that figure (Licence Ouverte: producer and date travel with the figure)."""
    table = comparison_table(columns).reset_index()
    table["Sources (millésime)"] = [" ; ".join(attributions(metadata, list(ROW_SOURCES[row]))) for row in ROWS]
    return table


def comparison_table(columns: Sequence[Compared]) -> pd.DataFrame:
    """Rows of :data:`ROWS` (French names) × one column per place (its label): the numbers, unknown as NaN."""
    return pd.DataFrame(
        {column.label: [column.figures[row] for row in ROWS] for column in columns},
        index=pd.Index(list(ROWS.values()), name="Indicateur"),
    )


@dataclass
class _Data:
    communes: pd.DataFrame
    members: pd.DataFrame
    territories: pd.DataFrame
    epci: pd.DataFrame
    projects: pd.DataFrame
    foncier: pd.DataFrame
    private: pd.DataFrame
    industrial: pd.DataFrame
    epci_jobs: pd.DataFrame

    def column(self, key: str) -> Compared | None:
        match = _KEY.match(key)
        if not match:
            return None
        kind, ident = match.groups()
        if kind == "epci":
            found = self.epci[self.epci["siren"].astype(str) == ident]
            if found.empty:
                return None
            codes = set(self.communes.loc[self.communes["epci_siren"].astype(str) == ident, "code"])
            column = self._figures(key, str(found["nom"].iloc[0]), "EPCI", codes, float(found["population"].iloc[0]))
            share = self.epci_jobs["part_industrie_2022"].get(ident)
            column.figures["part_industrie_2022"] = None if share is None or pd.isna(share) else float(share)
            return replace(column, unavailable=column.unavailable - {"part_industrie_2022"})
        found = self.territories[self.territories["territory_id"].astype(str) == ident]
        if found.empty:
            return None
        codes = set(self.members.loc[self.members["territory_id"].astype(str) == ident, "code"])
        population = float(found["population"].iloc[0])
        return self._figures(key, str(found["label"].iloc[0]), str(found["kind"].iloc[0]), codes, population)

    def region_of(self, column: Compared) -> str | None:
        """The region holding most of the column's inhabitants."""
        inside = self.communes[self.communes["code"].isin(column.codes)]
        if inside.empty:
            return None
        return str(inside.groupby(inside["region"].astype(str))["population"].sum().idxmax())

    def region_column(self, code: str) -> Compared:
        codes = set(self.communes.loc[self.communes["region"].astype(str) == code, "code"])
        return self._figures(f"region:{code}", f"{REGION_NAMES[code]} (référence)", "région", codes)

    def _figures(self, key: str, label: str, kind: str, codes: set[str], population: float | None = None) -> Compared:
        """The figures of the communes ``codes``; ``population``: the place's own (as the Concentration page
        counts it), else the sum of its communes'."""
        if population is None:
            population = float(self.communes.loc[self.communes["code"].isin(codes), "population"].sum())
        figures: dict[str, float | None] = {row: None for row in ROWS}
        figures["population"] = population
        private = self.private.reindex(sorted(codes)).dropna(how="all")
        figures["emploi_prive_2024"] = _sum(private.get("emploi_prive_2024"))
        figures["emploi_prive_evolution"] = _change(private.get("emploi_prive_2019"), private.get("emploi_prive_2024"))
        zone = key.removeprefix("territoire:" + ZE_PREFIX) if key.startswith("territoire:" + ZE_PREFIX) else None
        if zone in self.industrial.index:
            row = self.industrial.loc[zone]
            figures["emploi_industriel_2024"] = float(row["emploi_industriel_2024"])
            figures["emploi_industriel_evolution"] = float(row["evolution_2019_2024"])
            figures["emploi_industriel_pour_1000"] = _per_1000(figures["emploi_industriel_2024"], population)
            unavailable = {"part_industrie_2022"}
        else:
            unavailable = {"emploi_industriel_2024", "emploi_industriel_evolution", "emploi_industriel_pour_1000"}
            unavailable.add("part_industrie_2022")
        active = self.projects[
            self.projects["insee_com"].astype(str).isin(codes) & self.projects["status_category"].ne(CLOSED_CATEGORY)
        ]
        created = pd.to_numeric(created_jobs(active), errors="coerce")
        figures["emplois_crees"] = float(created.sum())
        figures["emplois_crees_pour_1000"] = _per_1000(figures["emplois_crees"], population)
        figures["projets_sans_emplois"] = float(created.isna().sum())
        funding = pd.to_numeric(active["public_funding_eur"], errors="coerce")
        figures["aides_publiques"] = float(funding.sum())
        figures["aides_publiques_pour_1000"] = _per_1000(figures["aides_publiques"], population)
        figures["projets_sans_aides"] = float(funding.isna().sum())
        # A total that one project decides is said so beside it.
        figures["part_premier_emplois"] = _largest_share(created)
        figures["part_premier_aides"] = _largest_share(funding)
        sites = self.foncier[self.foncier["insee_com"].astype(str).isin(codes)]
        plausible = plausible_available(sites)
        hectares = float(pd.to_numeric(sites.loc[plausible, "surface_ha"], errors="coerce").sum())
        figures["foncier_plausible_ha"] = hectares
        figures["foncier_plausible_pour_1000"] = _per_1000(hectares, population)
        return Compared(
            key=key,
            label=label,
            kind=kind,
            codes=frozenset(codes),
            figures=figures,
            unavailable=frozenset(unavailable),
        )


def _sum(values: pd.Series | None) -> float | None:
    if values is None:
        return None
    numbers = pd.to_numeric(values, errors="coerce")
    return float(numbers.sum()) if numbers.notna().any() else None


def _change(before: pd.Series | None, after: pd.Series | None) -> float | None:
    first, last = _sum(before), _sum(after)
    if not first or last is None:
        return None
    return round((last / first - 1) * 100, 2)


def _largest_share(values: pd.Series) -> float | None:
    total = float(values.sum())
    return round(float(values.max()) / total * 100, 1) if total > 0 else None


def _per_1000(value: float | None, population: float) -> float | None:
    if value is None or not population or np.isnan(population):
        return None
    return value / population * 1000
