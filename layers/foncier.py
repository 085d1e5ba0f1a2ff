"""Foncier sites on the map: one circle per site, coloured by status, escaped card in the popup."""

from __future__ import annotations

import html
import math

import folium
import geopandas as gpd
import pandas as pd

from geo.analysis.foncier_aptitude import ZONING_KINDS, zoning_kind
from geo.crs import WGS84, check_crs
from geo.frames import records
from geo.vocabulary import (
    STATUS_FREE_BROWNFIELD,
    STATUS_PLANNED_BROWNFIELD,
    STATUS_POTENTIAL_BROWNFIELD,
    STATUS_TAKEN,
    STATUS_TURNKEY,
    STATUS_WITHDRAWN,
)
from layers.formatting import MISSING, escaped, is_missing, number_fr
from layers.popups import CircleMarker, CircleMarkerSet
from layers.projects import NEUTRAL_GREY, UNKNOWN_RADIUS_PX, symbol_radii

STATUS_COLOURS = {
    STATUS_TURNKEY: "#0072B2",
    STATUS_FREE_BROWNFIELD: "#009E73",
    STATUS_POTENTIAL_BROWNFIELD: "#E69F00",
    STATUS_PLANNED_BROWNFIELD: "#CC79A7",
    "site avec projet": "#CC79A7",  # Cartofriches' own statuses
    "friche reconvertie": NEUTRAL_GREY,
    STATUS_TAKEN: "#000000",
    STATUS_WITHDRAWN: "#D55E00",
}
ZONING_KIND_COLUMN = "_zoning_kind"
"""A site's zoning in words (a key of ``ZONING_KINDS``) when the caller has already read it."""
MAX_SITE_RADIUS_PX = 20.0
"""The largest site's radius: smaller than the projects' circles, which the foncier is drawn with."""


def foncier_layer(sites: gpd.GeoDataFrame, *, name: str = "Foncier") -> folium.FeatureGroup:
    """Circles sized by surface (area ∝ hectares, small hollow circle when unknown), coloured by status."""
    check_crs(sites, WGS84, name="sites")
    group = folium.FeatureGroup(name=name)
    surfaces = pd.to_numeric(sites["surface_ha"], errors="coerce")
    radii = symbol_radii(surfaces, max_radius_px=MAX_SITE_RADIUS_PX)
    # The zoning is read once for all sites: read row by row it took three quarters of the Foncier page's time.
    sites_records = records(sites.assign(**{ZONING_KIND_COLUMN: zoning_kind(sites)}))
    rows = []
    for site, surface, radius in zip(sites_records, surfaces, radii, strict=True):
        known = not math.isnan(radius)
        verified = bool(site["verifie"])
        rows.append(
            CircleMarker(
                lat=round(site["geometry"].y, 6),
                lon=round(site["geometry"].x, 6),
                radius_px=round(radius, 1) if known else UNKNOWN_RADIUS_PX,
                colour=STATUS_COLOURS.get(str(site["statut"]), NEUTRAL_GREY),
                weight_px=1 if verified else 2,
                dash=None if verified else "3 3",
                fill_opacity=0.7 if known else 0.0,
                popup_html=site_card_html(site),
                tooltip_html=f"{html.escape(str(site['nom']))} — {number_fr(surface, decimals=1)} ha",
            )
        )
    group.add_child(CircleMarkerSet(rows))
    return group


def search_area_layer(area: gpd.GeoSeries, label: str) -> folium.FeatureGroup:
    """The disc a search covers (WGS84), outlined and barely tinted, with its centre: the map frames it."""
    check_crs(gpd.GeoDataFrame(geometry=area), WGS84, name="area")
    group = folium.FeatureGroup(name="Zone de recherche")
    folium.GeoJson(
        area.__geo_interface__,
        style_function=lambda _: {"color": "#1a1a1a", "weight": 2, "dashArray": "6 4", "fillOpacity": 0.03},
        tooltip=html.escape(label),
        interactive=False,
    ).add_to(group)
    centre = area.iloc[0].centroid
    folium.CircleMarker(
        [centre.y, centre.x], radius=4, color="#1a1a1a", fill=True, fill_opacity=1, interactive=False
    ).add_to(group)
    return group


def site_card_html(site: dict) -> str:
    """Every attribute of a site, escaped, with the source and its dates."""

    def esc(value: object) -> str:
        return escaped(value, missing=MISSING)

    lines = [
        f"<b>{esc(site.get('nom'))}</b> ({esc(site.get('kind'))})",
        f"{esc(site.get('commune_nom'))} ({esc(site.get('departement'))})",
        f"Statut : {esc(site.get('statut'))} · type : {esc(site.get('site_type'))}",
        f"Surface : {number_fr(site.get('surface_ha'), decimals=2)} ha · zonage : {_zoning(site)}",
        f"Pollution : {esc(site.get('pollution'))}",
        _rail_line(site.get("distance_rail_m")),
        f"Origine : {esc(site.get('nature'))}" + ("" if site.get("verifie") else " — friche potentielle non vérifiée"),
        f"Source : {esc(site.get('source'))}, mise à jour {esc(site.get('date_maj'))}"
        f" (instantané {esc(site.get('date_source'))})",
    ]
    rank = site.get("raisons_aptitude")
    if isinstance(rank, str) and rank:
        listed = "".join(f"<li>{html.escape(reason)}</li>" for reason in rank.split(" ; "))
        lines.append(f"<b>Aptitude : {number_fr(site.get('aptitude'))} points</b><ul>{listed}</ul>")
    reasons = site.get("raisons_qualite")
    if isinstance(reasons, str) and reasons:
        listed = "".join(f"<li>{html.escape(reason)}</li>" for reason in reasons.split(" ; "))
        lines.append(f"<b>Non compté dans les totaux de foncier plausible</b> :<ul>{listed}</ul>")
    return "<br>".join(lines)


def _zoning(site: dict) -> str:
    """The zoning in words, then the plan's own code and label (« zone d'activités — UE - Zone d'activités… »)."""
    kind = site.get(ZONING_KIND_COLUMN) or zoning_kind(pd.DataFrame([site])).iloc[0]
    words = ZONING_KINDS[kind]
    plan = site.get("zone_urba_libelle") if not is_missing(site.get("zone_urba_libelle")) else site.get("zone_urba")
    return html.escape(words) + ("" if is_missing(plan) else f" — {escaped(plan)}")


def _rail_line(distance_m: object) -> str:
    if distance_m is None or pd.isna(distance_m):
        return "Voie ferrée : distance non renseignée"
    return f"Voie ferrée à {number_fr(distance_m)} m"
