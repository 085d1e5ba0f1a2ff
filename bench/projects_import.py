"""Import of a generated 100,000-row French CSV of projects (goal ≤ 10 s), applied to a store copy through the
audited use case the CLI and the Données page share.

The file has the traps of real spreadsheets: semicolons, Windows-1252, amounts in M€
with decimal commas, no-break spaces in thousands, Aisne codes without their leading
zero; rows are located by INSEE code and a tenth by Lambert-93 coordinates.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
from pyproj import Transformer

from bench.metric import Metric, peak_rss_mb
from geo.imports.locate import lookup_from_store
from geo.settings import store_path
from geo.store import GeoPackageStore
from geo.usecases.imports import apply_import, check_import

N_ROWS = 100_000
GOAL_S = 10.0
BENCH_EDITOR = "banc-import"


def generated_csv(path: Path, lookup, n: int = N_ROWS, *, seed: int = 7) -> None:
    """Write ``n`` plausible rows (every value generated, none presented as real)."""
    rng = np.random.default_rng(seed)
    communes = lookup.communes[lookup.communes["in_regions"].astype(bool)]
    picks = communes.iloc[rng.integers(0, len(communes), n)]
    points = lookup.points.reindex(picks["code"].to_numpy())
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True).transform(points.x, points.y)
    lines = ["Identifiant;Nom du projet;Code INSEE;X;Y;Investissement (M€);Emplois annoncés;Année;Statut"]
    for i, code in enumerate(picks["code"]):
        by_xy = i % 10 == 0
        insee = code.lstrip("0") if code.startswith("0") else code  # as Excel leaves it
        amount = f"{rng.integers(1, 5000) / 10:.1f}".replace(".", ",")
        jobs = f"{rng.integers(0, 3000):,}".replace(",", "\u00a0")
        xy = f"{x[i]:.1f};{y[i]:.1f}" if by_xy else ";"
        lines.append(f"G{i};Projet généré n°{i};{'' if by_xy else insee};{xy};{amount};{jobs};{2018 + i % 8};annoncé")
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))


def run() -> list[Metric]:
    """The use case the CLI (``reindus import``) and the Données page call: check, then the audited write
    (one transaction, a history entry per row, signed by an editor's account) into a copy of the store."""
    store = GeoPackageStore(store_path())
    lookup = lookup_from_store(store)
    membership = store.read("territoire_communes")
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "projets_generes.csv"
        generated_csv(csv_path, lookup)
        copy = GeoPackageStore(Path(tmp) / "copie.gpkg")
        shutil.copyfile(store.path, copy.path)
        copy.accounts().add(BENCH_EDITOR, role="editeur", password=secrets.token_urlsafe(16), display_name="Banc")
        start = time.perf_counter()
        checked = check_import("projets", csv_path, lookup=lookup, territoire_communes=membership)
        checked_s = time.perf_counter() - start
        if not checked.applicable:
            raise AssertionError(checked.result.summary()[:2000])
        applied = apply_import(copy, checked, account=copy.accounts().get(BENCH_EDITOR))
        total_s = time.perf_counter() - start
        size_mb = csv_path.stat().st_size / 1024**2
    return [
        Metric(
            "import_100k_rows_csv",
            total_s,
            "s",
            GOAL_S,
            f"read+check+locate {checked_s:.1f} s, then the audited write of {applied.added:,} projects "
            f"(one transaction, one history entry each); {size_mb:.1f} MB file, "
            f"{len(checked.result.warnings)} warnings (restored zeros); peak RSS {peak_rss_mb():.0f} MB",
        )
    ]
