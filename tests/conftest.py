"""Shared fixtures: the real build (once per session) and small frames built in code."""

from __future__ import annotations

import csv
import functools
import json
import shutil
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from geo.build.pipeline import BuildReport, build
from geo.settings import sources_dir
from geo.store import GeoPackageStore
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = ROOT / "test-artifacts"


def copy_store(source: GeoPackageStore, target: Path) -> GeoPackageStore:
    """A copy of a built GeoPackage with its vector-tile archive beside it (hard-linked: it is never written to)."""
    shutil.copyfile(source.path, target)
    tiles = source.path.with_suffix(".pmtiles")
    if tiles.is_file():
        target.with_suffix(".pmtiles").unlink(missing_ok=True)
        try:
            target.with_suffix(".pmtiles").hardlink_to(tiles)
        except OSError:
            shutil.copyfile(tiles, target.with_suffix(".pmtiles"))
    return GeoPackageStore(target)


@pytest.fixture(scope="session")
def raw_sources() -> Path:
    """The raw sources directory (../shared/data/raw or REINDUS_SOURCES)."""
    path = sources_dir()
    if not (path / "decoupage-administratif-2026" / "communes.json").is_file():
        pytest.fail(f"raw sources not found in {path}: set REINDUS_SOURCES")
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory, raw_sources: Path) -> tuple[GeoPackageStore, BuildReport]:
    """The real two-region build, written once into a temporary GeoPackage."""
    store = GeoPackageStore(tmp_path_factory.mktemp("build") / "reindus.gpkg")
    report = build(raw_sources, store)
    return store, report


@pytest.fixture(scope="session")
def store(built: tuple[GeoPackageStore, BuildReport]) -> GeoPackageStore:
    return built[0]


@pytest.fixture(scope="session")
def cog_epci(raw_sources: Path) -> dict[str, dict]:
    """COG 2026 EPCI entries by SIREN, read straight from the raw JSON (independent of geo.cog)."""
    with (raw_sources / "decoupage-administratif-2026" / "epci.json").open(encoding="utf-8") as handle:
        return {entry["code"]: entry for entry in json.load(handle)}


def curated_counts() -> dict[str, int]:
    """Counts read straight from data/projets.csv (independent of geo), for tests that check what pages show."""
    with (ROOT / "data" / "projets.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    industrial = [r for r in rows if r["sector_family"] != "non industriel"]
    return {
        "all": len(rows),
        "default": sum(r["status_category"] != "abandonné ou fermé" for r in industrial),
        "closed": sum(r["status_category"] == "abandonné ou fermé" for r in rows),
        "in_service": sum(r["status_category"] == "en service" for r in industrial),
    }


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A real PostgreSQL 15 + PostGIS 3 on 127.0.0.1, for the whole session (``make test`` installs it)."""
    # Under /tmp directly: the server may run as the postgres user, who cannot enter pytest's private dirs.
    base = Path(tempfile.mkdtemp(prefix="reindus-pg-"))
    server = PostgresServer(base)
    server.init()
    yield server
    try:
        server.stop("immediate")
    finally:
        shutil.rmtree(base, ignore_errors=True)


class CountingHandler(SimpleHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        type(self).requests.append(self.path)
        super().do_GET()

    def log_message(self, *args: object) -> None:  # keep test output clean
        pass


@pytest.fixture
def serve() -> Iterator:
    """Start an HTTP server on 127.0.0.1 serving a directory; yields a function dir → base URL."""
    servers = []

    def start(directory: Path) -> str:
        CountingHandler.requests = []
        handler = functools.partial(CountingHandler, directory=str(directory))
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}"

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def hostile(store: GeoPackageStore, tmp_path_factory: pytest.TempPathFactory):
    """A copy of the build whose names carry HTML, JavaScript and Markdown (see :mod:`tests.hostile`)."""
    from tests.hostile import hostile_store

    return hostile_store(store, tmp_path_factory.mktemp("hostile") / "reindus.gpkg")
