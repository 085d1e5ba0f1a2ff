"""The communes of IGN's ADMIN EXPRESS COG at full precision, read from the 7-Zip archive the Géoplateforme publishes.

The archive (data.geopf.fr/telechargement, all of France) holds every layer of the product in shapefiles, in
folders named after the edition. Only the commune layer is unpacked, into a temporary folder, and only the communes
of the départements asked for are read: the outlines of the rest of France never reach memory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

import geopandas as gpd
import py7zr
import pyogrio

from geo.crs import LAMBERT93
from geo.errors import SourceMissingError

COMMUNE_LAYER = "COMMUNE"
"""The shapefile of the communes in the archive (``CHFLIEU_COMMUNE``, the town halls, is another layer)."""

_SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")


def commune_members(names: Iterable[str]) -> list[str]:
    """The archive members making the commune shapefile, whatever the edition's folder names.

    >>> commune_members(["A/B/COMMUNE.shp", "A/B/COMMUNE.dbf", "A/B/CHFLIEU_COMMUNE.shp", "A/B/EPCI.shp"])
    ['A/B/COMMUNE.dbf', 'A/B/COMMUNE.shp']
    """
    return sorted(
        name
        for name in names
        if PurePosixPath(name).stem == COMMUNE_LAYER and PurePosixPath(name).suffix.lower() in _SHAPEFILE_PARTS
    )


def read_communes(archive: Path | str, departements: Iterable[str]) -> gpd.GeoDataFrame:
    """``code, geometry`` (Lambert-93) of the communes of ``departements`` in the ADMIN EXPRESS COG ``archive``.

    Raises
    ------
    SourceMissingError
        In French, when the archive holds no commune layer (another product, a cut download).
    """
    with py7zr.SevenZipFile(archive, mode="r") as seven_zip:
        members = commune_members(seven_zip.getnames())
        shapefiles = [name for name in members if name.lower().endswith(".shp")]
        if len(shapefiles) != 1:
            raise SourceMissingError(
                f"L'archive {archive} ne contient pas une couche des communes ({COMMUNE_LAYER}.shp) mais "
                f"{len(shapefiles)} : est-ce bien ADMIN EXPRESS COG de l'IGN ? Téléchargez-la à nouveau avec "
                "`reindus build --download --refresh`."
            )
        # Unpacked beside the archive when it can be (the commune layer of all France is large, and the system's
        # temporary folder may live in memory), else in that temporary folder.
        beside = Path(archive).parent if os.access(Path(archive).parent, os.W_OK) else None
        with tempfile.TemporaryDirectory(prefix=".admin-express-", dir=beside) as folder:
            seven_zip.extract(path=folder, targets=members)
            codes = sorted({str(code) for code in departements})
            # The département codes are the source's own two-character strings: quoted, never interpolated raw.
            where = "INSEE_DEP IN ({})".format(", ".join("'" + code.replace("'", "''") + "'" for code in codes))
            # The filtered field is read too: OGR evaluates a filter on a field left out as empty.
            communes = pyogrio.read_dataframe(
                f"{folder}/{shapefiles[0]}", columns=["INSEE_COM", "INSEE_DEP"], where=where
            )
    communes = communes.rename(columns={"INSEE_COM": "code"})
    communes["code"] = communes["code"].astype("string")
    return communes.to_crs(LAMBERT93)[["code", "geometry"]]
