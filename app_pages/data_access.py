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
from geo.errors import StoreError
from geo.search import place_index
from geo.store import GeoPackageStore


def layer(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """One layer of the store, loaded once per process (and again after a rebuild)."""
    path = settings.store_path()
    # The file's mtime is part of the key: `reindus build` while the app runs is picked up.
    version = path.stat().st_mtime_ns if path.is_file() else 0
    return _cached_layer(str(path), version, name)


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


@st.cache_resource(show_spinner=False)
def _cached_places(version: int) -> pd.DataFrame:
    return place_index(epci=layer("epci"), communes=layer("communes"), territories=layer("territoires"))


def places() -> pd.DataFrame:
    """The search index of EPCI, communes and territories, built once per store version."""
    path = settings.store_path()
    return _cached_places(path.stat().st_mtime_ns if path.is_file() else 0)
