"""Data build of the two regions: wall time and peak memory (goal ≤ 15 s on 2 cores)."""

from __future__ import annotations

import resource
import tempfile
import time
from pathlib import Path

from bench.metric import Metric
from geo.assembly.pipeline import build
from geo.settings import sources_dir
from geo.store import GeoPackageStore

GOAL_S = 15.0


def run() -> list[Metric]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        report = build(sources_dir(), GeoPackageStore(Path(tmp) / "bench.gpkg"))
        elapsed = time.perf_counter() - start
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    slowest = max(report.timings_s, key=report.timings_s.get)
    return [
        Metric("build_two_regions", elapsed, "s", GOAL_S, f"slowest step: {slowest} {report.timings_s[slowest]:.1f} s"),
        Metric("build_peak_rss", peak_mb, "MB", None, "process peak resident memory"),
    ]
