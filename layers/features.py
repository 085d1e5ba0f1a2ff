"""Web-safe GeoJSON prepared once, so building a map on a rerun converts no geometry."""

from __future__ import annotations

import itertools
import json
from collections import OrderedDict
from typing import Any

import folium
import geopandas as gpd
import numpy as np
from branca.element import Element, MacroElement
from folium.elements import ElementAddToElement
from jinja2.utils import htmlsafe_json_dumps

from geo.crs import WGS84, check_crs

FeatureCollection = dict[str, Any]


def web_features(gdf: gpd.GeoDataFrame, *, id_column: str) -> FeatureCollection:
    """A GeoJSON FeatureCollection of ``gdf`` (WGS84), each feature's ``id`` taken from ``id_column``.

    The ``id`` matters: folium writes one into each feature that lacks a unique key, and
    prepared collections are shared read-only between sessions.

    Parameters
    ----------
    gdf : GeoDataFrame
        WGS84, already reduced to the columns the browser needs and escaped.
    id_column : str
        A column with a unique value per row.
    """
    check_crs(gdf, WGS84, name="gdf")
    if not gdf[id_column].is_unique:
        raise ValueError(f"{id_column!r} must be unique to identify features")
    collection = gdf.to_geo_dict(drop_id=True)
    for feature in collection["features"]:
        feature["id"] = str(feature["properties"][id_column])
    return collection


def subset(collection: FeatureCollection, ids: set[str]) -> FeatureCollection:
    """The features of ``collection`` whose ``id`` is in ``ids`` (no copy of the geometries)."""
    return {"type": "FeatureCollection", "features": [f for f in collection["features"] if f["id"] in ids]}


# --- GeoJSON layers whose data is serialised once -----------------------------------------


_SERIALISED: OrderedDict[int, tuple[FeatureCollection, str]] = OrderedDict()
_SERIALISED_MAX = 64
_BOUNDS: OrderedDict[int, tuple[FeatureCollection, Any]] = OrderedDict()


def serialised(collection: FeatureCollection) -> str:
    """The collection as HTML-safe JSON with polyline-encoded rings, once per prepared collection.

    Polygon rings are written as Google polyline strings (1e-5 degree steps, lossless for the
    web versions' rounded coordinates): about a third of the size of JSON number arrays. The
    page decodes them with :data:`DECODER_JS` before Leaflet reads the GeoJSON.
    """
    cached = _SERIALISED.get(id(collection))
    if cached is not None and cached[0] is collection:
        _SERIALISED.move_to_end(id(collection))
        return cached[1]
    text = str(htmlsafe_json_dumps(_compact(collection)))
    _SERIALISED[id(collection)] = (collection, text)  # holding the collection keeps its id from being reused
    while len(_SERIALISED) > _SERIALISED_MAX:
        _SERIALISED.popitem(last=False)
    return text


DECODER_JS = """function (collection) {
  function ring(text) {
    var points = [], index = 0, lat = 0, lon = 0;
    while (index < text.length) {
      var values = [0, 0];
      for (var k = 0; k < 2; k++) {
        var shift = 0, result = 0, code;
        do { code = text.charCodeAt(index++) - 63; result |= (code & 31) << shift; shift += 5; } while (code >= 32);
        values[k] = (result & 1) ? ~(result >> 1) : (result >> 1);
      }
      lat += values[0]; lon += values[1];
      points.push([lon / 1e5, lat / 1e5]);
    }
    return points;
  }
  collection.features.forEach(function (feature) {
    var g = feature.geometry;
    if (g && g.type === "Polygon") g.coordinates = g.coordinates.map(ring);
    if (g && g.type === "MultiPolygon") g.coordinates = g.coordinates.map(function (p) { return p.map(ring); });
  });
  return collection;
}"""
"""Decodes the rings written by :func:`serialised` (Google's polyline algorithm, latitude first).

It travels in each layer's script (defined once per page), so that the layer's script is whole by itself.
"""


def encode_ring(ring: list) -> str:
    """A ring of ``[lon, lat]`` as a polyline string (1e-5 degrees).

    Google's reference example of the algorithm:

    >>> encode_ring([[-120.2, 38.5], [-120.95, 40.7], [-126.453, 43.252]])
    '_p~iF~ps|U_ulLnnqC_mqNvxq`@'
    """
    units = np.round(np.asarray(ring, dtype=float)[:, ::-1] * 1e5).astype(np.int64)  # lat, lon
    deltas = np.diff(units, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).ravel()
    zigzag = np.where(deltas < 0, ~(deltas << 1), deltas << 1)
    chars: list[str] = []
    for value in zigzag.tolist():
        while value >= 0x20:
            chars.append(chr((0x20 | (value & 0x1F)) + 63))
            value >>= 5
        chars.append(chr(value + 63))
    return "".join(chars)


