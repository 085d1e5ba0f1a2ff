"""Typed settings of reindus, read once from the environment.

Every path is built from this file's location or from an explicit setting, never
from the current working directory, so the CLI, the app and the tests agree.

Settings
--------
REINDUS_SOURCES
    Directory holding the raw sources (same layout as ``../shared/data/raw``).
    Default: ``<repo>/../shared/data/raw`` when it exists, else the download cache.
REINDUS_STORE
    Path of the GeoPackage store. Default: ``<repo>/data/build/reindus.gpkg``.
REINDUS_DATABASE_URL
    PostgreSQL/PostGIS URL; when set, the store is PostGIS instead of the GeoPackage.
REINDUS_TILES
    The vector-tile archive (PMTiles) the build writes and the map reads. Default: beside the
    GeoPackage (``reindus.pmtiles``), or ``data/build/reindus-postgis.pmtiles`` with PostGIS.
REINDUS_SESSION_HOURS
    How long a signed-in editor's session lasts (default 8). Accounts themselves live in the store
    (``reindus users add``); with no account the app is read-only.
REINDUS_TRUSTED_PROXIES
    The proxies whose ``X-Forwarded-For`` is believed when counting failed sign-ins per client, comma-
    separated addresses or networks. Default ``127.0.0.1,::1``: the shipped nginx on the same machine.
    Empty: the header is never believed (no proxy in front).
"""

from __future__ import annotations

import functools
import os
from pathlib import Path

REPO_ROOT: Path = Path(__file__).resolve().parent.parent
"""Root of the checkout (the folder holding ``app.py``)."""

DATA_DIR: Path = REPO_ROOT / "data"
"""Curated, versioned data maintained by the project (small CSV/YAML)."""

BUILD_DIR: Path = DATA_DIR / "build"
"""Generated artefacts (git-ignored)."""

CACHE_DIR: Path = DATA_DIR / "cache"
"""Downloaded copies of the online sources (git-ignored)."""

SHARED_SOURCES_DIR: Path = REPO_ROOT.parent / "shared" / "data" / "raw"
"""The raw data shipped beside the checkout on the project machines."""

DEFAULT_STORE_PATH: Path = BUILD_DIR / "reindus.gpkg"

VENDOR_DIR: Path = REPO_ROOT / "static" / "vendor"
"""Leaflet and the Inter fonts, installed at setup from the npm registry (git-ignored, served by the app)."""

FONTS_DIR: Path = VENDOR_DIR / "fonts"

STATIC_DIR: Path = REPO_ROOT / "static"
"""Served by Streamlit at ``/app/static/``: the vendored assets, the map's script and the published tiles."""

PUBLISHED_TILES_DIR: Path = STATIC_DIR / "tiles"
"""Where ``reindus build`` publishes the tile archive (:mod:`geo.publication`); the app only reads it."""

VECTOR_MAP_ASSETS: tuple[Path, ...] = (
    VENDOR_DIR / "leaflet" / "leaflet.js",
    VENDOR_DIR / "protomaps-leaflet" / "protomaps-leaflet.js",
    STATIC_DIR / "js" / "reindus-vector-map.js",
)
"""The scripts the vector map needs (the first two from npm at setup, the last one the project's own)."""


def sources_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the directory the build reads raw sources from.

    Priority: explicit ``override`` (``--sources``), then ``REINDUS_SOURCES``, then
    ``../shared/data/raw`` when it exists, then the download cache.
    """
    if override:
        return Path(override).expanduser().resolve()
    from_env = os.environ.get("REINDUS_SOURCES")
    if from_env:
        return Path(from_env).expanduser().resolve()
    if SHARED_SOURCES_DIR.is_dir():
        return SHARED_SOURCES_DIR
    return CACHE_DIR


def store_path(override: str | os.PathLike[str] | None = None) -> Path:
    """Return the GeoPackage path (``--out``, then ``REINDUS_STORE``, then the default)."""
    return _resolved_store_path(str(override) if override else None, os.environ.get("REINDUS_STORE"))


@functools.lru_cache(maxsize=32)
def _resolved_store_path(override: str | None, from_env: str | None) -> Path:
    # Resolving walks the file system; the app asks for the path many times per rerun.
    if override:
        return Path(override).expanduser().resolve()
    return Path(from_env).expanduser().resolve() if from_env else DEFAULT_STORE_PATH


def database_url() -> str | None:
    """Return the configured PostGIS URL, or None for the embedded GeoPackage."""
    return os.environ.get("REINDUS_DATABASE_URL") or None


def session_hours() -> float:
    """How long a signed-in session lasts (``REINDUS_SESSION_HOURS``, default 8 hours: a working day)."""
    return float(os.environ.get("REINDUS_SESSION_HOURS") or 8)


def warm_start() -> bool:
    """Whether the app's server loads its pages' modules and first data as it starts (``REINDUS_WARM_START``,
    default on; ``0`` turns it off: a server opened by one visitor at once, as in the browser tests, only gets
    slower when it also warms pages that visitor never opens)."""
    return os.environ.get("REINDUS_WARM_START", "1") != "0"


def trusted_proxies() -> tuple[str, ...]:
    """The proxies allowed to say who the client is (``REINDUS_TRUSTED_PROXIES``, default the local machine)."""
    raw = os.environ.get("REINDUS_TRUSTED_PROXIES")
    return tuple(entry.strip() for entry in ("127.0.0.1,::1" if raw is None else raw).split(",") if entry.strip())


def tiles_path(store_path: Path | None = None) -> Path:
    """Return the vector-tile archive of a store: ``REINDUS_TILES``, else beside the GeoPackage.

    With PostGIS (``REINDUS_DATABASE_URL``) the archive is ``data/build/reindus-postgis.pmtiles``.
    """
    from_env = os.environ.get("REINDUS_TILES")
    if from_env:
        return Path(from_env).expanduser().resolve()
    if database_url():
        return BUILD_DIR / "reindus-postgis.pmtiles"
    return (store_path or DEFAULT_STORE_PATH).with_suffix(".pmtiles")
