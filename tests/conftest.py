"""Shared fixtures: the real build (once per session) and small frames built in code."""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import functools
import hashlib
import json
import os
import pickle
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from filelock import FileLock
from hypothesis import settings as hypothesis_settings
from streamlit.components.v2 import manifest_scanner

from geo.assembly.pipeline import BuildReport, build
from geo.publication import publish_tiles
from geo.settings import sources_dir
from geo.store import GeoPackageStore
from geo.store import accounts as account_store
from tests.postgres import PostgresServer

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS_DIR = ROOT / "test-artifacts"

# Property tests in `make test` and `make check` run the same examples every time (a fixed seed, plus the
# examples found so far, kept in the tests as explicit @example): a suite that fails at random rejects good
# work. `make fuzz` explores new random examples, with a time budget, outside CI.
# No deadline either: a property's time is not what it checks, and a loaded machine took 290 ms for a 27 ms
# example (speed targets live in `make bench`).
hypothesis_settings.register_profile("derandomized", derandomize=True, database=None, deadline=None, print_blob=True)
hypothesis_settings.register_profile("fuzz", derandomize=False, max_examples=500, deadline=None, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "derandomized"))


# Argon2id at the library's parameters costs 0.1 s and 64 MiB a hash or check, on four lanes, and the tests hash and
# check many passwords (sign-in limits, roles, imports with an account): in the tests' own processes the same
# algorithm runs at its smallest cost (Django's documentation gives the same advice: a fast hasher in tests). The app
# servers the browser tests start keep the real parameters (an account made here is hashed again at its first
# sign-in there, the code's own upgrade path); test_accounts.py checks that the app's hasher is the recommended one.
PRODUCTION_HASHER = account_store._hasher
account_store._hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

# Streamlit's AppTest scans every installed distribution for component manifests at the first run of each instance
# (0.2–0.4 s, 154 times in tests/app: 34 s). The installed packages do not change during a run: scanned once.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)

