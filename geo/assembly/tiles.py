"""Vector tiles of the map: the full-precision layers as Mapbox Vector Tiles in one PMTiles archive.

The browser reads the tiles it needs by HTTP Range requests and draws every scale from them:
the two regions at zoom 5, a commune's exact outline at zoom 12 and beyond (over-zoomed). What
is written at which zoom comes from :mod:`geo.scales`.

Each zoom is simplified for its own pixel size (a quarter of a screen pixel; at the last zoom
only the tile grid's rounding, under 2 m on the ground), coverages together so neighbours keep
one border. Geometry is clipped to each tile plus a buffer, so an outline cut at a tile's edge is
drawn outside the visible canvas. Each name point is written in the one tile that contains it.
The archive is written by ``pmtiles``; tiles are encoded by :mod:`geo.assembly.mvt`, a whole layer at once, to the
bytes ``mapbox-vector-tile`` writes (which decodes them here).
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import json
import multiprocessing
import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import mapbox_vector_tile
import numpy as np
import pandas as pd
import shapely
from pmtiles.reader import MmapSource, Reader
from pmtiles.tile import Compression, MagicNumberNotFound, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from geo.assembly import mvt
from geo.crs import LAMBERT93, WGS84, check_crs
from geo.frames import records
from geo.geometry import label_anchors, overlap_ratio, repaired, valid_polygons
from geo.scales import (
    LABEL_TOLERANCE_M,
    TILE_BUFFER,
    TILE_EXTENT,
    TILE_LAYERS,
    TILE_MAX_ZOOM,
    TILE_MIN_ZOOM,
    TileLayer,
    tile_extent,
)
from geo.vocabulary import overlay_of

WEB_MERCATOR = "EPSG:3857"
HALF_WORLD_M = 20_037_508.342789244
"""Half the width of the Web Mercator square, in its metres."""

SIMPLIFY_PIXELS = 0.25
"""Simplification tolerance, in screen pixels of the zoom written (256 px tiles)."""

COVERAGE_OVERLAP_RATIO = 1e-6
"""Below this overlap ratio a layer is simplified as a coverage (shared borders stay shared)."""


TILES_PER_TASK = 64

CONTEXT_ONLY_MAX_ZOOM = 8
"""Beyond this zoom, a tile holding only neighbouring régions and départements is not written (France at zoom 12
would be 13,000 tiles of grey); the tiles that hold the two regions keep their neighbours."""


@dataclass
class TileReport:
    """What :func:`write_pmtiles` wrote."""

    path: Path
    tiles_by_zoom: dict[int, int] = field(default_factory=dict)
    bytes: int = 0
    seconds: float = 0.0

    @property
    def tiles(self) -> int:
        """Number of tiles written (before the archive's de-duplication)."""
        return sum(self.tiles_by_zoom.values())


def tile_frames(
    *,
    communes_l93: gpd.GeoDataFrame,
    epci_l93: gpd.GeoDataFrame,
    departements_l93: gpd.GeoDataFrame,
    regions_l93: gpd.GeoDataFrame,
    territories_l93: gpd.GeoDataFrame,
) -> dict[str, gpd.GeoDataFrame]:
    """One Web Mercator frame per layer of :data:`geo.scales.TILE_LAYERS`, with only its properties.

    Parameters
    ----------
    communes_l93, epci_l93, departements_l93, regions_l93, territories_l93 : GeoDataFrame
        The build's Lambert-93 layers (``code, nom, epci_siren, population``; ``siren, nom,
        population``; ``code, nom, in_scope``; the same; ``territory_id, kind, label, area_km2``).

    Returns
    -------
    dict of str to GeoDataFrame
        Polygons for the unit layers, points for the ``*_labels`` layers (with a ``priority``).
    """
    inputs = {
        "communes_l93": communes_l93,
        "epci_l93": epci_l93,
        "departements_l93": departements_l93,
        "regions_l93": regions_l93,
        "territories_l93": territories_l93,
    }
    for name, frame in inputs.items():
        if not isinstance(frame, gpd.GeoDataFrame):
            raise TypeError(f"{name} must be a GeoDataFrame, got {type(frame).__name__}")
        check_crs(frame, LAMBERT93, name=name)
    territories = territories_l93.assign(overlay=overlay_of(territories_l93["kind"], territories_l93["territory_id"]))
    territories = territories[territories["overlay"].notna()]
    units = {
        "regions": regions_l93.assign(in_scope=regions_l93["in_scope"].astype(bool).astype(int)),
        "departements": departements_l93.assign(in_scope=departements_l93["in_scope"].astype(bool).astype(int)),
        "epci": epci_l93,
        "communes": communes_l93,
        "territoires": territories,
    }
    labels = {
        "territoires_labels": _label_points(territories, "territoires_labels", priority=territories["area_km2"]),
        "epci_labels": _label_points(epci_l93, "epci_labels", priority=epci_l93["population"]),
        "communes_labels": _label_points(communes_l93, "communes_labels", priority=communes_l93["population"]),
    }
    frames = {}
    for name, frame in {**units, **labels}.items():
        columns = list(TILE_LAYERS[name].properties)
        mercator = gpd.GeoDataFrame(frame[columns], geometry=frame.geometry.values, crs=LAMBERT93).to_crs(WEB_MERCATOR)
        # Reprojection can leave a self-touching ring: the coverage tests and simplification need valid polygons.
        frames[name] = mercator if name.endswith("_labels") else repaired(mercator)
    return frames


ENCODING_PACKAGES = ("shapely", "geopandas", "pyproj", "mapbox-vector-tile", "pmtiles")
"""The libraries whose version changes what the same frames encode to (a digest of an archive includes them)."""


def content_digest(frames: dict[str, gpd.GeoDataFrame], attribution: str) -> str:
    """A digest of everything an archive is made from: the frames (geometry and properties), the attribution, the
    code of ``geo/`` that simplifies and encodes them, and the versions of the libraries it calls.

    Two builds with the same digest write the same tiles: :func:`unchanged_archive` lets the second reuse the first's
    archive (a rebuild after editing projects or foncier, which the tiles do not hold, saves half the build)."""
    digest = hashlib.blake2b(digest_size=16)
    for name in sorted(frames):
        frame = frames[name]
        digest.update(f"{name}:{list(frame.columns)}:{list(map(str, frame.dtypes))}".encode())
        properties = frame.drop(columns=frame.geometry.name).astype(str)
        digest.update(pd.util.hash_pandas_object(properties, index=False).to_numpy())
        digest.update(b"".join(shapely.to_wkb(frame.geometry.values)))
    digest.update(attribution.encode())
    code = Path(__file__).resolve().parents[1]
    for module in sorted(code.rglob("*.py")):
        digest.update(module.relative_to(code).as_posix().encode() + b"\0" + module.read_bytes())
    for package in ENCODING_PACKAGES:
        digest.update(f"{package}=={importlib.metadata.version(package)}".encode())
    return digest.hexdigest()


def unchanged_archive(path: Path, digest: str) -> TileReport | None:
    """The report of the archive at ``path`` when it was written from content with ``digest``; ``None`` when it is
    missing, unreadable, or made from something else."""
    try:
        _, metadata = read_metadata(path)
        written = json.loads(metadata.get("json") or "{}")
    except (OSError, ValueError, KeyError, MagicNumberNotFound):
        return None
    if written.get("content_digest") != digest:
        return None
    report = TileReport(path=Path(path), tiles_by_zoom={int(z): n for z, n in written.get("tiles_by_zoom", {}).items()})
    report.bytes = report.path.stat().st_size
    return report


def write_pmtiles(
    frames: dict[str, gpd.GeoDataFrame],
    path: Path,
    *,
    attribution: str,
    progress: Callable[[str], None] | None = None,
    processes: int | None = None,
    digest: str | None = None,
) -> TileReport:
    """Write the frames (from :func:`tile_frames`) as one PMTiles archive at ``path``, atomically.

    Parameters
    ----------
    frames : dict of str to GeoDataFrame
        Web Mercator layers named as in :data:`geo.scales.TILE_LAYERS`.
    path : Path
        Destination; written to a temporary file beside it, then renamed.
    attribution : str
        Sources of the geometry, stored in the archive's metadata.
    progress : callable, optional
        Receives one French line per zoom.
    processes : int, optional
        Worker processes encoding tiles (default: the machine's cores, at most 4; 1 encodes here).
    digest : str, optional
        :func:`content_digest` of the frames, kept in the metadata for :func:`unchanged_archive`.
    """
    for name, frame in frames.items():
        if name not in TILE_LAYERS:
            raise ValueError(f"unknown tile layer {name!r}; expected one of {sorted(TILE_LAYERS)}")
        check_crs(frame, WEB_MERCATOR, name=name)
    start = time.perf_counter()
    report = TileReport(path=Path(path))
    partial = report.path.with_name(f".{report.path.name}.{os.getpid()}.partial")
    workers = processes or min(4, os.cpu_count() or 1)
    encoded: dict[int, bytes] = {}
    coverages: dict[tuple[str, object], bool] = {}
    pending: _Encoding | None = None
    try:
        for zoom in range(TILE_MIN_ZOOM, TILE_MAX_ZOOM + 1):
            # This zoom is simplified here while the workers encode the one before.
            layers = _zoom_layers(frames, zoom, coverages)
            tiles = _tiles_of(layers, zoom)
            if pending is not None:
                encoded.update(pending.result())
            pending = _Encoding(layers, zoom, tiles, workers)
            report.tiles_by_zoom[zoom] = len(tiles)
            if progress:
                progress(f"  zoom {zoom} : {len(tiles)} tuiles")
        if pending is not None:
            encoded.update(pending.result())
    finally:
        if pending is not None:
            pending.stop()
    try:
        with partial.open("wb") as handle:
            writer = Writer(handle)
            for tile_id in sorted(encoded):  # the archive is clustered: tiles in id order
                writer.write_tile(tile_id, encoded[tile_id])
            writer.finalize(_header(frames), _metadata(frames, attribution, report.tiles_by_zoom, digest))
        os.replace(partial, report.path)
    finally:
        partial.unlink(missing_ok=True)
    report.bytes = report.path.stat().st_size
    report.seconds = time.perf_counter() - start
    return report


def read_tile(path: Path, z: int, x: int, y: int) -> dict[str, Any]:
    """The decoded layers of tile ``z/x/y`` (``{}`` when the archive has none there).

    Coordinates are tile units (0 to :func:`geo.scales.tile_extent` of ``z``, y pointing down).
    """
    with Path(path).open("rb") as handle:
        data = Reader(MmapSource(handle)).get(z, x, y)
    if not data:
        return {}
    return mapbox_vector_tile.decode(gzip.decompress(data), default_options={"y_coord_down": True})


def read_metadata(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """The archive's header and JSON metadata."""
    with Path(path).open("rb") as handle:
        reader = Reader(MmapSource(handle))
        return reader.header(), reader.metadata()


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """``(minx, miny, maxx, maxy)`` of an XYZ tile, in Web Mercator metres.

    >>> tile_bounds(0, 0, 0) == (-HALF_WORLD_M, -HALF_WORLD_M, HALF_WORLD_M, HALF_WORLD_M)
    True
    """
    size = 2 * HALF_WORLD_M / 2**z
    return (
        -HALF_WORLD_M + x * size,
        HALF_WORLD_M - (y + 1) * size,
        -HALF_WORLD_M + (x + 1) * size,
        HALF_WORLD_M - y * size,
    )


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    """``(x, y)`` of the XYZ tile holding a WGS84 point at zoom ``z``.

    >>> tile_of(3.5235, 50.357, 12)
    (2088, 1382)
    """
    point = gpd.GeoSeries([shapely.Point(lon, lat)], crs=WGS84).to_crs(WEB_MERCATOR).iloc[0]
    size = 2 * HALF_WORLD_M / 2**z
    return int((point.x + HALF_WORLD_M) // size), int((HALF_WORLD_M - point.y) // size)


# --- private helpers -----------------------------------------------------------------------


@dataclass
class _ZoomLayer:
    spec: TileLayer
    geometries: np.ndarray
    properties: list[dict[str, Any]]
    tree: shapely.STRtree
    points: bool


def _label_points(units_l93: gpd.GeoDataFrame, layer: str, *, priority: pd.Series) -> gpd.GeoDataFrame:
    """The pole of inaccessibility of each unit (the centre of its largest inscribed circle)."""
    centres = label_anchors(units_l93.geometry.values, LABEL_TOLERANCE_M[layer])
    return units_l93.assign(priority=priority.fillna(0).astype(float).to_numpy()).set_geometry(
        gpd.GeoSeries(centres, index=units_l93.index, crs=LAMBERT93)
    )


def _zoom_layers(
    frames: dict[str, gpd.GeoDataFrame], zoom: int, coverages: dict[tuple[str, object], bool]
) -> list[_ZoomLayer]:
    layers = []
    for name, frame in frames.items():
        spec = TILE_LAYERS[name]
        if not spec.min_zoom <= zoom <= spec.max_zoom or frame.empty:
            continue
        points = bool((frame.geom_type == "Point").all())
        geometries = frame.geometry.values if points else _simplified(name, frame, zoom, coverages)
        properties = [
            {key: _plain(value) for key, value in row.items() if not pd.isna(value)}
            for row in records(frame.drop(columns="geometry"))
        ]
        layers.append(_ZoomLayer(spec, np.asarray(geometries), properties, shapely.STRtree(geometries), points))
    return layers


def _simplified(name: str, frame: gpd.GeoDataFrame, zoom: int, coverages: dict[tuple[str, object], bool]) -> np.ndarray:
    """Polygons simplified for ``zoom``; territories overlay by overlay (they overlap across overlays).

    ``coverages`` remembers, per layer and overlay, whether the polygons tile without overlap (a union
    of thousands of communes is computed once, not once per zoom).
    """
    if zoom >= TILE_MAX_ZOOM:
        return np.asarray(frame.geometry.values)  # only the tile grid's rounding: under 2 m on the ground
    tolerance_m = SIMPLIFY_PIXELS * 2 * HALF_WORLD_M / (256 * 2**zoom)
    groups = frame.groupby("overlay", sort=False).groups if "overlay" in frame else {None: frame.index}
    simplified = np.empty(len(frame), dtype=object)
    for key, index in groups.items():
        part = frame.loc[index]
        positions = frame.index.get_indexer(index)
        if (name, key) not in coverages:
            coverages[(name, key)] = overlap_ratio(part) < COVERAGE_OVERLAP_RATIO
        if coverages[(name, key)]:
            simplified[positions] = shapely.coverage_simplify(part.geometry.values, tolerance_m)
        else:
            simplified[positions] = shapely.simplify(part.geometry.values, tolerance_m, preserve_topology=True)
    return simplified


def _tiles_of(layers: list[_ZoomLayer], zoom: int) -> list[tuple[int, int]]:
    """The tiles of ``zoom`` that hold something: tile boxes queried against every layer's tree."""
    if not layers:
        return []
    bounds = np.array([shapely.total_bounds(layer.geometries) for layer in layers])
    size = 2 * HALF_WORLD_M / 2**zoom
    x0, x1 = int((bounds[:, 0].min() + HALF_WORLD_M) // size), int((bounds[:, 2].max() + HALF_WORLD_M) // size)
    y0, y1 = int((HALF_WORLD_M - bounds[:, 3].max()) // size), int((HALF_WORLD_M - bounds[:, 1].min()) // size)
    xs, ys = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
    xs, ys = xs.ravel(), ys.ravel()
    minx = -HALF_WORLD_M + xs * size
    maxy = HALF_WORLD_M - ys * size
    boxes = shapely.box(minx, maxy - size, minx + size, maxy)
    used = np.zeros(len(boxes), dtype=bool)
    for layer in layers:
        if zoom > CONTEXT_ONLY_MAX_ZOOM and layer.spec.name in ("regions", "departements"):
            continue
        hits = layer.tree.query(boxes, predicate="intersects")[0]
        used[hits] = True
    return list(zip(xs[used].tolist(), ys[used].tolist(), strict=True))


# Worker processes read the zoom's layers from here (inherited when forked, not pickled).
_WORK: tuple[list[_ZoomLayer], int] | None = None


class _Encoding:
    """A zoom's tiles being encoded: by forked workers, while the caller goes on, or here when one process is asked
    (or there is only one chunk, or no fork)."""

    def __init__(self, layers: list[_ZoomLayer], zoom: int, tiles: list[tuple[int, int]], workers: int) -> None:
        global _WORK
        # Small zooms still get one chunk per worker at least: zoom 9's 54 tiles hold every commune outline.
        size = max(1, min(TILES_PER_TASK, -(-len(tiles) // (workers * 4))))
        chunks = [tiles[i : i + size] for i in range(0, len(tiles), size)]
        self._pool: Any = None
        self._done: list[tuple[int, bytes]] = []
        if workers <= 1 or len(chunks) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            self._done = [item for chunk in chunks for item in _encode_chunk(chunk, layers, zoom)]
            return
        _WORK = (layers, zoom)
        try:
            self._pool = multiprocessing.get_context("fork").Pool(workers)  # the workers are forked here
        finally:
            _WORK = None
        self._parts = self._pool.map_async(_encode_forked, chunks)

    def result(self) -> list[tuple[int, bytes]]:
        """The encoded tiles, ``(tile id, gzipped tile)``, once all are done."""
        if self._pool is None:
            return self._done
        try:
            return [item for part in self._parts.get() for item in part]
        finally:
            self.stop()

    def stop(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
            self._done = []


def _encode_forked(chunk: list[tuple[int, int]]) -> list[tuple[int, bytes]]:
    assert _WORK is not None
    return _encode_chunk(chunk, *_WORK)


def _encode_chunk(chunk: list[tuple[int, int]], layers: list[_ZoomLayer], zoom: int) -> list[tuple[int, bytes]]:
    """The chunk's tiles, each layer's features found, clipped, moved and encoded for all its tiles at once (the work
    of one tile is too small for numpy and GEOS: a tile at a time took twice as long)."""
    extent = tile_extent(zoom)
    grid = _TileGrid(np.array([tile_bounds(zoom, x, y) for x, y in chunk]), extent)
    found = [_layer_features(layer, grid) for layer in layers]
    out = []
    for position, (x, y) in enumerate(chunk):
        tile_layers = []
        for layer, (feature_type, streams, properties, starts) in zip(layers, found, strict=True):
            first, last = starts[position], starts[position + 1]
            if last > first:
                tile_layers.append((layer.spec.name, feature_type, streams[first:last], properties[first:last]))
        if tile_layers:
            data = gzip.compress(mvt.tile_bytes(tile_layers, extent), mtime=0)
            out.append((zxy_to_tileid(zoom, x, y), data))
    return out


@dataclass
class _TileGrid:
    """Tiles of one zoom: their Web Mercator bounds (``minx, miny, maxx, maxy`` a row) and extent in tile units."""

    bounds: np.ndarray
    extent: int

    @property
    def buffered(self) -> np.ndarray:
        width = self.bounds[:, 2] - self.bounds[:, 0]
        buffer = (width * TILE_BUFFER / TILE_EXTENT)[:, None]
        return self.bounds + np.hstack([-buffer, -buffer, buffer, buffer])

    def to_tile(self, coords: np.ndarray, tile: np.ndarray) -> np.ndarray:
        """Web Mercator ``coords`` in the units of their ``tile`` (a row of :attr:`bounds` each), y pointing down."""
        minx, miny, maxx, maxy = self.bounds[tile].T
        scale_x, scale_y = self.extent / (maxx - minx), self.extent / (maxy - miny)
        return np.column_stack([(coords[:, 0] - minx) * scale_x, (maxy - coords[:, 1]) * scale_y])


def _layer_features(
    layer: _ZoomLayer, grid: _TileGrid
) -> tuple[int, list[list[int]], list[dict[str, Any]], np.ndarray]:
    """The layer's features in every tile of ``grid``, in tile order: feature type, command streams, properties,
    and where each tile's features start (``starts[i]:starts[i + 1]``)."""
    if layer.points:
        # A name point goes in the one tile holding it (west and north edges in, east and south out).
        tile, hits = layer.tree.query(shapely.box(*grid.bounds.T))
        coords = shapely.get_coordinates(layer.geometries[hits])
        minx, miny, maxx, maxy = grid.bounds[tile].T
        inside = (coords[:, 0] >= minx) & (coords[:, 0] < maxx) & (coords[:, 1] > miny) & (coords[:, 1] <= maxy)
        tile, hits = tile[inside], hits[inside]
        geometries = shapely.points(grid.to_tile(coords[inside], tile))
    else:
        buffered = grid.buffered
        tile, hits = layer.tree.query(shapely.box(*buffered.T))  # bounding boxes only: clipping tells the rest
        clipped = np.empty(len(hits), dtype=object)
        for position in np.unique(tile).tolist():  # clip_by_rect takes one rectangle a call
            mine = tile == position
            clipped[mine] = _clipped(layer.geometries[hits[mine]], buffered[position].tolist())
        kept = ~shapely.is_empty(clipped) & (shapely.area(clipped) > 0)
        tile, hits, clipped = tile[kept], hits[kept], clipped[kept]
        coords, owner = shapely.get_coordinates(clipped, return_index=True)
        moved = shapely.set_coordinates(clipped.copy(), grid.to_tile(coords, tile[owner]))
        geometries, kept = _on_tile_grid(moved)
        tile, hits = tile[kept], hits[kept]
    order = np.argsort(tile, kind="stable")  # the tree's answer comes tile by tile; the stable sort makes sure of it
    tile, hits, geometries = tile[order], hits[order], geometries[order]
    feature_type, streams = mvt.commands(geometries)
    starts = np.searchsorted(tile, np.arange(len(grid.bounds) + 1))
    return feature_type, streams, [layer.properties[i] for i in hits.tolist()], starts


def _clipped(geometries: np.ndarray, bounds: list[float]) -> np.ndarray:
    """``geometries`` cut to the rectangle ``bounds``.

    GEOS's rectangle clipping refuses a polygon whose ring a simplification pinched to three points (met with the
    full-precision ADMIN EXPRESS outlines): such a polygon is made valid and intersected with the rectangle instead.
    """
    try:
        return shapely.clip_by_rect(geometries, *bounds)
    except shapely.errors.GEOSException:
        return np.array([_clipped_one(geometry, bounds) for geometry in geometries], dtype=object)


def _clipped_one(geometry: shapely.Geometry, bounds: list[float]) -> shapely.Geometry:
    try:
        return shapely.clip_by_rect(geometry, *bounds)
    except shapely.errors.GEOSException:
        return shapely.intersection(shapely.make_valid(geometry), shapely.box(*bounds))


def _on_tile_grid(geometries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Polygons rounded to whole tile units, valid, exterior rings clockwise on screen (MVT's winding), and which of
    ``geometries`` they are (those left with an area).

    Rounding can pinch a thin ring: the few polygons it leaves invalid keep their valid polygonal
    part. In tile units (y down), clockwise on screen is counter-clockwise for shapely's signed area,
    hence ``exterior_cw=False``.
    """
    rounded = valid_polygons(shapely.transform(geometries, np.round))
    oriented = shapely.orient_polygons(rounded, exterior_cw=False)
    kept = ~shapely.is_empty(oriented) & (shapely.area(oriented) > 0)
    return oriented[kept], kept


def _plain(value: Any) -> str | int | float:
    if isinstance(value, bool | np.bool_):
        return int(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value if isinstance(value, int | float) else str(value)


def _header(frames: dict[str, gpd.GeoDataFrame]) -> dict[str, Any]:
    west, south, east, north = (
        gpd.GeoSeries(shapely.box(*frames["regions"].total_bounds), crs=WEB_MERCATOR).to_crs(WGS84).total_bounds
        if "regions" in frames
        else (-5.5, 41.0, 10.0, 51.5)
    )
    return {
        "tile_type": TileType.MVT,
        "tile_compression": Compression.GZIP,
        "min_zoom": TILE_MIN_ZOOM,
        "max_zoom": TILE_MAX_ZOOM,
        "min_lon_e7": int(west * 1e7),
        "min_lat_e7": int(south * 1e7),
        "max_lon_e7": int(east * 1e7),
        "max_lat_e7": int(north * 1e7),
        "center_zoom": 7,
        "center_lon_e7": int((west + east) / 2 * 1e7),
        "center_lat_e7": int((south + north) / 2 * 1e7),
    }


def _metadata(
    frames: dict[str, gpd.GeoDataFrame], attribution: str, tiles_by_zoom: dict[int, int], digest: str | None
) -> dict[str, Any]:
    layers = []
    for name in frames:
        spec = TILE_LAYERS[name]
        fields = {
            key: "Number" if pd.api.types.is_numeric_dtype(frames[name][key]) else "String" for key in spec.properties
        }
        layers.append({"id": name, "fields": fields, "minzoom": spec.min_zoom, "maxzoom": spec.max_zoom})
    return {
        "name": "reindus",
        "description": "Communes, EPCI, départements, régions et territoires (COG 2026)",
        "attribution": attribution,
        "generated": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "vector_layers": layers,
        "json": json.dumps({"layers": list(frames), "tiles_by_zoom": tiles_by_zoom, "content_digest": digest}),
    }
