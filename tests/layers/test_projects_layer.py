"""Proportional symbols of projects: sizes, unknown figures, escaping, offline (no jQuery)."""

from __future__ import annotations

import json
import math
import re

import folium
import geopandas as gpd
import pandas as pd
import shapely

from layers.projects import MAX_RADIUS_PX, legend_entries, project_card_html, project_layer, symbol_radii

HOSTILE = "${alert(1)}</script><script>alert(2)</script>"


def _projects():
    return gpd.GeoDataFrame(
        {
            "name": [HOSTILE, "Petit", "Inconnu"],
            "commune_nom": ["Denain", "Douai", "Lens"],
            "jobs_announced": pd.array([400, 100, None], dtype="Int64"),
            "investment_eur": [1e9, None, None],
            "public_funding_eur": [None, None, None],
            "sector_family": ["batteries", "recyclage", "batteries"],
            "status_category": ["annoncé", "en service", "annoncé"],
            "source_url": ["javascript:alert(3)", "https://www.example.org/a?b=1&c=2", None],
        },
        geometry=[shapely.Point(3.4, 50.3), shapely.Point(3.1, 50.4), shapely.Point(2.8, 50.4)],
        crs="EPSG:4326",
    )


def test_circle_area_is_proportional_to_the_value():
    radii = symbol_radii(pd.Series([400, 100, None]))
    assert radii[0] == MAX_RADIUS_PX
    # Area ∝ value: (r − r_min) scales with √value, so 100 is half of 400's extra radius.
    assert math.isclose((radii[1] - 3.0) / (radii[0] - 3.0), 0.5)
    assert math.isnan(radii[2])


def test_rendered_layer_escapes_names_and_needs_no_jquery():
    fmap = folium.Map(tiles=None)
    project_layer(_projects(), measure="jobs_announced", colour_by="sector_family").add_to(fmap)
    html = fmap.get_root().render()
    assert "$(" not in html  # folium.Popup would need jQuery, which is not served
    assert "</script><script>alert(2)" not in html
    assert "`" not in html.split("bindTooltip", 1)[1][:200]  # a JSON string, not a template literal
    rows = json.loads(re.search(r"(\[\[.*?\]\])\.forEach", html, re.S).group(1))
    assert len(rows) == 3  # one circle per project


def test_card_keeps_only_web_links_and_says_what_is_unknown():
    rows = _projects()
    hostile = project_card_html(rows.iloc[0])
    assert 'href="javascript' not in hostile and "&lt;/script&gt;" in hostile
    petit = project_card_html(rows.iloc[1])
    assert 'href="https://www.example.org/a?b=1&amp;c=2"' in petit
    assert "Investissement annoncé (€) : non renseigné" in petit


def test_legend_counts_present_categories_in_palette_order():
    assert legend_entries(_projects(), "sector_family") == [("batteries", "#0072B2", 2), ("recyclage", "#009E73", 1)]


def test_card_says_what_each_figure_counts():
    takeover = {
        "name": "Reprise de l'usine X",
        "kind": "reprise",
        "jobs_announced": 118,
        "jobs_nature": "maintenus",
        "jobs_perimeter": "projet",
        "jobs_horizon": 2024,
        "jobs_lost": 108,
        "public_funding_eur": 15_000_000,
        "funding_kind": "prêt",
        "funding_perimeter": "phase",
        "source_url": "https://example.org/a",
    }
    card = project_card_html(takeover)
    assert "Emplois permanents annoncés : 118 — maintenus, projet entier sur le site, horizon 2024" in card
    assert "Emplois non repris (licenciés à la reprise) : 108" in card  # not cut later: lost at the takeover
    assert "— prêt, cette phase" in card
    plant = {"name": "Usine Y", "kind": "création", "jobs_announced": 300, "jobs_in_place": 120}
    card = project_card_html(plant)
    assert "300 — nature non précisée" in card and "Emplois en place : 120 (date non connue)" in card


def test_the_jobs_note_is_written_once_under_the_first_jobs_figure():
    # One note covers the permanent and the construction jobs: repeated, it doubled the longest part of each card.
    card = project_card_html({"name": "Usine Z", "jobs_announced": 300, "jobs_note": "300 emplois directs (AFP)."})
    assert card.count("300 emplois directs (AFP).") == 1
    assert card.index("300 emplois directs") < card.index("Emplois de chantier")


def test_a_map_popup_leaves_the_notes_to_the_projets_page():
    row = {
        "project_id": "P001",
        "name": "Usine Z",
        "jobs_announced": 300,
        "jobs_note": "300 emplois directs (AFP).",
        "status": "annoncé",
        "status_note": "Permis déposé (préfecture).",
    }
    popup, page_card = project_card_html(row, with_notes=False), project_card_html(row)
    assert "300 emplois directs" not in popup and "Permis déposé" not in popup
    assert "Emplois permanents annoncés : 300" in popup
    assert "P001 : notes des sources, historique et corrections sur la page Projets" in popup
    assert "300 emplois directs (AFP)." in page_card and "Permis déposé (préfecture)." in page_card
