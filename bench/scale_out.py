"""Scale-out: two app processes behind nginx (sticky sessions) sharing one PostGIS, all on 127.0.0.1.

``Cluster`` starts a throw-away PostgreSQL + PostGIS, copies the built GeoPackage into it,
starts two ``streamlit run`` processes on it and nginx in front (``deploy/nginx-reindus.conf``).
The benchmark runs the same 20-session load through nginx; the test suite uses the cluster
to check that an edit made through one process is seen through the other.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.load import metrics, run_load, start_app
from bench.metric import Metric
from geo.settings import REPO_ROOT, store_path
from geo.store import GeoPackageStore, PostgisStore, copy_store
from tests.postgres import PostgresServer

NGINX_TEMPLATE = REPO_ROOT / "deploy" / "nginx-reindus.conf"


@dataclass
class Cluster:
    url: str  # nginx
    backends: list[str]  # host:port of each app process
    database_url: str
    access_log: Path

    def backend_of(self, sticky: str) -> str:
        """Which app process nginx sends the sticky cookie ``sticky`` to (asked through nginx, read in its log)."""
        request = urllib.request.Request(f"{self.url}/_stcore/health", headers={"Cookie": f"reindus_sticky={sticky}"})
        with urllib.request.urlopen(request, timeout=10):
            pass
        # nginx writes its access line in the log phase, after the response has gone out: the client can
        # read the response before the line exists (seen once in CI), so the line is waited for.
        deadline = time.monotonic() + 10
        while True:
            for line in reversed(self.access_log.read_text().splitlines()):
                if f"sticky={sticky}" in line:
                    return line.split("upstream=", 1)[1].split()[0]
            if time.monotonic() > deadline:
                raise RuntimeError(f"no nginx log line for {sticky} after 10 s")
            time.sleep(0.05)


@contextlib.contextmanager
def cluster(
    source_store: Path | None = None,
    *,
    processes: int = 2,
    prepare: Callable[[PostgisStore], None] | None = None,
    **env: str,
) -> Iterator[Cluster]:
    """PostGIS + ``processes`` app processes + nginx, torn down on exit; ``prepare`` runs on the filled database
    before the apps start (e.g. to add the accounts a test signs in with)."""
    base = Path(tempfile.mkdtemp(prefix="reindus-cluster-"))
    base.chmod(0o755)  # the database may run as the postgres user, who must reach base/pg
    server = PostgresServer(base / "pg")
    apps: list[subprocess.Popen] = []
    proxy = contextlib.ExitStack()
    try:
        server.init()
        database_url = server.new_database()
        target = PostgisStore(database_url)
        copy_store(GeoPackageStore(source_store or store_path()), target)
        if prepare is not None:
            prepare(target)
        target.close()
        ports = [_free_port() for _ in range(processes)]
        apps = [start_app(port, REINDUS_DATABASE_URL=database_url, **env) for port in ports]
        url, prefix = proxy.enter_context(nginx_in_front(ports, base / "nginx"))
        yield Cluster(url, [f"127.0.0.1:{port}" for port in ports], database_url, prefix / "access.log")
    finally:
        proxy.close()
        for process in apps:
            process.terminate()
            process.wait(timeout=20)
        with contextlib.suppress(Exception):
            server.stop("immediate")
        shutil.rmtree(base, ignore_errors=True)


@contextlib.contextmanager
def nginx_in_front(ports: list[int], prefix: Path) -> Iterator[tuple[str, Path]]:
    """nginx from ``deploy/nginx-reindus.conf`` on a free port in front of the app processes on ``ports``.

    Yields its URL and its prefix (``access.log`` is there); stopped on exit.
    """
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        raise RuntimeError("nginx est introuvable : lancez `make test-deps` (paquet Debian nginx)")
    listen = _free_port()
    prefix.mkdir(parents=True)
    config = (
        NGINX_TEMPLATE.read_text()
        .replace("@LISTEN@", str(listen))
        .replace("@PREFIX@", str(prefix))
        .replace("@BACKENDS@", " ".join(f"server 127.0.0.1:{port};" for port in ports))
    )
    if os.geteuid() == 0:  # workers would run as nobody, who cannot write the temporary prefix
        config = "user root;\n" + config
    (prefix / "nginx.conf").write_text(config)
    checked = subprocess.run(
        [nginx, "-t", "-c", str(prefix / "nginx.conf"), "-p", str(prefix)], capture_output=True, text=True
    )
    if checked.returncode != 0:
        raise RuntimeError(f"configuration nginx refusée : {checked.stderr}")
    proxy = subprocess.Popen(
        [nginx, "-c", str(prefix / "nginx.conf"), "-p", str(prefix), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{listen}"
        _wait_for(f"{url}/_stcore/health")
        yield url, prefix
    finally:
        proxy.terminate()
        proxy.wait(timeout=20)


def run(*, sessions: int = 20, seconds: float = 60.0) -> list[Metric]:
    """The 20-session load through nginx onto two processes sharing one PostGIS."""
    with cluster() as running:
        for backend in running.backends:  # warm each process's caches, as a running deployment is
            run_load(f"http://{backend}", sessions=1, seconds=3)
        result = run_load(running.url, sessions=sessions, seconds=seconds)
    return metrics("load_2_processes_nginx", result, sessions=sessions, seconds=seconds)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_for(url: str, timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)
