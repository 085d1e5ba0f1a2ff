"""Map of the default Carte view: build time on a rerun and HTML payload, against a naive folium rendering.

The Carte draws vector tiles: its HTML carries rules, not geometry. The embedded-GeoJSON map
(the standalone HTML export) is measured beside it.

Naive baseline, run in the same process: folium.GeoJson fed with the full-precision
GeoDataFrames (every column) on each rerun, as a first folium script would do.
"""

from __future__ import annotations

import statistics
import time

import folium

from bench.metric import Metric
from geo import settings
from geo.store import GeoPackageStore
from layers.overview import explorer_map, prepare_map_data
from layers.vector_tiles import TileSource

RUNS = 5
DEFAULT_OVERLAYS = ["ti2"]


def run() -> list[Metric]:
    store = GeoPackageStore(settings.store_path())
    web = {name: store.read(name) for name in ("epci_web", "departements_web", "regions_web", "territoires_web")}
    full = {name: store.read(name) for name in ("epci", "departements", "regions", "territoires")}

    start = time.perf_counter()
    prepared = prepare_map_data(web["epci_web"], web["departements_web"], web["regions_web"], web["territoires_web"])
    prepare_s = time.perf_counter() - start

    tiles = TileSource(url="/app/static/tiles/reindus.pmtiles")
    ours_s, ours_html = _timed(
        lambda: explorer_map(prepared, overlays=DEFAULT_OVERLAYS, attribution="Sources", tiles=tiles)
    )
    embedded_s, embedded_html = _timed(lambda: explorer_map(prepared, overlays=DEFAULT_OVERLAYS, attribution="Sources"))
    naive_s, naive_html = _timed(lambda: _naive_map(full))
    return [
        Metric("map_prepare_once", prepare_s * 1000, "ms", None, "per store version, cached by the app"),
        Metric(
            "map_build_on_rerun",
            ours_s * 1000,
            "ms",
            150,
            f"naive {naive_s * 1000:.0f} ms, ratio {naive_s / ours_s:.1f}x (median of {RUNS}, build + render)",
        ),
        Metric(
            "map_payload_default_view",
            len(ours_html) / 1e6,
            "MB",
            1.0,
            f"naive {len(naive_html) / 1e6:.2f} MB, ratio {len(naive_html) / len(ours_html):.0f}x; "
            f"vector tiles: no geometry in the page",
        ),
        Metric(
            "map_payload_embedded_geojson",
            len(embedded_html) / 1e6,
            "MB",
            None,
            f"the standalone HTML export's map (simplified GeoJSON inside), built in {embedded_s * 1000:.0f} ms",
        ),
    ]


def _timed(make_map) -> tuple[float, str]:
    timings, html = [], ""
    for _ in range(RUNS):
        start = time.perf_counter()
        html = make_map().get_root().render()
        timings.append(time.perf_counter() - start)
    return statistics.median(timings), html


def _naive_map(full: dict) -> folium.Map:
    fmap = folium.Map(location=(49.4, 4.6), zoom_start=7, tiles=None)
    territories = full["territoires"]
    for frame in (full["regions"], full["departements"], full["epci"], territories[territories["kind"] == "ti_phase2"]):
        folium.GeoJson(frame, tooltip=folium.GeoJsonTooltip(fields=[frame.columns[0], frame.columns[1]])).add_to(fmap)
    return fmap
