"""The app's single data-access point: layers loaded from the store once per process.

Pages call these accessors; ``geo/`` stays free of Streamlit. ``cache_resource`` (not
``cache_data``) because the frames are read-only and shared by every session: no copy
per rerun.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import settings
from geo.concentration import TERRITORY_KIND_OF_UNIT, units_of
from geo.errors import StoreError
from geo.locate import CommuneLookup
from geo.projects import typed_projects
from geo.search import place_index
from geo.store import GeoPackageStore
from layers.overview import MapData, prepare_map_data


def layer(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """One layer of the store, loaded once per process (and again after a rebuild)."""
    # The file's mtime is part of the key: `reindus build` while the app runs is picked up.
    return _cached_layer(str(settings.store_path()), _store_version(), name)


@st.cache_resource(show_spinner="Chargement des données…", max_entries=64)
def _cached_layer(path: str, version: int, name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    return GeoPackageStore(Path(path)).read(name)


def layer_or_stop(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """Like :func:`layer`, but shows a French error and stops the page if the store is not built."""
    try:
        return layer(name)
    except StoreError as error:
        st.error(f"{error}")
        st.stop()
        raise  # unreachable: st.stop() raises


def _store_version() -> int:
    path = settings.store_path()
    return path.stat().st_mtime_ns if path.is_file() else 0


@st.cache_resource(show_spinner="Préparation de la carte…")
def _cached_map_data(version: int) -> MapData:
    return prepare_map_data(
        layer("epci_web"), layer("departements_web"), layer("regions_web"), layer("territoires_web")
    )


def map_data() -> MapData:
    """The map's prepared GeoJSON and labels, built once per store version (no geometry work on reruns)."""
    return _cached_map_data(_store_version())


@st.cache_resource(show_spinner=False)
def _cached_places(version: int) -> pd.DataFrame:
    return place_index(epci=layer("epci"), communes=layer("communes"), territories=layer("territoires"))


def places() -> pd.DataFrame:
    """The search index of EPCI, communes and territories, built once per store version."""
    return _cached_places(_store_version())


@st.cache_resource(show_spinner=False)
def _cached_projects(version: int) -> gpd.GeoDataFrame:
    return typed_projects(layer("projets"))


def projects() -> gpd.GeoDataFrame:
    """The projects of the store (curated and imported), typed, once per store version."""
    return _cached_projects(_store_version())


@st.cache_resource(show_spinner=False)
def _cached_units(version: int, kind: str) -> pd.DataFrame:
    tables = {name: layer(name) for name in ("epci", "communes", "territoires", "departements", "regions")}
    return units_of(kind, **tables)


def units(kind: str) -> pd.DataFrame:
    """Every unit of an aggregation level with its COG 2026 population (see geo.concentration)."""
    return _cached_units(_store_version(), kind)


def unit_shapes(kind: str) -> gpd.GeoDataFrame:
    """Web geometries of an aggregation level: ``id, nom, geometry`` (WGS84)."""
    if kind == "epci":
        return layer("epci_web").rename(columns={"siren": "id"})[["id", "nom", "geometry"]]
    if kind in ("departement", "region"):
        shapes = layer("departements_web" if kind == "departement" else "regions_web")
        return shapes[shapes["in_scope"]].rename(columns={"code": "id"})[["id", "nom", "geometry"]]
    territory_kind = TERRITORY_KIND_OF_UNIT[kind]
    shapes = layer("territoires_web")
    shapes = shapes[shapes["kind"] == territory_kind]
    return shapes.rename(columns={"territory_id": "id", "label": "nom"})[["id", "nom", "geometry"]]


@st.cache_resource(show_spinner=False)
def _cached_lookup(version: int) -> CommuneLookup:
    lookup = CommuneLookup(layer("cog_communes"), layer("communes"))
    lookup.points, lookup.names  # noqa: B018 — computed now, shared by every import
    return lookup


def commune_lookup() -> CommuneLookup:
    """COG codes and map communes for imports, with their points and name index, once per store version."""
    return _cached_lookup(_store_version())


def store() -> GeoPackageStore:
    """The configured store (for imports and edits; reads go through the cached accessors)."""
    return GeoPackageStore(settings.store_path())


@st.cache_resource(show_spinner=False)
def _cached_foncier(version: int) -> gpd.GeoDataFrame:
    sites = layer("foncier")
    return sites.assign(verifie=sites["verifie"].astype(bool))


def foncier_sites() -> gpd.GeoDataFrame:
    """Brownfields and sites clés en main of the store, once per store version."""
    return _cached_foncier(_store_version())
