"""Territory names drawn on the map, placed so that they do not pile up at regional zoom."""

from __future__ import annotations

import html

import folium
import geopandas as gpd
import numpy as np
from jinja2 import Template

from geo.crs import WGS84, check_crs
from layers.features import FastMacroElement

WEB_MERCATOR = "EPSG:3857"
LABEL_ZOOM = 7
"""Zoom at which labels are laid out (the regional view of both regions)."""

CHAR_WIDTH_PX = 6.2
LINE_HEIGHT_PX = 14.0
_EARTH_CIRCUMFERENCE_M = 40_075_016.686


def label_positions(
    polygons: gpd.GeoDataFrame,
    *,
    label_column: str = "label",
    zoom: int = LABEL_ZOOM,
) -> gpd.GeoDataFrame:
    """One point per polygon for its label, keeping only labels that do not collide.

    Labels are placed at a point inside each polygon (its representative point) and kept
    greedily, largest polygon first, when their estimated text box at ``zoom`` does not
    overlap a box already kept. A dropped label still has its tooltip.

    Parameters
    ----------
    polygons : GeoDataFrame
        WGS84 polygons with a label column.
    label_column : str
        Column holding the text.
    zoom : int
        Web-map zoom level at which collisions are checked.

    Returns
    -------
    GeoDataFrame
        Points (WGS84) with the label column, in drawing order.
    """
    check_crs(polygons, WGS84, name="polygons")
    if polygons.empty:
        return polygons.iloc[0:0]
    mercator = polygons.to_crs(WEB_MERCATOR)
    points = mercator.representative_point()
    metres_per_px = _EARTH_CIRCUMFERENCE_M / (256 * 2**zoom)
    half_w = polygons[label_column].str.len().to_numpy() * CHAR_WIDTH_PX * metres_per_px / 2
    half_h = LINE_HEIGHT_PX * metres_per_px / 2
    order = np.argsort(-mercator.area.to_numpy(), kind="stable")
    kept: list[int] = []
    boxes: list[tuple[float, float, float, float]] = []
    for i in order:
        x, y = points.iloc[i].x, points.iloc[i].y
        box = (x - half_w[i], y - half_h, x + half_w[i], y + half_h)
        if not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            kept.append(i)
            boxes.append(box)
    labels = gpd.GeoDataFrame(
        {label_column: polygons[label_column].iloc[kept].to_numpy()},
        geometry=points.iloc[kept].to_numpy(),
        crs=WEB_MERCATOR,
    )
    return labels.to_crs(WGS84)


def label_layer(points: gpd.GeoDataFrame, *, name: str, color: str, label_column: str = "label") -> folium.FeatureGroup:
    """Text labels (escaped) as non-interactive markers, in a group toggled with its layer."""
    check_crs(points, WGS84, name="points")
    group = folium.FeatureGroup(name=name, control=False)
    rows = [
        (round(point.y, 6), round(point.x, 6), html.escape(str(text)))
        for point, text in zip(points.geometry, points[label_column], strict=True)
    ]
    group.add_child(LabelSet(rows, color=color))
    return group


class LabelSet(FastMacroElement):
    """Every label of a layer from one JSON array (one marker per label, as a DivIcon; not interactive)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
        {{ this.rows|tojson }}.forEach(function (r) {
            L.marker([r[0], r[1]], {interactive: false, keyboard: false, icon: L.divIcon({
                html: '<div class="reindus-label" style="color:' + {{ this.color|tojson }} + '">' + r[2] + '</div>',
                iconSize: [0, 0], className: 'reindus-label-icon'})}).addTo({{ this._parent.get_name() }});
        });
        {% endmacro %}"""
    )

    def __init__(self, rows: list[tuple[float, float, str]], *, color: str) -> None:
        super().__init__()
        self._name = "LabelSet"
        self.rows, self.color = rows, color
