"""The one place where pages read and write their state in the URL (``st.query_params``).

A page reads its view once at the top, its widgets change it, and it is written back
once: a copied address reopens the same view (see :mod:`geo.analysis.view`).
"""

from __future__ import annotations

import streamlit as st

from geo.analysis.view import FILTER_PARAMS, VIEW_PARAMS, MapView, ProjectFilters


def read_view() -> MapView:
    """The Carte's view described by the current address."""
    return MapView.from_query(_current())


def write_view(view: MapView) -> None:
    """Make the address describe ``view`` (parameters of other pages are left alone)."""
    _write(view.to_query(), VIEW_PARAMS)


LINKED_VALUE_MAX_CHARS = 200
"""The longest value a link keeps: longer than any the app writes (the longest list of filters is some 160
characters), so only a crafted address is left out."""


def linked_view_params() -> dict[str, str]:
    """The current address's Carte parameters, for a link to another view of the Carte (a fiche).

    Unknown keys and values longer than :data:`LINKED_VALUE_MAX_CHARS` are left out: a link repeats its
    parameters, and every link of a fiche repeating a crafted value of thousands of characters made the
    page's Markdown tens of thousands of characters long.
    """
    return {
        key: value for key, value in _current().items() if key in VIEW_PARAMS and len(value) <= LINKED_VALUE_MAX_CHARS
    }


def read_filters() -> ProjectFilters:
    """The project filters described by the current address."""
    return ProjectFilters.from_query(_current())


def write_filters(filters: ProjectFilters) -> None:
    """Make the address describe ``filters`` (for pages that have filters but no map view)."""
    _write(filters.to_query(), FILTER_PARAMS)


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
