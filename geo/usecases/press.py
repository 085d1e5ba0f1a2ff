"""What the press maps and the dossier de presse show: the data of a ready-made view, decided once.

A press view (``layers.press.VIEWS``, or the Carte's view by its permalink) says *what* is drawn:
overlays, a measure for the project circles or the EPCI colours, the foncier, the two phases of
Territoires d'industrie. This module gathers the frames for it: the projects shown (the Carte's
filters, sourced rows only), the foncier offered to the press (verified brownfields of
:data:`PRESS_MIN_SURFACE_HA` or more without a project, and the sites clés en main, in a Territoire
d'industrie 2024-2027), the totals by EPCI, the phase comparison, the sources and approached
perimeters of what is drawn. The dossier's tables read the same frames: nothing is grouped twice.

Drawing stays in :mod:`layers.press` (matplotlib, folium), which ``geo`` never imports. So the use
cases "export a press map" and "build the dossier" are composed there, by ``layers.press.exports``
(:func:`~layers.press.exports.export_view`, :func:`~layers.press.exports.export_dossier`): the one
function ``reindus export`` and the Presse page both call, on top of this module's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import geopandas as gpd
import pandas as pd

from geo.analysis.foncier import FoncierQuery, search_sites
from geo.analysis.overlays import overlay_caveats, overlay_sources
from geo.analysis.phases import phase_comparison
from geo.analysis.places import largest_communes
from geo.analysis.projects import filter_projects
from geo.analysis.view import ProjectFilters
from geo.crs import WGS84
from geo.metadata import attributions, build_date
from geo.usecases.stats import ZONE_EMPLOI, unit_shapes
from geo.vocabulary import STATUS_FREE_BROWNFIELD, STATUS_TURNKEY

Read = Callable[[str], pd.DataFrame]
"""A layer of the store by name: ``store.read`` or the app's cached accessor."""

PRESS_MIN_SURFACE_HA = 2.0
"""Brownfields shown to the press: 2 ha and more (smaller ones are rarely an industrial site)."""


class DrawnContent(Protocol):
    """What a press view draws (``layers.press.PressView`` has these attributes)."""

    overlays: tuple[str, ...]
    projects_measure: str | None
    epci_measure: str | None
    foncier: bool
    phases: bool
    employment: bool


@dataclass
class PressData:
    """The frames a press map needs (WGS84), gathered by :func:`press_data`."""

    epci: gpd.GeoDataFrame
    departements: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    territories: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    foncier: gpd.GeoDataFrame
    epci_values: pd.Series  # measure by EPCI SIREN (for choropleth views); NaN: projects without the figure
    sources: list[str]
    build_date: str
    caveats: list[tuple[str, str]] = field(default_factory=list)  # (territory, how its perimeter is approached)
    phases: pd.DataFrame | None = None  # geo.analysis.phases.phase_comparison, for the phases view
    towns: gpd.GeoDataFrame | None = None  # the largest commune of each département, named for orientation
    epci_totals: pd.DataFrame | None = None  # :func:`epci_totals` of the choropleth's measure
    zones: gpd.GeoDataFrame | None = None  # zones d'emploi (``id, nom, geometry``), for the employment view
    zone_jobs: pd.DataFrame | None = None  # the ``emploi_industriel_ze`` table, for the employment view


def press_projects(projects: pd.DataFrame, filters: ProjectFilters) -> pd.DataFrame:
    """The projects a press map or the dossier draws: the typed projects filtered as the Carte's ``filters``."""
    return filter_projects(projects, **filters.as_kwargs())


def press_foncier(foncier: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The land offered to the press: verified free brownfields of 2 ha or more, and sites clés en main, in a TI 2.

    Unverified "potential" brownfields are not shown to the press. The State's sites clés en main are shown
    whatever their surface: the published lists give almost none.
    """
    brownfields = search_sites(
        foncier,
        FoncierQuery(
            min_surface_ha=PRESS_MIN_SURFACE_HA,
            statuts=(STATUS_FREE_BROWNFIELD,),
            hide_flagged=True,
            rank_by_aptitude=False,
        ),
    )
    turnkey = search_sites(foncier, FoncierQuery(statuts=(STATUS_TURNKEY,), rank_by_aptitude=False))
    sites = pd.concat([brownfields, turnkey])
    return sites[sites["ti_phase2"].notna()]


def epci_totals(projects: pd.DataFrame, measure: str) -> pd.DataFrame:
    """A measure summed by EPCI: ``total`` (NaN when no project of the EPCI gives the figure: « non renseigné »,
    not zero), ``projets`` and ``chiffres`` (projects giving the figure), indexed by SIREN.

    >>> rows = pd.DataFrame({"epci_siren": ["a", "a", "b"], "jobs_announced": [10, None, None]})
    >>> epci_totals(rows, "jobs_announced").to_dict("index")
    {'a': {'total': 10.0, 'projets': 2, 'chiffres': 1}, 'b': {'total': nan, 'projets': 1, 'chiffres': 0}}
    """
    values = pd.to_numeric(projects[measure], errors="coerce")
    grouped = values.groupby(projects["epci_siren"])
    table = pd.DataFrame({"total": grouped.sum(min_count=1), "projets": grouped.size(), "chiffres": grouped.count()})
    table.index.name = "siren"
    return table


def press_data(
    read: Read,
    view: DrawnContent,
    *,
    projects: gpd.GeoDataFrame,
    include_unsourced: bool = False,
) -> PressData:
    """Gather the frames of ``view`` through ``read`` (``store.read`` or the app's cached accessor).

    ``projects`` are the projects to draw, already filtered by the caller (:func:`press_projects`);
    rows without a source (« non sourcé », from a user's import) are left out unless ``include_unsourced``.
    """
    if not include_unsourced and "sourced" in projects:
        projects = projects[projects["sourced"].astype(bool)]
    metadata = read("metadata")
    territories = read("territoires_web")
    # The sources of what is drawn, and only those: boundaries, the overlays shown, projects, foncier.
    sources = attributions(metadata, ["epci", "departements", "regions"])
    sources += overlay_sources(territories, [*view.overlays, *(("ti1", "ti2") if view.phases else ())])
    sources += attributions(metadata, ["projets"]) if view.projects_measure or view.epci_measure else []
    sources += attributions(metadata, ["foncier"]) if view.foncier else []
    employment = view.employment
    sources += attributions(metadata, ["emploi_industriel_ze"]) if employment else []
    totals = epci_totals(projects, view.epci_measure) if view.epci_measure else None
    built = build_date(metadata)
    communes = read("communes")
    return PressData(
        epci=read("epci_web"),
        departements=read("departements_web"),
        regions=read("regions_web"),
        territories=territories,
        projects=projects,
        foncier=press_foncier(read("foncier")) if view.foncier else gpd.GeoDataFrame(geometry=[], crs=WGS84),
        epci_values=totals["total"] if totals is not None else pd.Series(dtype=float),
        epci_totals=totals,
        sources=sources,
        build_date=built[:10] if built else "inconnue",
        caveats=overlay_caveats(territories, list(view.overlays)),
        phases=(
            phase_comparison(read("epci"), communes, read("territoires"), read("territoire_communes"))
            if view.phases
            else None
        ),
        towns=largest_communes(communes[communes["in_regions"].astype(bool)]),
        zones=unit_shapes(read, ZONE_EMPLOI) if employment else None,
        zone_jobs=read("emploi_industriel_ze") if employment else None,
    )
