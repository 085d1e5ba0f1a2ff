"""A4 PDF export of each ready-made press view (goal ≤ 5 s), and the edit transaction of the foncier.

The export is timed from the store read to the PDF bytes, as `reindus export` does it; the
"one folium marker per site" baseline is not relevant here, so the figure stands alone.
The foncier edit (account check, version check, update, audit row, commit) is timed on a copy of the store.
"""

from __future__ import annotations

import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench.metric import Metric, peak_rss_mb
from geo.analysis.projects import default_selection, typed_projects
from geo.settings import FONTS_DIR, store_path
from geo.store import GeoPackageStore
from geo.store.edits import CORRECT, SiteChange
from layers.press import VIEWS, press_data, register_fonts, render, to_bytes

GOAL_PDF_S = 5.0
EDITS = 50


def run() -> list[Metric]:
    store = GeoPackageStore(store_path())
    register_fonts(FONTS_DIR.glob("*.ttf"))  # in Inter, as the app and the CLI draw them
    shown = default_selection(typed_projects(store.read("projets")))
    timings = {}
    for key, view in VIEWS.items():
        start = time.perf_counter()
        to_bytes(render(view, press_data(store.read, view, projects=shown), layout="a4"), "pdf")
        timings[key] = time.perf_counter() - start
    slowest = max(timings, key=timings.get)
    metrics = [
        Metric(
            "press_a4_pdf_export",
            timings[slowest],
            "s",
            GOAL_PDF_S,
            f"slowest view « {slowest} »; others "
            + ", ".join(f"{k} {v:.1f} s" for k, v in timings.items())
            + f"; peak RSS {peak_rss_mb():.0f} MB",
        )
    ]
    with tempfile.TemporaryDirectory() as tmp:
        copy = GeoPackageStore(Path(tmp) / "copie.gpkg")
        shutil.copyfile(store.path, copy.path)
        site_id = str(copy.read("foncier", columns=["site_id"])["site_id"].iloc[0])
        bench = copy.accounts().add("bench", role="editeur", password="bench-mot-de-passe-long")
        durations = []
        for version in range(1, EDITS + 1):
            start = time.perf_counter()
            copy.apply_site_change(
                SiteChange(CORRECT, site_id, "bench", version, {"surface_ha": float(version)}), account=bench
            )
            durations.append(time.perf_counter() - start)
    metrics.append(
        Metric(
            "foncier_edit_geopackage_p50",
            statistics.median(durations) * 1000,
            "ms",
            None,
            f"{EDITS} audited, version-checked edits in place (no file copy); max {max(durations) * 1000:.0f} ms",
        )
    )
    return metrics
