"""The Carte's view as one typed object: layers, project filters, selection, centre and zoom, basemap.

The URL is the view's only persistent form (a copied address reopens the same map), so
the page reads a :class:`MapView` from its query parameters once, changes it through its
widgets and its methods and writes it back once; ``reindus export --permalink`` reads the same
object from a pasted address. Unknown or malformed values fall back to the defaults, never an
error: an address is user input.

The selection is one place at a time: a territory, an EPCI, or a commune (with its EPCI
outlined). :meth:`MapView.select_commune`, :meth:`~MapView.select_epci`,
:meth:`~MapView.select_territory` and :meth:`~MapView.cleared` are the only ways to change it,
and :meth:`~MapView.link` gives the address of another fiche from the current view.

>>> view = MapView().select_territory("p2-ti-3207")
>>> view.select_commune("59172", epci="200042190").selection
('commune', '59172')
>>> view.select_epci("200042190").link()["epci"], "territoire" in view.select_epci("200042190").link()
('200042190', False)

>>> view = MapView.from_query({"couches": "ti1,projets", "epci": "200042190", "zoom": "11"})
>>> view.overlays, view.show_projects, view.epci, view.zoom
(('ti1',), True, '200042190', None)
>>> MapView.from_query(view.to_query()) == view
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlparse

from geo.analysis.projects import DEFAULT_STATUS_CATEGORIES, MEASURES, SECTOR_FAMILIES, TI_PHASES
from geo.vocabulary import OVERLAY_KEYS

LINKED_VALUE_MAX_CHARS = 200
"""The longest value a link keeps: longer than any the app writes (the longest list of filters is some 160
characters), so only a crafted address is left out of the links of a fiche."""
PROJECT_LAYER, FONCIER_LAYER, RELANCE_LAYER, PHASES_LAYER = "projets", "foncier", "relance", "ti_evolution"
EMPLOYMENT_LAYER = "emploi"
EMPLOYMENT_MEASURES = {
    "evolution": "évolution 2019-2024 par zone d'emploi",
    "2024": "emplois industriels 2024 par zone d'emploi",
    "part-epci": "part de l'industrie dans l'emploi par EPCI (2022)",
}
"""What the « Emploi industriel mesuré » layer shows (``emploi`` in the address), the change first."""
COLOUR_KEYS = ("sector_family", "status_category")
"""How project circles may be coloured (``couleur``): by sector family or by status."""
BASEMAP_KEYS = ("osm", "ign")
"""Online basemaps a view may ask for (``fond``); none by default, the map is readable offline."""
FRANCE_VIEW = {"lat": (40.0, 53.0), "lon": (-6.0, 11.0), "zoom": (4, 18)}
"""Centres and zooms accepted from an address; anything else lets the map fit the two regions."""


@dataclass(frozen=True)
class ProjectFilters:
    """The project filters of the sidebar (Carte and Concentration), as :func:`filter_projects` arguments.

    URL: ``industriels=1`` (non-industrial rows left out), ``secteurs``, ``statuts``,
    ``regions``, ``departements`` (comma lists), ``annees=2020-2025``, ``ti=ti_phase2|ti_phase1``.
    A list left at ``None`` means "no filter"; only values that differ from the default are written.

    >>> ProjectFilters.from_query({"statuts": "en service", "annees": "2020-2023"}).years
    (2020, 2023)
    >>> ProjectFilters.from_query({"departements": "59,62", "ti": "ti_phase2"}).departements
    ('59', '62')
    """

    include_non_industrial: bool = False
    sector_families: tuple[str, ...] | None = None
    status_categories: tuple[str, ...] = DEFAULT_STATUS_CATEGORIES
    years: tuple[int, int] | None = None
    regions: tuple[str, ...] | None = None
    departements: tuple[str, ...] | None = None
    in_territory: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> ProjectFilters:
        """Read the filters from URL parameters; an absent parameter keeps the default."""
        lists = ("secteurs", "statuts", "regions", "departements")
        listed = {key: _listed(query[key]) for key in lists if key in query}
        start, _, end = str(query.get("annees", "")).partition("-")
        return cls(
            include_non_industrial=query.get("industriels", "1") != "1",
            sector_families=listed.get("secteurs"),
            status_categories=listed.get("statuts", DEFAULT_STATUS_CATEGORIES),
            years=(int(start), int(end)) if start.isdigit() and end.isdigit() else None,
            regions=listed.get("regions"),
            departements=listed.get("departements"),
            in_territory=query.get("ti") if query.get("ti") in TI_PHASES else None,
        )

    def to_query(self) -> dict[str, str]:
        """The URL parameters of the filters that differ from the default selection."""
        query = {"industriels": "0"} if self.include_non_industrial else {}
        for name, chosen, default in (
            ("regions", self.regions, None),
            ("secteurs", self.sector_families, SECTOR_FAMILIES),
            ("statuts", self.status_categories, DEFAULT_STATUS_CATEGORIES),
            ("departements", self.departements, ()),
        ):
            if chosen is not None and tuple(chosen) != tuple(default or ()):
                query[name] = ",".join(chosen)
        if self.years:
            query["annees"] = f"{self.years[0]}-{self.years[1]}"
        if self.in_territory:
            query["ti"] = self.in_territory
        return query

    def as_kwargs(self) -> dict[str, object]:
        """Keyword arguments of :func:`geo.analysis.projects.filter_projects`."""
        return {
            "include_non_industrial": self.include_non_industrial,
            "sector_families": _as_list(self.sector_families),
            "status_categories": list(self.status_categories),
            "years": self.years,
            "regions": _as_list(self.regions),
            "departements": _as_list(self.departements) or None,
            "in_territory": self.in_territory,
        }


FILTER_PARAMS = ("industriels", "regions", "secteurs", "statuts", "departements", "annees", "ti")


@dataclass(frozen=True)
class MapView:
    """Everything that makes one Carte view, in the order the page draws it.

    ``territoire``, ``epci`` and ``commune`` hold the selection: a territory alone, an EPCI alone, or a
    commune with its EPCI (outlined around it). Change it with the ``select_…`` methods, which apply
    that rule; a view built with a territory and an EPCI or a commune is refused (``ValueError``).
    """

    overlays: tuple[str, ...] = ("ti2",)
    show_projects: bool = True
    show_foncier: bool = False
    show_relance: bool = False
    show_phases: bool = False
    show_employment: bool = False
    employment_measure: str = next(iter(EMPLOYMENT_MEASURES))
    basemap: str = ""
    size_measure: str = next(iter(MEASURES))
    colour_by: str = COLOUR_KEYS[0]
    filters: ProjectFilters = field(default_factory=ProjectFilters)
    search: str = ""
    epci: str | None = None
    commune: str | None = None
    territoire: str | None = None
    centre: tuple[float, float] | None = None
    zoom: int | None = None

    def __post_init__(self) -> None:
        if self.territoire and (self.epci or self.commune):
            raise ValueError(
                f"a view selects a territory or an EPCI/commune, not both; got territoire={self.territoire!r}, "
                f"epci={self.epci!r}, commune={self.commune!r} (use MapView.select_territory)"
            )

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> MapView:
        """Read a view from URL parameters (one value each); bad values give the defaults."""
        default = cls()
        layers = _listed(query["couches"]) if "couches" in query else (*default.overlays, PROJECT_LAYER)
        centre, zoom = _centre_and_zoom(query.get("centre", ""), query.get("zoom", ""))
        return cls(
            overlays=tuple(key for key in layers if key in OVERLAY_KEYS),
            show_projects=PROJECT_LAYER in layers,
            show_foncier=FONCIER_LAYER in layers,
            show_relance=RELANCE_LAYER in layers,
            show_phases=PHASES_LAYER in layers,
            show_employment=EMPLOYMENT_LAYER in layers,
            employment_measure=query.get("emploi")
            if query.get("emploi") in EMPLOYMENT_MEASURES
            else default.employment_measure,
            basemap=query.get("fond") if query.get("fond") in BASEMAP_KEYS else "",
            size_measure=query.get("taille") if query.get("taille") in MEASURES else default.size_measure,
            colour_by=query.get("couleur") if query.get("couleur") in COLOUR_KEYS else default.colour_by,
            filters=ProjectFilters.from_query(query),
            search=str(query.get("q", "")),
            centre=centre,
            zoom=zoom,
        )._selecting(
            # A crafted address may name several places: the territory wins, as its fiche did.
            territoire=query.get("territoire") or None,
            epci=query.get("epci") or None,
            commune=_insee_code(query.get("commune", "")),
        )

    @classmethod
    def from_permalink(cls, url: str) -> MapView:
        """The view behind a copied Carte address (``reindus export --permalink``)."""
        return cls.from_query({key: values[0] for key, values in parse_qs(urlparse(url).query).items()})

    @property
    def layers(self) -> tuple[str, ...]:
        """The ``couches`` list: territory overlays, then projects, foncier and France Relance when shown."""
        return (
            *self.overlays,
            *((PROJECT_LAYER,) if self.show_projects else ()),
            *((FONCIER_LAYER,) if self.show_foncier else ()),
            *((RELANCE_LAYER,) if self.show_relance else ()),
            *((PHASES_LAYER,) if self.show_phases else ()),
            *((EMPLOYMENT_LAYER,) if self.show_employment else ()),
        )

    def to_query(self) -> dict[str, str]:
        """The URL parameters of this view; what is at its default or empty is left out."""
        query = {"couches": ",".join(self.layers)}
        if self.basemap:
            query["fond"] = self.basemap
        default = MapView()
        circles = {"taille": (self.size_measure, default.size_measure), "couleur": (self.colour_by, default.colour_by)}
        # Hidden projects keep their settings in the address, so showing them again restores them.
        query |= {name: value for name, (value, usual) in circles.items() if self.show_projects or value != usual}
        query |= self.filters.to_query()
        if self.employment_measure != default.employment_measure:
            query["emploi"] = self.employment_measure
        optional = {"q": self.search, "epci": self.epci, "commune": self.commune, "territoire": self.territoire}
        query |= {name: value for name, value in optional.items() if value}
        if self.centre and self.zoom:
            query |= {"centre": f"{self.centre[0]:.4f},{self.centre[1]:.4f}", "zoom": str(self.zoom)}
        return query

    def recentred(self) -> MapView:
        """The same view without its centre and zoom: the map fits what is selected."""
        return replace(self, centre=None, zoom=None)

    def moved_to(self, centre: tuple[float, float], zoom: int) -> MapView:
        """The view where the map reports it is: ``centre`` (lat, lon in degrees, rounded to 4 decimals, some 10 m)."""
        return replace(self, centre=(round(centre[0], 4), round(centre[1], 4)), zoom=int(zoom))

    @property
    def selection(self) -> tuple[str, str] | None:
        """What the fiche shows: ``("territoire", id)``, ``("commune", code)``, ``("epci", siren)`` or None."""
        for kind in ("territoire", "commune", "epci"):
            if getattr(self, kind):
                return kind, getattr(self, kind)
        return None

    def select_commune(self, code: str, *, epci: str | None) -> MapView:
        """The view with commune ``code`` selected and ``epci`` (its EPCI, None if it has none) outlined."""
        return self._selecting(commune=code, epci=epci)

    def select_epci(self, siren: str) -> MapView:
        """The view with EPCI ``siren`` selected (no commune, no territory)."""
        return self._selecting(epci=siren)

    def select_territory(self, territory_id: str) -> MapView:
        """The view with territory ``territory_id`` selected (no EPCI, no commune)."""
        return self._selecting(territoire=territory_id)

    def cleared(self) -> MapView:
        """The view with nothing selected."""
        return self._selecting()

    def link(self) -> dict[str, str]:
        """The address of this view as a link of a fiche gives it (``"?" + urlencode(view.link())``).

        ``view.select_epci(siren).link()`` is the link to EPCI ``siren``'s fiche that keeps the layers,
        filters, search, centre and zoom. Values longer than :data:`LINKED_VALUE_MAX_CHARS` are left
        out: every link of a fiche repeats its parameters, and a crafted value of thousands of
        characters made the page's Markdown tens of thousands of characters long.
        """
        return {name: value for name, value in self.to_query().items() if len(value) <= LINKED_VALUE_MAX_CHARS}

    def _selecting(
        self, *, territoire: str | None = None, epci: str | None = None, commune: str | None = None
    ) -> MapView:
        """The one place where the selection rule is written: a territory excludes an EPCI and a commune."""
        if territoire:
            return replace(self, territoire=territoire, epci=None, commune=None)
        return replace(self, territoire=None, epci=epci or None, commune=commune or None)


VIEW_PARAMS = (
    "couches",
    "fond",
    "taille",
    "couleur",
    "emploi",
    "q",
    "epci",
    "commune",
    "territoire",
    "centre",
    "zoom",
    *FILTER_PARAMS,
)
"""Every URL parameter a :class:`MapView` owns (written back, or removed when absent)."""


def _insee_code(value: str) -> str | None:
    """A commune's INSEE code (five characters: digits, or 2A/2B for Corsica), else None.

    >>> _insee_code("59606"), _insee_code("2A004"), _insee_code("5960"), _insee_code("<b>")
    ('59606', '2A004', None, None)
    """
    value = str(value).strip().upper()
    return value if re.fullmatch(r"(\d{2}|2A|2B)\d{3}", value) else None


def _listed(value: str) -> tuple[str, ...]:
    return tuple(item for item in str(value).split(",") if item)


def _as_list(values: tuple[str, ...] | None) -> list[str] | None:
    return None if values is None else list(values)


def _centre_and_zoom(centre: str, zoom: str) -> tuple[tuple[float, float] | None, int | None]:
    """``centre=lat,lon`` and ``zoom`` when both are valid and inside France, else neither."""
    try:
        lat, lon = (float(part) for part in centre.split(","))
        level = int(zoom)
    except ValueError:
        return None, None
    (lat_min, lat_max), (lon_min, lon_max) = FRANCE_VIEW["lat"], FRANCE_VIEW["lon"]
    zoom_min, zoom_max = FRANCE_VIEW["zoom"]
    inside = lat_min <= lat <= lat_max and lon_min <= lon <= lon_max and zoom_min <= level <= zoom_max
    return ((lat, lon), level) if inside else (None, None)
