"""What the map shows at which zoom: the one place the vector-tile build and the map drawing read.

The build writes each layer into the tiles from its ``min_zoom`` up to :data:`TILE_MAX_ZOOM`
(beyond, the browser over-zooms the zoom-12 tiles); the map draws outlines, fills and names
from the zooms given here. Zooms are the web map's (256 px tiles, Web Mercator).

Layers of the archive
---------------------
regions, departements
    Outlines always; ``in_scope`` tells the two regions (and their départements) from the neighbours.
epci
    Fills and outlines from the start.
communes
    Outlines from :data:`COMMUNE_OUTLINE_MIN_ZOOM`.
territoires
    Territory overlays (``overlay`` is a key of :data:`geo.vocabulary.OVERLAY_KEYS`) at every zoom.
communes_labels, territoires_labels, epci_labels
    One point per unit, where its name is drawn (the pole of inaccessibility of its largest part),
    with the ``priority`` that decides which name wins when two collide (larger first).
"""

from __future__ import annotations

from dataclasses import dataclass

TILE_MIN_ZOOM = 5
"""The map's smallest zoom (both regions and their neighbours on a small screen)."""

LABEL_TOLERANCE_M = {"communes_labels": 20.0, "epci_labels": 100.0, "territoires_labels": 100.0}
"""Precision of the pole of inaccessibility where each name is placed, in metres (Lambert-93): the tiles and the
map's numbered key (:mod:`layers.overview`) put a territory's name or number at the same point."""

TILE_MAX_ZOOM = 12
"""Last zoom written natively; at 4096 units a tile, a unit is under 2.4 m (Web Mercator) there."""

TILE_EXTENT = 4096
"""Integer grid of a tile of :data:`TILE_MAX_ZOOM` (the MVT default), the zoom the map over-zooms beyond."""

LOW_ZOOM_EXTENT = 1024
"""Grid of the tiles below :data:`TILE_MAX_ZOOM`: four units a screen pixel, as fine as their simplification
(a quarter of a pixel), with smaller numbers to send (a first page's tiles are 14 % lighter than at 4096)."""

TILE_BUFFER = 64
"""Geometry kept beyond a tile's edge, in units of :data:`TILE_EXTENT` (4 screen pixels at every zoom), so
outlines clipped there are not drawn along it."""

COMMUNE_OUTLINE_MIN_ZOOM = 9
"""Commune outlines appear from this zoom (a département fills the screen)."""

COMMUNE_LABEL_MIN_ZOOM = 11
"""Commune names appear from this zoom (an EPCI fills the screen)."""

EPCI_LABEL_MIN_ZOOM = 9
"""EPCI names appear from this zoom, and give way to commune names from :data:`COMMUNE_LABEL_MIN_ZOOM`."""


def tile_extent(zoom: int) -> int:
    """The integer grid of the tiles of ``zoom``.

    >>> tile_extent(TILE_MAX_ZOOM), tile_extent(7)
    (4096, 1024)
    """
    return TILE_EXTENT if zoom >= TILE_MAX_ZOOM else LOW_ZOOM_EXTENT


@dataclass(frozen=True)
class TileLayer:
    """One layer of the vector-tile archive.

    Attributes
    ----------
    name : str
        Layer name in the tiles.
    min_zoom : int
        First zoom the layer is written at (it is written up to :data:`TILE_MAX_ZOOM`).
    max_zoom : int
        Last zoom the layer is written at.
    properties : tuple of str
        Attributes written with each feature (text or numbers; nothing else reaches the browser).
    """

    name: str
    min_zoom: int
    properties: tuple[str, ...]
    max_zoom: int = TILE_MAX_ZOOM


TILE_LAYERS: dict[str, TileLayer] = {
    layer.name: layer
    for layer in (
        TileLayer("regions", TILE_MIN_ZOOM, ("code", "nom", "in_scope")),
        TileLayer("departements", TILE_MIN_ZOOM, ("code", "nom", "in_scope")),
        TileLayer("epci", TILE_MIN_ZOOM, ("siren", "nom")),
        TileLayer("communes", COMMUNE_OUTLINE_MIN_ZOOM, ("code", "nom", "epci_siren")),
        TileLayer("territoires", TILE_MIN_ZOOM, ("territory_id", "overlay", "label")),
        TileLayer("territoires_labels", TILE_MIN_ZOOM, ("territory_id", "overlay", "label", "priority")),
        TileLayer("epci_labels", EPCI_LABEL_MIN_ZOOM, ("siren", "nom", "priority")),
        TileLayer("communes_labels", COMMUNE_LABEL_MIN_ZOOM, ("code", "nom", "epci_siren", "priority")),
    )
}
"""Every layer of the archive, with the zooms it is written at."""
