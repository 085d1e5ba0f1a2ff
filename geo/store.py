"""The store of built layers: an embedded GeoPackage (default).

Only this module reads or writes the store. Writes are atomic: the whole GeoPackage is
written beside the target under a temporary name and renamed over it, so a reader never
sees half a build and a failed build leaves the previous store untouched.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from geo.errors import StoreError

SPATIAL_LAYERS = (
    "communes",
    "epci",
    "departements",
    "regions",
    "territoires",
    "epci_web",
    "departements_web",
    "regions_web",
    "territoires_web",
    "projets",
    "foncier",
)
TABLES = ("territoire_communes", "cog_communes", "metadata")


class GeoPackageStore:
    """Read and replace the layers of one GeoPackage file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"

    def exists(self) -> bool:
        """Whether the GeoPackage file is there."""
        return self.path.is_file()

    def layer_names(self) -> list[str]:
        """Names of the layers and tables in the store."""
        self._require_file()
        return [str(name) for name, _ in pyogrio.list_layers(self.path)]

    def read(self, layer: str, *, columns: list[str] | None = None) -> gpd.GeoDataFrame | pd.DataFrame:
        """Read one layer (GeoDataFrame, CRS as stored) or table (DataFrame).

        Raises
        ------
        StoreError
            If the store or the layer is missing, with a French message.
        """
        self._require_file()
        if layer not in self.layer_names():
            raise StoreError(f"La couche « {layer} » est absente de {self.path}. Relancez `reindus build`.")
        frame = pyogrio.read_dataframe(self.path, layer=layer, columns=columns, use_arrow=True)
        return frame

    def replace_all(self, layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame]) -> None:
        """Write every layer into a new GeoPackage and swap it in atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp_name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}.", suffix=".gpkg")
        os.close(handle)
        os.unlink(tmp_name)  # GDAL must create the file itself
        try:
            for name, frame in layers.items():
                pyogrio.write_dataframe(frame, tmp_name, layer=name, driver="GPKG", append=False)
            os.replace(tmp_name, self.path)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def replace_layers(self, layers: Mapping[str, gpd.GeoDataFrame | pd.DataFrame]) -> None:
        """Replace some layers, keeping the others, atomically (copy, write, rename).

        The copy is written beside the store and renamed over it: a reader sees the old
        or the new store, never a mix; an interrupted write leaves the old one intact.
        """
        self._require_file()
        handle, tmp_name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}.", suffix=".gpkg")
        os.close(handle)
        try:
            shutil.copyfile(self.path, tmp_name)
            for name, frame in layers.items():
                pyogrio.write_dataframe(frame, tmp_name, layer=name, driver="GPKG", append=False)
            with open(tmp_name, "rb") as written:
                os.fsync(written.fileno())
            os.replace(tmp_name, self.path)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    def _require_file(self) -> None:
        if not self.exists():
            raise StoreError(
                f"Le fichier de données {self.path} est introuvable. Lancez `reindus build` (ou `make run`)."
            )
