"""Fixtures of the store tests: the small layers in an empty store of each backend."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from geo.store import GeoPackageStore, PostgisStore, Store
from tests.small_data import small_layers


@pytest.fixture(params=["geopackage", "postgis"])
def any_store(request, tmp_path) -> Iterator[Store]:
    """An empty store of each backend, then filled with the small layers."""
    if request.param == "geopackage":
        target: Store = GeoPackageStore(tmp_path / "small.gpkg")
    else:
        target = PostgisStore(request.getfixturevalue("postgres_server").new_database())
    target.replace_all(small_layers())
    yield target
    target.close()
