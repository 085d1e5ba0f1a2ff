"""Geometry build at the scale of metropolitan France (goal ≤ 60 s and ≤ 2 GB peak memory), then its vector tiles.

The two-region build's geometric steps, run on the whole of metropolitan France with the
data available here: every current commune of the COG 2026 in the 13 metropolitan regions,
drawn with the IGN 2018 outlines of all 96 départements regrouped on today's codes (the
COGiter 2025 commune outlines exist only for the two regions), dissolved into their EPCI,
simplified for the web and written to a GeoPackage. The EPCI count is checked against
COGiter's 2025 metropolitan EPCI layer. Run in a child process so its peak memory is its own.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.metric import Metric

GOAL_S, GOAL_MB = 60.0, 2048.0
TILES_GOAL_S, TILES_GOAL_MB = 60.0, 100.0
COGITER_EPCI_METRO = "epci-2025-cogiter/epci_metro_cog2025_wgs84.geojson"
METRO_REGIONS = ("11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94")


def _build_france(out: Path) -> dict:
    import geopandas as gpd
    import pandas as pd

    from geo import cog
    from geo.assembly.pipeline import _on_current_codes, _read_polygons, boundaries  # the build's own steps, not copies
    from geo.assembly.simplification import web_version
    from geo.assembly.sources import load_manifest, require
    from geo.crs import LAMBERT93, WGS84
    from geo.geometry import repaired
    from geo.settings import sources_dir
    from geo.store import GeoPackageStore

    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        timings[name] = round(time.perf_counter() - clock, 2)
        clock = time.perf_counter()

    manifest = load_manifest()
    sources = sources_dir()
    paths = require(
        sources,
        ["cog2026_communes", "cog2026_epci", "cog2026_departements", "cog2026_regions"]
        + ["france_departements", "france_regions"],
        manifest,
    )
    cog_communes = cog.communes_from_cog(paths["cog2026_communes"])
    epci_table, membership = cog.epci_from_cog(paths["cog2026_epci"])
    scope = boundaries.communes_in_scope(cog_communes, membership, regions=METRO_REGIONS)
    lap("COG 2026")
    # The manifest lists only the départements the two-region build needs; here every file of the folder.
    folder = manifest["communes_2018"].local_path(sources)
    files = sorted(folder.glob("*.geojson"))
    old_l93 = pd.concat([_read_polygons(path, columns=["code"]) for path in files], ignore_index=True).to_crs(LAMBERT93)
    lap("lecture des contours 2018")
    current_l93 = _on_current_codes(old_l93, cog_communes, absorbed={})
    empty = gpd.GeoDataFrame({"code": pd.Series(dtype="string")}, geometry=[], crs=LAMBERT93)
    communes_l93 = boundaries.attach_geometry(scope[scope["code"].isin(current_l93["code"])], current_l93, empty)
    lap("communes sur les codes 2026")
    epci_l93 = boundaries.epci_from_communes(communes_l93, epci_table)
    lap("EPCI")
    epci_web = web_version(epci_l93)
    lap("version web")
    GeoPackageStore(out).replace_all(
        {
            "communes": repaired(communes_l93.to_crs(WGS84)),
            "epci": repaired(epci_l93.to_crs(WGS84)),
            "epci_web": epci_web,
        }
    )
    lap("écriture")
    tiles = _france_tiles(communes_l93, epci_l93, paths, out.with_suffix(".pmtiles"))
    reference_path = sources / COGITER_EPCI_METRO
    reference = gpd.read_file(reference_path, columns=["siren_epci"]) if reference_path.is_file() else []

    return {
        "timings": timings,
        "departement_files": len(files),
        "communes": len(communes_l93),
        "communes_without_outline": int((~scope["code"].isin(current_l93["code"])).sum()),
        "epci": len(epci_l93),
        "epci_cogiter_2025": len(reference),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **tiles,
    }


def _france_tiles(communes_l93, epci_l93, paths: dict, archive: Path) -> dict:
    """Départements, régions and the vector tiles of France, timed on their own."""
    from geo.assembly import tiles
    from geo.assembly.pipeline import departements_and_regions
    from geo.crs import LAMBERT93
    from geo.settings import store_path
    from geo.store import GeoPackageStore

    start = time.perf_counter()
    departements_l93, regions_l93 = departements_and_regions(communes_l93, epci_l93, paths)
    territories_l93 = GeoPackageStore(store_path()).read("territoires").to_crs(LAMBERT93)
    frames = tiles.tile_frames(
        communes_l93=communes_l93,
        epci_l93=epci_l93,
        departements_l93=departements_l93,
        regions_l93=regions_l93,
        territories_l93=territories_l93,
    )
    units_s = time.perf_counter() - start
    report = tiles.write_pmtiles(frames, archive, attribution="IGN, INSEE")
    return {
        "tiles_units_s": round(units_s, 2),
        "tiles_s": round(report.seconds, 2),
        "tiles_bytes": report.bytes,
        "tiles_count": report.tiles,
        "tiles_z12": report.tiles_by_zoom.get(12, 0),
    }


def run() -> list[Metric]:
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "bench.build_france", str(Path(tmp) / "france.gpkg")],
            capture_output=True,
            text=True,
            check=True,
        )
        elapsed = time.perf_counter() - start
    facts = json.loads(done.stdout.strip().splitlines()[-1])
    steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in facts["timings"].items())
    note = (
        f"{facts['departement_files']} fichiers départementaux, {facts['communes']} communes "
        f"({facts['communes_without_outline']} sans contour 2018), {facts['epci']} EPCI "
        f"(COGiter 2025 : {facts['epci_cogiter_2025']}); {steps}"
    )
    tiles_note = (
        f"{facts['tiles_count']} tuiles de z5 à z12 ({facts['tiles_z12']} à z12), "
        f"tous les calques ; départements et régions avant : {facts['tiles_units_s']:.1f} s"
    )
    return [
        Metric("build_france_geometry", elapsed - facts["tiles_s"] - facts["tiles_units_s"], "s", GOAL_S, note),
        Metric("build_france_tiles", facts["tiles_s"], "s", TILES_GOAL_S, tiles_note),
        Metric("build_france_tiles_size", facts["tiles_bytes"] / 1e6, "MB", TILES_GOAL_MB, "one PMTiles archive"),
        Metric("build_france_peak_rss", facts["peak_mb"], "MB", GOAL_MB, "child process peak resident memory"),
    ]


if __name__ == "__main__":
    print(json.dumps(_build_france(Path(sys.argv[1]))))
