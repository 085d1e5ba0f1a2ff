"""The PostGIS backend: the same layers in a database that several app processes can share.

SQL statements interpolate identifiers fixed in this package (layer and column names); every
value goes through bound parameters. (SQLAlchemy is also what the GeoPackage backend writes with.)
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import sqlalchemy
import sqlalchemy.exc
from sqlalchemy import text

from geo.crs import WGS84
from geo.errors import StoreError, StoreUnavailableError
from geo.store import edits
from geo.store.accounts import ACCOUNT_TABLES, Accounts
from geo.store.base import AUDIT_TABLE, AUDIT_TABLES, REVISION_TABLE, Frame, Store
from geo.store.sql import quote_identifier

GEOMETRY = quote_identifier("geometry")


class PostgisStore(Store):
    """The same layers in a PostGIS database (several app processes can share it).

    Geometries are stored in WGS84 (SRID 4326) in a ``geometry`` column; tables are
    replaced inside one transaction, edits lock their audit table so change numbers are
    consecutive and two edits of one row are serialised (then version-checked).
    """

    def __init__(self, url: str, *, connect_timeout_s: int = 3) -> None:
        # ``postgresql://`` URLs (the usual form) are served by psycopg 3, the driver we install.
        self.url = url.replace("postgresql://", "postgresql+psycopg://", 1).replace(
            "postgres://", "postgresql+psycopg://", 1
        )
        self.engine = sqlalchemy.create_engine(
            self.url, pool_pre_ping=True, connect_args={"connect_timeout": connect_timeout_s}
        )
        self._accounts: Accounts | None = None

    def __repr__(self) -> str:
        return f"PostgisStore({self.describe()!r})"

    def close(self) -> None:
        self.engine.dispose()

    def describe(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def exists(self) -> bool:
        return REVISION_TABLE in self._table_names()

    def layer_names(self) -> list[str]:
        return [name for name in self._table_names() if name not in ("spatial_ref_sys", *ACCOUNT_TABLES)]

    def accounts(self) -> Accounts:
        if self._accounts is None:
            self._accounts = Accounts(self.engine)
        return self._accounts

    def read(self, layer: str, *, columns: list[str] | None = None) -> Frame:
        if layer not in self.layer_names():
            raise StoreError(
                f"La couche « {layer} » est absente de la base {self.describe()}. "
                "Lancez `reindus build` avec REINDUS_DATABASE_URL, ou `reindus copy-store`."
            )
        selected = ", ".join(quote_identifier(c) for c in columns) if columns else "*"
        with self._connection() as connection:
            if layer in self._spatial_tables(connection):
                if columns and "geometry" not in columns:
                    selected += ', "geometry"'
                sql = f"SELECT {selected} FROM {quote_identifier(layer)}"
                return gpd.read_postgis(sql, connection, geom_col="geometry")
            return pd.read_sql_query(f"SELECT {selected} FROM {quote_identifier(layer)}", connection)

    def replace_all(self, layers: Mapping[str, Frame]) -> None:
        with self._connection(begin=True) as connection:
            for name in self.layer_names():
                if name not in layers and name not in AUDIT_TABLES:
                    connection.execute(text(f"DROP TABLE {quote_identifier(name)}"))
            self._write(connection, self._with_revision(layers))

    def replace_layers(self, layers: Mapping[str, Frame]) -> None:
        with self._connection(begin=True) as connection:
            self._write(connection, self._with_revision(layers))

    def revision(self) -> tuple[str, int]:
        try:
            with self._connection() as connection:
                layers = connection.execute(
                    text(f"SELECT layers_revision FROM {quote_identifier(REVISION_TABLE)}")
                ).scalar_one()
                edits = connection.execute(
                    text(f"SELECT COALESCE(MAX(change_id), 0) FROM {quote_identifier(AUDIT_TABLE)}")
                ).scalar_one()
        except sqlalchemy.exc.ProgrammingError as error:
            raise StoreError(
                f"La base {self.describe()} ne contient pas les données de reindus : lancez `reindus copy-store`."
            ) from error
        return str(layers), int(edits)

    @contextlib.contextmanager
    def edit_transaction(self, table: edits.EditedTable = edits.FONCIER) -> Iterator[edits.RowTransaction]:
        with self._connection(begin=True) as connection:
            _prepare_edits(connection, table)
            connection.execute(text(f"LOCK TABLE {quote_identifier(table.audit)} IN EXCLUSIVE MODE"))
            yield _PostgisRows(connection, table)
            if table.reloads_layers:
                connection.execute(
                    text(f"UPDATE {quote_identifier(REVISION_TABLE)} SET layers_revision = :revision"),
                    {"revision": uuid.uuid4().hex},
                )

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
        try:
            with self.engine.begin() if begin else self.engine.connect() as connection:
                yield connection
        except sqlalchemy.exc.OperationalError as error:
            raise StoreUnavailableError(
                f"La base PostGIS ({self.describe()}) est injoignable : {_first_line(error)}. "
                "Les données déjà chargées restent consultables ; les modifications sont suspendues."
            ) from error

    def _table_names(self) -> list[str]:
        with self._connection() as connection:
            return sorted(sqlalchemy.inspect(connection).get_table_names())

    @staticmethod
    def _spatial_tables(connection: Any) -> set[str]:
        return set(connection.execute(text("SELECT f_table_name FROM geometry_columns")).scalars())


def _prepare_edits(connection: Any, table: edits.EditedTable) -> None:
    """A database filled before ``table`` was audited gets its ``version`` column (every row at 1) and an empty
    audit table, once: the first editors wait on a transaction lock rather than create them twice."""
    connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:name))"), {"name": table.audit})
    if (
        connection.execute(text("SELECT to_regclass(:name)"), {"name": f"{quote_identifier(table.audit)}"}).scalar()
        is None
    ):
        table.empty_audit().to_sql(table.audit, connection, index=False)
    has_version = connection.execute(
        text("SELECT 1 FROM information_schema.columns WHERE table_name = :layer AND column_name = 'version'"),
        {"layer": table.layer},
    ).first()
    if has_version is None:
        connection.execute(
            text(f'ALTER TABLE {quote_identifier(table.layer)} ADD COLUMN "version" BIGINT NOT NULL DEFAULT 1')
        )
    for statement in edits.lookup_indexes(table):
        connection.execute(text(statement))


class _PostgisRows:
    """Rows of one edited table and their audit entries inside one PostgreSQL transaction."""

    def __init__(self, connection: Any, table: edits.EditedTable) -> None:
        self.connection = connection
        self.table = table
        self.columns = [c["name"] for c in sqlalchemy.inspect(connection).get_columns(table.layer)]

    def _execute(self, sql: str, params: Mapping[str, Any] | None = None) -> Any:
        return self.connection.execute(text(sql), dict(params or {}))

    def get_row(self, record_id: str) -> dict[str, Any] | None:
        return self.get_rows([record_id]).get(record_id)

    def get_rows(self, record_ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        """The stored rows among ``record_ids``, by id, locked for this transaction."""
        if not record_ids:
            return {}
        others = ", ".join(quote_identifier(c) for c in self.columns if c != "geometry")
        rows = self._execute(
            f'SELECT {others}, ST_AsBinary("geometry") AS wkb FROM {quote_identifier(self.table.layer)} '
            f"WHERE {quote_identifier(self.table.key)} = ANY(:record_ids) FOR UPDATE",
            {"record_ids": list(record_ids)},
        ).mappings()
        found = {}
        for row in rows:
            values = dict(row)
            wkb = values.pop("wkb")
            values["geometry"] = shapely.from_wkb(bytes(wkb)) if wkb is not None else None
            found[str(values[self.table.key])] = values
        return found

    def put_rows(self, rows: Sequence[Mapping[str, Any]], *, insert: bool) -> None:
        """Insert (``insert``) or update by key each of ``rows``: one batch per set of columns."""
        geometry_sql = "ST_SetSRID(ST_GeomFromWKB(:wkb), 4326)"
        table = quote_identifier(self.table.layer)
        for names, group in edits.by_columns_set(rows, self.columns).items():
            wkbs = shapely.to_wkb(np.array([row.get("geometry") for row in group], dtype=object))
            params = []
            for row, wkb in zip(group, wkbs, strict=True):
                plain = edits.plain_row(row)
                params.append({**{f"p{i}": plain[name] for i, name in enumerate(names)}, "wkb": wkb})
                if not insert:
                    params[-1]["id"] = row[self.table.key]
            if insert:
                columns = ", ".join([*(quote_identifier(n) for n in names), GEOMETRY])
                placeholders = ", ".join([*(f":p{i}" for i in range(len(names))), geometry_sql])
                sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"
            else:
                assignments = ", ".join(
                    [*(f"{quote_identifier(n)} = :p{i}" for i, n in enumerate(names)), f"{GEOMETRY} = {geometry_sql}"]
                )
                sql = f"UPDATE {table} SET {assignments} WHERE {quote_identifier(self.table.key)} = :id"
            self.connection.execute(text(sql), params)

    def put_row(self, row: Mapping[str, Any], *, insert: bool) -> None:
        self.put_rows([row], insert=insert)

    def delete_row(self, record_id: str) -> None:
        self._execute(
            f"DELETE FROM {quote_identifier(self.table.layer)} WHERE {quote_identifier(self.table.key)} = :record_id",
            {"record_id": record_id},
        )

    def next_change_id(self) -> int:
        return int(
            self._execute(
                f"SELECT COALESCE(MAX(change_id), 0) + 1 FROM {quote_identifier(self.table.audit)}"
            ).scalar_one()
        )

    def get_change(self, change_id: int) -> dict[str, Any] | None:
        sql = f"SELECT * FROM {quote_identifier(self.table.audit)} WHERE change_id = :id"
        row = self._execute(sql, {"id": change_id}).mappings().first()
        return None if row is None else dict(row)

    def add_change(self, entry: Mapping[str, Any]) -> None:
        self.add_changes([entry])

    def add_changes(self, entries: Sequence[Mapping[str, Any]]) -> None:
        if not entries:
            return
        names = list(self.table.audit_columns)
        quoted = ", ".join(quote_identifier(n) for n in names)
        placeholders = ", ".join(f":{n}" for n in names)
        self.connection.execute(
            text(f"INSERT INTO {quote_identifier(self.table.audit)} ({quoted}) VALUES ({placeholders})"),
            [{n: entry.get(n) for n in names} for entry in entries],
        )

    def set_undone(self, change_id: int, by_change_id: int) -> None:
        self._execute(
            f"UPDATE {quote_identifier(self.table.audit)} SET undone_by = :by WHERE change_id = :id",
            {"by": by_change_id, "id": change_id},
        )


def _first_line(error: Exception) -> str:
    message = str(getattr(error, "orig", None) or error).strip()
    return message.splitlines()[0] if message else type(error).__name__
