"""Carte: EPCI of Hauts-de-France and Grand Est with Territoires d'industrie, bassins and zonings.

The view (overlays, selected EPCI, searched place) lives in the URL (st.query_params),
so a copied address reopens the same view.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from app_pages.data_access import foncier_sites, layer, layer_or_stop, map_data, map_sources, places, projects
from app_pages.fiche import show_epci_fiche, show_territory_fiche
from app_pages.filters import project_filters
from geo.foncier import AVAILABLE_STATUSES, FoncierQuery, search_sites
from geo.metadata import build_date
from geo.projects import MEASURES
from geo.search import epci_at, search_places
from layers.assets import BASEMAPS, add_basemap
from layers.foncier import foncier_layer
from layers.overview import explorer_map
from layers.projects import COLOUR_BY, legend_entries, project_layer
from layers.territories import OVERLAYS

DEFAULT_OVERLAYS = ["ti2", "projets"]


def _view_from(params) -> tuple[tuple[float, float] | None, int | None]:
    """``centre=lat,lon`` and ``zoom`` from the URL, when both are valid (else the map fits the regions)."""
    try:
        lat, lon = (float(part) for part in params.get("centre", "").split(","))
        zoom = int(params.get("zoom", ""))
    except ValueError:
        return None, None
    inside = 40 <= lat <= 53 and -6 <= lon <= 11 and 4 <= zoom <= 18
    return ((lat, lon), zoom) if inside else (None, None)


KIND_FR = {"epci": "EPCI", "commune": "Commune", "territoire": "Territoire"}

st.title("Carte de la réindustrialisation")
st.caption("Hauts-de-France et Grand Est — intercommunalités (EPCI) au 1er janvier 2026")

epci_web = layer_or_stop("epci_web")
metadata = layer("metadata")
prepared = map_data()
params = st.query_params

# --- overlays (sidebar), kept in the URL -------------------------------------------------
requested = params.get("couches")
active_default = (
    DEFAULT_OVERLAYS
    if requested is None
    else [k for k in requested.split(",") if k in {*OVERLAYS, "projets", "foncier"}]
)
st.sidebar.header("Couches")
overlays = []
for key, style in OVERLAYS.items():
    swatch = f":material/square: {style.name} ({prepared.overlays[key].count})"
    if st.sidebar.toggle(swatch, value=key in active_default, key=f"couche_{key}"):
        overlays.append(key)
all_projects = projects()
show_projects = st.sidebar.toggle(
    f":material/circle: Projets industriels ({len(all_projects)})",
    value="projets" in active_default,
    key="couche_projets",
)
available_land = search_sites(foncier_sites(), FoncierQuery(min_surface_ha=1.0, statuts=AVAILABLE_STATUSES))
show_foncier = st.sidebar.toggle(
    f":material/radio_button_unchecked: Foncier disponible, 1 ha et plus ({len(available_land)})",
    value="foncier" in active_default,
    key="couche_foncier",
)
basemap = st.sidebar.selectbox(
    "Fond de carte",
    ["", *BASEMAPS],
    index=(["", *BASEMAPS]).index(params.get("fond")) if params.get("fond") in BASEMAPS else 0,
    format_func=lambda key: BASEMAPS[key][0] + " (en ligne)" if key else "aucun (hors ligne)",
    key="fond",
)
params["couches"] = ",".join(overlays + (["projets"] if show_projects else []) + (["foncier"] if show_foncier else []))
if basemap:
    params["fond"] = basemap
elif "fond" in params:
    del params["fond"]
if show_projects:
    size_measure = st.sidebar.selectbox(
        "Taille des cercles",
        list(MEASURES),
        format_func=lambda m: MEASURES[m].capitalize(),
        index=list(MEASURES).index(params.get("taille")) if params.get("taille") in MEASURES else 0,
        key="taille",
    )
    colour_by = st.sidebar.radio(
        "Couleur des cercles",
        list(COLOUR_BY),
        format_func=lambda c: COLOUR_BY[c][0],
        index=list(COLOUR_BY).index(params.get("couleur")) if params.get("couleur") in COLOUR_BY else 0,
        key="couleur",
    )
    params["taille"], params["couleur"] = size_measure, colour_by
    shown_projects, projects_summary = project_filters(all_projects, key="carte")

# --- search -----------------------------------------------------------------------------
query = st.text_input(
    "Rechercher une commune, un EPCI ou un territoire", value=params.get("q", ""), placeholder="ex. Denain, 02738…"
)
bounds = None
selected_siren = params.get("epci")
selected_territory = params.get("territoire")
if query:
    params["q"] = query
    matches = search_places(query, places())
    if matches.empty:
        st.info(f"Aucun résultat pour « {query} ».")
    else:
        labels = [f"{row.label} — {KIND_FR[row.kind]} ({row.detail})" for row in matches.itertuples()]
        choice = st.selectbox("Résultats", range(len(labels)), format_func=labels.__getitem__, key="resultat")
        match = matches.iloc[choice]
        bounds = [[match.miny, match.minx], [match.maxy, match.maxx]]
        if match.kind == "territoire":
            selected_territory, selected_siren = match.id, None
        elif match.kind == "epci":
            selected_siren, selected_territory = match.id, None
        else:
            communes = layer("communes")
            selected_siren = communes.loc[communes["code"] == match.id, "epci_siren"].iloc[0]
            selected_territory = None
elif "q" in params:
    del params["q"]
if bounds is None and selected_territory:
    found = places()[lambda p: (p["kind"] == "territoire") & (p["id"] == selected_territory)]
    bounds = (
        [[found.miny.iloc[0], found.minx.iloc[0]], [found.maxy.iloc[0], found.maxx.iloc[0]]] if len(found) else None
    )
# A search (or a new territory) recentres the map; otherwise the URL's centre and zoom are kept.
if query != st.session_state.get("derniere_recherche", query):
    for name in ("centre", "zoom"):
        if name in params:
            del params[name]
st.session_state["derniere_recherche"] = query
centre, zoom = _view_from(params)

# --- map --------------------------------------------------------------------------------
sources = map_sources(tuple(overlays), with_projects=show_projects, with_foncier=show_foncier)
if basemap:
    sources.append(BASEMAPS[basemap][2])
fmap = explorer_map(
    prepared,
    overlays=overlays,
    attribution="Sources : " + " ; ".join(sources),
    selected_siren=selected_siren,
    bounds=None if centre else bounds,
)
if basemap:
    add_basemap(fmap, basemap)
if show_foncier and len(available_land):
    foncier_layer(available_land, name="Foncier disponible").add_to(fmap)
if show_projects and len(shown_projects):
    project_layer(shown_projects, measure=size_measure, colour_by=colour_by).add_to(fmap)
# Clicks, and the view once the user pans or zooms, come back (the view goes into the URL).
# The click's position is looked up in the EPCI, so a click works through the overlays drawn on top.
state = (
    st_folium(
        fmap,
        height=620,
        use_container_width=True,
        center=centre,
        zoom=zoom,
        returned_objects=["last_clicked", "center", "zoom"],
        key="carte",
    )
    or {}
)
clicked = state.get("last_clicked")
if clicked and clicked != st.session_state.get("dernier_clic"):
    st.session_state["dernier_clic"] = clicked
    selected_siren = epci_at(clicked["lng"], clicked["lat"], epci_web) or selected_siren
    selected_territory = None
if state.get("center") and state.get("zoom"):
    # The first value is the component's default (the fitted view), not where the map is shown:
    # only a change reported by the map is written to the URL.
    view = (f"{state['center']['lat']:.4f},{state['center']['lng']:.4f}", str(int(state["zoom"])))
    if st.session_state.get("vue_carte") not in (None, view):
        params["centre"], params["zoom"] = view
    st.session_state["vue_carte"] = view
for name, value in (("epci", selected_siren), ("territoire", selected_territory)):
    if value:
        params[name] = value
    elif name in params:
        del params[name]

legend = " · ".join(f"{OVERLAYS[k].name} : {prepared.overlays[k].count}" for k in overlays)
st.markdown(f"**{len(epci_web)} EPCI** affichés" + (f" · {legend}" if legend else ""))
if show_projects:
    swatches = " ".join(
        f"<span style='color:{colour}'>●</span> {label} ({count})"
        for label, colour, count in legend_entries(shown_projects, colour_by)
    )
    st.markdown(
        f"**Projets** ({projects_summary}) — surface des cercles ∝ {MEASURES[size_measure]} ; "
        f"cercle vide = non renseigné<br>{swatches}",
        unsafe_allow_html=True,
    )

if selected_territory:
    show_territory_fiche(selected_territory)
elif selected_siren:
    show_epci_fiche(selected_siren)
else:
    st.info("Cliquez sur un EPCI de la carte, ou cherchez-le (ou un territoire), pour ouvrir sa fiche.")

with st.expander("Sources et millésimes"):
    st.markdown("\n".join(f"- {line}" for line in sources))
    built = build_date(metadata)
    if built:
        st.caption(f"Données construites le {built[:10]} (Licence Ouverte 2.0 : producteur et date cités).")
