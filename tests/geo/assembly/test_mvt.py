"""The vectorized MVT encoder writes the bytes mapbox-vector-tile writes, on edge cases, random and real outlines."""

from __future__ import annotations

import mapbox_vector_tile
import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import MultiPolygon, Point, Polygon, box

from geo.assembly import mvt
from geo.assembly.tiles import tile_bounds, tile_of

EXTENT = 4096


def _reference(layers, extent=EXTENT) -> bytes:
    """What the library writes for the same layers (the tiles' geometry is already wound: no winding check)."""
    features = [
        {"name": name, "features": [{"geometry": g, "properties": p} for g, p in zip(geoms, props, strict=True)]}
        for name, geoms, props in layers
    ]
    options = {"y_coord_down": True, "extents": extent, "check_winding_order": False}
    return mapbox_vector_tile.encode(features, default_options=options)


def _on_grid(geometries) -> np.ndarray:
    """As the tiles hand polygons to the encoder: whole units, valid, exterior clockwise on screen (y down)."""
    rounded = shapely.make_valid(
        shapely.transform(np.asarray(geometries, dtype=object), np.round), method="structure", keep_collapsed=False
    )
    return shapely.orient_polygons(rounded, exterior_cw=False)


def _same_as_library(layers, extent=EXTENT) -> None:
    ours = mvt.encode(layers, extent=extent)
    assert ours == _reference(layers, extent)
    assert mapbox_vector_tile.decode(ours, default_options={"y_coord_down": True}) == mapbox_vector_tile.decode(
        _reference(layers, extent), default_options={"y_coord_down": True}
    )


def test_edge_cases_are_encoded_as_the_library_does():
    square = box(0, 0, 10, 10)
    with_hole = Polygon([(0, 0), (20, 0), (20, 20), (0, 20)], [[(5, 5), (5, 8), (8, 8), (8, 5)]])
    repeated = Polygon([(0, 0), (0, 0), (10, 0), (10, 0), (10, 10), (0, 10), (0, 0)])
    # Pinched to one point once its repeated points are left out: not written, nor its hole.
    pinched = Polygon([(3, 3), (3, 3), (3, 3), (3, 3)])
    parts = MultiPolygon([box(-60, -60, -40, -40), with_hole, box(100, 100, 140, 150)])
    polygons = _on_grid([square, with_hole, repeated, parts])
    polygons = np.append(polygons, [pinched, Polygon(pinched.exterior, [[(3, 3), (3, 3), (3, 3), (3, 3)]])])
    properties = [
        {"code": "59606", "population": 42_000, "area": 1.0},
        {"code": "02691", "population": 1, "area": 2.5},  # 1 and 1.0 are one value in the layer, as in the library
        {"code": "59606", "nom": "Valenciennes", "population": -3},
        {"nom": "Intercommunalité", "area": 0.1},
        {"code": "never", "nom": "written"},  # keys and values of an unwritten feature are not interned
        {"code": "never"},
    ]
    points = np.array([Point(0.5, 1.5), Point(2.5, -3.5), Point(4095.7, 12.2)])
    labels = [{"nom": "A", "priority": 3.0}, {"nom": "B", "priority": 3}, {"nom": "A", "priority": 0.5}]
    _same_as_library([("communes", polygons, properties), ("communes_labels", points, labels)])
    _same_as_library([("empty", np.array([Polygon()]), [{"a": 1}]), ("one", polygons[:1], properties[:1])], extent=512)


def test_only_points_or_polygons_and_plain_values_are_encoded():
    with pytest.raises(ValueError, match="only points"):
        mvt.encode([("mixed", np.array([Point(1, 1), box(0, 0, 2, 2)]), [{}, {}])], extent=EXTENT)
    with pytest.raises(TypeError, match="str, int or float"):
        mvt.encode([("bad", np.array([Point(1, 1)]), [{"flag": True}])], extent=EXTENT)
    with pytest.raises(ValueError, match="1 geometries for 2"):
        mvt.encode([("short", np.array([Point(1, 1)]), [{}, {}])], extent=EXTENT)


corner = st.tuples(st.integers(-80, 4180), st.integers(-80, 4180))


@given(st.lists(st.lists(corner, min_size=3, max_size=9), min_size=1, max_size=6), st.integers(1, 40))
def test_random_polygons_are_encoded_as_the_library_does(outlines, scale):
    """Polygons of random corners, with collinear and repeated points once shrunk to the grid (``scale``)."""
    shapes = [shapely.convex_hull(shapely.MultiPoint(corners)).buffer(0) for corners in outlines]
    shrunk = [shapely.affinity.scale(shape, 1 / scale, 1 / scale, origin=(0, 0)) for shape in shapes]
    donut = [s.difference(s.centroid.buffer(s.area**0.5 / 4)) for s in shrunk if s.area > 0]
    polygons = _on_grid(shrunk + donut)
    polygons = polygons[~shapely.is_empty(polygons) & np.isin(shapely.get_type_id(polygons), [3, 6])]
    properties = [{"n": i % 3} for i in range(len(polygons))]
    _same_as_library([("shapes", polygons, properties)])


def test_real_outlines_are_encoded_as_the_library_does(store):
    """The communes around Valenciennes, as one zoom 12 tile and its buffer would hold them."""
    z, (x, y) = 12, tile_of(3.5235, 50.3570, 12)
    minx, miny, maxx, maxy = tile_bounds(z, x, y)
    communes = store.read("communes").to_crs("EPSG:3857")
    clipped = shapely.clip_by_rect(communes.geometry.values, minx - 500, miny - 500, maxx + 500, maxy + 500)
    kept = ~shapely.is_empty(clipped) & (shapely.area(clipped) > 0)
    scale = EXTENT / (maxx - minx)
    in_tile = shapely.transform(
        clipped[kept], lambda xy: np.column_stack([(xy[:, 0] - minx) * scale, (maxy - xy[:, 1]) * scale])
    )
    polygons = _on_grid(in_tile)
    names = [{"code": c, "nom": n} for c, n in zip(communes["code"][kept], communes["nom"][kept], strict=True)]
    assert len(polygons) > 10
    _same_as_library([("communes", polygons, names)])
