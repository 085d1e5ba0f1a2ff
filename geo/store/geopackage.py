"""The GeoPackage backend: one file, atomic whole-layer writes, foncier edits in place.

- Whole-layer writes go to a copy beside the target, are fsynced, then renamed over it: a reader
  sees the old or the new store, never half a build, and a killed write leaves the file untouched.
- Foncier and project edits are SQLite transactions (``BEGIN IMMEDIATE``) on the rows themselves,
  points encoded in GeoPackage binary here, so an edit never rewrites the file.
- A cross-process writer lock (``flock``) keeps an edit from landing in a file about to be replaced.
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
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio
import shapely
import sqlalchemy
from sqlalchemy.pool import NullPool

from geo.errors import StoreError
from geo.store import edits
from geo.store.accounts import ACCOUNT_TABLES, Accounts
from geo.store.base import AUDIT_TABLE, EDITED_LAYERS, REVISION_TABLE, Frame, Store
from geo.store.sql import quote_identifier


class GeoPackageStore(Store):
    """Read and replace the layers of one GeoPackage file; edit foncier and project rows in place."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._accounts: Accounts | None = None

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
                (layers,) = db.execute(f"SELECT layers_revision FROM {quote_identifier(REVISION_TABLE)}").fetchone()
                (edits,) = db.execute(
                    f"SELECT COALESCE(MAX(change_id), 0) FROM {quote_identifier(AUDIT_TABLE)}"
                ).fetchone()
            except sqlite3.OperationalError:  # a store built before revisions existed
                return str(self.path.stat().st_mtime_ns), 0
        return str(layers), int(edits)

    def accounts(self) -> Accounts:
        self._require_file()
        if self._accounts is None:  # one engine per store: every write asks for the account it checks
            engine = sqlalchemy.create_engine(f"sqlite:///{self.path}", poolclass=NullPool)
            self._accounts = Accounts(engine, write_lock=self._writer_lock)
        return self._accounts

    @contextlib.contextmanager
    def edit_transaction(self, table: edits.EditedTable = edits.FONCIER) -> Iterator[edits.RowTransaction]:
        self._require_file()
        with self._writer_lock():
            self._prepare_edits(table)
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                _add_rtree_functions(db)
                db.execute("BEGIN IMMEDIATE")
                yield _GeoPackageRows(db, table)
                if table.reloads_layers:
                    db.execute(
                        f"UPDATE {quote_identifier(REVISION_TABLE)} SET layers_revision = ?", (uuid.uuid4().hex,)
                    )
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            finally:
                db.close()

    def _prepare_edits(self, table: edits.EditedTable) -> None:
        """A store written before ``table`` was audited gets its ``version`` column (every row at 1) and an empty
        audit table (called under the writer lock)."""
        with contextlib.closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            columns = {row[1] for row in db.execute(f"PRAGMA table_info({quote_identifier(table.layer)})")}
            if not columns:
                raise StoreError(f"La couche « {table.layer} » est absente de {self.path}. Relancez `reindus build`.")
            if "version" not in columns:
                db.execute(
                    f'ALTER TABLE {quote_identifier(table.layer)} ADD COLUMN "version" INTEGER NOT NULL DEFAULT 1'
                )
            (audited,) = db.execute("SELECT COUNT(*) FROM sqlite_master WHERE name = ?", (table.audit,)).fetchone()
        if not audited:  # written by GDAL so that it is a GeoPackage table like the others (listed, readable)
            pyogrio.write_dataframe(table.empty_audit(), self.path, layer=table.audit, driver="GPKG")
        with contextlib.closing(sqlite3.connect(self.path, timeout=30, isolation_level=None)) as db:
            for statement in edits.lookup_indexes(table):
                db.execute(statement)

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
                options = {"SPATIAL_INDEX": "NO"} if name in EDITED_LAYERS else None
                pyogrio.write_dataframe(frame, tmp_name, layer=name, driver="GPKG", append=False, layer_options=options)
            if not start_from_copy and self.path.is_file():
                _carry_accounts(self.path, Path(tmp_name))
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
        self._roll_back_interrupted_write()

    def _roll_back_interrupted_write(self) -> None:
        """Roll back what a writer killed mid-transaction left (a hot journal) before GDAL reads the file.

        GDAL opens the GeoPackage read-only, and a read-only connection cannot roll a hot journal back: every
        read would fail (« attempt to write a readonly database ») until a writer came. The first reader allowed
        to write does it, as SQLite does on any read; a live writer's journal is not hot and is left alone.
        """
        journal = self.path.with_name(f"{self.path.name}-journal")
        if not journal.exists() or not os.access(self.path, os.W_OK) or not os.access(self.path.parent, os.W_OK):
            return
        with contextlib.closing(sqlite3.connect(self.path, timeout=30)) as db:
            db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()


