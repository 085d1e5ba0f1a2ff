"""Selecting a place on the Carte: at a point the user clicked, or by a search.

Both return a new :class:`~geo.analysis.view.MapView`: the selection rule (a territory, an EPCI,
or a commune with its EPCI) is the view's, the look-ups are :mod:`geo.analysis.places`'. The page
reads its widgets and the map's report, calls these, and writes the view's address once; the CLI
can select the same place from a point or a name.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from urllib.parse import urlencode

from geo.analysis.places import PlaceData, commune_at, epci_at, match_bounds, search_places
from geo.analysis.profiles import commune_profile, epci_profile, territory_profile
from geo.analysis.projects import typed_projects
from geo.analysis.view import MapView
from geo.scales import COMMUNE_OUTLINE_MIN_ZOOM
from geo.store import Store


@dataclass(frozen=True)
class PlaceMatch:
    """One result of a place search: what it is, its id, how to name it, and the bounds to fit."""

    kind: str
    id: str
    label: str
    detail: str
    bounds: list[list[float]]


def place_at(point: tuple[float, float], zoom: int, view: MapView, places: PlaceData) -> MapView:
    """The view with the place under ``point`` (lon, lat in WGS84 degrees) selected, as a click selects it.

    Where the map shows communes (``zoom`` of :data:`~geo.scales.COMMUNE_OUTLINE_MIN_ZOOM` and more) the
    commune under the point is selected with its EPCI; further out, the EPCI. Looked up in the
    full-precision layers, not in the drawing, so a click works through the overlays drawn on top.
    A point outside every EPCI (the sea, a neighbouring region) leaves the view as it is.
    """
    lon, lat = point
    siren = epci_at(lon, lat, places.epci)
    if siren is None:
        return view
    commune = commune_at(lon, lat, places.communes) if zoom >= COMMUNE_OUTLINE_MIN_ZOOM else None
    return view.select_commune(commune, epci=siren) if commune else view.select_epci(siren)


def places_matching(query: str, places: PlaceData, *, limit: int = 10) -> list[PlaceMatch]:
    """The places whose name contains ``query`` or whose code is ``query``, best first (see :func:`search_places`)."""
    found = search_places(query, places.index, limit=limit)
    return [
        PlaceMatch(str(row["kind"]), str(row["id"]), str(row["label"]), str(row["detail"]), match_bounds(row))
        for _, row in found.iterrows()
    ]


def place_from_search(
    query: str, view: MapView, places: PlaceData, *, rank: int = 0
) -> tuple[MapView, PlaceMatch | None]:
    """The view with the ``rank``-th result of ``query`` selected, and that result (None if there is none).

    The search text goes into the view; a commune is selected with its EPCI.
    """
    matches = places_matching(query, places)
    view = replace(view, search=query)
    if not 0 <= rank < len(matches):
        return view, None
    return select_match(matches[rank], view, places), matches[rank]


def select_match(match: PlaceMatch, view: MapView, places: PlaceData) -> MapView:
    """The view with a search result selected (a commune with its EPCI)."""
    if match.kind == "territoire":
        return view.select_territory(match.id)
    if match.kind == "epci":
        return view.select_epci(match.id)
    return view.select_commune(match.id, epci=places.epci_of_commune(match.id))


def with_commune_epci(view: MapView, places: PlaceData) -> MapView:
    """An address naming only a commune (an old permalink, a hand-written one) outlines its EPCI too."""
    if view.commune and not view.epci:
        return view.select_commune(view.commune, epci=places.epci_of_commune(view.commune))
    return view


def place_data_from_store(store: Store) -> PlaceData:
    """Every layer a place look-up or a fiche reads, from ``store`` (the CLI; the app caches its own)."""
    return PlaceData.from_layers(
        epci=store.read("epci"),
        communes=store.read("communes"),
        territories=store.read("territoires"),
        territory_communes=store.read("territoire_communes"),
        projects=typed_projects(store.read("projets")),
        foncier=store.read("foncier"),
    )


def selection_summary(view: MapView, places: PlaceData) -> dict[str, object] | None:
    """What the fiche of ``view``'s selection opens on, as plain data: the CLI prints it (``reindus lieu``), the
    Carte draws the whole fiche. None when nothing is selected; the Carte's parameters are in ``lien``."""
    selected = view.selection
    if selected is None:
        return None
    kind, key = selected
    summary: dict[str, object] = {"type": kind, "code": key}
    if kind == "commune":
        commune = commune_profile(key, places)
        summary |= {"nom": commune.nom, "population": commune.population, "superficie_km2": commune.area_km2}
        summary |= {"epci": {"siren": commune.epci_siren, "nom": commune.epci_nom}}
        territories = commune.territories["label"].tolist()
    elif kind == "epci":
        epci = epci_profile(key, places)
        summary |= {"nom": epci.nom, "population": epci.population, "superficie_km2": epci.area_km2}
        territories = epci.territories["label"].tolist()
    else:
        territory = territory_profile(key, places)
        summary |= {"nom": territory.label, "population": territory.population, "superficie_km2": territory.area_km2}
        territories = []
    return summary | {"territoires": territories, "lien": "?" + urlencode(view.link())}
