"""Label placement avoids pile-ups; label text is escaped."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from geo.crs import LAMBERT93, WGS84
from layers.assets import offline_map
from layers.labels import label_layer, label_positions


def _polygons(second_offset_deg: float) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"label": ["Grand territoire industriel", "Petit <b>territoire</b>"]},
        geometry=[box(3.0, 50.0, 3.4, 50.3), box(3.0 + second_offset_deg, 50.1, 3.1 + second_offset_deg, 50.2)],
        crs=WGS84,
    )


def test_colliding_labels_keep_the_largest_territory():
    labels = label_positions(_polygons(0.15))
    assert labels["label"].tolist() == ["Grand territoire industriel"]


def test_distant_labels_are_all_kept_inside_their_polygons():
    polygons = _polygons(2.0)
    labels = label_positions(polygons)
    assert sorted(labels["label"]) == sorted(polygons["label"])
    for point, shape in zip(labels.geometry, polygons.set_index("label").loc[labels["label"]].geometry, strict=True):
        assert shape.contains(point)


def test_label_layer_escapes_text_and_needs_wgs84():
    fmap = offline_map(location=(50, 3), zoom_start=7)
    label_layer(label_positions(_polygons(2.0)), name="noms", color="#0072B2").add_to(fmap)
    html = fmap.get_root().render()
    # HTML-escaped, then JSON-escaped inside the DivIcon options.
    assert "Petit \\u0026lt;b\\u0026gt;territoire\\u0026lt;/b\\u0026gt;" in html
    assert "<b>territoire" not in html and "\\u003cb\\u003eterritoire" not in html
    with pytest.raises(ValueError, match="EPSG:4326"):
        label_positions(_polygons(2.0).to_crs(LAMBERT93))
