"""The foncier search the Foncier page and ``reindus foncier`` share: around a commune, within a radius, by
surface, rail distance and zoning, ranked as :func:`~geo.analysis.foncier.search_sites` ranks, with each site's
quality reasons. The same criteria give the same sites in the same order on both."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
from pyproj import Transformer
from shapely.geometry import Point

from geo.analysis.foncier import FoncierQuery, distances_m, search_sites
from geo.analysis.foncier_aptitude import ZONING_KINDS, aptitude
from geo.analysis.foncier_quality import quality_flags
from geo.analysis.places import search_places
from geo.crs import LAMBERT93, WGS84
from geo.errors import PlaceNotFoundError
from geo.vocabulary import AVAILABLE_STATUSES, FONCIER_STATUSES, STATUS_TAKEN, STATUS_WITHDRAWN


@dataclass(frozen=True)
class Origin:
    """The commune a search is centred on: its name, what the search index says of it, its centre in Lambert-93."""

    label: str
    detail: str
    xy_l93: tuple[float, float]

    def area(self, radius_km: float) -> gpd.GeoSeries:
        """The disc searched, computed in Lambert-93 (where the distances are) and returned in WGS84 to draw."""
        disc = Point(self.xy_l93).buffer(radius_km * 1000, quad_segs=32)
        return gpd.GeoSeries([disc], crs=LAMBERT93).to_crs(WGS84)


def commune_origin(text: str, places: pd.DataFrame) -> Origin:
    """The first commune matching ``text`` (name or INSEE code) and the centre of its bounding box in Lambert-93.

    Raises :class:`~geo.errors.PlaceNotFoundError` (French) when no commune matches.
    """
    matches = search_places(text, places)
    matches = matches[matches["kind"] == "commune"]
    if matches.empty:
        raise PlaceNotFoundError(f"Aucune commune trouvée pour « {text[:80]} ».")
    match = matches.iloc[0]
    lon, lat = (match.minx + match.maxx) / 2, (match.miny + match.maxy) / 2
    x, y = Transformer.from_crs(WGS84, LAMBERT93, always_xy=True).transform(lon, lat)
    return Origin(str(match.label), str(match.detail), (x, y))


def with_quality(sites: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The sites with ``raisons_qualite`` computed over all of them (a duplicate's twin may be outside a search)."""
    return sites.assign(raisons_qualite=quality_flags(sites)["raisons_qualite"])


@dataclass(frozen=True)
class FoncierResult:
    """What a search found: the sites shown (ranked), how many matching sites a quality flag set aside, and
    the commune it is centred on (or the text that named none)."""

    sites: gpd.GeoDataFrame
    set_aside: gpd.GeoDataFrame
    origin: Origin | None
    place_not_found: str | None = None


def run_search(
    sites: gpd.GeoDataFrame, search: FoncierSearch, places: pd.DataFrame, *, flags: pd.DataFrame | None = None
) -> FoncierResult:
    """The Foncier page's and ``reindus foncier``'s search: ``search`` centred on the commune it names.

    The flagged sites that match are found too, so the page can say how many it hides and show them on
    request; an unknown commune searches without a centre and says so (``place_not_found``).
    """
    origin, not_found = None, None
    if search.autour.strip():
        try:
            origin = commune_origin(search.autour, places)
        except PlaceNotFoundError:
            not_found = search.autour
    query = search.query(origin)
    everything = search_sites(sites, FoncierQuery(**{**query.__dict__, "hide_flagged": False}), flags=flags)
    flagged = everything["raisons_qualite"].fillna("").ne("")
    shown = everything if search.montrer_ecartes else everything[~flagged]
    return FoncierResult(shown, everything[flagged], origin, not_found)


def shortlisted(
    sites: gpd.GeoDataFrame,
    ids: Sequence[str],
    search: FoncierSearch,
    origin: Origin | None,
    *,
    flags: pd.DataFrame | None = None,
) -> gpd.GeoDataFrame:
    """The sites of a shortlist, in its order, ranked as ``search`` ranks them (aptitude, reasons, distance)
    whether or not they still meet its criteria. Unknown ids are left out."""
    flags = quality_flags(sites) if flags is None else flags
    chosen = sites[sites["site_id"].isin(ids)]
    chosen = chosen.assign(raisons_qualite=flags.loc[chosen.index, "raisons_qualite"])
    ranks = aptitude(chosen, surface_range_ha=(search.surface_min_ha, search.surface_max_ha), flags=flags)
    chosen = chosen.assign(**{column: ranks[column] for column in ranks})
    chosen["distance_m"] = distances_m(chosen, origin.xy_l93) if origin else float("nan")
    order = [site_id for site_id in dict.fromkeys(ids) if site_id in set(chosen["site_id"])]
    return chosen.set_index("site_id", drop=False).loc[order].reset_index(drop=True)


def clicked_site(drawn: gpd.GeoDataFrame, lat: float, lon: float, tooltip: str | None) -> str | None:
    """The id of the site a map click landed on: among the sites drawn whose tooltip is the one clicked (the
    map reports the click's position, not the symbol's), the nearest; None when the click was not on a site."""
    if drawn.empty or not tooltip:
        return None
    name = str(tooltip).rsplit(" — ", 1)[0].strip()
    candidates = drawn[drawn["nom"].astype(str).str.strip() == name]
    if candidates.empty:
        return None
    click = gpd.GeoSeries([Point(lon, lat)], crs=WGS84).to_crs(LAMBERT93).iloc[0]
    distances = candidates.geometry.to_crs(LAMBERT93).distance(click)
    return str(candidates.loc[distances.idxmin(), "site_id"])


