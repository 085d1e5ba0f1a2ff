"""The store of built layers: an embedded GeoPackage (default) or PostGIS (when a database URL is set).

Only this package reads or writes the store. It owns the interface (:mod:`geo.store.base`), one
module per backend (:mod:`geo.store.geopackage`, :mod:`geo.store.postgis`), the audited edits of
foncier sites and projects (:mod:`geo.store.edits`) and the accounts of the people who make them
(:mod:`geo.store.accounts`), each written once for both backends.

May import: the root modules of :mod:`geo` (crs, errors, settings, vocabulary). Nothing else in
``geo`` is imported here; imports, analysis and build use the store, never the reverse.
"""

from __future__ import annotations

import os

from geo import settings
from geo.store.accounts import ROLES, Account, AccountError, Accounts, SignInRefused, WriteRefused
from geo.store.base import (
    AUDIT_TABLE,
    AUDIT_TABLES,
    EDITED_LAYER,
    EDITED_LAYERS,
    REVISION_TABLE,
    SPATIAL_LAYERS,
    TABLES,
    Store,
    copy_store,
)
from geo.store.geopackage import GeoPackageStore
from geo.store.postgis import PostgisStore

__all__ = [
    "ROLES",
    "Account",
    "AccountError",
    "Accounts",
    "SignInRefused",
    "WriteRefused",
    "AUDIT_TABLE",
    "AUDIT_TABLES",
    "EDITED_LAYER",
    "EDITED_LAYERS",
    "REVISION_TABLE",
    "SPATIAL_LAYERS",
    "TABLES",
    "GeoPackageStore",
    "PostgisStore",
    "Store",
    "copy_store",
    "open_store",
]


def open_store(path: str | os.PathLike[str] | None = None, *, url: str | None = None) -> Store:
    """The configured store: PostGIS when a database URL is given or set, else the GeoPackage."""
    url = url or (None if path else settings.database_url())
    return PostgisStore(url) if url else GeoPackageStore(settings.store_path(path))
