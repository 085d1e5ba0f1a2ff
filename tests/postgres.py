"""A real PostgreSQL 15 + PostGIS 3 server for the tests, started on 127.0.0.1 in a temporary directory.

Debian's ``postgresql-15-postgis-3`` (installed by ``make test``) provides the binaries;
PostgreSQL refuses to run as root, so under root (CI) the server runs as the ``postgres``
system user. Each test gets its own database, cloned from a template holding PostGIS.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import uuid
from pathlib import Path

PG_BIN = Path("/usr/lib/postgresql/15/bin")
TEMPLATE = "reindus_template"


class PostgresServer:
    """One throw-away cluster: ``start()``, ``stop()``, ``new_database()`` → URL."""

    def __init__(self, base_dir: Path) -> None:
        if not (PG_BIN / "initdb").is_file():
            raise RuntimeError(f"PostgreSQL 15 introuvable dans {PG_BIN} : lancez `make test-deps`")
        self.data_dir = base_dir / "pgdata"
        self.socket_dir = base_dir / "sockets"
        self.log_file = base_dir / "postgres.log"
        self.port = _free_port()
        self._as_postgres = os.geteuid() == 0

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def init(self) -> None:
        for path in (self.data_dir.parent, self.socket_dir):
            path.mkdir(parents=True, exist_ok=True)
            if self._as_postgres:
                shutil.chown(path, "postgres", "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data_dir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")
        self.start()
        self.psql("postgres", f"CREATE DATABASE {TEMPLATE}")
        self.psql(TEMPLATE, "CREATE EXTENSION postgis")

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(PG_BIN / "pg_ctl", "-D", self.data_dir, "-l", self.log_file, "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run(PG_BIN / "pg_ctl", "-D", self.data_dir, "-m", mode, "-w", "stop")

    def new_database(self) -> str:
        """A fresh database with PostGIS; returns its URL."""
        name = f"t_{uuid.uuid4().hex[:12]}"
        self.psql("postgres", f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}")
        return self.url(name)

    def psql(self, database: str, sql: str) -> str:
        done = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "-d", database, "-tAc", sql],
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    def _run(self, *command: object) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self._as_postgres else []
        done = subprocess.run([*prefix, *map(str, command)], capture_output=True, text=True)
        if done.returncode != 0:
            log = self.log_file.read_text() if self.log_file.exists() else ""
            raise RuntimeError(f"{command[0]} a échoué : {done.stderr}\n{log[-2000:]}")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
