"""The store of built layers: an embedded GeoPackage (default) or PostGIS (when a database URL is set).

Only this module reads or writes the store, and both backends offer the same interface
(:class:`Store`), used by the build, the CLI and the pages.

- Whole-layer writes (build, imports) are atomic. GeoPackage: the file is written beside the
  target and renamed over it, so a reader never sees half a build and a killed write leaves
  the previous store untouched. PostGIS: one transaction (PostgreSQL DDL is transactional).
- Foncier edits are row-level transactions (SQLite's journal, PostgreSQL's MVCC) with a
  version check and an audit row, see :mod:`geo.foncier_edits`; they never rewrite the file.
- ``revision()`` tells the app when to reload: the layers' revision changes on every
  whole-layer write, the edits' revision on every foncier edit, so an edit does not make
  every session rebuild the map.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import sqlite3
import struct
import tempfile
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from geo import foncier_edits
from geo.crs import WGS84
from geo.errors import StoreError, StoreUnavailableError

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
TABLES = ("territoire_communes", "cog_communes", "metadata", "foncier_audit", "store_revision")
REVISION_TABLE = "store_revision"
EDITED_LAYER, AUDIT_TABLE = "foncier", "foncier_audit"

Frame = gpd.GeoDataFrame | pd.DataFrame


class Store(ABC):
    """What the build, the CLI and the pages need from a store, whatever the backend."""

    @abstractmethod
    def describe(self) -> str:
        """Where the data lives, for messages (never a password)."""

    @abstractmethod
    def exists(self) -> bool:
        """Whether the store holds built data."""

    @abstractmethod
    def layer_names(self) -> list[str]:
        """Names of the layers and tables in the store."""

    @abstractmethod
    def read(self, layer: str, *, columns: list[str] | None = None) -> Frame:
        """One layer (GeoDataFrame, WGS84) or table (DataFrame); StoreError in French if absent."""

    @abstractmethod
    def replace_all(self, layers: Mapping[str, Frame]) -> None:
        """Replace the whole content by ``layers``, atomically."""

    @abstractmethod
    def replace_layers(self, layers: Mapping[str, Frame]) -> None:
        """Replace some layers, keeping the others, atomically."""

    @abstractmethod
    def revision(self) -> tuple[str, int]:
        """``(layers revision, edits revision)``: cache keys that change on every write."""

    @abstractmethod
    def edit_transaction(self) -> contextlib.AbstractContextManager[foncier_edits.SiteTransaction]:
        """One write transaction on the foncier rows and their audit: committed whole or not at all."""

    def close(self) -> None:  # noqa: B027 — optional hook: only database backends hold connections
        """Release connections (nothing to do for a file)."""

    def apply_site_change(self, change: foncier_edits.SiteChange) -> dict[str, Any]:
        """Apply one editor's change (version-checked, audited); return the audit entry."""
        with self.edit_transaction() as tx:
            return foncier_edits.apply_change(tx, change)

    def undo_site_change(self, change_id: int, *, author: str) -> dict[str, Any]:
        """Undo one change (itself audited); return the new audit entry."""
        with self.edit_transaction() as tx:
            return foncier_edits.undo_change(tx, change_id, author=author)

    def import_sites(self, rows: gpd.GeoDataFrame, *, author: str) -> list[dict[str, Any]]:
        """Apply an accepted foncier import in one transaction (every row audited, or none)."""
        with self.edit_transaction() as tx:
            return foncier_edits.import_rows(tx, rows, author=author)

    @staticmethod
    def _with_revision(layers: Mapping[str, Frame]) -> dict[str, Frame]:
        revision = pd.DataFrame({"layers_revision": [uuid.uuid4().hex]})
        return {**dict(layers.items()), REVISION_TABLE: revision}


def open_store(path: str | os.PathLike[str] | None = None, *, url: str | None = None) -> Store:
    """The configured store: PostGIS when a database URL is given or set, else the GeoPackage."""
    from geo import settings

    url = url or (None if path else settings.database_url())
    return PostgisStore(url) if url else GeoPackageStore(settings.store_path(path))


