"""Foncier sites on the map: one circle per site, coloured by status, escaped card in the popup."""

from __future__ import annotations

import html
import math

import folium
import geopandas as gpd
import pandas as pd

from geo.crs import WGS84, check_crs
from layers.formatting import MISSING, escaped, number_fr
from layers.popups import HtmlPopup, HtmlTooltip

STATUS_COLOURS = {
    "site clé en main": "#0072B2",
    "friche sans projet": "#009E73",
    "friche potentielle": "#E69F00",
    "friche avec projet": "#CC79A7",
    "site avec projet": "#CC79A7",
    "friche reconvertie": "#9a9a9a",
}


def foncier_layer(sites: gpd.GeoDataFrame, *, name: str = "Foncier") -> folium.FeatureGroup:
    """Circles sized by surface (area ∝ hectares, small hollow circle when unknown)."""
    check_crs(sites, WGS84, name="sites")
    group = folium.FeatureGroup(name=name)
    largest = pd.to_numeric(sites["surface_ha"], errors="coerce").max()
    for row in sites.itertuples():
        surface = row.surface_ha
        known = surface is not None and not pd.isna(surface) and largest and largest > 0
        radius = 3 + 17 * math.sqrt(surface / largest) if known else 4
        colour = STATUS_COLOURS.get(str(row.statut), "#9a9a9a")
        folium.CircleMarker(
            location=(row.geometry.y, row.geometry.x),
            radius=radius,
            color=colour,
            weight=1 if row.verifie else 2,
            dash_array=None if row.verifie else "3 3",
            fill=True,
            fill_color=colour,
            fill_opacity=0.7 if known else 0.0,
        ).add_child(HtmlPopup(site_card_html(row._asdict()))).add_child(
            HtmlTooltip(f"{html.escape(str(row.nom))} — {number_fr(surface, decimals=1)} ha")
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
        f"Surface : {number_fr(site.get('surface_ha'), decimals=2)} ha · zonage : {esc(site.get('zone_urba'))}",
        f"Pollution : {esc(site.get('pollution'))}",
        f"Voie ferrée à {number_fr(site.get('distance_rail_m'))} m",
        f"Origine : {esc(site.get('nature'))}" + ("" if site.get("verifie") else " — friche potentielle non vérifiée"),
        f"Source : {esc(site.get('source'))}, mise à jour {esc(site.get('date_maj'))}"
        f" (instantané {esc(site.get('date_source'))})",
    ]
    return "<br>".join(lines)
