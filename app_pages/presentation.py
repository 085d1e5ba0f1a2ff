"""Présentation: full-screen map, large labels, the ready-made views one after another (keyboard: Tab, Entrée)."""

from __future__ import annotations

import streamlit as st

from app_pages.data_access import map_data, map_tiles, press_layer, press_module, projects
from app_pages.map_component import map_component
from geo.analysis.view import ProjectFilters
from layers.formatting import legend_html
from layers.press import VIEWS
from layers.standalone import view_legend, view_map

SEQUENCE = list(VIEWS)
LABEL_SIZE_PX = 18
CHROME_PX = 150
"""What the slide's title bar and legend take of the screen's height; the map has the rest."""

# Full screen: no sidebar, no page header; the map takes the width and the height left by the title and the legend.
st.html(
    "<style>[data-testid='stSidebar'],[data-testid='stSidebarCollapsedControl'],header{display:none}"
    ".block-container{padding-top:0.5rem;padding-bottom:0;max-width:100%}"
    f"iframe[src*='/component/app_pages.map_component.carte/']{{height:calc(100vh - {CHROME_PX}px) !important}}</style>"
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
# « ◀ Précédente » needs about 150 px: at 1,280 px a ninth of the width cut it to « Précéde… ».
leave, previous, counter, following = st.columns([0.9, 1.3, 5.6, 1.2], vertical_alignment="center")
leave.page_link("app_pages/carte.py", label="Quitter", icon=":material/close:", help="Revenir à la carte")
previous.button("◀ Précédente", disabled=position == 0, key="precedente", width="stretch", on_click=_move, args=(-1,))
following.button(
    "Suivante ▶", disabled=position == len(SEQUENCE) - 1, key="suivante", width="stretch", on_click=_move, args=(1,)
)
view = VIEWS[SEQUENCE[position]]
counter.subheader(f"{view.title} ({position + 1}/{len(SEQUENCE)})")
press = press_module().view_data(press_layer, projects(), view, ProjectFilters())
fmap = view_map(view, map_data(), press, label_size_px=LABEL_SIZE_PX, tiles=map_tiles())
# One frame for every slide: the next slide's map is drawn in it (the libraries stay loaded, the page does not move).
map_component(fmap, height=760, returned_objects=[], key="presentation")
st.markdown(legend_html(view_legend(view, press), size_px=LABEL_SIZE_PX), unsafe_allow_html=True)