def copy_store(source: Store, target: Store) -> None:
    """Copy every layer of ``source`` into ``target`` (e.g. publish the built GeoPackage to PostGIS)."""
    names = [name for name in source.layer_names() if name != REVISION_TABLE]
    target.replace_all({name: source.read(name) for name in names})


# --- GeoPackage ----------------------------------------------------------------------------


class GeoPackageStore(Store):
    """Read and replace the layers of one GeoPackage file; edit foncier rows in place."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"GeoPackageStore({str(self.path)!r})"

    def describe(self) -> str:
        return str(self.path)

    def exists(self) -> bool:
        return self.path.is_file()

    def layer_names(self) -> list[str]:
        self._require_file()
        return [str(name) for name, _ in pyogrio.list_layers(self.path)]

    def read(self, layer: str, *, columns: list[str] | None = None) -> Frame:
        self._require_file()
        if layer not in self.layer_names():
            raise StoreError(f"La couche « {layer} » est absente de {self.path}. Relancez `reindus build`.")
        return pyogrio.read_dataframe(self.path, layer=layer, columns=columns, use_arrow=True)

    def replace_all(self, layers: Mapping[str, Frame]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._writer_lock():
            self._write_and_swap(self._with_revision(layers), start_from_copy=False)

    def replace_layers(self, layers: Mapping[str, Frame]) -> None:
        """Copy, write, fsync, rename: a reader sees the old or the new store, never a mix."""
        self._require_file()
        with self._writer_lock():
            self._write_and_swap(self._with_revision(layers), start_from_copy=True)

    def revision(self) -> tuple[str, int]:
        self._require_file()
        with contextlib.closing(sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)) as db:
            try:
                (layers,) = db.execute(f"SELECT layers_revision FROM {REVISION_TABLE}").fetchone()
                (edits,) = db.execute(f"SELECT COALESCE(MAX(change_id), 0) FROM {AUDIT_TABLE}").fetchone()
            except sqlite3.OperationalError:  # a store built before revisions existed
                return str(self.path.stat().st_mtime_ns), 0
        return str(layers), int(edits)

    @contextlib.contextmanager
    def edit_transaction(self) -> Iterator[foncier_edits.SiteTransaction]:
        self._require_file()
        with self._writer_lock():
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                yield _GeoPackageRows(db)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            finally:
                db.close()

    def _write_and_swap(self, layers: Mapping[str, Frame], *, start_from_copy: bool) -> None:
        # Under the writer lock, any temporary copy left here is from a writer that was killed.
        for stale in self.path.parent.glob(f".{self.path.stem}.*.gpkg"):
            stale.unlink(missing_ok=True)
        handle, tmp_name = tempfile.mkstemp(dir=self.path.parent, prefix=f".{self.path.stem}.", suffix=".gpkg")
        os.close(handle)
        try:
            if start_from_copy:
                shutil.copyfile(self.path, tmp_name)
            else:
                os.unlink(tmp_name)  # GDAL must create the file itself
            for name, frame in layers.items():
                # No R-tree on the edited layers: its triggers call GDAL's SQL functions, which
                # plain SQLite (our row-level edits) lacks; a few thousand points need no index.
                options = {"SPATIAL_INDEX": "NO"} if name == EDITED_LAYER else None
                pyogrio.write_dataframe(frame, tmp_name, layer=name, driver="GPKG", append=False, layer_options=options)
            with open(tmp_name, "rb") as written:
                os.fsync(written.fileno())
            os.replace(tmp_name, self.path)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)

    @contextlib.contextmanager
    def _writer_lock(self) -> Iterator[None]:
        """One writer at a time across processes: an edit must not land in a file about to be replaced."""
        with open(f"{self.path}.lock", "a") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _require_file(self) -> None:
        if not self.exists():
            raise StoreError(
                f"Le fichier de données {self.path} est introuvable. Lancez `reindus build` (ou `make run`)."
            )


class _GeoPackageRows:
    """Foncier rows and audit entries inside one SQLite transaction (points in GeoPackage binary)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self.geometry_column, self.srs_id = db.execute(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (EDITED_LAYER,)
        ).fetchone()
        self.columns = [row[1] for row in db.execute(f'PRAGMA table_info("{EDITED_LAYER}")') if row[1] not in ("fid",)]

    def get_site(self, site_id: str) -> dict[str, Any] | None:
        cursor = self.db.execute(f'SELECT * FROM "{EDITED_LAYER}" WHERE site_id = ?', (site_id,))
        row = cursor.fetchone()
        if row is None:
            return None
        values = dict(zip([d[0] for d in cursor.description], row, strict=True))
        values.pop("fid", None)
        blob = values.pop(self.geometry_column)
        values["geometry"] = _from_gpkg_blob(blob)
        return values

    def put_site(self, row: Mapping[str, Any], *, insert: bool) -> None:
        values = {k: foncier_edits.plain_value(v) for k, v in row.items() if k in self.columns and k != "geometry"}
        values[self.geometry_column] = _to_gpkg_blob(row.get("geometry"), self.srs_id)
        names = list(values)
        if insert:
            quoted = ", ".join(f'"{n}"' for n in names)
            sql = f'INSERT INTO "{EDITED_LAYER}" ({quoted}) VALUES ({", ".join("?" * len(names))})'
            self.db.execute(sql, [values[n] for n in names])
        else:
            assignments = ", ".join(f'"{n}" = ?' for n in names)
            sql = f'UPDATE "{EDITED_LAYER}" SET {assignments} WHERE site_id = ?'
            self.db.execute(sql, [*(values[n] for n in names), row["site_id"]])

    def delete_site(self, site_id: str) -> None:
        self.db.execute(f'DELETE FROM "{EDITED_LAYER}" WHERE site_id = ?', (site_id,))

    def next_change_id(self) -> int:
        (last,) = self.db.execute(f"SELECT COALESCE(MAX(change_id), 0) FROM {AUDIT_TABLE}").fetchone()
        return int(last) + 1

    def get_change(self, change_id: int) -> dict[str, Any] | None:
        cursor = self.db.execute(f"SELECT * FROM {AUDIT_TABLE} WHERE change_id = ?", (change_id,))
        row = cursor.fetchone()
        return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))

    def add_change(self, entry: Mapping[str, Any]) -> None:
        names = list(foncier_edits.AUDIT_COLUMNS)
        quoted = ", ".join(f'"{n}"' for n in names)
        sql = f"INSERT INTO {AUDIT_TABLE} ({quoted}) VALUES ({', '.join('?' * len(names))})"
        self.db.execute(sql, [entry.get(n) for n in names])

    def set_undone(self, change_id: int, by_change_id: int) -> None:
        self.db.execute(f"UPDATE {AUDIT_TABLE} SET undone_by = ? WHERE change_id = ?", (by_change_id, change_id))


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}


