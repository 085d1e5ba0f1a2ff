"""The data build: raw sources → ``data/build/reindus.gpkg`` on the COG 2026.

Reads every input through the sources manifest, normalises codes to the COG 2026,
computes areas in Lambert-93, dissolves EPCI, départements, régions and territories
from the communes, simplifies web versions without gaps, then swaps the GeoPackage in
atomically. Progress goes to a callback; the returned report says what was read,
what was built and what looked wrong.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import yaml

from geo import cog, settings
from geo.analysis import projects
from geo.assembly import admin_express, boundaries, employment, foncier_sources, relance, territories, tiles
from geo.assembly.simplification import web_version
from geo.assembly.sources import Source, load_manifest, require
from geo.crs import LAMBERT93, WGS84
from geo.errors import BuildIntegrityError
from geo.geometry import repaired
from geo.imports.locate import CommuneLookup, attach_places
from geo.publication import publish_tiles
from geo.settings import DATA_DIR
from geo.store import Store, edits
from geo.vocabulary import ZE_PREFIX

BASSINS_PATH = DATA_DIR / "bassins.yaml"
ADMIN_EXPRESS_KEY = "admin_express_cog"
"""The full-precision ADMIN EXPRESS COG (optional, fetched by ``reindus build --download``): the finest outlines."""
REFERENCE_AREA_COLUMN = "area_m2_cogiter"
"""Each current commune's IGN surface (BD CARTO, aggregated on the COG 2025 by COGiter): what outlines are checked
against."""
CLES_EN_MAIN_PATH = DATA_DIR / "sites_cles_en_main.csv"
"""reindus' own complement to the shared list of sites clés en main (sourced rows; see its ``completes`` column)."""

OUTLINE_SOURCES = (ADMIN_EXPRESS_KEY, "communes_2018", "communes_geometry")
"""The sources of the communes' outlines, and so of every boundary dissolved from them."""
# Which sources feed which layer: shown as the attribution of each layer.
LAYER_SOURCES: dict[str, tuple[str, ...]] = {
    "communes": ("cog2026_communes", "cog2026_epci", *OUTLINE_SOURCES),
    "epci": ("cog2026_epci", "cog2026_communes", *OUTLINE_SOURCES),
    "departements": ("cog2026_departements", *OUTLINE_SOURCES, "france_departements"),
    "regions": ("cog2026_regions", *OUTLINE_SOURCES, "france_regions"),
    "territoires": (
        "ti_phase1",
        "ti_phase2",
        "ze2020_communes",
        "bud_communes",
        "ber_communes",
        "mbm_contour",
        *OUTLINE_SOURCES,
    ),
    "projets": ("projets",),
    "foncier": ("cartofriches", "sites_cles_en_main"),
    "relance": ("relance_synthese",),
    "relance_mensuel": ("relance_mensuel",),
    "emploi_industriel_ze": ("urssaf_industrie_ze", "ze2020_communes"),
    "emploi_industriel_secteurs": ("urssaf_industrie_secteurs",),
    "emploi_epci": ("urssaf_emploi_prive", "rp_part_industrie_epci"),
    "emploi_prive_communes": ("urssaf_emploi_prive",),
}


# Datasets the project curates itself (in data/), listed in the metadata like the sources.
def curated_projects_source(projets: pd.DataFrame) -> dict[str, str]:
    """The metadata row of ``data/projets.csv``: its size and vintage computed from the rows themselves.

    >>> rows = pd.DataFrame({"source_date": ["2025-06", "non datée", "2026-02-10"], "checked_date": ["2026-11-29"] * 3})
    >>> print(curated_projects_source(rows)["vintage"])
    vérifié le 2026-11-29, sources publiées jusqu'au 2026-02-10
    """
    dated = projets["source_date"].astype("string").str.fullmatch(r"\d{4}(-\d{2}){0,2}").fillna(False).astype(bool)
    latest_source = projets.loc[dated, "source_date"].max() if dated.any() else "inconnue"
    checked = projets["checked_date"].dropna().astype(str)
    checked_on = checked.max() if len(checked) else "inconnu"
    return {
        "key": "projets",
        "title": f"Projets industriels des Hauts-de-France et du Grand Est ({len(projets)} sites sourcés)",
        "producer": "reindus, d'après les pages officielles, d'entreprises et de presse citées pour chaque projet",
        "vintage": f"vérifié le {checked_on}, sources publiées jusqu'au {latest_source}",
        "licence": "Licence Ouverte 2.0 (compilation reindus)",
        "attribution": "reindus – projets industriels, sources par projet",
        "url": "data/projets.csv",
    }


