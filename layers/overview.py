"""The Carte page's map: EPCI, territory overlays and outlines, readable without basemap tiles.

:func:`prepare_map_data` does all the geometry work (GeoJSON conversion, escaping, label
placement) once per store version; :func:`explorer_map` only assembles prepared pieces,
so a rerun (a toggle, a click) converts no geometry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd

from geo.crs import LAMBERT93, WGS84, check_crs
from geo.geometry import label_anchors
from geo.scales import LABEL_TOLERANCE_M
from layers.admin import context_layer, epci_features, epci_layer, outline_layer, unit_features
from layers.assets import fit_bounds, offline_map
from layers.attribution import SourcesAttribution
from layers.features import FeatureCollection, subset
from layers.labels import label_positions
from layers.territories import OVERLAYS, overlay_territories, territory_features, territory_layer
from layers.vector_tiles import NO_SELECTION, MapSelection, TileSource, VectorTiles, vector_config

SCOPE_CENTRE = (49.4, 4.6)
"""Roughly between Lille, Strasbourg and Troyes (lat, lon)."""


@dataclass(frozen=True)
class Overlay:
    """One territory overlay, ready to draw."""

    features: FeatureCollection
    label_points: gpd.GeoDataFrame
    key_points: tuple[dict[str, object], ...] = ()
    """Each territory's name and label point (WGS84), largest first: what the vector map numbers in a key when
    the name does not fit (:func:`layers.vector_tiles.vector_config`)."""

    @property
    def count(self) -> int:
        """Number of territories in the overlay."""
        return len(self.features["features"])


@dataclass(frozen=True)
class MapData:
    """Everything the map draws, prepared once and shared read-only between sessions."""

    epci: FeatureCollection
    departements: FeatureCollection
    regions: FeatureCollection
    context: FeatureCollection
    overlays: dict[str, Overlay]
    bounds: list[list[float]]
    """``[[south, west], [north, east]]`` of the EPCI."""


def prepare_map_data(
    epci_web: gpd.GeoDataFrame,
    departements_web: gpd.GeoDataFrame,
    regions_web: gpd.GeoDataFrame,
    territories_web: gpd.GeoDataFrame,
) -> MapData:
    """Convert the web layers (WGS84; départements and régions with ``in_scope``) for the map."""
    overlays = {}
    for key in OVERLAYS:
        drawn = overlay_territories(territories_web, key)
        overlays[key] = Overlay(territory_features(drawn), label_positions(drawn), _key_points(drawn))
    minx, miny, maxx, maxy = epci_web.total_bounds
    return MapData(
        epci=epci_features(epci_web),
        departements=unit_features(departements_web[departements_web["in_scope"]]),
        regions=unit_features(regions_web[regions_web["in_scope"]]),
        context=unit_features(regions_web[~regions_web["in_scope"]]),
        overlays=overlays,
        bounds=[[float(miny), float(minx)], [float(maxy), float(maxx)]],
    )


def _key_points(territories_web: gpd.GeoDataFrame) -> tuple[dict[str, object], ...]:
    """The label point of each territory, as in the tiles, largest territory first."""
    return key_points(territories_web.sort_values(["area_km2", "label"], ascending=[False, True]), "label")


def key_points(units_web: gpd.GeoDataFrame, label_column: str) -> tuple[dict[str, object], ...]:
    """``label``, ``lat``, ``lon`` of each unit (WGS84), in the given order: where the vector map names it or
    puts its number (the pole of inaccessibility, computed in Lambert-93 as the tiles' label points)."""
    check_crs(units_web, WGS84, name="units_web")
    if units_web.empty:
        return ()
    anchors = label_anchors(units_web.to_crs(LAMBERT93).geometry.values, LABEL_TOLERANCE_M["territoires_labels"])
    points = gpd.GeoSeries(anchors, crs=LAMBERT93).to_crs(WGS84)
    return tuple(
        {"label": str(label), "lat": round(point.y, 5), "lon": round(point.x, 5)}
        for label, point in zip(units_web[label_column], points, strict=True)
    )


def overview_map(data: MapData, *, attribution: str) -> folium.Map:
    """EPCI with tooltips over shaded neighbours, with département and région outlines.

    Parameters
    ----------
    data : MapData
    attribution : str
        Sources and vintages, shown in the map's attribution corner (plain text).
    """
    fmap = offline_map(location=SCOPE_CENTRE, zoom_start=7, prefer_canvas=True, min_zoom=5)
    context_layer(data.context).add_to(fmap)
    epci_layer(data.epci).add_to(fmap)
    outline_layer(data.departements, name="Départements", color="#8a96a0", weight=1.2).add_to(fmap)
    outline_layer(data.regions, name="Régions", color="#2b3a45", weight=2.2).add_to(fmap)
    SourcesAttribution(attribution).add_to(fmap)
    fit_bounds(fmap, data.bounds)
    return fmap


def explorer_map(
    data: MapData,
    *,
    overlays: list[str],
    attribution: str,
    tiles: TileSource | None = None,
    selection: MapSelection = NO_SELECTION,
    bounds: list[list[float]] | None = None,
    label_size_px: int | None = None,
    start: tuple[tuple[float, float], int] | None = None,
    key_room_px: int = 0,
    title_room_px: int = 0,
    ranked_points: Sequence[dict[str, object]] = (),
    fold_sources: bool = False,
) -> folium.Map:
    """The map of the two regions with the chosen territory overlays and a selection.

    Parameters
    ----------
    data : MapData
    overlays : list of str
        Keys of :data:`layers.territories.OVERLAYS` to draw, in any order (drawn widest first).
    attribution : str
        Sources and vintages (plain text).
    tiles : TileSource, optional
        The vector-tile archive: the map draws every scale from it and its HTML carries no geometry.
        Without it (the standalone HTML file, opened from a disk), the simplified GeoJSON is embedded.
    selection : MapSelection
        EPCI outlined in bold (its communes tinted) and commune outlined and named (vector map only).
    bounds : [[south, west], [north, east]], optional
        View to fit instead of the two regions.
    label_size_px : int, optional
        Size of the territory names (Présentation); 12 px by default.
    start : ((lat, lon), zoom), optional
        Where the vector map opens instead of fitting ``bounds``: a map drawn anew on a rerun then
        opens where the user left it, and reports that same view (no back-and-forth with the page).
        Without it, the vector map fits ``bounds`` (or the two regions) as soon as its frame has a
        size: a frame laid out at 0 × 0 would otherwise fit nothing and open at the default view.
    key_room_px : int
        Width kept free on the right, where the key of the territories drawn as numbers goes.
    title_room_px : int
        Height kept free at the top, where a title is drawn over the map.
    ranked_points : sequence of dict
        Units named by number after the territories, whose key says their figure (a choropleth's largest EPCI).
    fold_sources : bool
        The sources in one line that opens (:class:`~layers.attribution.SourcesAttribution`).
    """
    if tiles is None:
        fmap = _geojson_map(data, overlays=overlays, attribution=attribution, selected_siren=selection.epci_siren)
        if bounds is not None:
            fit_bounds(fmap, bounds)
        return fmap
    centre, zoom = start or (SCOPE_CENTRE, 7)
    # A slide (a title and a key kept free) fits its regions to a quarter zoom level: whole levels left a third
    # of a 1920 × 1080 screen empty. The interactive maps keep whole levels (the names are drawn at their size).
    fmap = offline_map(
        location=centre, zoom_start=zoom, prefer_canvas=True, min_zoom=5, zoom_snap=0.25 if title_room_px else 1
    )
    config = vector_config(
        tiles,
        overlays=overlays,
        selection=selection,
        label_size_px=label_size_px or 12,
        fit=None if start else (bounds or data.bounds),
        key_points=[
            *(point for key in OVERLAYS if key in overlays for point in data.overlays[key].key_points),
            *ranked_points,
        ],
        key_room_px=key_room_px,
        title_room_px=title_room_px,
    )
    VectorTiles(config).add_to(fmap)
    SourcesAttribution(attribution, folded=fold_sources).add_to(fmap)
    return fmap


def _geojson_map(data: MapData, *, overlays: list[str], attribution: str, selected_siren: str | None) -> folium.Map:
    fmap = overview_map(data, attribution=attribution)
    for key in [k for k in OVERLAYS if k in overlays][::-1]:
        overlay = data.overlays[key]
        if overlay.count == 0:  # nothing to draw (folium's tooltip also rejects empty data)
            continue
        for layer in territory_layer(overlay.features, OVERLAYS[key], label_points=overlay.label_points):
            layer.add_to(fmap)
    if selected_siren is not None:
        folium.GeoJson(
            subset(data.epci, {selected_siren}),
            name="EPCI sélectionné",
            style_function=lambda _feature: {"fill": False, "color": "#000000", "weight": 4},
            interactive=False,
        ).add_to(fmap)
    return fmap
