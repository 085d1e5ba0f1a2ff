"""GeoPackage store: reads, French errors, atomic replacement."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo.crs import WGS84
from geo.errors import StoreError
from geo.store import GeoPackageStore


def _points(n: int) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"code": [f"{i:05d}" for i in range(n)]}, geometry=[Point(2, 50)] * n, crs=WGS84)


def test_round_trip_keeps_string_codes_and_crs(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_all({"pts": _points(3), "meta": pd.DataFrame({"key": ["a"], "value": ["é"]})})
    points = store.read("pts")
    assert points["code"].tolist() == ["00000", "00001", "00002"]
    assert points.crs.to_string() == WGS84
    assert store.read("meta")["value"].tolist() == ["é"]


def test_missing_store_and_layer_are_reported_in_french(tmp_path):
    store = GeoPackageStore(tmp_path / "absent.gpkg")
    with pytest.raises(StoreError, match="introuvable"):
        store.read("epci")
    store.replace_all({"pts": _points(1)})
    with pytest.raises(StoreError, match="absente"):
        store.read("epci")


def test_failed_write_leaves_the_previous_store_byte_identical(tmp_path):
    store = GeoPackageStore(tmp_path / "s.gpkg")
    store.replace_all({"pts": _points(2)})
    before = store.path.read_bytes()

    class Boom(Exception):
        pass

    class Exploding(dict):
        def items(self):
            yield "pts", _points(5)
            raise Boom

    with pytest.raises(Boom):
        store.replace_all(Exploding())
    assert store.path.read_bytes() == before
    # no temporary file left (the writers' lock file stays, empty)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.gpkg", "s.gpkg.lock"]
