"""Proportional symbols of industrial projects: size by jobs or €, colour by sector family or status.

A project whose figure is not stated is drawn as a small hollow circle: visible, but
never given a size the sources do not support.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from urllib.parse import urlparse

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from geo.analysis.projects import MEASURES, SECTOR_FAMILIES, status_with_date
from geo.crs import WGS84, check_crs
from geo.frames import records
from geo.text import web_address
from layers.formatting import escaped, euros_short_fr, is_missing, measure_fr, number_fr, sentence_case
from layers.popups import CircleMarker, CircleMarkerSet

# Okabe–Ito, then greys: distinguishable by colour-blind readers and in print.
_PALETTE = ("#0072B2", "#009E73", "#E69F00", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
NEUTRAL_GREY = "#707070"
"""Not industrial, not stated: darker than Okabe–Ito's reddish purple, which a mid grey (#9a9a9a) matched for
deuteranopes (ΔE 6.5 in CAM02-UCS, ``tests/layers/test_palettes.py``)."""
SECTOR_COLOURS: dict[str, str] = {
    family: (NEUTRAL_GREY if family == "non industriel" else _PALETTE[i % len(_PALETTE)])
    for i, family in enumerate(SECTOR_FAMILIES)
}
STATUS_COLOURS: dict[str, str] = {
    "annoncé": "#56B4E9",
    "en projet": "#0072B2",
    "en construction": "#E69F00",
    "en service": "#009E73",
    "suspendu ou incertain": "#CC79A7",
    "abandonné ou fermé": "#D55E00",
    "non renseigné": NEUTRAL_GREY,
}
COLOUR_BY = {"sector_family": ("Famille de secteur", SECTOR_COLOURS), "status_category": ("Statut", STATUS_COLOURS)}
NOTE_COLUMNS = {
    "jobs_created": "jobs_note",
    "jobs_announced": "jobs_note",
    "jobs_construction": "jobs_note",
    "investment_eur": "investment_note",
    "public_funding_eur": "public_funding_note",
}
MAX_RADIUS_PX, MIN_RADIUS_PX, UNKNOWN_RADIUS_PX = 30.0, 3.0, 4.0


def symbol_radii(values: pd.Series, *, max_radius_px: float = MAX_RADIUS_PX) -> pd.Series:
    """Radius in pixels, from :data:`MIN_RADIUS_PX` to ``max_radius_px`` for the largest value, with the circle's
    *area* (above the smallest circle) proportional to the value; NaN for unknown."""
    numbers = pd.to_numeric(values, errors="coerce").astype(float)
    largest = numbers.max()
    if not largest or math.isnan(largest):
        return numbers * math.nan
    return MIN_RADIUS_PX + (max_radius_px - MIN_RADIUS_PX) * (numbers / largest).pow(0.5)


def project_layer(
    projects: gpd.GeoDataFrame, *, measure: str, colour_by: str, name: str = "Projets"
) -> folium.FeatureGroup:
    """One circle per project, largest drawn first so that small ones stay clickable.

    Parameters
    ----------
    projects : GeoDataFrame
        WGS84 points with the project columns (see :mod:`geo.analysis.projects`).
    measure : str
        ``jobs_announced``, ``investment_eur`` or ``public_funding_eur``.
    colour_by : str
        ``sector_family`` or ``status_category``.
    """
    return marker_layer(project_markers(projects, measure=measure, colour_by=colour_by), name=name)


def marker_layer(markers: Sequence[CircleMarker], *, name: str = "Projets") -> folium.FeatureGroup:
    """The layer of circles prepared by :func:`project_markers` (which a page may keep between reruns)."""
    group = folium.FeatureGroup(name=name)
    group.add_child(CircleMarkerSet(markers))
    return group


def project_markers(projects: gpd.GeoDataFrame, *, measure: str, colour_by: str) -> tuple[CircleMarker, ...]:
    """The circles of :func:`project_layer`, in drawing order (largest first), with their card and tooltip."""
    check_crs(projects, WGS84, name="projects")
    if measure not in MEASURES or colour_by not in COLOUR_BY:
        raise ValueError(f"measure must be one of {list(MEASURES)}, colour_by one of {list(COLOUR_BY)}")
    colours = COLOUR_BY[colour_by][1]
    radii = symbol_radii(projects[measure])
    # Largest first, so that small circles stay clickable on top. Plain dicts, put in order by position: a pandas
    # row lookup per project cost more than drawing the whole map, and a reordered frame selects every Arrow column.
    order = np.argsort(-radii.fillna(0).to_numpy(), kind="stable")
    project_rows, radius_list = records(projects), radii.tolist()
    markers = []
    for row, radius in ((project_rows[i], radius_list[i]) for i in order):
        known = not math.isnan(radius)
        colour = colours.get(row[colour_by], NEUTRAL_GREY)
        markers.append(
            CircleMarker(
                lat=round(row["geometry"].y, 6),
                lon=round(row["geometry"].x, 6),
                radius_px=round(float(radius), 2) if known else UNKNOWN_RADIUS_PX,
                colour="#1b1b1b" if known else colour,
                weight_px=0.8 if known else 2,
                dash=None,
                fill_opacity=0.75 if known else 0.0,
                popup_html=project_card_html(row, with_notes=False),
                tooltip_html=_tooltip_html(row, measure),
                fill_colour=colour,
            )
        )
    return tuple(markers)


def project_card_html(row: Mapping[str, object], *, with_notes: bool = True) -> str:
    """Every figure of a project with what it counts and its source, escaped (names come from users' files).

    With ``with_notes`` (the Projets page), each figure's research note too; a map's popup leaves them to the
    Projets page and says so: the notes made a card taller than the map and were most of the map's weight.
    """

    esc = escaped

    def note(column: str) -> str:
        return f" <small>({esc(row.get(column))})</small>" if with_notes and esc(row.get(column)) else ""

    lines = [f"<b>{esc(row.get('name'))}</b>"]
    if esc(row.get("company")):
        lines.append(esc(row.get("company")))
    lines.append(
        f"{esc(row.get('commune_nom'))} ({esc(row.get('departement'))}) — localisation : {esc(row.get('localisation'))}"
    )
    lines.append(f"Secteur : {esc(row.get('sector')) or 'non renseigné'}")
    lines += _figure_lines(row, with_notes=with_notes)
    funders = " — ".join(esc(row.get(k)) for k in ("funder", "funding_programme") if esc(row.get(k)))
    if funders:
        lines.append(f"Financeurs : {funders}")
    status = html.escape(status_with_date(row.get("status"), row.get("status_date")))
    lines.append(f"Statut : {status}{note('status_note')}")
    if esc(row.get("not_found_date")):
        lines.append(
            f"<b>À vérifier</b> : aucune source plus récente que ce statut trouvée au {esc(row.get('not_found_date'))}"
        )
    lines.append(f"Année d'annonce : {esc(row.get('year_announced')) or 'non renseignée'}")
    source = row.get("source_url")
    if link := web_address(source):  # a javascript: or data: address stays text
        date = esc(row.get("source_date"))
        host = html.escape(urlparse(link).netloc)
        quality = f" — source {esc(row.get('source_quality'))}" if esc(row.get("source_quality")) else ""
        lines.append(
            f'Source : <a href="{html.escape(link)}" target="_blank" rel="noopener">{host}</a> {date}{quality}'
        )
    elif esc(source):
        lines.append(f"Source : {esc(source)}")
    else:
        lines.append("Source : <b>non sourcé</b>")
    if esc(row.get("checked_date")):
        lines.append(f"<small>Vérifié le {esc(row.get('checked_date'))}</small>")
    if esc(row.get("project_id")):
        what = "historique et corrections" if with_notes else "notes des sources, historique et corrections"
        lines.append(f"<small>Identifiant {esc(row.get('project_id'))} : {what} sur la page Projets</small>")
    return "<br>".join(lines)


def legend_entries(projects: pd.DataFrame, colour_by: str) -> list[tuple[str, str, int]]:
    """``(label, colour, count)`` for each category present, in the palette's order."""
    colours = COLOUR_BY[colour_by][1]
    counts = projects[colour_by].value_counts()
    return [(label, colour, int(counts[label])) for label, colour in colours.items() if label in counts]


def _figure_lines(row: Mapping[str, object], *, with_notes: bool = True) -> list[str]:
    """Each figure with what it counts and its note; jobs cut at a takeover are said to be « non repris »."""
    lines = []
    noted: set[str] = set()
    for measure, label in MEASURES.items():
        if measure == "jobs_created":  # the announced jobs below say whether they are created
            continue
        # The jobs note covers permanent and construction jobs: written once, after the first of them.
        note = "" if NOTE_COLUMNS[measure] in noted or not with_notes else escaped(row.get(NOTE_COLUMNS[measure]))
        noted.add(NOTE_COLUMNS[measure])
        if not is_missing(row.get(f"{measure}_programme")):
            figure = f"{euros_short_fr(row.get(f'{measure}_programme'))} pour tout le programme, montant non ventilé"
        else:
            figure = measure_fr(row.get(measure), measure)
        if measure == "jobs_announced":
            label = "Emplois permanents annoncés"
        stated = not is_missing(row.get(measure)) or not is_missing(row.get(f"{measure}_programme"))
        what = _what_it_counts(row, measure) if stated else ""
        lines.append(
            f"{sentence_case(html.escape(label))} : {figure}{what}" + (f" <small>({note})</small>" if note else "")
        )
    if not is_missing(row.get("jobs_in_place")):
        when = escaped(row.get("jobs_in_place_date")) or "date non connue"
        lines.append(f"Emplois en place : {number_fr(row.get('jobs_in_place'))} ({when})")
    if not is_missing(row.get("jobs_lost")):
        lost = "Emplois non repris (licenciés à la reprise)" if row.get("kind") == "reprise" else "Emplois supprimés"
        lines.append(f"{lost} : {number_fr(row.get('jobs_lost'))}")
    return lines


_DESCRIBED_BY = {
    "jobs_announced": ("jobs_nature", "jobs_perimeter"),
    "investment_eur": ("investment_perimeter",),
    "public_funding_eur": ("funding_kind", "funding_perimeter"),
}
_PERIMETER_WORDS = {"phase": "cette phase", "projet": "projet entier sur le site"}


def _what_it_counts(row: Mapping[str, object], measure: str) -> str:
    """« — créés, projet entier sur le site, horizon 2030 »: what a figure counts, as the data says it."""
    words = []
    for column in _DESCRIBED_BY.get(measure, ()):
        value = row.get(column)
        if is_missing(value) or not str(value).strip():
            words.append("nature non précisée" if column == "jobs_nature" else "")
        else:
            words.append(_PERIMETER_WORDS.get(str(value), str(value)) if column.endswith("perimeter") else str(value))
    if measure == "jobs_announced" and not is_missing(row.get("jobs_horizon")):
        words.append(f"horizon {int(float(row.get('jobs_horizon')))}")
    words = [html.escape(w) for w in words if w]
    return f" — {', '.join(words)}" if words else ""


def _tooltip_html(row: Mapping[str, object], measure: str) -> str:
    return (
        f"{html.escape(str(row.get('name')))} — {html.escape(str(row.get('commune_nom')))}<br>"
        f"{sentence_case(html.escape(MEASURES[measure]))} : {measure_fr(row.get(measure), measure)}"
    )