BUILD_STEPS: tuple[str, ...] = (
    "Vérification des sources",
    "Lecture du COG 2026",
    "Contours des communes",
    "EPCI",
    "Départements et régions",
    "Territoires d'industrie, bassins et zonages",
    "Projets industriels (données du projet)",
    "Foncier : friches (Cartofriches) et sites clés en main",
    "Emploi industriel mesuré (URSSAF) par zone d'emploi",
    "France Relance : entreprises aidées par département",
    "Versions web (simplification sans trous, arrondi ~1 m)",
    "Tuiles vectorielles (PMTiles)",
    "Écriture du GeoPackage",
)
"""The build's steps, in order: progress reads « [n/total] step » from here, so no count is kept by hand."""


@dataclass
class BuildReport:
    """What a build read, produced and noticed."""

    store_path: str
    sources_dir: Path
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    timings_s: dict[str, float] = field(default_factory=dict)
    tiles_path: Path | None = None
    published_tiles: Path | None = None
    tiles_reused: bool = False
    """The archive already at ``tiles_path`` was made from the same outlines and territories, and kept."""

    @property
    def total_s(self) -> float:
        """Wall time of the whole build, in seconds."""
        return sum(self.timings_s.values())

    def as_text(self) -> str:
        """The French end-of-build summary."""
        lines = [f"Construction terminée en {self.total_s:.1f} s → {self.store_path}"]
        lines.append(f"Sources lues dans : {self.sources_dir}")
        if self.tiles_path is not None:
            kept = " (reprises de la construction précédente : contours et territoires inchangés)"
            lines.append(f"Tuiles vectorielles : {self.tiles_path}{kept if self.tiles_reused else ''}")
        if self.published_tiles is not None:
            lines.append(f"Publiées pour l'application : {self.published_tiles}")
        lines += [f"  {name:<22} {count:>6}" for name, count in self.counts.items()]
        if self.warnings:
            lines.append(f"Avertissements ({len(self.warnings)}) :")
            lines += [f"  - {warning}" for warning in self.warnings]
        else:
            lines.append("Aucun avertissement.")
        return "\n".join(lines)