def _carry_accounts(old: Path, new: Path) -> None:
    """Accounts survive a rebuild: their tables are copied from the file being replaced."""
    with contextlib.closing(sqlite3.connect(new, isolation_level=None)) as db:
        db.execute("ATTACH DATABASE ? AS old", (str(old),))
        present = {row[0] for row in db.execute("SELECT name FROM old.sqlite_master WHERE type = 'table'")}
        for table in ACCOUNT_TABLES:
            if table in present:
                (schema,) = db.execute("SELECT sql FROM old.sqlite_master WHERE name = ?", (table,)).fetchone()
                db.execute(schema)
                db.execute(f"INSERT INTO main.{quote_identifier(table)} SELECT * FROM old.{quote_identifier(table)}")
        db.execute("DETACH DATABASE old")


class _GeoPackageRows:
    """Rows of one edited table and their audit entries inside one SQLite transaction (points in GeoPackage
    binary)."""

    def __init__(self, db: sqlite3.Connection, table: edits.EditedTable) -> None:
        self.db = db
        self.table = table
        self.geometry_column, self.srs_id = db.execute(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?", (table.layer,)
        ).fetchone()
        self.columns = [
            row[1]
            for row in db.execute(f"PRAGMA table_info({quote_identifier(table.layer)})")
            if row[1] not in ("fid",)
        ]

    def get_row(self, record_id: str) -> dict[str, Any] | None:
        return self.get_rows([record_id]).get(record_id)

    def get_rows(self, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored rows among ``record_ids``, by id (read in chunks under SQLite's limit of parameters)."""
        found: dict[str, dict[str, Any]] = {}
        table, key = quote_identifier(self.table.layer), quote_identifier(self.table.key)
        for start in range(0, len(record_ids), _IDS_PER_QUERY):
            chunk = list(record_ids[start : start + _IDS_PER_QUERY])
            cursor = self.db.execute(f"SELECT * FROM {table} WHERE {key} IN ({', '.join('?' * len(chunk))})", chunk)
            names = [d[0] for d in cursor.description]
            for row in cursor:
                values = dict(zip(names, row, strict=True))
                values.pop("fid", None)
                values["geometry"] = _from_gpkg_blob(values.pop(self.geometry_column))
                found[str(values[self.table.key])] = values
        return found

    def put_rows(self, rows: Sequence[Mapping[str, Any]], *, insert: bool) -> None:
        """Insert (``insert``) or update by key each of ``rows``: one statement per set of columns."""
        table = quote_identifier(self.table.layer)
        for names, group in edits.by_columns_set(rows, self.columns).items():
            blobs = _to_gpkg_blobs([row.get("geometry") for row in group], self.srs_id)
            plain = [edits.plain_row(row) for row in group]
            values = [[*(values[name] for name in names), blob] for values, blob in zip(plain, blobs, strict=True)]
            columns = [*(quote_identifier(n) for n in names), quote_identifier(self.geometry_column)]
            if insert:
                placeholders = ", ".join("?" * len(columns))
                self.db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", values)
            else:
                assignments = ", ".join(f"{column} = ?" for column in columns)
                where = f"{quote_identifier(self.table.key)} = ?"
                keyed = [[*row_values, row[self.table.key]] for row_values, row in zip(values, group, strict=True)]
                self.db.executemany(f"UPDATE {table} SET {assignments} WHERE {where}", keyed)

    def put_row(self, row: Mapping[str, Any], *, insert: bool) -> None:
        self.put_rows([row], insert=insert)

    def delete_row(self, record_id: str) -> None:
        self.db.execute(
            f"DELETE FROM {quote_identifier(self.table.layer)} WHERE {quote_identifier(self.table.key)} = ?",
            (record_id,),
        )

    def next_change_id(self) -> int:
        (last,) = self.db.execute(
            f"SELECT COALESCE(MAX(change_id), 0) FROM {quote_identifier(self.table.audit)}"
        ).fetchone()
        return int(last) + 1

    def get_change(self, change_id: int) -> dict[str, Any] | None:
        cursor = self.db.execute(
            f"SELECT * FROM {quote_identifier(self.table.audit)} WHERE change_id = ?", (change_id,)
        )
        row = cursor.fetchone()
        return None if row is None else dict(zip([d[0] for d in cursor.description], row, strict=True))

    def add_change(self, entry: Mapping[str, Any]) -> None:
        self.add_changes([entry])

    def add_changes(self, entries: Sequence[Mapping[str, Any]]) -> None:
        names = list(self.table.audit_columns)
        quoted = ", ".join(quote_identifier(n) for n in names)
        sql = f"INSERT INTO {quote_identifier(self.table.audit)} ({quoted}) VALUES ({', '.join('?' * len(names))})"
        self.db.executemany(sql, ([entry.get(n) for n in names] for entry in entries))

    def set_undone(self, change_id: int, by_change_id: int) -> None:
        self.db.execute(
            f"UPDATE {quote_identifier(self.table.audit)} SET undone_by = ? WHERE change_id = ?",
            (by_change_id, change_id),
        )


def _add_rtree_functions(db: sqlite3.Connection) -> None:
    """The SQL functions GDAL's R-tree triggers call, for a layer written with a spatial index by an older
    build: without them, plain SQLite refuses to insert or move a point of that layer."""

    def bound(index: int) -> Any:
        def of_blob(blob: bytes | None) -> float | None:
            geometry = _from_gpkg_blob(blob)
            return None if geometry is None or geometry.is_empty else float(geometry.bounds[index])

        return of_blob

    def is_empty(blob: bytes | None) -> int | None:
        geometry = _from_gpkg_blob(blob)
        return None if geometry is None else int(geometry.is_empty)

    db.create_function("ST_IsEmpty", 1, is_empty, deterministic=True)
    for index, name in enumerate(("ST_MinX", "ST_MinY", "ST_MaxX", "ST_MaxY")):
        db.create_function(name, 1, bound(index), deterministic=True)


_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_IDS_PER_QUERY = 500


def _to_gpkg_blobs(geometries: Sequence[shapely.Geometry | None], srs_id: int) -> list[bytes | None]:
    """GeoPackage binary of each geometry (None stays None): ``GP``, version 0, flags (little-endian, no
    envelope), SRS id, then the WKB, written for all of them in one call."""
    header = b"GP" + bytes([0, 0b0000_0001]) + struct.pack("<i", srs_id)
    wkbs = shapely.to_wkb(np.array(geometries, dtype=object), byte_order=1)
    return [None if wkb is None else header + wkb for wkb in wkbs]


def _from_gpkg_blob(blob: bytes | None) -> shapely.Geometry | None:
    if blob is None:
        return None
    flags = blob[3]
    header = 8 + _ENVELOPE_BYTES[(flags >> 1) & 0b111]
    return shapely.from_wkb(bytes(blob[header:]))
