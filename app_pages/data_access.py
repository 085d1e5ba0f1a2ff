"""The app's single data-access point: layers loaded from the store once per process.

Pages call these accessors; ``geo/`` stays free of Streamlit. ``cache_resource`` (not
``cache_data``) because the frames are read-only and shared by every session: no copy
per rerun.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from geo import settings
from geo.errors import StoreError
from geo.store import GeoPackageStore


@st.cache_resource(show_spinner="Chargement des données…")
def layer(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """One layer of the store, loaded once per process."""
    return GeoPackageStore(settings.store_path()).read(name)


def layer_or_stop(name: str) -> gpd.GeoDataFrame | pd.DataFrame:
    """Like :func:`layer`, but shows a French error and stops the page if the store is not built."""
    try:
        return layer(name)
    except StoreError as error:
        st.error(f"{error}")
        st.stop()
        raise  # unreachable: st.stop() raises