def build(
    sources_dir: Path,
    store: Store,
    *,
    tiles_path: Path | None = None,
    progress: Callable[[str], None] = lambda message: None,
) -> BuildReport:
    """Build every layer from ``sources_dir`` and replace the store's content.

    Parameters
    ----------
    sources_dir : Path
        Directory with the layout of ``../shared/data/raw``.
    store : Store
        Destination; untouched if anything fails.
    tiles_path : Path, optional
        Where the vector-tile archive goes (default: :func:`geo.settings.tiles_path` of the store).
    progress : callable
        Receives one French line per step.
    """
    manifest = load_manifest()
    report = BuildReport(store_path=store.describe(), sources_dir=sources_dir)
    clock = _StepClock(report, progress)

    with clock.step("Vérification des sources"):
        paths = require(sources_dir, [key for key, source in manifest.items() if not source.optional], manifest)

    with clock.step("Lecture du COG 2026"):
        cog_communes = cog.communes_from_cog(paths["cog2026_communes"])
        epci_table, membership = cog.epci_from_cog(paths["cog2026_epci"])
        scope = boundaries.communes_in_scope(cog_communes, membership)

    with clock.step("Contours des communes"):
        tables = _read_commune_tables(paths)
        outlines = commune_outlines(manifest, paths, sources_dir, scope, cog_communes, tables)
        communes_l93, absorbed = outlines.communes_l93, outlines.absorbed
        report.warnings += outlines.notes

    with clock.step("EPCI"):
        epci_l93 = boundaries.epci_from_communes(communes_l93, epci_table)

    with clock.step("Départements et régions"):
        departements_l93, regions_l93 = departements_and_regions(communes_l93, epci_l93, paths)

    with clock.step("Territoires d'industrie, bassins et zonages"):
        contour_l93 = _read_contour(paths["mbm_contour"]).to_crs(LAMBERT93)
        tables["mbm_contour"] = territories.communes_within(communes_l93, contour_l93)
        members = _all_territory_members(manifest, paths, tables, cog_communes, absorbed)
        report.warnings += list(members.warnings)
        territories_l93, territory_communes = territories.territories_from_members(members, communes_l93, epci_l93)

    with clock.step("Projets industriels (données du projet)"):
        cog_table = cog_code_table(cog_communes, absorbed)
        communes_wgs84 = repaired(communes_l93.drop(columns=["geometry_source"]).to_crs(WGS84))
        lookup = CommuneLookup(cog_table, communes_wgs84)
        projets, projects_audit, shipped = keep_edits(
            store, _curated_projects(lookup, territory_communes), edits.PROJECTS
        )
        if len(projects_audit):
            report.warnings.append(
                f"{projects_audit['project_id'].nunique()} projets modifiés par les éditeurs : conservés"
            )
        for row in shipped.itertuples():
            report.warnings.append(
                f"Projet {row.record_id} : le fichier livré change « {row.field} » ({row.shipped_before or '—'} → "
                f"{row.shipped_now or '—'}) alors qu'un éditeur a modifié ce projet ; sa version ({row.kept or '—'}) "
                "est gardée : à arbitrer (page Projets)"
            )

    with clock.step("Foncier : friches (Cartofriches) et sites clés en main"):
        foncier_sites, foncier_warnings = _foncier(manifest, paths, lookup, territory_communes)
        report.warnings += foncier_warnings
        foncier_sites, audit, _ = keep_edits(store, foncier_sites, edits.FONCIER)  # sites: Cartofriches moves
        if len(audit):
            report.warnings.append(f"{audit['site_id'].nunique()} sites fonciers modifiés par les éditeurs : conservés")

    with clock.step("Emploi industriel mesuré (URSSAF) par zone d'emploi"):
        zones = territories_l93[territories_l93["territory_id"].astype(str).str.startswith(ZE_PREFIX)]
        ze_names = pd.Series(
            zones["label"].str.removeprefix("Zone d'emploi ").to_numpy(),
            index=zones["territory_id"].str.removeprefix(ZE_PREFIX).to_numpy(),
        )
        industrial_jobs = employment.industrial_jobs_by_ze(pd.read_parquet(paths["urssaf_industrie_ze"]), ze_names)
        official = manifest["urssaf_commune_ape"].local_path(sources_dir)
        if official.is_file():
            industrial_jobs, recompute_warnings = _recomputed_industrial_jobs(
                manifest, official, industrial_jobs, territory_communes, cog_communes, absorbed
            )
            report.warnings += recompute_warnings
        else:
            report.warnings.append(
                "Emploi industriel par zone d'emploi : agrégats d'un tiers (le fichier URSSAF commune × APE n'est pas "
                "dans les sources ; `reindus build --download` le télécharge et recalcule les chiffres)"
            )
        industrial_sectors = employment.industrial_sectors_by_ze(
            pd.read_parquet(paths["urssaf_industrie_secteurs"]), ze_names.index
        )
        epci_employment, commune_employment, employment_warnings = _epci_employment(
            paths, communes_l93, epci_l93, cog_communes, absorbed
        )
        report.warnings += employment_warnings

    with clock.step("France Relance : entreprises aidées par département"):
        in_scope = sorted(departements_l93.loc[departements_l93["in_scope"].astype(bool), "code"])
        relance_latest = relance.latest_by_departement(_read_text_table(paths["relance_synthese"]), in_scope)
        relance_series = relance.monthly_by_departement(_read_text_table(paths["relance_mensuel"]), in_scope)

    with clock.step("Versions web (simplification sans trous, arrondi ~1 m)"):
        web_layers = {
            "epci_web": web_version(epci_l93),
            "departements_web": web_version(departements_l93),
            "regions_web": web_version(regions_l93),
            "territoires_web": _web_territories(territories_l93),
        }

    with clock.step("Tuiles vectorielles (PMTiles)"):
        # Written beside the destination first: a failure here leaves the store and the old archive as they were.
        archive = tiles_path or settings.tiles_path(getattr(store, "path", None))
        archive.parent.mkdir(parents=True, exist_ok=True)
        pending_archive = archive.with_name(archive.name + ".new")
        frames = tiles.tile_frames(
            communes_l93=communes_l93,
            epci_l93=epci_l93,
            departements_l93=departements_l93,
            regions_l93=regions_l93,
            territories_l93=territories_l93,
        )
        attribution = " ; ".join(_geometry_attributions(manifest, sources_dir))
        digest = tiles.content_digest(frames, attribution)
        tile_report = tiles.unchanged_archive(archive, digest)
        rewritten = tile_report is None
        report.tiles_reused = not rewritten
        if rewritten:
            tile_report = tiles.write_pmtiles(
                frames, pending_archive, attribution=attribution, progress=progress, digest=digest
            )
        else:
            progress("  contours et territoires inchangés : tuiles de la construction précédente reprises")

    with clock.step("Écriture du GeoPackage"):
        # Stored in WGS84 (the sources' own CRS and precision); areas were computed in Lambert-93.
        layers: dict[str, gpd.GeoDataFrame | pd.DataFrame] = {
            "communes": communes_wgs84,
            "epci": repaired(epci_l93.to_crs(WGS84)),
            "departements": repaired(departements_l93.to_crs(WGS84)),
            "regions": repaired(regions_l93.to_crs(WGS84)),
            "territoires": repaired(territories_l93.to_crs(WGS84)),
            **web_layers,
            "projets": projets,
            "projets_audit": projects_audit,
            edits.SHIPPED_CHANGES_LAYER: shipped,
            "foncier": foncier_sites,
            "foncier_audit": audit,
            "territoire_communes": territory_communes,
            "cog_communes": cog_table,
            "relance": relance_latest,
            "relance_mensuel": relance_series,
            "emploi_industriel_ze": industrial_jobs,
            "emploi_industriel_secteurs": industrial_sectors,
            "emploi_epci": epci_employment,
            "emploi_prive_communes": commune_employment,
        }
        report.counts = {name: len(frame) for name, frame in layers.items()}
        layers["metadata"] = metadata_table(manifest, sources_dir=sources_dir, projets=projets)
        store.replace_all(layers)
        if rewritten:
            os.replace(pending_archive, archive)
        report.counts["tuiles_vectorielles"] = tile_report.tiles
        report.tiles_path = archive
        # Published now for the app's static server: the app only reads, and may run from a read-only tree.
        report.published_tiles = publish_tiles(archive)
    return report


