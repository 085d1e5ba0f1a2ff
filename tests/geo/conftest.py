"""Fixtures of the geo tests that read the real build: the commune lookup and the territory membership."""

from __future__ import annotations

import pytest

from geo.imports.locate import lookup_from_store


@pytest.fixture(scope="module")
def lookup(store):
    return lookup_from_store(store)


@pytest.fixture(scope="module")
def membership(store):
    return store.read("territoire_communes")
