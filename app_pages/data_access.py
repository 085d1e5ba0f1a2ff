"""The app's single data-access point: layers loaded from the store once per process.

Pages call these accessors; ``geo/`` stays free of Streamlit. ``cache_resource`` (not
``cache_data``) because the frames are read-only and shared by every session: no copy
per rerun. Cache keys are the store's revisions: a rebuild or an import reloads the
layers, a foncier edit reloads only the foncier sites and their history.

When PostGIS becomes unreachable, the app keeps serving what it already loaded (last
known revision), says so, and refuses edits: it stays usable read-only.
"""

from __future__ import annotations

import functools
import threading
import time
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st
import yaml

from geo import settings
from geo.analysis.foncier import FoncierQuery, search_sites
from geo.analysis.foncier_quality import quality_flags
from geo.analysis.phases import phase_comparison
from geo.analysis.places import PlaceData, place_index
from geo.analysis.profiles import FoncierTotals, foncier_totals
from geo.analysis.projects import filter_projects, typed_projects
from geo.analysis.view import MapView, ProjectFilters
from geo.errors import StoreError, StoreUnavailableError
from geo.imports.locate import CommuneLookup
from geo.metadata import attributions
from geo.publication import published_tiles
from geo.store import Store, open_store
from geo.usecases import stats
from geo.usecases.foncier_search import FoncierResult, FoncierSearch, run_search, with_quality
from geo.vocabulary import AVAILABLE_STATUSES
from layers.overview import MapData, prepare_map_data
from layers.popups import CircleMarker
from layers.projects import project_markers
from layers.territories import overlay_caveats, overlay_sources
from layers.vector_tiles import TileSource

_REVISION_TTL_S = 1.0  # a rerun asks for many layers: read the revision at most once a second
_revision_lock = threading.Lock()
_last_revision: dict[str, tuple[float, tuple[str, int]]] = {}
_unreachable: dict[str, str] = {}


def store() -> Store:
    """The configured store (GeoPackage, or PostGIS when REINDUS_DATABASE_URL is set), one per process."""
    return _cached_store(str(settings.store_path()), settings.database_url())


# Not st.cache_resource: a page asks for the store a few dozen times per rerun, and Streamlit's cache lookup
# (hashing the arguments, reading the function's signature) was a tenth of a Carte rerun under load.
@functools.lru_cache(maxsize=8)
def _cached_store(path: str, url: str | None) -> Store:
    return open_store(path, url=url)


def revision() -> tuple[str, int]:
    """``(layers, edits)`` revisions of the store; the last known ones while the database is unreachable."""
    key = store().describe()
    now = time.monotonic()
    with _revision_lock:
        known = _last_revision.get(key)
        if known and now - known[0] < _REVISION_TTL_S and key not in _unreachable:
            return known[1]
        try:
            current = store().revision()
        except StoreUnavailableError as error:
            if known is None:
                raise
            _unreachable[key] = str(error)
            return known[1]
        _unreachable.pop(key, None)
        _last_revision[key] = (now, current)
        return current


def unreachable_message() -> str | None:
    """The French message to show while the database cannot be reached (None when all is well)."""
    return _unreachable.get(store().describe())