def _to_gpkg_blob(geometry: shapely.Geometry | None, srs_id: int) -> bytes | None:
    """GeoPackage binary: ``GP``, version 0, flags (little-endian, no envelope), SRS id, then WKB."""
    if geometry is None:
        return None
    return b"GP" + bytes([0, 0b0000_0001]) + struct.pack("<i", srs_id) + shapely.to_wkb(geometry, byte_order=1)


def _from_gpkg_blob(blob: bytes | None) -> shapely.Geometry | None:
    if blob is None:
        return None
    flags = blob[3]
    header = 8 + _ENVELOPE_BYTES[(flags >> 1) & 0b111]
    return shapely.from_wkb(bytes(blob[header:]))


# --- PostGIS -------------------------------------------------------------------------------


class PostgisStore(Store):
    """The same layers in a PostGIS database (several app processes can share it).

    Geometries are stored in WGS84 (SRID 4326) in a ``geometry`` column; tables are
    replaced inside one transaction, edits lock the audit table so change numbers are
    consecutive and two edits of one site are serialised (then version-checked).
    """

    def __init__(self, url: str, *, connect_timeout_s: int = 3) -> None:
        import sqlalchemy

        # ``postgresql://`` URLs (the usual form) are served by psycopg 3, the driver we install.
        self.url = url.replace("postgresql://", "postgresql+psycopg://", 1).replace(
            "postgres://", "postgresql+psycopg://", 1
        )
        self.engine = sqlalchemy.create_engine(
            self.url, pool_pre_ping=True, connect_args={"connect_timeout": connect_timeout_s}
        )

    def __repr__(self) -> str:
        return f"PostgisStore({self.describe()!r})"

    def close(self) -> None:
        self.engine.dispose()

    def describe(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def exists(self) -> bool:
        return REVISION_TABLE in self._table_names()

    def layer_names(self) -> list[str]:
        return [name for name in self._table_names() if name != "spatial_ref_sys"]

    def read(self, layer: str, *, columns: list[str] | None = None) -> Frame:
        if layer not in self.layer_names():
            raise StoreError(
                f"La couche « {layer} » est absente de la base {self.describe()}. "
                "Lancez `reindus build` avec REINDUS_DATABASE_URL, ou `reindus copy-store`."
            )
        selected = ", ".join(f'"{c}"' for c in columns) if columns else "*"
        with self._connection() as connection:
            if layer in self._spatial_tables(connection):
                if columns and "geometry" not in columns:
                    selected += ', "geometry"'
                sql = f'SELECT {selected} FROM "{layer}"'
                return gpd.read_postgis(sql, connection, geom_col="geometry")
            return pd.read_sql_query(f'SELECT {selected} FROM "{layer}"', connection)

    def replace_all(self, layers: Mapping[str, Frame]) -> None:
        with self._connection(begin=True) as connection:
            from sqlalchemy import text

            for name in self.layer_names():
                if name not in layers and name != AUDIT_TABLE:
                    connection.execute(text(f'DROP TABLE "{name}"'))
            self._write(connection, self._with_revision(layers))

    def replace_layers(self, layers: Mapping[str, Frame]) -> None:
        with self._connection(begin=True) as connection:
            self._write(connection, self._with_revision(layers))

    def revision(self) -> tuple[str, int]:
        import sqlalchemy.exc
        from sqlalchemy import text

        try:
            with self._connection() as connection:
                layers = connection.execute(text(f"SELECT layers_revision FROM {REVISION_TABLE}")).scalar_one()
                edits = connection.execute(text(f"SELECT COALESCE(MAX(change_id), 0) FROM {AUDIT_TABLE}")).scalar_one()
        except sqlalchemy.exc.ProgrammingError as error:
            raise StoreError(
                f"La base {self.describe()} ne contient pas les données de reindus : lancez `reindus copy-store`."
            ) from error
        return str(layers), int(edits)

    @contextlib.contextmanager
    def edit_transaction(self) -> Iterator[foncier_edits.SiteTransaction]:
        from sqlalchemy import text

        with self._connection(begin=True) as connection:
            connection.execute(text(f"LOCK TABLE {AUDIT_TABLE} IN EXCLUSIVE MODE"))
            yield _PostgisRows(connection)

    def _write(self, connection: Any, layers: Mapping[str, Frame]) -> None:
        for name, frame in layers.items():
            if isinstance(frame, gpd.GeoDataFrame):
                frame = frame.to_crs(WGS84)
                if frame.geometry.name != "geometry":
                    frame = frame.rename_geometry("geometry")
                frame.to_postgis(name, connection, if_exists="replace", index=False)
            else:
                frame.to_sql(name, connection, if_exists="replace", index=False)

    @contextlib.contextmanager
    def _connection(self, *, begin: bool = False) -> Iterator[Any]:
        import sqlalchemy.exc

        try:
            with self.engine.begin() if begin else self.engine.connect() as connection:
                yield connection
        except sqlalchemy.exc.OperationalError as error:
            raise StoreUnavailableError(
                f"La base PostGIS ({self.describe()}) est injoignable : {_first_line(error)}. "
                "Les données déjà chargées restent consultables ; les modifications sont suspendues."
            ) from error

    def _table_names(self) -> list[str]:
        import sqlalchemy

        with self._connection() as connection:
            return sorted(sqlalchemy.inspect(connection).get_table_names())

    @staticmethod
    def _spatial_tables(connection: Any) -> set[str]:
        from sqlalchemy import text

        return set(connection.execute(text("SELECT f_table_name FROM geometry_columns")).scalars())


class _PostgisRows:
    """Foncier rows and audit entries inside one PostgreSQL transaction."""

    def __init__(self, connection: Any) -> None:
        from sqlalchemy import inspect

        self.connection = connection
        self.columns = [c["name"] for c in inspect(connection).get_columns(EDITED_LAYER)]

    def _execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        from sqlalchemy import text

        return self.connection.execute(text(sql), dict(params or {}))

    def get_site(self, site_id: str) -> dict[str, Any] | None:
        others = ", ".join(f'"{c}"' for c in self.columns if c != "geometry")
        row = (
            self._execute(
                f'SELECT {others}, ST_AsBinary("geometry") AS wkb FROM "{EDITED_LAYER}" '
                "WHERE site_id = :site_id FOR UPDATE",
                {"site_id": site_id},
            )
            .mappings()
            .first()
        )
        if row is None:
            return None
        values = dict(row)
        wkb = values.pop("wkb")
        values["geometry"] = shapely.from_wkb(bytes(wkb)) if wkb is not None else None
        return values

    def put_site(self, row: Mapping[str, Any], *, insert: bool) -> None:
        values = {k: foncier_edits.plain_value(v) for k, v in row.items() if k in self.columns and k != "geometry"}
        geometry = row.get("geometry")
        params = {f"p{i}": value for i, value in enumerate(values.values())}
        params["wkb"] = shapely.to_wkb(geometry) if geometry is not None else None
        geometry_sql = "ST_SetSRID(ST_GeomFromWKB(:wkb), 4326)"
        if insert:
            names = ", ".join([*(f'"{n}"' for n in values), '"geometry"'])
            placeholders = ", ".join([*(f":p{i}" for i in range(len(values))), geometry_sql])
            self._execute(f'INSERT INTO "{EDITED_LAYER}" ({names}) VALUES ({placeholders})', params)
        else:
            assignments = ", ".join([*(f'"{n}" = :p{i}' for i, n in enumerate(values)), f'"geometry" = {geometry_sql}'])
            params["site_id"] = row["site_id"]
            self._execute(f'UPDATE "{EDITED_LAYER}" SET {assignments} WHERE site_id = :site_id', params)

    def delete_site(self, site_id: str) -> None:
        self._execute(f'DELETE FROM "{EDITED_LAYER}" WHERE site_id = :site_id', {"site_id": site_id})

    def next_change_id(self) -> int:
        return int(self._execute(f"SELECT COALESCE(MAX(change_id), 0) + 1 FROM {AUDIT_TABLE}").scalar_one())

    def get_change(self, change_id: int) -> dict[str, Any] | None:
        row = self._execute(f"SELECT * FROM {AUDIT_TABLE} WHERE change_id = :id", {"id": change_id}).mappings().first()
        return None if row is None else dict(row)

    def add_change(self, entry: Mapping[str, Any]) -> None:
        names = list(foncier_edits.AUDIT_COLUMNS)
        quoted = ", ".join(f'"{n}"' for n in names)
        placeholders = ", ".join(f":{n}" for n in names)
        self._execute(f"INSERT INTO {AUDIT_TABLE} ({quoted}) VALUES ({placeholders})", {n: entry.get(n) for n in names})

    def set_undone(self, change_id: int, by_change_id: int) -> None:
        self._execute(
            f"UPDATE {AUDIT_TABLE} SET undone_by = :by WHERE change_id = :id", {"by": by_change_id, "id": change_id}
        )


def _first_line(error: Exception) -> str:
    text = str(getattr(error, "orig", None) or error).strip()
    return text.splitlines()[0] if text else type(error).__name__
