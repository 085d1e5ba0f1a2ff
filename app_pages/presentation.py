"""Présentation: full-screen map, large labels, the ready-made views one after another (keyboard: Tab, Entrée)."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from app_pages.data_access import map_data, map_tiles, press_layer, press_module, projects
from geo.analysis.view import ProjectFilters
from layers.formatting import legend_html
from layers.phases import phase_legend
from layers.press import VIEWS
from layers.standalone import view_map

SEQUENCE = list(VIEWS)
LABEL_SIZE_PX = 18

# Full screen: no sidebar, no page header, the map takes the width.
st.markdown(
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header{display:none}"
    ".block-container{padding-top:0.5rem;max-width:100%}</style>",
    unsafe_allow_html=True,
)
params = st.query_params


def _position() -> int:
    asked = params.get("vue", "")
    return int(asked) - 1 if asked.isdigit() and 1 <= int(asked) <= len(SEQUENCE) else 0


def _move(step: int) -> None:
    """Runs before the page is drawn, so both buttons already know the new position."""
    params["vue"] = str(min(max(_position() + step, 0), len(SEQUENCE) - 1) + 1)


position = _position()
params["vue"] = str(position + 1)
previous, counter, following = st.columns([1, 6, 1])
previous.button("◀ Précédente", disabled=position == 0, key="precedente", width="stretch", on_click=_move, args=(-1,))
following.button(
    "Suivante ▶", disabled=position == len(SEQUENCE) - 1, key="suivante", width="stretch", on_click=_move, args=(1,)
)
view = VIEWS[SEQUENCE[position]]
counter.subheader(f"{view.title} ({position + 1}/{len(SEQUENCE)})")
press = press_module().view_data(press_layer, projects(), view, ProjectFilters())
fmap = view_map(view, map_data(), press, label_size_px=LABEL_SIZE_PX, tiles=map_tiles())
st_folium(fmap, height=760, use_container_width=True, returned_objects=[], key=f"presentation_{view.key}")
if view.phases and press.phases is not None:
    st.markdown(legend_html(phase_legend(press.phases), size_px=LABEL_SIZE_PX), unsafe_allow_html=True)
st.caption(view.subtitle)