@dataclass(frozen=True)
class CommuneOutlines:
    """The communes of the build with their outlines, and what the report says of them."""

    communes_l93: gpd.GeoDataFrame
    """The communes in scope (two regions and the other members of their EPCI), Lambert-93."""
    absorbed: dict[str, str]
    """Old commune codes met in the sources, by the current commune that absorbed them."""
    notes: list[str]


def commune_outlines(
    manifest: dict[str, Source],
    paths: dict[str, Path],
    sources_dir: Path,
    scope: pd.DataFrame,
    cog_communes: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
) -> CommuneOutlines:
    """Each commune drawn with the finest outline that still fits it.

    COGiter's current outlines are coarse (400 m from the 2018 ones at the median); finer outlines regrouped on
    today's codes draw every commune they fit (area within 5 % of the IGN surface): the full-precision ADMIN
    EXPRESS COG 2025 when it was downloaded, else the 2018 outlines. The 2018 outlines also tell which old codes
    of ``tables`` were absorbed, and by which commune.
    """
    current_l93 = _read_polygons(paths["communes_geometry"], columns=["code", REFERENCE_AREA_COLUMN]).to_crs(LAMBERT93)
    unknown_codes = _codes_absent_from_cog(tables, cog_communes)
    departements = sorted(set(scope["departement"]) | {code[:2] for code in unknown_codes})
    old_l93 = _read_old_communes(manifest["communes_2018"], sources_dir, departements)
    all_absorbed = cog.absorbed_codes(_absent_from_cog(old_l93, cog_communes), current_l93)
    archive = manifest[ADMIN_EXPRESS_KEY].local_path(sources_dir)
    downloaded = archive.is_file()
    fine_source = manifest[ADMIN_EXPRESS_KEY if downloaded else "communes_2018"]
    old_on_current_l93 = _on_current_codes(old_l93, cog_communes, all_absorbed)
    fine_on_current_l93 = (
        _on_current_codes(admin_express.read_communes(archive, departements), cog_communes, all_absorbed)
        if downloaded
        else old_on_current_l93
    )
    primary_l93 = boundaries.finer_outlines(
        current_l93, fine_on_current_l93, current_l93.set_index("code")[REFERENCE_AREA_COLUMN]
    )
    # Communes outside the two regions (members of an interregional EPCI) take the finer outline, else the 2018 one.
    fallback_l93 = fine_on_current_l93
    if downloaded:
        unmatched = old_on_current_l93[~old_on_current_l93["code"].isin(fine_on_current_l93["code"])]
        fallback_l93 = pd.concat([fine_on_current_l93, unmatched], ignore_index=True)
    communes_l93 = boundaries.attach_geometry(scope, primary_l93[["code", "geometry"]], fallback_l93)
    communes_l93["area_km2"] = communes_l93.area / 1e6
    absorbed = {old: new for old, new in all_absorbed.items() if old in unknown_codes}
    notes = [
        f"Commune {old} absente du COG 2026, rattachée à {new} (absorbée)" for old, new in sorted(absorbed.items())
    ]
    return CommuneOutlines(communes_l93, absorbed, notes + _outline_notes(primary_l93, communes_l93, fine_source))


