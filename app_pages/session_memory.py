"""What a page remembers between the runs of one session, beside its view (which lives in the address).

The view (layers, filters, selection, search, centre and zoom) is in the URL; what is here is UI
memory that has no meaning in an address: which click or search result was already acted on, and
where the map opened for its current drawing. One typed object per page, under one session key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import streamlit as st


@dataclass
class CarteMemory:
    """The Carte's memory of one session (mutable: the page updates it in place)."""

    last_click: dict[str, float] | None = None
    """The map click already acted on: the map keeps reporting its last click with every pan."""
    picked_result: tuple[str, str, str] | None = None
    """(text, kind, id) of the search result that last selected its place: it selects once, when chosen."""
    opening: tuple[Any, Any] | None = None
    """(drawing, start): where the map opens while its drawing stays the same (see ``carte.opening_view``)."""


def carte_memory() -> CarteMemory:
    """The Carte's memory for this session, created on first use."""
    return st.session_state.setdefault("carte_memoire", CarteMemory())