@dataclass(frozen=True)
class FoncierSearch:
    """Everything a foncier search asks, as the Foncier page's address and ``reindus foncier`` hold it.

    The page reads it from the address, its widgets change it and it is written back, so a copied address
    reopens the same search, the same chosen site and the same shortlist. :meth:`query` turns it into the
    :class:`~geo.analysis.foncier.FoncierQuery` both the page and the command line run.
    """

    autour: str = ""
    rayon_km: float = 20
    surface_min_ha: float | None = 1.0
    surface_max_ha: float | None = None
    zonages: tuple[str, ...] = ()
    """Keys of :data:`~geo.analysis.foncier_aptitude.ZONING_KINDS` (empty: every zoning)."""
    statuts: tuple[str, ...] = AVAILABLE_STATUSES
    pollution_connue: bool = False
    rail_max_m: int | None = None
    territoire_type: str = ""
    territoire: str | None = None
    montrer_ecartes: bool = False
    """Show the sites a quality flag leaves out of the totals (hidden by default)."""
    selection: tuple[str, ...] = ()
    """The shortlist for a prospect: site ids, at most :data:`SHORTLIST_MAX`."""
    site: str | None = None
    """The site whose fiche is open."""

    def query(self, origin: Origin | None = None) -> FoncierQuery:
        """The search to run, centred on ``origin`` (the commune :attr:`autour` names) when there is one."""
        return FoncierQuery(
            min_surface_ha=self.surface_min_ha or None,
            max_surface_ha=self.surface_max_ha or None,
            statuts=self.statuts,
            zonings=self.zonages or None,
            pollution_known=self.pollution_connue,
            hide_flagged=not self.montrer_ecartes,
            max_distance_m={"distance_rail_m": float(self.rail_max_m)} if self.rail_max_m else None,
            territory_column=self.territoire_type or None,
            territory_id=self.territoire if self.territoire_type else None,
            origin_l93=origin.xy_l93 if origin else None,
            max_distance_from_origin_m=self.rayon_km * 1000 if origin and self.rayon_km else None,
        )

    @classmethod
    def from_query(cls, params: Mapping[str, str]) -> FoncierSearch:
        """Read a search from URL parameters; a missing or malformed value keeps the default.

        >>> search = FoncierSearch.from_query({"autour": "Lens", "rayon": "30", "surface": "10-", "zonage": "A,x"})
        >>> search.autour, search.rayon_km, search.surface_min_ha, search.surface_max_ha, search.zonages
        ('Lens', 30.0, 10.0, None, ())
        """
        default = cls()
        low, _, high = str(params.get("surface", "")).partition("-")
        dans_kind, _, dans_id = str(params.get("dans", "")).partition(":")
        statuts = tuple(s for s in _listed(params.get("etat")) if s in KNOWN_STATUSES)
        rayon = _number(params.get("rayon"))
        rail = _number(params.get("rail"))
        return cls(
            autour=str(params.get("autour", ""))[:100],
            rayon_km=min(max(rayon, 1), RADIUS_MAX_KM) if rayon is not None else default.rayon_km,
            surface_min_ha=_number(low) if "surface" in params else default.surface_min_ha,
            surface_max_ha=_number(high),
            zonages=tuple(z for z in _listed(params.get("zonage")) if z in ZONING_KINDS),
            statuts=statuts if "etat" in params else default.statuts,
            pollution_connue=params.get("pollution") == "connue",
            rail_max_m=int(rail) if rail else None,
            territoire_type=dans_kind if dans_kind in TERRITORY_KINDS and dans_id else "",
            territoire=dans_id[:40] if dans_kind in TERRITORY_KINDS and dans_id else None,
            montrer_ecartes=params.get("ecartes") == "1",
            selection=tuple(dict.fromkeys(_listed(params.get("selection"))))[:SHORTLIST_MAX],
            site=str(params["site"])[:60] if params.get("site") else None,
        )

    def to_query(self) -> dict[str, str]:
        """The URL parameters of this search; what is at its default is left out."""
        default = FoncierSearch()
        query: dict[str, str] = {}
        if self.autour:
            query |= {"autour": self.autour, "rayon": _plain(self.rayon_km)}
        if (self.surface_min_ha, self.surface_max_ha) != (default.surface_min_ha, default.surface_max_ha):
            query["surface"] = f"{_plain(self.surface_min_ha)}-{_plain(self.surface_max_ha)}"
        optional = {
            "zonage": ",".join(self.zonages),
            "etat": ",".join(self.statuts) if tuple(self.statuts) != tuple(default.statuts) else "",
            "pollution": "connue" if self.pollution_connue else "",
            "rail": str(self.rail_max_m or ""),
            "dans": f"{self.territoire_type}:{self.territoire}" if self.territoire_type and self.territoire else "",
            "ecartes": "1" if self.montrer_ecartes else "",
            "selection": ",".join(self.selection),
            "site": self.site or "",
        }
        query |= {name: value for name, value in optional.items() if value}
        return query


FONCIER_PARAMS = (
    *("autour", "rayon", "surface", "zonage", "etat", "pollution", "rail", "dans", "ecartes", "selection", "site"),
)
"""Every URL parameter a :class:`FoncierSearch` owns."""
SHORTLIST_MAX = 10
RADIUS_MAX_KM = 100
TERRITORY_KINDS = ("epci_siren", "ti_phase2", "ti_phase1", "bassins")
KNOWN_STATUSES = (*FONCIER_STATUSES, "friche reconvertie", "site avec projet", STATUS_TAKEN, STATUS_WITHDRAWN)


def _listed(value: str | None) -> list[str]:
    return [item.strip() for item in str(value or "").split(",") if item.strip()]


def _number(text: str | None) -> float | None:
    try:
        value = float(str(text).replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _plain(value: float | None) -> str:
    return "" if value is None else f"{value:g}"
