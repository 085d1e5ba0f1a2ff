"""Foncier sites on the map: one circle per site, coloured by status, escaped card in the popup."""

from __future__ import annotations

import html
import math

import folium
import geopandas as gpd
import pandas as pd

from geo.crs import WGS84, check_crs
from layers.formatting import MISSING, escaped, number_fr
from layers.popups import CircleMarkerSet
from layers.projects import NEUTRAL_GREY

STATUS_COLOURS = {
    "site clé en main": "#0072B2",
    "friche sans projet": "#009E73",
    "friche potentielle": "#E69F00",
    "friche avec projet": "#CC79A7",
    "site avec projet": "#CC79A7",
    "friche reconvertie": NEUTRAL_GREY,
    "site pris": "#000000",
    "site retiré": "#D55E00",
}


def foncier_layer(sites: gpd.GeoDataFrame, *, name: str = "Foncier") -> folium.FeatureGroup:
    """Circles sized by surface (area ∝ hectares, small hollow circle when unknown), coloured by status."""
    check_crs(sites, WGS84, name="sites")
    group = folium.FeatureGroup(name=name)
    surfaces = pd.to_numeric(sites["surface_ha"], errors="coerce")
    largest = surfaces.max()
    rows = []
    for site, surface in zip(sites.to_dict("records"), surfaces, strict=True):
        known = not pd.isna(surface) and largest > 0
        colour = STATUS_COLOURS.get(str(site["statut"]), NEUTRAL_GREY)
        verified = bool(site["verifie"])
        rows.append(
            (
                round(site["geometry"].y, 6),
                round(site["geometry"].x, 6),
                round(3 + 17 * math.sqrt(surface / largest), 1) if known else 4,
                colour,
                1 if verified else 2,
                None if verified else "3 3",
                0.7 if known else 0.0,
                site_card_html(site),
                f"{html.escape(str(site['nom']))} — {number_fr(surface, decimals=1)} ha",
            )
        )
    group.add_child(CircleMarkerSet(rows))
    return group


def site_card_html(site: dict) -> str:
    """Every attribute of a site, escaped, with the source and its dates."""

    def esc(value: object) -> str:
        return escaped(value, missing=MISSING)

    lines = [
        f"<b>{esc(site.get('nom'))}</b> ({esc(site.get('kind'))})",
        f"{esc(site.get('commune_nom'))} ({esc(site.get('departement'))})",
        f"Statut : {esc(site.get('statut'))} · type : {esc(site.get('site_type'))}",
        f"Surface : {number_fr(site.get('surface_ha'), decimals=2)} ha · zonage : {esc(site.get('zone_urba'))}",
        f"Pollution : {esc(site.get('pollution'))}",
        _rail_line(site.get("distance_rail_m")),
        f"Origine : {esc(site.get('nature'))}" + ("" if site.get("verifie") else " — friche potentielle non vérifiée"),
        f"Source : {esc(site.get('source'))}, mise à jour {esc(site.get('date_maj'))}"
        f" (instantané {esc(site.get('date_source'))})",
    ]
    return "<br>".join(lines)


def _rail_line(distance_m: object) -> str:
    if distance_m is None or pd.isna(distance_m):
        return "Voie ferrée : distance non renseignée"
    return f"Voie ferrée à {number_fr(distance_m)} m"