def layer(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """One layer of the store, loaded once per process (and again after a rebuild or an import)."""
    return _cached_layer(store().describe(), _layers_revision(), name)


@st.cache_resource(show_spinner="Chargement des données…", max_entries=64)
def _cached_layer(where: str, version: str, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    return store().read(name)


def layer_names() -> list[str]:
    """The layers of the store (a store built before a layer existed lacks it: pages then leave it out)."""
    return _cached_layer_names(store().describe(), _layers_revision())


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_layer_names(where: str, version: str) -> list[str]:
    return list(store().layer_names())


def layer_or_stop(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """Like :func:`layer`, but shows a French error and stops the page if the store is not built or reachable."""
    try:
        return layer(name)
    except StoreError as error:
        st.error(f"{error}")
        st.stop()
        raise  # unreachable: st.stop() raises


def _layers_revision() -> str:
    return revision()[0]


@st.cache_resource(show_spinner="Préparation de la carte…")
def _cached_map_data(version: str) -> MapData:
    return prepare_map_data(
        layer("epci_web"), layer("departements_web"), layer("regions_web"), layer("territoires_web")
    )


def map_data() -> MapData:
    """The map's prepared GeoJSON and labels, built once per store version (no geometry work on reruns)."""
    return _cached_map_data(_layers_revision())


@st.cache_resource(show_spinner=False)
def _cached_places(version: str) -> pd.DataFrame:
    return place_index(epci=layer("epci"), communes=layer("communes"), territories=layer("territoires"))


def places() -> pd.DataFrame:
    """The search index of EPCI, communes and territories, built once per store version."""
    return _cached_places(_layers_revision())


@st.cache_resource(show_spinner=False)
def _cached_projects(version: str) -> gpd.GeoDataFrame:
    return typed_projects(layer("projets"))


def projects() -> gpd.GeoDataFrame:
    """The projects of the store (curated and imported), typed, once per store version."""
    return _cached_projects(_layers_revision())


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_filtered_projects(version: str, filters: ProjectFilters) -> gpd.GeoDataFrame:
    return filter_projects(_cached_projects(version), **filters.as_kwargs())


def filtered_projects(filters: ProjectFilters) -> gpd.GeoDataFrame:
    """The store's projects kept by the sidebar's ``filters``, once per choice and store version (selecting rows of
    the projects' Arrow columns was a sixth of each Carte rerun under load)."""
    return _cached_filtered_projects(_layers_revision(), filters)


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_project_markers(
    version: str, filters: ProjectFilters, measure: str, colour_by: str
) -> tuple[CircleMarker, ...]:
    return project_markers(_cached_filtered_projects(version, filters), measure=measure, colour_by=colour_by)


def filtered_project_markers(filters: ProjectFilters, *, measure: str, colour_by: str) -> tuple[CircleMarker, ...]:
    """The circles of the projects kept by ``filters`` (:func:`layers.projects.project_markers`), once per choice
    and store version: writing each project's card was a quarter of each Carte rerun under load."""
    return _cached_project_markers(_layers_revision(), filters, measure, colour_by)


@st.cache_resource(show_spinner=False, max_entries=64)
def _cached_concentration(
    version: str, filters: ProjectFilters, kind: str, measure: str, per_capita: bool, today: date
) -> stats.ConcentrationStats:
    return stats.concentration_stats(
        _cached_filtered_projects(version, filters),
        kind=kind,
        measure=measure,
        units=_cached_units(version, kind),
        per_capita=per_capita,
        today=today,
    )


def concentration(filters: ProjectFilters, *, kind: str, measure: str, per_capita: bool) -> stats.ConcentrationStats:
    """:func:`geo.usecases.stats.concentration_stats` of the projects kept by ``filters``, once per choice, store
    version and day (the robustness note dates the statuses): the Concentration page's ranking and its figures."""
    return _cached_concentration(_layers_revision(), filters, kind, measure, per_capita, date.today())


@st.cache_resource(show_spinner=False)
def _cached_units(version: str, kind: str) -> pd.DataFrame:
    return stats.units_from_store(layer, kind)


def units(kind: str) -> pd.DataFrame:
    """Every unit of an aggregation level with its COG 2026 population (see geo.usecases.stats)."""
    return _cached_units(_layers_revision(), kind)


@st.cache_resource(show_spinner=False)
def _cached_unit_shapes(version: str, kind: str) -> gpd.GeoDataFrame:
    return stats.unit_shapes(layer, kind)


def unit_shapes(kind: str) -> gpd.GeoDataFrame:
    """Web geometries of an aggregation level: ``id, nom, geometry`` (WGS84)."""
    return _cached_unit_shapes(_layers_revision(), kind)


@st.cache_resource(show_spinner=False)
def _cached_lookup(version: str) -> CommuneLookup:
    lookup = CommuneLookup(layer("cog_communes"), layer("communes"))
    lookup.points, lookup.names  # noqa: B018 — computed now, shared by every import
    return lookup


def commune_lookup() -> CommuneLookup:
    """COG codes and map communes for imports, with their points and name index, once per store version."""
    return _cached_lookup(_layers_revision())


@st.cache_resource(show_spinner="Chargement du foncier…", max_entries=4)
def _cached_foncier(where: str, version: tuple[str, int]) -> gpd.GeoDataFrame:
    sites = store().read("foncier")
    sites = sites.assign(verifie=sites["verifie"].astype(bool), version=sites["version"].astype(int))
    return with_quality(sites)  # each site's fiche and the exports say why a site is not counted


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_foncier_flags(where: str, version: tuple[str, int]) -> pd.DataFrame:
    return quality_flags(foncier_sites())


def foncier_flags() -> pd.DataFrame:
    """The quality flags of every foncier site (:func:`~geo.analysis.foncier_quality.quality_flags`), once per edit."""
    return _cached_foncier_flags(store().describe(), revision())


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_foncier_totals(where: str, version: tuple[str, int]) -> FoncierTotals:
    return foncier_totals(foncier_sites())


def all_foncier_totals() -> FoncierTotals:
    """The available and plausible foncier of both regions (quality rules over every site), once per store version."""
    return _cached_foncier_totals(store().describe(), revision())


def foncier_sites() -> gpd.GeoDataFrame:
    """Brownfields, sites clés en main and the editors' sites; reloaded after each edit (not the other layers)."""
    return _cached_foncier(store().describe(), revision())


@st.cache_resource(show_spinner=False, max_entries=32)
def _cached_foncier_search(where: str, version: tuple[str, int], search: FoncierSearch) -> FoncierResult:
    return run_search(foncier_sites(), search, places(), flags=foncier_flags())


def foncier_search(search: FoncierSearch) -> FoncierResult:
    """The Foncier page's search (:func:`geo.usecases.foncier_search.run_search`), once per search and edit: a rerun
    that changes no criterion (a site opened, a shortlist ticked) does not sort the 6,000 sites again."""
    return _cached_foncier_search(store().describe(), revision(), search)


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_place_data(where: str, version: tuple[str, int]) -> PlaceData:
    return PlaceData(
        epci=layer("epci"),
        communes=layer("communes"),
        territories=layer("territoires"),
        territory_communes=layer("territoire_communes"),
        index=places(),
        projects=projects(),
        foncier=foncier_sites(),
    )


def place_data() -> PlaceData:
    """The places and what is located in them (a bundle of the shared frames, no copy), once per edit."""
    return _cached_place_data(store().describe(), revision())


DRAWN_LAND_MIN_SURFACE_HA = 1.0
"""The Carte's foncier layer: available sites of 1 ha or more."""


@st.cache_resource(show_spinner=False, max_entries=4)
def _cached_drawn_land(where: str, version: tuple[str, int]) -> gpd.GeoDataFrame:
    # Drawn, not ranked: the sites carry their quality reasons already, so no quality rule runs here.
    query = FoncierQuery(min_surface_ha=DRAWN_LAND_MIN_SURFACE_HA, statuts=AVAILABLE_STATUSES, rank_by_aptitude=False)
    return search_sites(foncier_sites(), query)


def drawn_available_land() -> gpd.GeoDataFrame:
    """The available sites of 1 ha or more the Carte draws, once per edit: selecting rows of the 6,000 sites'
    Arrow columns was an eighth of each Carte rerun under load (20 sessions on one process)."""
    return _cached_drawn_land(store().describe(), revision())


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_audit(where: str, version: tuple[str, int], table: str) -> pd.DataFrame:
    return store().read(table).sort_values("change_id", ascending=False)


def foncier_audit() -> pd.DataFrame:
    """The history of foncier edits, newest first."""
    return _cached_audit(store().describe(), revision(), "foncier_audit")


def projects_audit() -> pd.DataFrame:
    """The history of project edits, newest first."""
    return _cached_audit(store().describe(), revision(), "projets_audit")


def after_write() -> None:
    """Forget the memoised revision so this session sees its own write at once."""
    with _revision_lock:
        _last_revision.pop(store().describe(), None)


def phases() -> pd.DataFrame:
    """Every EPCI with its path between the two phases of Territoires d'industrie (cached per store version)."""
    return _cached_phases(_layers_revision())


@st.cache_resource(show_spinner=False)
def _cached_phases(version: str) -> pd.DataFrame:
    return phase_comparison(layer("epci"), layer("communes"), layer("territoires"), layer("territoire_communes"))


def relance_stats() -> stats.RelanceStats:
    """France Relance firms aided by département and by region (cached per store version)."""
    return _cached_relance(_layers_revision())


def relance_by_departement() -> pd.DataFrame:
    """France Relance firms aided by département, per 100,000 inhabitants and share (cached per store version)."""
    return relance_stats().table


@st.cache_resource(show_spinner=False)
def _cached_relance(version: str) -> stats.RelanceStats:
    return stats.relance_stats(layer)


def relance_series() -> pd.DataFrame:
    """France Relance: the cumulative monthly counts 2020-2022 by département."""
    return layer("relance_mensuel")


@st.cache_resource(show_spinner=False)
def context_notes_file() -> list[dict]:
    """The sourced context notes of ``data/contexte.yaml`` (read once per process)."""
    with open(settings.DATA_DIR / "contexte.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)["notes"]


def press_module():
    """The press maps' package, imported by the pages that draw them: the Carte, a new visitor's first page,
    does not wait for matplotlib (0.3 s on a fresh server)."""
    from layers import press  # imported when first needed (see above)

    press.register_fonts(settings.FONTS_DIR.glob("*.ttf"))  # once per process: the files are known afterwards
    return press


def press_layer(name: str) -> pd.DataFrame:
    """A layer for the press maps: the foncier with its computed columns, the others as stored."""
    return foncier_sites() if name == "foncier" else layer(name)


def map_sources(
    overlays: tuple[str, ...],
    *,
    with_projects: bool,
    with_foncier: bool = False,
    with_relance: bool = False,
    employment: str | None = None,
) -> list[str]:
    """The sources and vintages of the Carte's visible layers (pandas work done once per choice of layers);
    ``employment``: the table the employment layer draws (``emploi_industriel_ze`` or ``emploi_epci``)."""
    return list(
        _cached_map_sources(_layers_revision(), overlays, with_projects, with_foncier, with_relance, employment)
    )


@st.cache_resource(show_spinner=False, max_entries=128)
def _cached_map_sources(
    version: str,
    overlays: tuple[str, ...],
    with_projects: bool,
    with_foncier: bool,
    with_relance: bool,
    employment: str | None,
) -> tuple[str, ...]:
    metadata = layer("metadata")
    sources = attributions(metadata, ["epci", "departements", "regions"])
    sources += overlay_sources(layer("territoires_web"), list(overlays))
    shown = {"projets": with_projects, "foncier": with_foncier, "relance": with_relance, employment: bool(employment)}
    for name in (name for name, on in shown.items() if on):  # in the order the map draws them
        sources += attributions(metadata, [name])
    return tuple(sources)


def map_caveats(overlays: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """The approached perimeters among the territories of ``overlays`` (``(label, note)``), once per choice of
    layers and store version: filtering the territories on every rerun was a tenth of the Carte's rerun under load."""
    return _cached_map_caveats(_layers_revision(), tuple(overlays))


@st.cache_resource(show_spinner=False, max_entries=128)
def _cached_map_caveats(version: str, overlays: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple(overlay_caveats(layer("territoires_web"), list(overlays)))


def departement_names() -> dict[str, str]:
    """The 15 départements of the two regions, by code, once per store version."""
    return dict(_cached_departement_names(_layers_revision()))


@st.cache_resource(show_spinner=False)
def _cached_departement_names(version: str) -> tuple[tuple[str, str], ...]:
    departements = layer("departements")
    in_scope = departements[departements["in_scope"].astype(bool)].sort_values("code")
    return tuple(zip(in_scope["code"], in_scope["nom"], strict=True))


def map_tiles() -> TileSource | None:
    """The vector-tile archive of the store, as published under ``/app/static/tiles/``; None when it is not.

    Only reads: the build publishes the archive (:mod:`geo.publication`), so the app runs from a read-only
    installation. A missing archive, an archive not published or missing map scripts are said in French,
    with the command that fixes them; the pages then draw the simplified GeoJSON map.
    """
    missing = [path for path in settings.VECTOR_MAP_ASSETS if not path.is_file()]
    if missing:
        st.error(
            "Les scripts de la carte vectorielle manquent ("
            + ", ".join(str(path.relative_to(settings.REPO_ROOT)) for path in missing)
            + ") : lancez `make install` (ils viennent du registre npm). La carte simplifiée est affichée à la place."
        )
        return None
    archive = settings.tiles_path(settings.store_path())
    try:
        stat = archive.stat()
    except FileNotFoundError:
        st.error(
            f"L'archive des tuiles vectorielles `{archive.name}` est absente : lancez `reindus build` "
            "(ou `make data`). La carte simplifiée est affichée à la place, sans contours de communes."
        )
        return None
    url = _published_tiles(str(archive), stat.st_mtime_ns, stat.st_size, str(settings.PUBLISHED_TILES_DIR))
    if url is None:
        st.error(
            f"L'archive des tuiles vectorielles `{archive.name}` n'est pas publiée pour l'application : lancez "
            "`reindus publish-tiles` (ou `reindus build`) avec le droit d'écrire dans `static/tiles/`. La carte "
            "simplifiée est affichée à la place, sans contours de communes."
        )
        return None
    return TileSource(url=url)


def _published_tiles(archive: str, mtime_ns: int, size: int, tiles_dir: str) -> str | None:
    url = _published_tiles_url(archive, mtime_ns, size, tiles_dir)
    if url is None:
        _published_tiles_url.clear()  # "not published" is not kept: `reindus publish-tiles` fixes it at once
    return url


@st.cache_resource(show_spinner=False, max_entries=8)
def _published_tiles_url(archive: str, mtime_ns: int, size: int, tiles_dir: str) -> str | None:
    """The archive's published URL, looked up once per version of the archive (its digest reads the file)."""
    return published_tiles(Path(archive), tiles_dir=Path(tiles_dir))


WARMED_LAYERS = ("departements_web",)
"""Layers a first page reads beyond those below."""


def warm() -> None:
    """Load, into the process's caches, what the Carte's first page reads: its map, places, projects (with the
    default filters) and their circles, the foncier it draws, and the places of a fiche. Called once as the
    server starts (:mod:`app_pages.serve`); raises :class:`~geo.errors.StoreError` when the store cannot be read."""
    revision()
    map_data()
    opening = MapView()
    filtered_project_markers(opening.filters, measure=opening.size_measure, colour_by=opening.colour_by)
    drawn_available_land()  # reads the foncier sites first
    place_data()
    departement_names()
    layer_names()
    for name in WARMED_LAYERS:
        layer(name)
