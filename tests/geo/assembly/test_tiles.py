"""Vector tiles: layers at their zooms, shared borders, one tile per name, and the real build's archive."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import box

from geo.assembly.tiles import (
    _clipped,
    content_digest,
    read_metadata,
    read_tile,
    tile_bounds,
    tile_frames,
    tile_of,
    unchanged_archive,
    write_pmtiles,
)
from geo.crs import LAMBERT93, WGS84
from geo.scales import TILE_BUFFER, TILE_EXTENT, TILE_LAYERS, TILE_MAX_ZOOM, TILE_MIN_ZOOM, tile_extent

# Four 2 km communes near Valenciennes (Lambert-93), two per EPCI, in one région and one département.
X0, Y0, SIDE = 735_000.0, 7_035_000.0, 2_000.0


def _small_frames() -> dict[str, gpd.GeoDataFrame]:
    squares = [
        box(X0 + i * SIDE, Y0 + j * SIDE, X0 + (i + 1) * SIDE, Y0 + (j + 1) * SIDE) for j in (0, 1) for i in (0, 1)
    ]
    communes = gpd.GeoDataFrame(
        {
            "code": ["59001", "59002", "59003", "59004"],
            "nom": ["Aval", "Bmont", "Cville", "Dbourg"],
            "epci_siren": ["200000001", "200000001", "200000002", "200000002"],
            "population": [100, 2_000, 300, 40],
        },
        geometry=squares,
        crs=LAMBERT93,
    )
    epci = communes.dissolve("epci_siren", aggfunc={"population": "sum"}).reset_index()
    epci = epci.rename(columns={"epci_siren": "siren"}).assign(nom=["EPCI Un", "EPCI Deux"])
    whole = box(X0, Y0, X0 + 2 * SIDE, Y0 + 2 * SIDE)
    unit = gpd.GeoDataFrame({"code": ["59"], "nom": ["Nord"], "in_scope": [True]}, geometry=[whole], crs=LAMBERT93)
    territories = gpd.GeoDataFrame(
        {"territory_id": ["p2-ti-1"], "kind": ["ti_phase2"], "label": ["Territoire test"], "area_km2": [16.0]},
        geometry=[whole],
        crs=LAMBERT93,
    )
    return tile_frames(
        communes_l93=communes, epci_l93=epci, departements_l93=unit, regions_l93=unit, territories_l93=territories
    )


@pytest.fixture(scope="module")
def small_archive(tmp_path_factory):
    path = tmp_path_factory.mktemp("tiles") / "small.pmtiles"
    report = write_pmtiles(_small_frames(), path, attribution="test", processes=1)
    return path, report


def test_an_archive_is_reused_only_for_the_same_content(tmp_path):
    frames = _small_frames()
    digest = content_digest(frames, "test")
    assert content_digest(_small_frames(), "test") == digest  # the same inputs, built again, give the same digest
    path = tmp_path / "small.pmtiles"
    assert unchanged_archive(path, digest) is None  # no archive yet
    written = write_pmtiles(frames, path, attribution="test", processes=1, digest=digest)

    reused = unchanged_archive(path, digest)
    assert reused is not None and reused.tiles_by_zoom == written.tiles_by_zoom and reused.bytes == written.bytes

    renamed = {**frames, "communes": frames["communes"].assign(nom=["Aval", "Bmont", "Cville", "Dbourg-sur-Mer"])}
    moved = {**frames, "communes": frames["communes"].set_geometry(frames["communes"].translate(xoff=1.0))}
    assert unchanged_archive(path, content_digest(renamed, "test")) is None  # a property changed
    assert unchanged_archive(path, content_digest(moved, "test")) is None  # a geometry moved by a metre
    assert unchanged_archive(path, content_digest(frames, "autre source")) is None
    path.write_bytes(b"not an archive")
    assert unchanged_archive(path, digest) is None


def _centre_tile(z: int) -> tuple[int, int]:
    lon, lat = gpd.GeoSeries([shapely.Point(X0 + SIDE, Y0 + SIDE)], crs=LAMBERT93).to_crs(WGS84).iloc[0].coords[0]
    return tile_of(lon, lat, z)


def test_layers_are_written_from_their_min_zoom(small_archive):
    path, report = small_archive
    assert set(report.tiles_by_zoom) == set(range(TILE_MIN_ZOOM, TILE_MAX_ZOOM + 1))
    for z in range(TILE_MIN_ZOOM, TILE_MAX_ZOOM + 1):
        layers = read_tile(path, z, *_centre_tile(z))
        expected = {name for name, spec in TILE_LAYERS.items() if spec.min_zoom <= z}
        assert set(layers) == expected, z
    header, metadata = read_metadata(path)
    assert (header["min_zoom"], header["max_zoom"]) == (TILE_MIN_ZOOM, TILE_MAX_ZOOM)
    assert {layer["id"]: layer["minzoom"] for layer in metadata["vector_layers"]}["communes"] == 9


def test_attributes_are_the_declared_ones_and_plain_values(small_archive):
    path, _ = small_archive
    layers = read_tile(path, 12, *_centre_tile(12))
    communes = {f["properties"]["code"]: f["properties"] for f in layers["communes"]["features"]}
    assert communes["59002"] == {"code": "59002", "nom": "Bmont", "epci_siren": "200000001"}
    assert layers["regions"]["features"][0]["properties"]["in_scope"] == 1
    assert layers["territoires"]["features"][0]["properties"]["overlay"] == "ti2"


def test_neighbours_share_their_border_and_geometry_stays_in_the_buffer(small_archive):
    path, _ = small_archive
    for z in (9, 12):
        layers = read_tile(path, z, *_centre_tile(z))
        shapes = {
            f["properties"]["code"]: shapely.geometry.shape(f["geometry"]) for f in layers["communes"]["features"]
        }
        coords = np.concatenate([shapely.get_coordinates(shape) for shape in shapes.values()])
        extent = tile_extent(z)
        buffer = TILE_BUFFER * extent / TILE_EXTENT
        assert coords.min() >= -buffer and coords.max() <= extent + buffer
        assert coords.max() > extent / 2  # coordinates on this zoom's grid, not another's
        if {"59001", "59002"} <= set(shapes):
            shared = shapes["59001"].intersection(shapes["59002"])
            assert shared.length > 0 and shared.area == 0  # a common edge: no gap, no overlap


def test_each_name_point_is_in_exactly_one_tile(small_archive):
    path, report = small_archive
    z = 12
    x, y = _centre_tile(z)
    found = []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            layer = read_tile(path, z, x + dx, y + dy).get("communes_labels", {"features": []})
            found += [f["properties"]["code"] for f in layer["features"]]
    assert sorted(found) == ["59001", "59002", "59003", "59004"]


def test_bad_crs_is_refused():
    frames = _small_frames()
    with pytest.raises(ValueError, match="EPSG:3857"):
        write_pmtiles({"communes": frames["communes"].to_crs(WGS84)}, "unused.pmtiles", attribution="")
    with pytest.raises(TypeError, match="GeoDataFrame"):
        tile_frames(communes_l93=None, epci_l93=None, departements_l93=None, regions_l93=None, territories_l93=None)


@pytest.mark.slow
def test_the_build_archive_holds_valenciennes_within_metres(store, built):
    _, report = built
    path = report.tiles_path
    assert path is not None and path.is_file()
    _, metadata = read_metadata(path)
    assert {layer["id"] for layer in metadata["vector_layers"]} == set(TILE_LAYERS)
    x, y = tile_of(3.5235, 50.3570, 12)
    layers = read_tile(path, 12, x, y)
    feature = next(f for f in layers["communes"]["features"] if f["properties"]["code"] == "59606")
    minx, miny, maxx, maxy = tile_bounds(12, x, y)

    def to_mercator(coords: np.ndarray) -> np.ndarray:
        return np.column_stack(
            [minx + coords[:, 0] / TILE_EXTENT * (maxx - minx), maxy - coords[:, 1] / TILE_EXTENT * (maxy - miny)]
        )

    decoded = shapely.transform(shapely.geometry.shape(feature["geometry"]), to_mercator)
    decoded_l93 = gpd.GeoSeries([decoded], crs="EPSG:3857").to_crs(LAMBERT93).iloc[0]
    communes = store.read("communes")
    stored = communes.loc[communes["code"] == "59606"].to_crs(LAMBERT93).geometry.iloc[0]
    window = gpd.GeoSeries([box(minx, miny, maxx, maxy)], crs="EPSG:3857").to_crs(LAMBERT93).iloc[0]
    # Compared inside the tile itself (not the buffer, where the clip adds edges of its own).
    assert decoded_l93.intersection(window).hausdorff_distance(stored.intersection(window)) < 5.0
    assert "communes" not in read_tile(path, 8, *tile_of(3.5235, 50.3570, 8))


def test_polygons_are_wound_as_the_mvt_specification_says(built):
    """MVT 4.3.4.4: an exterior ring has a positive surveyor's area in tile coordinates (y down), a hole a negative one.

    A renderer that trusts the winding (protomaps-leaflet does) would otherwise draw holes as areas.
    """
    _, report = built
    x, y = tile_of(3.5235, 50.3570, 12)
    exteriors, holes = [], []
    for layer in read_tile(report.tiles_path, 12, x, y).values():
        for feature in layer["features"]:
            geometry = feature["geometry"]
            if geometry["type"] not in ("Polygon", "MultiPolygon"):
                continue
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            for rings in polygons:
                exteriors.append(shapely.is_ccw(shapely.LinearRing(rings[0])))  # ccw for shapely = clockwise on screen
                holes += [shapely.is_ccw(shapely.LinearRing(ring)) for ring in rings[1:]]
    assert len(exteriors) > 10 and all(exteriors)
    assert not any(holes)


def test_a_polygon_whose_simplification_left_a_three_point_ring_is_still_clipped():
    """Met building with the full-precision ADMIN EXPRESS outlines: a simplified région kept a hole of three
    points, and GEOS's rectangle clipping refused it where the hole crossed the tile's edge."""
    pinched = shapely.from_wkt("POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 3 3, 2 2))")
    with pytest.raises(shapely.errors.GEOSException):
        shapely.clip_by_rect(pinched, 2.5, 0, 5, 5)
    clipped = _clipped(np.array([pinched, box(0, 0, 3, 3)]), [2.5, 0, 5, 5])
    assert clipped[0].equals(box(2.5, 0, 5, 5)) and clipped[1].equals(box(2.5, 0, 3, 3))
    assert _clipped(np.array([box(0, 0, 3, 3)]), [2.5, 0, 5, 5])[0].equals(box(2.5, 0, 3, 3))  # the usual way
