"""Spatial join of 1,000,000 points to the 242 EPCI (goal ≤ 3 s), against a per-point loop.

The loop tests each point against each EPCI polygon with shapely, as hand-written code
would; it is timed on a sample and extrapolated to the same number of points.
"""

from __future__ import annotations

import time

import geopandas as gpd
import numpy as np
import shapely

from bench.metric import Metric, peak_rss_mb
from geo.settings import store_path
from geo.store import GeoPackageStore

N_POINTS = 1_000_000
LOOP_SAMPLE = 2_000
GOAL_S = 3.0


def random_points(epci: gpd.GeoDataFrame, n: int, *, seed: int = 2026) -> gpd.GeoDataFrame:
    """Uniform points over the bounding box of the EPCI (some fall outside, as real data does)."""
    rng = np.random.default_rng(seed)
    minx, miny, maxx, maxy = epci.total_bounds
    xs, ys = rng.uniform(minx, maxx, n), rng.uniform(miny, maxy, n)
    return gpd.GeoDataFrame(geometry=gpd.points_from_xy(xs, ys), crs=epci.crs)


def vectorised_join(points: gpd.GeoDataFrame, epci: gpd.GeoDataFrame) -> np.ndarray:
    """SIREN of the EPCI under each point ('' outside), one STRtree query for all points."""
    point_index, polygon_index = epci.sindex.query(points.geometry.values, predicate="within")
    sirens = np.full(len(points), "", dtype=object)
    sirens[point_index] = epci["siren"].to_numpy()[polygon_index]
    return sirens


def loop_join(points: gpd.GeoDataFrame, epci: gpd.GeoDataFrame) -> list[str]:
    """The naive baseline: every point against every polygon."""
    polygons = list(zip(epci["siren"], epci.geometry, strict=True))
    found = []
    for point in points.geometry:
        found.append(next((siren for siren, polygon in polygons if polygon.contains(point)), ""))
    return found


def run() -> list[Metric]:
    epci = GeoPackageStore(store_path()).read("epci", columns=["siren"])
    points = random_points(epci, N_POINTS)
    shapely.prepare(epci.geometry.values)  # both methods get prepared polygons: a fair comparison
    start = time.perf_counter()
    sirens = vectorised_join(points, epci)
    vectorised_s = time.perf_counter() - start
    sample = points.iloc[:LOOP_SAMPLE]
    start = time.perf_counter()
    looped = loop_join(sample, epci)
    loop_s = (time.perf_counter() - start) * N_POINTS / LOOP_SAMPLE
    if list(sirens[:LOOP_SAMPLE]) != looped:
        raise AssertionError("the vectorised join and the loop disagree")
    inside = float((sirens != "").mean())
    return [
        Metric(
            "sjoin_1M_points_to_epci",
            vectorised_s,
            "s",
            GOAL_S,
            f"loop (extrapolated from {LOOP_SAMPLE}) {loop_s:.0f} s, ratio ×{loop_s / vectorised_s:.0f}; "
            f"{inside:.0%} of points inside an EPCI; peak RSS {peak_rss_mb():.0f} MB",
        )
    ]
