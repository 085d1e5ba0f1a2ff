"""The store interface: what the build, the CLI and the pages need, whatever the backend.

Whole-layer writes (the build) are atomic; foncier and project edits and imports are row-level
transactions with a version check and an audit row (:mod:`geo.store.edits`); ``revision()`` tells
the app when to reload (the layers' revision changes on every whole-layer write and every project
write, since every page draws the projects; the edits' revision on every foncier edit, so a foncier
edit does not make every session rebuild the map).
"""

from __future__ import annotations

import contextlib
import dataclasses
import uuid
from abc import ABC, abstractmethod
from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.store import edits
from geo.store.accounts import Account, Accounts

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
TABLES = (
    "territoire_communes",
    "cog_communes",
    "metadata",
    "foncier_audit",
    "projets_audit",
    "store_revision",
    "relance",
    "relance_mensuel",
    edits.SHIPPED_CHANGES_LAYER,
    "emploi_industriel_ze",
    "emploi_industriel_secteurs",
    "emploi_epci",
    "emploi_prive_communes",
)
REVISION_TABLE = "store_revision"
EDITED_LAYER, AUDIT_TABLE = edits.FONCIER.layer, edits.FONCIER.audit
EDITED_LAYERS = tuple(table.layer for table in edits.EDITED_TABLES)
AUDIT_TABLES = tuple(table.audit for table in edits.EDITED_TABLES)

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
    def edit_transaction(
        self, table: edits.EditedTable = edits.FONCIER
    ) -> contextlib.AbstractContextManager[edits.RowTransaction]:
        """One write transaction on the rows of ``table`` and their audit: committed whole or not at all.

        A store written before ``table`` was audited gets its audit table and ``version`` column here.
        """

    @abstractmethod
    def accounts(self) -> Accounts:
        """The accounts of the people who change data, kept beside the layers (and across rebuilds)."""

    def close(self) -> None:  # noqa: B027 — optional hook: only database backends hold connections
        """Release connections (nothing to do for a file)."""

    # Every write below checks the account first, here and not only in the pages: a disabled account, a
    # reader, or a session opened before a password or role change is refused (WriteRefused, in French).

    def apply_site_change(self, change: edits.SiteChange, *, account: Account | None) -> dict[str, Any]:
        """Apply one editor's change of a site (version-checked, audited under the account); return the audit
        entry."""
        return self._apply(_checked(change, edits.FONCIER), account=account)

    def undo_site_change(self, change_id: int, *, account: Account | None) -> dict[str, Any]:
        """Undo one change of a site (itself audited); return the new audit entry."""
        return self._undo(edits.FONCIER, change_id, account=account)

    def import_sites(self, rows: gpd.GeoDataFrame, *, account: Account | None) -> list[dict[str, Any]]:
        """Apply an accepted foncier import in one transaction (every row audited, or none)."""
        return self._import(edits.FONCIER, rows, account=account)

    def apply_project_change(self, change: edits.ProjectChange, *, account: Account | None) -> dict[str, Any]:
        """Apply one editor's change of a project (version-checked, audited under the account); return the audit
        entry."""
        return self._apply(_checked(change, edits.PROJECTS), account=account)

    def undo_project_change(self, change_id: int, *, account: Account | None) -> dict[str, Any]:
        """Undo one change of a project (itself audited); return the new audit entry."""
        return self._undo(edits.PROJECTS, change_id, account=account)

    def import_projects(self, projects: gpd.GeoDataFrame, *, account: Account | None) -> list[dict[str, Any]]:
        """Apply an accepted projects import in one transaction: new ids added, known ids corrected, every row
        audited, or none (the build writes the curated projects without an account)."""
        return self._import(edits.PROJECTS, projects, account=account)

    def _apply(self, change: edits.RecordChange, *, account: Account | None) -> dict[str, Any]:
        author = self.accounts().check_can_write(account).signature
        with self.edit_transaction(change.table) as tx:
            return edits.apply_change(tx, dataclasses.replace(change, author=author))

    def _undo(self, table: edits.EditedTable, change_id: int, *, account: Account | None) -> dict[str, Any]:
        author = self.accounts().check_can_write(account).signature
        with self.edit_transaction(table) as tx:
            return edits.undo_change(tx, change_id, author=author)

    def _import(
        self, table: edits.EditedTable, rows: gpd.GeoDataFrame, *, account: Account | None
    ) -> list[dict[str, Any]]:
        author = self.accounts().check_can_write(account).signature
        with self.edit_transaction(table) as tx:
            return edits.import_rows(tx, rows, author=author)

    @staticmethod
    def _with_revision(layers: Mapping[str, Frame]) -> dict[str, Frame]:
        revision = pd.DataFrame({"layers_revision": [uuid.uuid4().hex]})
        return {**dict(layers.items()), REVISION_TABLE: revision}


def copy_store(source: Store, target: Store) -> None:
    """Copy every layer of ``source`` into ``target`` (e.g. publish the built GeoPackage to PostGIS)."""
    names = [name for name in source.layer_names() if name != REVISION_TABLE]
    target.replace_all({name: source.read(name) for name in names})


def _checked(change: edits.RecordChange, table: edits.EditedTable) -> edits.RecordChange:
    if change.table != table:
        raise TypeError(f"expected a change of {table.layer}, got {type(change).__name__} ({change.table.layer})")
    return change
