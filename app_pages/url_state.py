"""The one place where pages read and write their state in the URL (``st.query_params``).

A page reads its view once at the top, its widgets change it, and it is written back
once: a copied address reopens the same view (see :mod:`geo.analysis.view`). Links to
another view are the view's own (:meth:`~geo.analysis.view.MapView.link`), never an edit of
``st.query_params``.
"""

from __future__ import annotations

import streamlit as st

from geo.analysis.view import FILTER_PARAMS, VIEW_PARAMS, MapView, ProjectFilters
from geo.usecases.compare import COMPARE_PARAM, parse_keys
from geo.usecases.foncier_search import FONCIER_PARAMS, FoncierSearch


def read_view() -> MapView:
    """The Carte's view described by the current address."""
    return MapView.from_query(_current())


def write_view(view: MapView) -> None:
    """Make the address describe ``view`` (parameters of other pages are left alone)."""
    _write(view.to_query(), VIEW_PARAMS)


def read_filters() -> ProjectFilters:
    """The project filters described by the current address."""
    return ProjectFilters.from_query(_current())


def write_filters(filters: ProjectFilters) -> None:
    """Make the address describe ``filters`` (for pages that have filters but no map view)."""
    _write(filters.to_query(), FILTER_PARAMS)


def read_foncier_search() -> FoncierSearch:
    """The Foncier page's search described by the current address."""
    return FoncierSearch.from_query(_current())


def write_foncier_search(search: FoncierSearch) -> None:
    """Make the address describe ``search``: a copied address reopens the same list, site and shortlist."""
    _write(search.to_query(), FONCIER_PARAMS)


def read_compared() -> tuple[str, ...]:
    """The places the Comparer page compares (``comparer=epci:…,territoire:…``)."""
    return parse_keys(_current().get(COMPARE_PARAM, ""))


def write_compared(keys: tuple[str, ...]) -> None:
    """Make the address hold the compared places, so a comparison can be shared and reopened."""
    _write({COMPARE_PARAM: ",".join(keys)} if keys else {}, (COMPARE_PARAM,))


def _current() -> dict[str, str]:
    return {key: st.query_params[key] for key in st.query_params}


def _write(wanted: dict[str, str], owned: tuple[str, ...]) -> None:
    params = st.query_params
    for name in owned:
        if name in wanted:
            if params.get(name) != wanted[name]:
                params[name] = wanted[name]
        elif name in params:
            del params[name]