def _geometry_attributions(manifest: dict[str, Source], sources_dir: Path) -> list[str]:
    """The attributions of the sources the tiles' geometry comes from (boundaries and territories)."""
    keys = dict.fromkeys(k for layer in ("communes", "epci", "territoires") for k in LAYER_SOURCES[layer])
    used = [manifest[key] for key in keys if key in manifest and _used(manifest[key], sources_dir)]
    return list(dict.fromkeys(source.attribution for source in used))


def _used(source: Source, sources_dir: Path) -> bool:
    """Whether the build read ``source``: an optional source is read only when it is in the sources directory."""
    return not source.optional or source.local_path(sources_dir).exists()


def metadata_table(manifest: dict[str, Source], *, sources_dir: Path, projets: pd.DataFrame) -> pd.DataFrame:
    """One row per source (producer, vintage, licence, attribution, layers fed) plus one for the build."""
    rows = []
    for source in manifest.values():
        # An optional source left out of the build (not downloaded) is listed, but feeds no layer: it is not cited.
        fed = [layer for layer, keys in LAYER_SOURCES.items() if source.key in keys and _used(source, sources_dir)]
        rows.append(
            {
                "kind": "source",
                "key": source.key,
                "title": source.title,
                "producer": source.producer,
                "vintage": source.vintage,
                "licence": source.licence,
                "attribution": source.attribution,
                "url": source.url,
                "layers": ";".join(fed),
            }
        )
    rows.append({"kind": "curated", **curated_projects_source(projets), "layers": "projets"})
    rows.append(
        {
            "kind": "build",
            "key": "build",
            "title": "Construction des données reindus",
            "producer": "reindus",
            "vintage": datetime.now(UTC).isoformat(timespec="seconds"),
            "licence": "",
            "attribution": "",
            "url": str(sources_dir),
            "layers": ";".join(LAYER_SOURCES),
        }
    )
    return pd.DataFrame(rows)


def cog_code_table(cog_communes: pd.DataFrame, absorbed: dict[str, str]) -> pd.DataFrame:
    """Every commune code of France (current, déléguée, associée) plus the absorbed ones.

    Imports use it to place a row by INSEE code, tell an unknown code from a commune
    outside the two regions, and attach former communes to today's.
    """
    absorbed_rows = pd.DataFrame(
        {"code": list(absorbed), "nom": pd.NA, "type": "absorbee", "chef_lieu": list(absorbed.values())}
    )
    table = pd.concat(
        [cog_communes[["code", "nom", "type", "departement", "region", "chef_lieu"]], absorbed_rows],
        ignore_index=True,
    )
    return table.astype({c: "string" for c in ("code", "nom", "type", "departement", "region", "chef_lieu")})


# --- private helpers -----------------------------------------------------------------------


class _StepClock:
    """Times each build step, prints progress and records the timing in the report."""

    def __init__(self, report: BuildReport, progress: Callable[[str], None]) -> None:
        self.report, self.progress, self.index = report, progress, 0

    def step(self, title: str) -> _Step:
        self.index = BUILD_STEPS.index(title) + 1  # a step missing from BUILD_STEPS fails in every build
        return _Step(self, f"[{self.index}/{len(BUILD_STEPS)}] {title}")


class _Step:
    def __init__(self, clock: _StepClock, title: str) -> None:
        self.clock, self.title = clock, title

    def __enter__(self) -> None:
        self.clock.progress(f"{self.title}…")
        self.start = time.perf_counter()

    def __exit__(self, *exc_info: object) -> None:
        elapsed = time.perf_counter() - self.start
        self.clock.report.timings_s[self.title] = elapsed
        if exc_info[0] is None:
            self.clock.progress(f"{self.title} : {elapsed:.1f} s")


