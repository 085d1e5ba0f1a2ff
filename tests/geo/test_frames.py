"""Rows as dicts, column by column."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
from shapely.geometry import Point

from geo.frames import records


def test_records_give_the_same_python_values_as_to_dict():
    frame = gpd.GeoDataFrame(
        {
            "code": pd.Series(["02001", None, "59350"], dtype="string[pyarrow]"),
            "count": pd.Series([1, None, 3], dtype="Int64"),
            "nom": pd.Series(["Aisne", "", "Lille"], dtype="str"),
            "jobs": [12.0, np.nan, 3.5],
            "version": np.array([1, 2, 3], dtype="int64"),
        },
        geometry=[Point(3.0, 50.0), None, Point(3.06, 50.63)],
        crs="EPSG:4326",
    )
    expected = frame.to_dict("records")
    got = records(frame)
    assert len(got) == 3
    for mine, theirs in zip(got, expected, strict=True):
        assert list(mine) == list(theirs)
        for column in theirs:
            assert type(mine[column]) is type(theirs[column]), column
            assert pd.isna(mine[column]) if pd.isna(theirs[column]) else mine[column] == theirs[column]


def test_records_of_an_empty_frame():
    assert records(pd.DataFrame({"code": pd.Series(dtype="str")})) == []
