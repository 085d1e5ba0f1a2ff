"""Mapbox Vector Tile encoding of whole shapely arrays at once.

``mapbox_vector_tile.encode`` turns a geometry into MVT commands point by point in Python, one tile at a time.
This module computes the same command streams with numpy for a whole array of geometries (every feature of a layer
over a chunk of tiles, in :mod:`geo.assembly.tiles`) and writes each tile with the library's own protobuf schema.
The bytes are those ``mapbox_vector_tile.encode`` writes for the same input (``tests/geo/assembly/test_mvt.py``
compares them on edge cases, random polygons and real outlines), so the library still decodes what is written here.
On the two-region build (one process, sampling profile): the library's encoding took 8.6 of the tiles' 23.5 s, and
GEOS and numpy called once a tile and layer most of the rest; encoded by chunks, the tiles take 14.2 s.

Only what :mod:`geo.assembly.tiles` writes is supported: polygons already on the tile grid (whole units, valid,
exterior rings wound as MVT wants, y pointing down) and points.

The command stream, as the library writes it (MVT specification 2.1, section 4.3): each ring is a MoveTo of its
first point, a LineTo of the others but the closing one, then a ClosePath; every coordinate is a zigzag-encoded
delta from the feature's previous point (the cursor starts at 0, 0 for each feature). A point equal to the one
before it is left out; a ring left with one point is left out, and a polygon whose exterior ring is left out is
left out with its holes; a feature left with nothing is not written.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import shapely
from mapbox_vector_tile.Mapbox import vector_tile_pb2

MOVE_TO, LINE_TO, CLOSE_PATH = 1, 2, 7
COMMAND_BITS = 3

MOVE_TO_ONE = (1 << COMMAND_BITS) | MOVE_TO
CLOSE_PATH_ONE = (1 << COMMAND_BITS) | CLOSE_PATH

Properties = dict[str, str | int | float]


POINT, POLYGON = 1, 3
"""Feature types of the MVT specification (``Tile.GeomType``)."""


def encode(layers: Iterable[tuple[str, np.ndarray, Sequence[Properties]]], *, extent: int) -> bytes:
    """One tile holding ``layers``: ``(name, geometries, properties)`` each, geometries in tile units.

    Parameters
    ----------
    layers : iterable of (str, ndarray of shapely geometries, sequence of dict)
        Each layer's name, its geometries (all points, or all polygons and multipolygons) and one dict of
        properties per geometry (``str``, ``int`` or ``float`` values).
    extent : int
        The tile's extent in its units (the layer's ``extent`` field).

    Returns
    -------
    bytes
        The uncompressed protobuf tile.
    """
    return tile_bytes(((name, *commands(geometries), properties) for name, geometries, properties in layers), extent)


def commands(geometries: np.ndarray) -> tuple[int, list[list[int]]]:
    """The feature type and each geometry's command stream (empty for a geometry that writes nothing).

    Geometries of many tiles can be given at once (each already in its own tile's units): the work is done for the
    whole array, and each tile takes its slice.
    """
    geometries = np.asarray(geometries, dtype=object)
    present = ~shapely.is_empty(geometries)
    types = set(shapely.get_type_id(geometries[present]).tolist())
    if types <= {shapely.GeometryType.POINT}:
        feature_type, encoder = POINT, _point_commands
    elif types <= {shapely.GeometryType.POLYGON, shapely.GeometryType.MULTIPOLYGON}:
        feature_type, encoder = POLYGON, _polygon_commands
    else:
        raise ValueError("only points, or polygons and multipolygons, are encoded")
    streams: list[list[int]] = [[] for _ in range(len(geometries))]
    if present.any():
        for position, stream in zip(np.flatnonzero(present).tolist(), encoder(geometries[present]), strict=True):
            streams[position] = stream
    return feature_type, streams


def tile_bytes(layers: Iterable[tuple[str, int, Sequence[list[int]], Sequence[Properties]]], extent: int) -> bytes:
    """The tile of ``(name, feature type, command streams, properties)`` layers (from :func:`commands`)."""
    tile = vector_tile_pb2.tile()
    for name, feature_type, streams, properties in layers:
        if len(streams) != len(properties):
            raise ValueError(f"layer {name!r}: {len(streams)} geometries for {len(properties)} property rows")
        layer = tile.layers.add()
        layer.name = name
        layer.version = 2
        layer.extent = extent
        _add_features(layer, streams, properties, feature_type)
    return tile.SerializeToString()


def _add_features(
    layer: Any, streams: Sequence[list[int]], properties: Sequence[Properties], feature_type: int
) -> None:
    """The features with commands, their properties as tags on the layer's shared keys and values (in the order
    they first appear, a value equal to another once, as the library interns them)."""
    key_index: dict[str, int] = {}
    value_index: dict[str | int | float, int] = {}
    for stream, row in zip(streams, properties, strict=True):
        if not stream:
            continue
        feature = layer.features.add()
        tags = []
        for key, value in row.items():
            if key not in key_index:
                key_index[key] = len(key_index)
                layer.keys.append(key)
            if value not in value_index:
                value_index[value] = len(value_index)
                _set_value(layer.values.add(), value)
            tags += (key_index[key], value_index[value])
        feature.tags.extend(tags)
        feature.type = feature_type
        feature.geometry.extend(stream)


def _set_value(message: Any, value: str | int | float) -> None:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError(f"tile properties are str, int or float; got {type(value).__name__}")
    if isinstance(value, str):
        message.string_value = value
    elif isinstance(value, int):
        message.int_value = value
    else:
        message.double_value = value


def _zigzag(values: np.ndarray) -> np.ndarray:
    return (values << 1) ^ (values >> 63)


def _point_commands(points: np.ndarray) -> list[list[int]]:
    """``MoveTo(1) x y`` per point, rounded to the grid half to even as the library's ``round``."""
    xy = np.rint(shapely.get_coordinates(points)).astype(np.int64)
    commands = np.empty((len(xy), 3), dtype=np.int64)
    commands[:, 0] = MOVE_TO_ONE
    commands[:, 1:] = _zigzag(xy)
    return commands.tolist()