def _compact(collection: FeatureCollection) -> FeatureCollection:
    features = []
    for feature in collection["features"]:
        geometry = feature.get("geometry") or {}
        kind = geometry.get("type")
        if kind == "Polygon":
            geometry = {"type": kind, "coordinates": [encode_ring(r) for r in geometry["coordinates"]]}
        elif kind == "MultiPolygon":
            geometry = {"type": kind, "coordinates": [[encode_ring(r) for r in p] for p in geometry["coordinates"]]}
        features.append({**feature, "geometry": geometry})
    return {**collection, "features": features}


_ELEMENT_IDS = itertools.count()


def _cheap_id(cls: type) -> str:
    """A unique element id without a system call (branca draws 16 random bytes per element)."""
    return f"{next(_ELEMENT_IDS):032x}"


class RawElement(Element):
    """Text already rendered: branca would compile it again as a Jinja template (slow for a large GeoJSON)."""

    _generate_id = classmethod(_cheap_id)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text

    def render(self, **kwargs: Any) -> str:
        return self._text


def render_macro(element: MacroElement, **kwargs: Any) -> None:
    """:meth:`MacroElement.render` without re-compiling the rendered header, html and script."""
    figure = element.get_root()
    module = element._template.module.__dict__
    for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
        macro = module.get(part)
        if macro is not None:
            target.add_child(RawElement(str(macro(element, kwargs))), name=element.get_name())
    for child in element._children.values():
        child.render(**kwargs)


class FastMacroElement(MacroElement):
    """A MacroElement rendered through :func:`render_macro` (for elements carrying much data)."""

    _generate_id = classmethod(_cheap_id)

    def render(self, **kwargs: Any) -> None:
        render_macro(self, **kwargs)


class PreparedGeoJson(folium.GeoJson):
    """A GeoJSON layer with one style (and highlight) for every feature, its data serialised once.

    It keeps folium's GeoJson interface (tooltips bind to it, LayerControl lists it) with its
    own short script: the Python work on a rerun is no per-feature style mapping, no JSON dump
    of the collection, no walk over every coordinate for the bounds.
    """

    _template = type(folium.GeoJson._template)(
        """{% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {
            style: function () { return {{ this.style_json }}; },
            {%- if this.highlight_json %}
            onEachFeature: function (feature, layer) {
                layer.on({
                    mouseover: function (e) { e.target.setStyle({{ this.highlight_json }}); },
                    mouseout: function (e) { {{ this.get_name() }}.resetStyle(e.target); },
                });
            },
            {%- endif %}
            ...{{ this.options|tojavascript }}
        });
        {{ this.get_name() }}.addData(
            (window.reindusDecode = window.reindusDecode || {{ this.decoder }})({{ this.data_json }}));
        {% endmacro %}"""
    )

    def __init__(
        self,
        features: FeatureCollection,
        *,
        style: dict[str, Any],
        highlight: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(features, **kwargs)
        self.style_json = json.dumps(style, sort_keys=True)
        self.highlight_json = json.dumps(highlight, sort_keys=True) if highlight else None
        self.decoder = DECODER_JS

    def _get_self_bounds(self) -> Any:
        """folium walks every coordinate for the bounds (400 ms for the EPCI on each rerun): once per collection."""
        key = id(self.data)
        cached = _BOUNDS.get(key)
        if cached is None or cached[0] is not self.data:
            cached = (self.data, super()._get_self_bounds())
            _BOUNDS[key] = cached
            while len(_BOUNDS) > _SERIALISED_MAX:
                _BOUNDS.popitem(last=False)
        return cached[1]

    def render(self, **kwargs: Any) -> None:
        self.data_json = serialised(self.data)
        if self.show:  # what folium's Layer.render does (this render replaces GeoJson's)
            self.add_child(
                ElementAddToElement(element_name=self.get_name(), element_parent_name=self._parent.get_name()),
                name=self.get_name() + "_add",
            )
        render_macro(self, **kwargs)