SLOW_FILES = ("tests/layers/test_press.py", "tests/layers/test_dossier.py", "tests/layers/test_hostile_press.py")
"""Test files that render every press view or the whole dossier (10–30 s a test): in `make test`, not in
`make check`."""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark what `make check` leaves out, by where a test lives and what it starts: ``browser`` (everything under
    tests/browser/), ``pages`` (AppTest runs of the pages, tests/app/), ``database`` (a PostgreSQL server; a
    backend chosen by parameter is asked for with ``request.getfixturevalue``, hence the test's name as well)."""
    for item in items:
        where = (
            Path(str(item.path)).resolve().relative_to(ROOT).as_posix()
            if ROOT in Path(str(item.path)).resolve().parents
            else ""
        )
        if where.startswith("tests/browser/"):
            item.add_marker(pytest.mark.browser)
        if where.startswith("tests/app/"):
            item.add_marker(pytest.mark.pages)
        if where in SLOW_FILES:
            item.add_marker(pytest.mark.slow)
        if "postgres_server" in getattr(item, "fixturenames", ()) or "postgis" in item.name.lower():
            item.add_marker(pytest.mark.database)
    # Files that need no build run first, each file's tests in their order: while the build is made (one to two
    # minutes, started with the session by pytest_sessionstart), every worker has tests to run. Then the longest
    # files (press renders, browser, pages) before the short ones, so that no worker ends alone on a long file.
    needs_build = {item.path for item in items if "built" in getattr(item, "fixturenames", ())}
    items.sort(key=lambda item: (item.path in needs_build, _length_rank(item)))


def _length_rank(item: pytest.Item) -> int:
    """0 for the press renders, 1 for browser and page tests, 2 for the rest."""
    where = Path(str(item.path)).resolve().as_posix()
    if any(where.endswith(slow) for slow in SLOW_FILES):
        return 0
    return 1 if "/tests/browser/" in where or "/tests/app/" in where else 2


def pytest_sessionstart(session: pytest.Session) -> None:
    """With test workers (pytest-xdist), start the real build at once in a process of its own, unless it is
    cached: the workers run the tests that need no build meanwhile, and those that need it wait for its lock."""
    config = session.config
    if hasattr(config, "workerinput") or not getattr(config.option, "numprocesses", None):
        return
    code = "from tests.conftest import prebuild; prebuild()"
    config.stash[_PREBUILD] = subprocess.Popen(
        [sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A build still running when the run ends was needed by no test: stopped (its partial folder is removed by
    the next build)."""
    process = session.config.stash.get(_PREBUILD, None)
    if process is not None and process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


_PREBUILD = pytest.StashKey[subprocess.Popen]()


def prebuild() -> None:
    """The cached build of :func:`_cached_build`, made ahead of the tests; a failure is left for the ``built``
    fixture to report, in the test that needs it."""
    with contextlib.suppress(Exception):
        _cached_build(sources_dir())


def pdf_text(pdf: bytes | Path) -> str:
    """The text of a PDF, pages separated by form feeds, through poppler's ``pdftotext`` (installed with
    ``make test``): pypdf took 3 s for a press map's page of 6,000 paths, pdftotext 0.2 s."""
    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    return subprocess.run(
        ["pdftotext", "-q", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


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
    """The real two-region build, made once for the code, curated data and sources at hand.

    A build takes one to two minutes; every test worker (pytest-xdist) and every later run with the same
    ``geo/`` code, ``data/`` files and sources reuses it from :data:`BUILD_CACHE`. Any change to one of them
    builds again. Each session reads its own copy, so no test can change the cached build.
    """
    cached = _cached_build(raw_sources)
    store = copy_store(GeoPackageStore(cached / "reindus.gpkg"), tmp_path_factory.mktemp("build") / "reindus.gpkg")
    report = pickle.loads((cached / "report.pickle").read_bytes())
    tiles = store.path.with_suffix(".pmtiles")
    report = dataclasses.replace(report, store_path=store.describe(), tiles_path=tiles, published_tiles=None)
    if tiles.is_file():  # the app looks the archive up by a digest of its content: the same as the cached one
        report.published_tiles = publish_tiles(tiles)
    return store, report


BUILD_CACHE = ROOT / "data" / "cache" / "test-build"
"""Where the tests keep their build, one folder named by :func:`_build_key` (git-ignored, like data/cache/)."""


def _cached_build(raw_sources: Path) -> Path:
    """The folder holding the build for the current code, data and sources; built under a lock if missing."""
    key = _build_key(raw_sources)
    folder = BUILD_CACHE / key
    BUILD_CACHE.mkdir(parents=True, exist_ok=True)
    with FileLock(BUILD_CACHE / "build.lock"):  # one worker builds, the others wait for it
        if not (folder / "report.pickle").is_file():
            partial = BUILD_CACHE / f"{key}.partial"
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            report = build(raw_sources, GeoPackageStore(partial / "reindus.gpkg"))
            (partial / "report.pickle").write_bytes(pickle.dumps(report))
            shutil.rmtree(folder, ignore_errors=True)
            partial.rename(folder)  # the tile archive moves with it: its published link stays valid
            for older in BUILD_CACHE.iterdir():
                if older.is_dir() and older != folder:
                    shutil.rmtree(older, ignore_errors=True)
    return folder


def _build_key(raw_sources: Path) -> str:
    """A digest of what the build reads: the code of ``geo/``, the curated ``data/`` files, and the sources'
    names, sizes and modification times (156 files; reading them whole would cost more than it saves)."""
    digest = hashlib.blake2b(digest_size=10)
    code_and_data = [*(ROOT / "geo").rglob("*.py"), *(ROOT / "data").glob("*.csv"), *(ROOT / "data").glob("*.yaml")]
    for path in sorted(code_and_data):
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    for path in sorted(p for p in raw_sources.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(raw_sources)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()


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
