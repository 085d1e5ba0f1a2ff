"""Ready-made press views and the data each one needs (taken from the store by the caller)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.analysis.foncier import FoncierQuery, search_sites
from geo.analysis.phases import phase_comparison
from geo.analysis.places import largest_communes
from geo.analysis.view import MapView
from geo.crs import WGS84
from geo.metadata import attributions, build_date
from layers.territories import OVERLAYS, overlay_caveats, overlay_sources

MEASURE_LABELS = {
    "jobs_announced": "emplois permanents annoncés",
    "jobs_construction": "emplois de chantier au pic",
    "investment_eur": "€ d'investissement annoncés",
    "public_funding_eur": "€ d'aides publiques",
}


@dataclass(frozen=True)
class PressView:
    """A ready-made view: what is drawn, and the default title and subtitle."""

    key: str
    title: str
    subtitle: str
    overlays: tuple[str, ...] = ()
    projects_measure: str | None = None
    epci_measure: str | None = None
    foncier: bool = False
    phases: bool = False  # EPCI coloured by their path between the two phases of Territoires d'industrie


VIEWS: dict[str, PressView] = {
    view.key: view
    for view in (
        PressView(
            "ti2",
            "Territoires d'industrie 2024-2027",
            "Hauts-de-France et Grand Est, par intercommunalité (EPCI)",
            overlays=("ti2",),
        ),
        PressView(
            "bassins-projets",
            "Bassins prioritaires et projets industriels",
            "Cercles proportionnels aux emplois permanents annoncés",
            overlays=("bassins",),
            projects_measure="jobs_announced",
        ),
        PressView(
            "emplois-epci",
            "Emplois permanents annoncés par intercommunalité",
            "Projets industriels recensés, hors projets abandonnés ou fermés",
            epci_measure="jobs_announced",
        ),
        PressView(
            "ti-evolution",
            "Territoires d'industrie : qui est entré, qui est sorti en 2024",
            "Intercommunalités (EPCI) selon leur appartenance aux phases 2018-2023 et 2024-2027",
            phases=True,
        ),
        PressView(
            "foncier-ti",
            "Foncier disponible dans les Territoires d'industrie",
            "Friches sans projet de 2 ha et plus, et sites industriels clés en main",
            overlays=("ti2",),
            foncier=True,
        ),
    )
}


def view_from_map(view: MapView) -> PressView:
    """The press view of a Carte view (its overlays and circle measure); projects filtered by the caller."""
    overlays = tuple(key for key in OVERLAYS if key in view.overlays)
    names = [OVERLAYS[key].name for key in overlays] + (["projets industriels"] if view.show_projects else [])
    return PressView(
        "carte",
        "Carte de la réindustrialisation",
        "Hauts-de-France et Grand Est — " + (", ".join(names) if names else "intercommunalités (EPCI)"),
        overlays=overlays,
        projects_measure=view.size_measure if view.show_projects else None,
    )


@dataclass
class PressData:
    """The frames a press map needs (WGS84), taken from the store by the caller."""

    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    territories: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    foncier: gpd.GeoDataFrame
    epci_values: pd.Series  # measure by EPCI SIREN (for choropleth views)
    sources: list[str]
    build_date: str
    caveats: list[tuple[str, str]] = field(default_factory=list)  # (territory, how its perimeter is approached)
    phases: pd.DataFrame | None = None  # geo.analysis.phases.phase_comparison, for the phases view
    towns: gpd.GeoDataFrame | None = None  # the largest commune of each département, named for orientation


def press_data(
    read: Callable[[str], pd.DataFrame],
    view: PressView,
    *,
    projects: gpd.GeoDataFrame,
    include_unsourced: bool = False,
) -> PressData:
    """Gather the frames of ``view`` through ``read`` (``store.read`` or the app's cached ``layer``).

    ``projects`` are the projects to draw, already filtered by the caller (default: not abandoned);
    rows without a source (« non sourcé », from a user's import) are left out unless ``include_unsourced``.
    """
    if not include_unsourced and "sourced" in projects:
        projects = projects[projects["sourced"].astype(bool)]

    foncier = read("foncier") if view.foncier else None
    if foncier is not None:
        # Verified available land only: unverified "potential" brownfields are not shown to the press. The State's
        # sites clés en main are shown whatever their surface: the published lists give almost none.
        brownfields = search_sites(foncier, FoncierQuery(min_surface_ha=2.0, statuts=("friche sans projet",)))
        turnkey = search_sites(foncier, FoncierQuery(statuts=("site clé en main",)))
        foncier = pd.concat([brownfields, turnkey])
        foncier = foncier[foncier["ti_phase2"].notna()]
    metadata = read("metadata")
    territories = read("territoires_web")
    # The sources of what is drawn, and only those: boundaries, the overlays shown, projects, foncier.
    sources = attributions(metadata, ["epci", "departements", "regions"])
    sources += overlay_sources(territories, [*view.overlays, *(("ti1", "ti2") if view.phases else ())])
    sources += attributions(metadata, ["projets"]) if view.projects_measure or view.epci_measure else []
    sources += attributions(metadata, ["foncier"]) if view.foncier else []
    values = pd.Series(dtype=float)
    if view.epci_measure:
        # NaN for an EPCI whose projects all lack the figure: « non renseigné », not zero.
        values = (
            pd.to_numeric(projects[view.epci_measure], errors="coerce").groupby(projects["epci_siren"]).sum(min_count=1)
        )
    built = build_date(metadata)
    communes = read("communes")
    return PressData(
        epci=read("epci_web"),
        departements=read("departements_web"),
        regions=read("regions_web"),
        territories=territories,
        projects=projects,
        foncier=foncier if foncier is not None else gpd.GeoDataFrame(geometry=[], crs=WGS84),
        epci_values=values,
        sources=sources,
        build_date=built[:10] if built else "inconnue",
        caveats=overlay_caveats(territories, list(view.overlays)),
        phases=(
            phase_comparison(read("epci"), communes, read("territoires"), read("territoire_communes"))
            if view.phases
            else None
        ),
        towns=largest_communes(communes[communes["in_regions"].astype(bool)]),
    )
