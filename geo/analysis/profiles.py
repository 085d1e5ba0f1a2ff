"""Everything about one EPCI, territory or commune at once: the data behind the fiches.

Each profile reads one :class:`~geo.analysis.places.PlaceData` and carries its totals (projects,
available foncier) already summed, so a page only draws them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.analysis.foncier_quality import plausible_available, quality_flags, set_aside_by_reason
from geo.analysis.places import PlaceData
from geo.analysis.projects import created_jobs, is_industrial
from geo.crs import LAMBERT93
from geo.errors import PlaceNotFoundError
from geo.vocabulary import AVAILABLE_STATUSES

CLOSED_CATEGORY = "abandonné ou fermé"
"""The status category of closures and abandonments, counted apart from the active projects."""


@dataclass(frozen=True)
class ProjectTotals:
    """The projects of a place summed for its fiche.

    Active projects (all but closures and abandonments) give the site amounts: ``jobs_created``
    (announced permanent jobs that are new jobs), ``jobs_other`` (announced jobs kept in a takeover, moved
    from another site, counted with indirect ones or of unsaid nature: never added to the created ones),
    ``investment_eur`` and ``public_funding_eur`` (public aid stated, any form), each with how many projects do not
    state it; ``n_non_industrial``: data centres, logistics and other projects the Concentration page leaves out
    by default.
    Programme-level amounts (several sites, not split) are summed apart and never added to the
    site amounts; ``jobs_lost`` (closures, redundancy plans) counts every project that states it.
    """

    n_projects: int = 0
    n_closed: int = 0
    jobs_created: float = 0.0
    jobs_other: float = 0.0
    n_jobs_other: int = 0
    n_jobs_unknown: int = 0
    investment_eur: float = 0.0
    n_investment_unknown: int = 0
    public_funding_eur: float = 0.0
    n_funding_unknown: int = 0
    n_non_industrial: int = 0
    programme_eur: float = 0.0
    n_programme: int = 0
    jobs_lost: float = 0.0
    n_jobs_lost: int = 0


def project_totals(projects: pd.DataFrame) -> ProjectTotals:
    """Sum ``projects`` (typed: ``status_category, jobs_announced, investment_eur, investment_eur_programme,
    jobs_lost``) for a fiche.

    >>> rows = pd.DataFrame({"status_category": ["en service", "abandonné ou fermé", "annoncé", "en service"],
    ...     "jobs_announced": [100, 50, None, 30], "jobs_nature": ["créés", "créés", None, "maintenus"],
    ...     "investment_eur": [1e6, None, 2e6, None],
    ...     "investment_eur_programme": [None, None, 5e8, None], "jobs_lost": [None, 50, None, None]})
    >>> totals = project_totals(rows)
    >>> totals.n_closed, totals.jobs_created, totals.jobs_other, totals.n_jobs_unknown, totals.jobs_lost
    (1, 100.0, 30.0, 1, 50.0)
    """
    closed = projects["status_category"].eq(CLOSED_CATEGORY)
    active = projects[~closed]
    jobs, investment = active["jobs_announced"], active["investment_eur"]
    created = created_jobs(active)
    other = jobs.where(created.isna())
    programme = active["investment_eur_programme"].dropna()
    lost = projects["jobs_lost"].dropna()
    funding = pd.to_numeric(active.get("public_funding_eur", pd.Series(index=active.index)), errors="coerce")
    industrial = is_industrial(projects) if "sector_family" in projects else pd.Series(True, index=projects.index)
    return ProjectTotals(
        n_projects=len(projects),
        n_closed=int(closed.sum()),
        jobs_created=float(created.sum()),
        jobs_other=float(other.sum()),
        n_jobs_other=int(other.notna().sum()),
        n_jobs_unknown=int(jobs.isna().sum()),
        investment_eur=float(investment.sum()),
        n_investment_unknown=int(investment.isna().sum()),
        public_funding_eur=float(funding.sum()),
        n_funding_unknown=int(funding.isna().sum()),
        n_non_industrial=int((~industrial.astype(bool)).sum()),
        programme_eur=float(programme.sum()),
        n_programme=len(programme),
        jobs_lost=float(lost.sum()),
        n_jobs_lost=len(lost),
    )


@dataclass(frozen=True)
class FoncierTotals:
    """The available foncier of a place (brownfields without project, sites clés en main), summed.

    ``surface_ha`` sums the stated surfaces; ``n_surface_unknown`` sites state none. ``plausible_ha`` counts
    only the sites with no quality flag (:mod:`geo.analysis.foncier_quality`), one record per ground;
    ``set_aside_ha`` gives the hectares left out by each rule (a site with several flags counts in each).
    """

    n_sites: int = 0
    surface_ha: float = 0.0
    n_surface_unknown: int = 0
    n_verified: int = 0
    n_plausible: int = 0
    plausible_ha: float = 0.0
    set_aside_ha: dict[str, float] = field(default_factory=dict)


def foncier_totals(sites: pd.DataFrame) -> FoncierTotals:
    """Count and sum the available sites among ``sites`` (``statut, surface_ha, verifie``), and the plausible ones."""
    available = available_sites(sites)
    surface = available["surface_ha"]
    flags = quality_flags(available)  # once, for the plausible sites and the hectares set aside
    plausible = plausible_available(available, flags)
    return FoncierTotals(
        n_sites=len(available),
        surface_ha=float(surface.sum()),
        n_surface_unknown=int(surface.isna().sum()),
        n_verified=int(available["verifie"].astype(bool).sum()),
        n_plausible=int(plausible.sum()),
        plausible_ha=float(surface[plausible].sum()),
        set_aside_ha=set_aside_by_reason(available, flags),
    )


def available_sites(sites: pd.DataFrame) -> pd.DataFrame:
    """The sites whose status says they are available (:data:`geo.vocabulary.AVAILABLE_STATUSES`)."""
    return sites[sites["statut"].isin(AVAILABLE_STATUSES)]


@dataclass(frozen=True)
class EpciProfile:
    """An EPCI with its communes, the territories it belongs to, its projects and its available foncier.

    ``territories`` has one row per territory touching the EPCI: ``territory_id, kind,
    label, n_communes_in`` and ``share`` (share of the EPCI's communes inside it, 0–1).
    ``projects``: the projects located in it (rows of :attr:`PlaceData.projects`).
    """

    siren: str
    nom: str
    type: str
    population: int
    area_km2: float
    communes: pd.DataFrame
    territories: pd.DataFrame
    projects: pd.DataFrame
    project_totals: ProjectTotals
    foncier_totals: FoncierTotals

    def territories_of_kind(self, kind: str) -> pd.DataFrame:
        """The territories of one kind (``ti_phase2``…), largest share first."""
        return self.territories[self.territories["kind"] == kind]


NEARBY_FONCIER_RADIUS_M = 5_000.0
"""The commune fiche lists the foncier sites within this distance of the commune (Lambert-93, metres)."""


@dataclass(frozen=True)
class CommuneProfile:
    """A commune with its EPCI, the territories it belongs to, its projects and the foncier in and around it.

    ``territories``: ``territory_id, kind, label``. ``foncier_nearby``: the available sites within
    :data:`NEARBY_FONCIER_RADIUS_M` of the commune, with ``distance_m`` (0 inside), nearest first.
    ``projects``: the projects located in the commune.
    """

    code: str
    nom: str
    population: int
    area_km2: float
    departement: str
    epci_siren: str | None
    epci_nom: str | None
    territories: pd.DataFrame
    foncier_nearby: pd.DataFrame
    projects: pd.DataFrame
    project_totals: ProjectTotals


def commune_profile(code: str, places: PlaceData, *, radius_m: float = NEARBY_FONCIER_RADIUS_M) -> CommuneProfile:
    """Gather the profile of commune ``code`` (INSEE, COG 2026) from ``places``; distances in Lambert-93.

    Raises
    ------
    KeyError
        If ``code`` is not in ``places.communes`` (French message).
    """
    rows = places.communes[places.communes["code"] == code]
    if rows.empty:
        raise PlaceNotFoundError(f"Commune inconnue : {code}")
    row = rows.iloc[0]
    siren = None if pd.isna(row["epci_siren"]) else str(row["epci_siren"])
    names = places.epci.loc[places.epci["siren"] == siren, "nom"]
    member_of = places.territory_communes.loc[places.territory_communes["code"] == code, ["territory_id"]]
    linked = member_of.merge(places.territories[["territory_id", "kind", "label"]], on="territory_id")
    in_commune = places.projects[places.projects["insee_com"] == code]
    return CommuneProfile(
        code=code,
        nom=str(row["nom"]),
        population=int(row["population"]),
        area_km2=float(row["area_km2"]),
        departement=str(row["departement"]),
        epci_siren=siren,
        epci_nom=str(names.iloc[0]) if len(names) else None,
        territories=linked.sort_values(["kind", "label"], ignore_index=True),
        foncier_nearby=_sites_near(rows, available_sites(places.foncier), radius_m),
        projects=in_commune,
        project_totals=project_totals(in_commune),
    )


def _sites_near(commune: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, radius_m: float) -> pd.DataFrame:
    outline_l93 = commune.to_crs(LAMBERT93).geometry.iloc[0]
    sites_l93 = sites.to_crs(LAMBERT93)
    near = sites_l93.iloc[sites_l93.sindex.query(outline_l93, predicate="dwithin", distance=radius_m)]
    near = near.assign(distance_m=near.distance(outline_l93))
    return pd.DataFrame(near.drop(columns="geometry")).sort_values("distance_m", kind="stable", ignore_index=True)


def epci_profile(siren: str, places: PlaceData) -> EpciProfile:
    """Gather the profile of EPCI ``siren`` from ``places``.

    Raises
    ------
    KeyError
        If ``siren`` is not in ``places.epci`` (French message).
    """
    communes, territory_communes, territories = places.communes, places.territory_communes, places.territories
    rows = places.epci[places.epci["siren"] == siren]
    if rows.empty:
        raise PlaceNotFoundError(f"EPCI inconnu : {siren}")
    row = rows.iloc[0]
    members = communes.loc[communes["epci_siren"] == siren, ["code", "nom", "population"]].sort_values("nom")
    inside = territory_communes[territory_communes["code"].isin(members["code"])]
    counts = inside.groupby("territory_id").size().rename("n_communes_in").reset_index()
    linked = counts.merge(territories[["territory_id", "kind", "label"]], on="territory_id")
    linked["share"] = linked["n_communes_in"] / len(members)
    linked = linked.sort_values(["kind", "share", "label"], ascending=[True, False, True], ignore_index=True)
    in_epci = places.projects[places.projects["epci_siren"] == siren]
    return EpciProfile(
        siren=siren,
        nom=str(row["nom"]),
        type=str(row["type"]),
        population=int(row["population"]),
        area_km2=float(row["area_km2"]),
        communes=members.reset_index(drop=True),
        territories=linked[["territory_id", "kind", "label", "n_communes_in", "share"]],
        projects=in_epci,
        project_totals=project_totals(in_epci),
        foncier_totals=foncier_totals(places.foncier[places.foncier["epci_siren"] == siren]),
    )


@dataclass(frozen=True)
class TerritoryProfile:
    """A Territoire d'industrie, bassin or zoning with its member EPCI and communes, projects and foncier.

    ``epci`` has one row per EPCI with communes inside: ``siren, nom, n_communes_in,
    n_communes`` (communes of the EPCI) and ``share`` (0–1). ``projects``: the projects located in
    its communes.
    """

    territory_id: str
    kind: str
    label: str
    population: int
    area_km2: float
    n_communes: int
    source: str
    vintage: str
    commune_codes: frozenset[str]
    epci: pd.DataFrame
    projects: pd.DataFrame
    project_totals: ProjectTotals
    foncier_totals: FoncierTotals
    basis: str = ""
    approximation: str = ""
    regions: frozenset[str] = frozenset()


def territory_profile(territory_id: str, places: PlaceData) -> TerritoryProfile:
    """Gather the profile of territory ``territory_id`` from ``places`` (members by commune, as the build defines them).

    Raises
    ------
    KeyError
        If ``territory_id`` is not in ``places.territories`` (French message).
    """
    communes, epci = places.communes, places.epci
    rows = places.territories[places.territories["territory_id"] == territory_id]
    if rows.empty:
        raise PlaceNotFoundError(f"Territoire inconnu : {territory_id}")
    row = rows.iloc[0]
    codes = set(places.territory_communes.loc[places.territory_communes["territory_id"] == territory_id, "code"])
    sizes = communes.groupby("epci_siren").size().rename("n_communes")
    inside = communes[communes["code"].isin(codes)].groupby("epci_siren").size().rename("n_communes_in")
    members = (
        pd.concat([inside, sizes], axis=1, join="inner")
        .rename_axis("siren")
        .reset_index()
        .merge(epci[["siren", "nom"]], on="siren", how="left")
    )
    members["share"] = members["n_communes_in"] / members["n_communes"]
    members = members.sort_values(["share", "nom"], ascending=[False, True], ignore_index=True)
    in_territory = places.projects[places.projects["insee_com"].isin(codes)]
    return TerritoryProfile(
        territory_id=territory_id,
        kind=str(row["kind"]),
        label=str(row["label"]),
        population=int(row["population"]),
        area_km2=float(row["area_km2"]),
        n_communes=len(codes),
        source=str(row["source"]),
        vintage=str(row["vintage"]),
        commune_codes=frozenset(codes),
        epci=members[["siren", "nom", "n_communes_in", "n_communes", "share"]],
        projects=in_territory,
        project_totals=project_totals(in_territory),
        foncier_totals=foncier_totals(places.foncier[places.foncier["insee_com"].isin(codes)]),
        basis=_text(row.get("basis")),
        approximation=_text(row.get("approximation")),
        regions=frozenset(communes.loc[communes["code"].isin(codes), "region"].dropna().astype(str)),
    )


@dataclass(frozen=True)
class ContextNote:
    """A sourced note shown beside a kind of territory (``data/contexte.yaml``)."""

    title: str
    text: str
    sources: tuple[str, ...]


def context_notes(notes: list[dict], *, kind: str, regions: frozenset[str]) -> list[ContextNote]:
    """The notes of ``data/contexte.yaml`` that apply to a territory of ``kind`` in ``regions``.

    >>> notes = [{"applies_to": {"kind": "ti_phase1", "region": "44"}, "title": "T", "text": "x", "sources": ["s"]}]
    >>> [n.title for n in context_notes(notes, kind="ti_phase1", regions=frozenset({"44"}))]
    ['T']
    >>> context_notes(notes, kind="ti_phase1", regions=frozenset({"32"}))
    []
    """
    chosen = []
    for note in notes:
        rule = note.get("applies_to", {})
        if rule.get("kind") == kind and ("region" not in rule or str(rule["region"]) in regions):
            chosen.append(ContextNote(str(note["title"]), " ".join(str(note["text"]).split()), tuple(note["sources"])))
    return chosen


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()
