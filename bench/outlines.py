"""How close the map's commune outlines are to IGN's surfaces, against COGiter's 2025 edition (issue #27).

The build draws communes with IGN's 2018 outlines regrouped on the COG 2026 where they still fit
(:func:`geo.assembly.boundaries.finer_outlines`); COGiter's coarser 2025 outlines are the alternative. Both are
compared on the same 8,897 communes with the surface IGN gives (BD CARTO, as COGiter aggregates it).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import shapely

from bench.metric import Metric
from geo.assembly.pipeline import REFERENCE_AREA_COLUMN, load_manifest
from geo.crs import LAMBERT93
from geo.settings import sources_dir, store_path
from geo.store import GeoPackageStore

GOAL_MEDIAN_ERROR_PCT = 1.0


def run() -> list[Metric]:
    coarse = gpd.read_file(load_manifest()["communes_geometry"].local_path(sources_dir())).to_crs(LAMBERT93)
    coarse = coarse.set_index("code")
    drawn = GeoPackageStore(store_path()).read("communes").to_crs(LAMBERT93).set_index("code")
    drawn = drawn.geometry.reindex(coarse.index)
    reference = coarse[REFERENCE_AREA_COLUMN].astype(float)
    drawn_error = (drawn.area / reference - 1).abs() * 100
    coarse_error = (coarse.area / reference - 1).abs() * 100
    vertices = {
        "drawn": int(shapely.get_num_coordinates(np.asarray(drawn.array)).sum()),
        "coarse": int(shapely.get_num_coordinates(np.asarray(coarse.geometry.array)).sum()),
    }
    apart_m = shapely.hausdorff_distance(np.asarray(drawn.array), np.asarray(coarse.geometry.array))
    return [
        Metric(
            "commune_outline_area_error_median",
            float(drawn_error.median()),
            "%",
            GOAL_MEDIAN_ERROR_PCT,
            f"{len(reference):,} communes against IGN's surfaces; 99th percentile {drawn_error.quantile(0.99):.1f} %, "
            f"{vertices['drawn']:,} vertices. COGiter 2025: median {coarse_error.median():.1f} %, 99th percentile "
            f"{coarse_error.quantile(0.99):.1f} %, {vertices['coarse']:,} vertices; the two are "
            f"{np.median(apart_m):.0f} m apart at the median (Hausdorff)",
        )
    ]
