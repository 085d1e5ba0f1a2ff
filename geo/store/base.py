"""The store interface: what the build, the CLI and the pages need, whatever the backend.

Whole-layer writes (build, imports) are atomic; foncier edits are row-level transactions with a
version check and an audit row (:mod:`geo.store.edits`); ``revision()`` tells the app when to
reload (the layers' revision changes on every whole-layer write, the edits' revision on every
foncier edit, so an edit does not make every session rebuild the map).
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
    "store_revision",
    "relance",
    "relance_mensuel",
)
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
    def edit_transaction(self) -> contextlib.AbstractContextManager[edits.SiteTransaction]:
        """One write transaction on the foncier rows and their audit: committed whole or not at all."""

    @abstractmethod
    def accounts(self) -> Accounts:
        """The accounts of the people who change data, kept beside the layers (and across rebuilds)."""

    def close(self) -> None:  # noqa: B027 — optional hook: only database backends hold connections
        """Release connections (nothing to do for a file)."""

    # Every write below checks the account first, here and not only in the pages: a disabled account, a
    # reader, or a session opened before a password or role change is refused (WriteRefused, in French).

    def apply_site_change(self, change: edits.SiteChange, *, account: Account | None) -> dict[str, Any]:
        """Apply one editor's change (version-checked, audited under the account); return the audit entry."""
        author = self.accounts().check_can_write(account).signature
        with self.edit_transaction() as tx:
            return edits.apply_change(tx, dataclasses.replace(change, author=author))

    def undo_site_change(self, change_id: int, *, account: Account | None) -> dict[str, Any]:
        """Undo one change (itself audited); return the new audit entry."""
        author = self.accounts().check_can_write(account).signature
        with self.edit_transaction() as tx:
            return edits.undo_change(tx, change_id, author=author)

    def import_sites(self, rows: gpd.GeoDataFrame, *, account: Account | None) -> list[dict[str, Any]]:
        """Apply an accepted foncier import in one transaction (every row audited, or none)."""
        author = self.accounts().check_can_write(account).signature
        with self.edit_transaction() as tx:
            return edits.import_rows(tx, rows, author=author)

    def import_projects(self, projects: gpd.GeoDataFrame, *, account: Account | None) -> None:
        """Replace the projects layer by an editor's accepted import (the build writes it without an account)."""
        self.accounts().check_can_write(account)
        self.replace_layers({"projets": projects})

    @staticmethod
    def _with_revision(layers: Mapping[str, Frame]) -> dict[str, Frame]:
        revision = pd.DataFrame({"layers_revision": [uuid.uuid4().hex]})
        return {**dict(layers.items()), REVISION_TABLE: revision}


def copy_store(source: Store, target: Store) -> None:
    """Copy every layer of ``source`` into ``target`` (e.g. publish the built GeoPackage to PostGIS)."""
    names = [name for name in source.layer_names() if name != REVISION_TABLE]
    target.replace_all({name: source.read(name) for name in names})
