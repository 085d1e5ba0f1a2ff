"""The project filters of the sidebar, shared by Carte and Concentration.

The widgets start from the filters read from the URL and return the chosen ones; the page
writes them back (:mod:`app_pages.url_state`), so a copied address reopens the same selection.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.data_access import departement_names, filtered_projects, projects
from geo.analysis.projects import SECTOR_FAMILIES, STATUS_CATEGORIES, TI_PHASES
from geo.analysis.view import ProjectFilters
from geo.vocabulary import REGION_NAMES


def project_filters(asked: ProjectFilters, *, key: str) -> tuple[pd.DataFrame, str, ProjectFilters]:
    """Draw the filters in the sidebar, starting from ``asked``; return the store's projects filtered,
    a French summary and the chosen filters (for the page to write back to the URL)."""
    all_projects = projects()
    sidebar = st.sidebar
    sidebar.header("Filtres des projets")
    industrial_only = sidebar.toggle(
        "Industrie seulement (sans data centres ni logistique)",
        value=not asked.include_non_industrial,
        key=f"{key}_industriels",
    )
    regions = sidebar.multiselect(
        "Région",
        list(REGION_NAMES),
        default=_offered(asked.regions, list(REGION_NAMES)),
        format_func=REGION_NAMES.get,
        key=f"{key}_regions",
        placeholder="Choisir…",
    )
    names = departement_names()
    departements = sidebar.multiselect(
        "Département (vide = tous)",
        list(names),
        default=_offered(asked.departements or (), list(names)),
        format_func=lambda code: f"{names[code]} ({code})",
        key=f"{key}_departements",
        placeholder="Tous les départements",
    )
    ti_choices = ["", *TI_PHASES]
    in_territory = sidebar.selectbox(
        "Territoires d'industrie",
        ti_choices,
        index=ti_choices.index(asked.in_territory or ""),
        format_func=lambda value: TI_PHASES.get(value, "tous les projets"),
        key=f"{key}_ti",
    )
    families = sidebar.multiselect(
        "Famille de secteur",
        list(SECTOR_FAMILIES),
        default=_offered(asked.sector_families, list(SECTOR_FAMILIES)),
        key=f"{key}_secteurs",
        placeholder="Choisir…",
    )
    statuses = sidebar.multiselect(
        "Statut (au dernier article lu)",
        list(STATUS_CATEGORIES),
        default=_offered(asked.status_categories, list(STATUS_CATEGORIES)),
        key=f"{key}_statuts",
        placeholder="Choisir…",
    )
    known_years = pd.to_numeric(all_projects["year_announced"], errors="coerce").dropna().astype(int)
    first, last = (int(known_years.min()), int(known_years.max())) if len(known_years) else (2015, 2026)
    start, end = asked.years or (first, last)
    asked_years = (max(first, min(start, last)), min(last, max(end, first)))
    years = sidebar.slider("Année d'annonce", first, last, value=asked_years, key=f"{key}_annees")
    year_filter = None if years == (first, last) else years
    if year_filter:
        sidebar.caption("Les projets sans année d'annonce sont exclus quand une période est choisie.")

    filters = ProjectFilters(
        include_non_industrial=not industrial_only,
        sector_families=None if families == list(SECTOR_FAMILIES) else tuple(families),
        status_categories=tuple(statuses),
        years=year_filter,
        regions=None if regions == list(REGION_NAMES) else tuple(regions),
        departements=tuple(departements) or None,
        in_territory=in_territory or None,
    )
    chosen = filtered_projects(filters)
    notes = [
        "industrie seulement" if industrial_only else "",
        "statuts : " + ", ".join(statuses) if len(statuses) < len(STATUS_CATEGORIES) else "",
        f"annoncés de {years[0]} à {years[1]}" if year_filter else "",
        "départements : " + ", ".join(departements) if departements else "",
        TI_PHASES.get(in_territory, ""),
    ]
    return chosen, " · ".join([f"{len(chosen)} projets sur {len(all_projects)}", *filter(None, notes)]), filters


def _offered(asked: tuple[str, ...] | None, options: list[str]) -> list[str]:
    """The asked values the widget offers (all of them when the URL asks nothing)."""
    return options if asked is None else [value for value in asked if value in options]