def _polygon_commands(geometries: np.ndarray) -> list[list[int]]:
    """The commands of every polygon and multipolygon, one list per geometry (empty when nothing is left)."""
    kind, coords, offsets = shapely.to_ragged_array(geometries)
    if kind == shapely.GeometryType.POLYGON:  # one polygon a geometry
        ring_offsets, polygon_offsets = offsets
        geometry_offsets = np.arange(len(geometries) + 1)
    else:
        ring_offsets, polygon_offsets, geometry_offsets = offsets
    xy = np.rint(coords).astype(np.int64)
    ring_of_point = np.repeat(np.arange(len(ring_offsets) - 1), np.diff(ring_offsets))
    polygon_of_ring = np.repeat(np.arange(len(polygon_offsets) - 1), np.diff(polygon_offsets))
    geometry_of_polygon = np.repeat(np.arange(len(geometry_offsets) - 1), np.diff(geometry_offsets))

    # A ring's closing point is not written; nor is a point equal to the one before it in its ring.
    kept = np.ones(len(xy), dtype=bool)
    kept[ring_offsets[1:] - 1] = False
    repeated = np.zeros(len(xy), dtype=bool)
    repeated[1:] = (ring_of_point[1:] == ring_of_point[:-1]) & (xy[1:] == xy[:-1]).all(axis=1)
    kept &= ~repeated
    points_in_ring = np.bincount(ring_of_point[kept], minlength=len(ring_offsets) - 1)
    written_ring = points_in_ring >= 2
    exterior_written = np.zeros(len(polygon_offsets) - 1, dtype=bool)
    has_rings = np.diff(polygon_offsets) > 0
    exterior_written[has_rings] = written_ring[polygon_offsets[:-1][has_rings]]
    written_ring &= exterior_written[polygon_of_ring]
    kept &= written_ring[ring_of_point]

    # Deltas from the feature's previous written point; the first point of a feature from 0, 0.
    points = xy[kept]
    ring_of_kept = ring_of_point[kept]
    feature_of_kept = geometry_of_polygon[polygon_of_ring[ring_of_kept]]
    deltas = points.copy()
    same_feature = feature_of_kept[1:] == feature_of_kept[:-1]
    deltas[1:][same_feature] -= points[:-1][same_feature]

    # Each written ring of n points takes 2n + 3 integers: MoveTo(1) x y, LineTo(n - 1), the n - 1 pairs, ClosePath.
    ring_length = np.where(written_ring, 2 * points_in_ring + 3, 0)
    ring_start = np.concatenate([[0], np.cumsum(ring_length)[:-1]])
    out = np.empty(int(ring_length.sum()), dtype=np.int64)
    starts, counts = ring_start[written_ring], points_in_ring[written_ring]
    out[starts] = MOVE_TO_ONE
    out[starts + 3] = ((counts - 1) << COMMAND_BITS) | LINE_TO
    out[starts + 2 * counts + 2] = CLOSE_PATH_ONE
    first_in_ring = np.searchsorted(ring_of_kept, ring_of_kept, side="left")
    rank = np.arange(len(points)) - first_in_ring
    x_position = ring_start[ring_of_kept] + np.where(rank == 0, 1, 2 * rank + 2)
    encoded = _zigzag(deltas)
    out[x_position] = encoded[:, 0]
    out[x_position + 1] = encoded[:, 1]

    feature_of_ring = geometry_of_polygon[polygon_of_ring]
    feature_length = np.bincount(feature_of_ring, weights=ring_length, minlength=len(geometries)).astype(np.int64)
    bounds = np.concatenate([[0], np.cumsum(feature_length)]).tolist()
    flat = out.tolist()
    return [flat[start:end] for start, end in zip(bounds[:-1], bounds[1:], strict=True)]
