"""The project filters of the sidebar, shared by Carte and Concentration, kept in the URL.

Each filter is one query parameter, so a copied address reopens the same selection:
``industriels=1`` (non-industrial rows left out), ``secteurs``, ``statuts`` (comma
lists), ``annees=2020-2025``, ``regions``.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.projects import SECTOR_FAMILIES, STATUS_CATEGORIES, filter_projects

REGIONS_FR = {"32": "Hauts-de-France", "44": "Grand Est"}
# Announced jobs of abandoned or closed projects will not exist: out by default, one click away.
DEFAULT_STATUSES = [s for s in STATUS_CATEGORIES if s != "abandonné ou fermé"]


def project_filters(projects: pd.DataFrame, *, key: str) -> tuple[pd.DataFrame, str]:
    """Draw the filters in the sidebar; return the filtered projects and a French summary."""
    params = st.query_params
    sidebar = st.sidebar
    sidebar.header("Filtres des projets")
    industrial_only = sidebar.toggle(
        "Industrie seulement (sans data centres ni logistique)",
        value=params.get("industriels", "1") == "1",
        key=f"{key}_industriels",
    )
    regions = sidebar.multiselect(
        "Région",
        list(REGIONS_FR),
        default=_listed(params.get("regions"), list(REGIONS_FR)),
        format_func=REGIONS_FR.get,
        key=f"{key}_regions",
        placeholder="Choisir…",
    )
    families = sidebar.multiselect(
        "Famille de secteur",
        list(SECTOR_FAMILIES),
        default=_listed(params.get("secteurs"), list(SECTOR_FAMILIES)),
        key=f"{key}_secteurs",
        placeholder="Choisir…",
    )
    statuses = sidebar.multiselect(
        "Statut (au dernier article lu)",
        list(STATUS_CATEGORIES),
        default=_listed(params.get("statuts"), DEFAULT_STATUSES),
        key=f"{key}_statuts",
        placeholder="Choisir…",
    )
    known_years = pd.to_numeric(projects["year_announced"], errors="coerce").dropna().astype(int)
    first, last = (int(known_years.min()), int(known_years.max())) if len(known_years) else (2015, 2026)
    asked = _year_range(params.get("annees"), first, last)
    years = sidebar.slider("Année d'annonce", first, last, value=asked, key=f"{key}_annees")
    year_filter = None if years == (first, last) else years
    if year_filter:
        sidebar.caption("Les projets sans année d'annonce sont exclus quand une période est choisie.")

    params["industriels"] = "1" if industrial_only else "0"
    _store_list(params, "regions", regions, list(REGIONS_FR))
    _store_list(params, "secteurs", families, list(SECTOR_FAMILIES))
    _store_list(params, "statuts", statuses, DEFAULT_STATUSES)
    if year_filter:
        params["annees"] = f"{years[0]}-{years[1]}"
    elif "annees" in params:
        del params["annees"]

    chosen = filter_projects(
        projects,
        include_non_industrial=not industrial_only,
        sector_families=families,
        status_categories=statuses,
        years=year_filter,
        regions=regions,
    )
    summary = f"{len(chosen)} projets sur {len(projects)}"
    if industrial_only:
        summary += " · industrie seulement"
    if len(statuses) < len(STATUS_CATEGORIES):
        summary += " · statuts : " + ", ".join(statuses)
    if year_filter:
        summary += f" · annoncés de {years[0]} à {years[1]}"
    return chosen, summary


def _listed(value: str | None, default: list[str]) -> list[str]:
    if value is None:
        return default
    allowed = set(default) | set(SECTOR_FAMILIES) | set(STATUS_CATEGORIES) | set(REGIONS_FR)
    return [item for item in value.split(",") if item in allowed]


def _store_list(params, name: str, chosen: list[str], default: list[str]) -> None:
    if chosen == default:
        if name in params:
            del params[name]
    else:
        params[name] = ",".join(chosen)


def _year_range(value: str | None, first: int, last: int) -> tuple[int, int]:
    try:
        start, end = (int(part) for part in (value or "").split("-"))
    except ValueError:
        return first, last
    return max(first, min(start, last)), min(last, max(end, first))