def departements_and_regions(
    communes_l93: gpd.GeoDataFrame, epci_l93: gpd.GeoDataFrame, paths: dict[str, Path]
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Départements and régions (Lambert-93): those of the communes dissolved from them, the rest as context.

    ``paths`` are the resolved sources (``cog2026_departements``, ``cog2026_regions``, ``france_departements``,
    ``france_regions``); the France benchmark calls this too, on every commune of metropolitan France.
    """
    units = []
    for level, names, context in (
        ("departement", "cog2026_departements", "france_departements"),
        ("region", "cog2026_regions", "france_regions"),
    ):
        units.append(
            boundaries.admin_units_from_communes(
                communes_l93,
                epci_l93,
                _read_polygons(paths[context], columns=["code"]).to_crs(LAMBERT93),
                cog.names_from_cog(paths[names]),
                level=level,
            )
        )
    return units[0], units[1]


def _read_polygons(path: Path, *, columns: list[str]) -> gpd.GeoDataFrame:
    frame = pyogrio.read_dataframe(path, columns=columns, use_arrow=True)
    if frame.crs is None:
        frame = frame.set_crs(WGS84)  # GeoJSON is WGS84 by definition (RFC 7946)
    frame["code"] = frame["code"].astype("string")
    return frame


def _read_text_table(path: Path) -> pd.DataFrame:
    """A CSV whose codes must stay text (``02``, not 2)."""
    return pd.read_csv(path, dtype=str, encoding="utf-8", keep_default_na=False)


def _read_contour(path: Path) -> gpd.GeoDataFrame:
    """A published contour (GeoJSON, WGS84 by definition), its attributes dropped."""
    frame = pyogrio.read_dataframe(path, columns=[], use_arrow=True)
    return frame.set_crs(WGS84) if frame.crs is None else frame


def _read_commune_tables(paths: dict[str, Path]) -> dict[str, pd.DataFrame]:
    """The raw commune lists behind the curated bassins and zonings (codes as strings)."""
    return {
        key: pd.read_csv(paths[key], dtype=str, encoding="utf-8")
        for key in ("ze2020_communes", "bud_communes", "ber_communes")
    }


def _codes_absent_from_cog(tables: dict[str, pd.DataFrame], cog_communes: pd.DataFrame) -> set[str]:
    codes = set()
    for table in tables.values():
        column = "CODGEO" if "CODGEO" in table.columns else "insee_com_cog2018"
        codes |= set(table[column].dropna())
    return codes - set(cog_communes["code"])


def _read_old_communes(source: Source, sources_dir: Path, departements: list[str]) -> gpd.GeoDataFrame:
    """2018 commune outlines of the given départements, Lambert-93 (empty frame if none)."""
    frames = [_read_polygons(source.local_file(sources_dir, dep), columns=["code"]) for dep in departements]
    if not frames:
        return gpd.GeoDataFrame({"code": pd.Series(dtype="string")}, geometry=[], crs=LAMBERT93)
    return pd.concat(frames, ignore_index=True).to_crs(LAMBERT93)


def _absent_from_cog(old_l93: gpd.GeoDataFrame, cog_communes: pd.DataFrame) -> gpd.GeoDataFrame:
    """The old communes the COG no longer knows under any status (absorbed by a neighbour)."""
    mapped = cog.current_codes(old_l93["code"], cog_communes)
    return old_l93[mapped["current_code"].isna().to_numpy()]


def _on_current_codes(
    old_l93: gpd.GeoDataFrame, cog_communes: pd.DataFrame, absorbed: dict[str, str]
) -> gpd.GeoDataFrame:
    """Old outlines regrouped by the current commune they now belong to."""
    mapped = cog.current_codes(old_l93["code"], cog_communes, absorbed=absorbed)
    current = old_l93.assign(code=mapped["current_code"].values).dropna(subset=["code"])
    return current.dissolve(by="code").reset_index()[["code", "geometry"]]


def _outline_notes(primary_l93: gpd.GeoDataFrame, communes_l93: gpd.GeoDataFrame, fine: Source) -> list[str]:
    """Which outlines drew the communes (``fine``: the finer source used), for the build report."""
    notes = [f"Contours des communes : {fine.attribution} là où ils concordent avec la surface IGN"]
    changed = primary_l93.loc[primary_l93["outline"] == "coarse", "code"]
    if len(changed):
        notes.append(
            f"{len(changed)} communes sans contour concordant ({fine.attribution}) dessinées avec les contours "
            f"COG 2025 simplifiés (COGiter) : {', '.join(sorted(changed)[:12])}{' …' if len(changed) > 12 else ''}"
        )
    fallback = communes_l93[communes_l93["geometry_source"] == "fallback"]
    if len(fallback):
        notes.append(
            f"{len(fallback)} communes hors des deux régions (membres d'EPCI interrégionaux) dessinées "
            f"avec les contours {fine.attribution}"
        )
    return notes


def _all_territory_members(
    manifest: dict[str, Source],
    paths: dict[str, Path],
    tables: dict[str, pd.DataFrame],
    cog_communes: pd.DataFrame,
    absorbed: dict[str, str],
) -> territories.TerritoryMembers:
    parts = []
    for phase, key in ((1, "ti_phase1"), (2, "ti_phase2")):
        table = pd.read_csv(paths[key], dtype=str, encoding="utf-8")
        parts.append(
            territories.ti_members(
                table, phase=phase, attribution=manifest[key].attribution, vintage=manifest[key].vintage
            )
        )
    with BASSINS_PATH.open(encoding="utf-8") as handle:
        definitions = yaml.safe_load(handle)["territories"]
    parts.append(territories.curated_members(definitions, tables, cog_communes, absorbed=absorbed))
    return territories.TerritoryMembers(
        members=pd.concat([p.members for p in parts], ignore_index=True),
        descriptions=pd.concat([p.descriptions for p in parts], ignore_index=True),
        warnings=tuple(w for p in parts for w in p.warnings),
    )


def _curated_projects(lookup: CommuneLookup, territory_communes: pd.DataFrame) -> gpd.GeoDataFrame:
    """The project's own dataset goes through the users' import pipeline and must be clean."""
    result = projects.projects_from_file(projects.CURATED_PATH, lookup=lookup, territoire_communes=territory_communes)
    if result.errors:
        raise BuildIntegrityError(
            f"{projects.CURATED_PATH.name} contient {len(result.errors)} erreur(s) :\n" + result.summary()
        )
    return result.rows


def _foncier(
    manifest: dict[str, Source], paths: dict[str, Path], lookup: CommuneLookup, territory_communes: pd.DataFrame
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Brownfields and sites clés en main on current communes, joined to EPCI and territories."""
    friches = _cartofriches(
        manifest, paths["cartofriches"], departements={str(code)[:2] for code in lookup.points.index}
    )
    cles, warnings = foncier_sources.sites_from_cles_en_main(
        foncier_sources.complete_cles_en_main(
            pd.read_csv(paths["sites_cles_en_main"], dtype=str, encoding="utf-8"),
            pd.read_csv(CLES_EN_MAIN_PATH, dtype=str, encoding="utf-8"),
        ),
        lookup,
        source_date=manifest["sites_cles_en_main"].vintage,
    )
    sites = pd.concat([friches, cles], ignore_index=True)
    # Cartofriches codes predate some mergers: bring them to the COG 2026 like every other list.
    mapped = cog.current_codes(sites["insee_com"], lookup.cog_communes, absorbed=lookup.absorbed)
    unknown = mapped["current_code"].isna() | ~mapped["current_code"].isin(lookup.points.index)
    if unknown.any():
        warnings.append(f"{int(unknown.sum())} sites fonciers sur une commune inconnue du COG 2026 : écartés")
    sites = sites.assign(insee_com=mapped["current_code"].to_numpy())[~unknown.to_numpy()]
    sites = gpd.GeoDataFrame(sites, geometry="geometry", crs=WGS84)
    return attach_places(sites, lookup.communes, territory_communes), warnings


def _recomputed_industrial_jobs(
    manifest: dict[str, Source],
    path: Path,
    aggregates: pd.DataFrame,
    territory_communes: pd.DataFrame,
    cog_communes: pd.DataFrame,
    absorbed: dict[str, str],
) -> tuple[pd.DataFrame, list[str]]:
    """The zones' industrial jobs recomputed from the official URSSAF commune × APE file, which then becomes the
    figures' cited source (the manifest entry of the aggregates takes its attribution)."""
    table = employment.read_commune_ape(path)
    codes = table["code_commune"].astype(str).str.zfill(5).drop_duplicates()
    mapped = cog.current_codes(codes, cog_communes, absorbed=absorbed).set_index("code")["current_code"]
    links = territory_communes[territory_communes["territory_id"].astype(str).str.startswith(ZE_PREFIX)]
    zone_of = links.set_index("code")["territory_id"].str.removeprefix(ZE_PREFIX)
    recomputed = employment.industrial_jobs_from_commune_ape(table, zone_of, mapped)
    official = manifest["urssaf_commune_ape"]
    manifest["urssaf_industrie_ze"] = dataclasses.replace(
        manifest["urssaf_industrie_ze"],
        title=official.title,
        producer=official.producer,
        licence=official.licence,
        attribution=official.attribution,
    )
    return employment.replace_with_recomputed(aggregates, recomputed)


def _epci_employment(
    paths: dict[str, Path],
    communes_l93: gpd.GeoDataFrame,
    epci_l93: gpd.GeoDataFrame,
    cog_communes: pd.DataFrame,
    absorbed: dict[str, str],
) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """Each EPCI's total private jobs 2014-2024 (its communes of today, URSSAF) and share of industry in its jobs
    (census 2022): ``siren, nom, part_industrie_2022, emploi_prive_2014 … 2024``; and each commune's private jobs."""
    series = pd.read_parquet(paths["urssaf_emploi_prive"])
    codes = series.loc[series["echelon"] == "communes", "code"].drop_duplicates()
    mapped = cog.current_codes(codes, cog_communes, absorbed=absorbed).set_index("code")["current_code"]
    commune_epci = communes_l93.set_index("code")["epci_siren"].dropna().astype(str)
    departements = {code[:2] for code in communes_l93.loc[communes_l93["in_regions"].astype(bool), "code"]}
    by_commune, warnings = employment.private_jobs_by_commune(
        series, mapped, communes=pd.Index(communes_l93["code"]), departements=departements
    )
    jobs = employment.private_jobs_by_epci(by_commune, commune_epci)
    with paths["rp_part_industrie_epci"].open(encoding="utf-8") as handle:
        share, share_warnings = employment.industry_share_by_epci(json.load(handle), pd.Index(epci_l93["siren"]))
    table = epci_l93[["siren", "nom"]].merge(share, on="siren", how="left").merge(jobs, on="siren", how="left")
    return pd.DataFrame(table), by_commune, warnings + share_warnings


def _cartofriches(manifest: dict[str, Source], path: Path, *, departements: set[str]) -> gpd.GeoDataFrame:
    """The brownfields of the 2023 snapshot, or of the national export when it was downloaded; for the latter
    the manifest entry takes the export's date, so every figure shows the vintage it was computed from."""
    with path.open(encoding="utf-8-sig") as handle:
        first_line = handle.readline().strip()
    header = pd.Index(first_line.split(";" if first_line.count(";") > first_line.count(",") else ","))
    if not foncier_sources.is_cnig_export(header):
        table = pd.read_csv(path, dtype=str, encoding="utf-8")
        return foncier_sources.sites_from_cartofriches(table, source_date=manifest["cartofriches"].vintage)
    table = foncier_sources.read_cnig_export(path)
    when = foncier_sources.export_date(path, table, url=manifest["cartofriches"].url)
    manifest["cartofriches"] = dataclasses.replace(
        manifest["cartofriches"],
        title="Cartofriches — export national (standard CNIG friches)",
        vintage=when,
        attribution=f"Cerema – Cartofriches (export national du {when})",
    )
    return foncier_sources.sites_from_cnig_export(table, source_date=when, departements=departements)


def keep_edits(
    store: Store, built: gpd.GeoDataFrame, table: edits.EditedTable
) -> tuple[gpd.GeoDataFrame, pd.DataFrame, pd.DataFrame]:
    """The built layer of ``table`` with the editors' changes carried over, the audit trail to keep, and the
    shipped changes to rows an editor changed (:func:`~geo.store.edits.shipped_changes`: kept, to arbitrate).

    Every built row starts at version 1; a row an editor touched (changed, added, removed) is kept as
    the store holds it, with its version, so the history and its undo still apply after the rebuild.
    """
    built = built.assign(version=1)
    no_conflict = pd.DataFrame(columns=list(edits.SHIPPED_CHANGES_COLUMNS))
    if not store.exists() or table.audit not in store.layer_names():
        return built, table.empty_audit(), no_conflict
    audit = store.read(table.audit)
    if audit.empty:
        return built, table.empty_audit(), no_conflict
    edited = store.read(table.layer)
    conflicts = edits.shipped_changes(built, edited, audit, table=table)
    return edits.carry_over_edits(built, edited, audit, table=table), audit, conflicts


def _web_territories(territories_l93: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Territories overlap across kinds (and bassins among themselves): simplify kind by kind."""
    return pd.concat(
        [web_version(group) for _, group in territories_l93.groupby("kind", sort=False)], ignore_index=True
    ).pipe(gpd.GeoDataFrame, geometry="geometry", crs=WGS84)
