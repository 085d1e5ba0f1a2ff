"""Carte: EPCI of Hauts-de-France and Grand Est with Territoires d'industrie, bassins and zonings.

The view (overlays, selected EPCI, searched place) lives in the URL (st.query_params),
so a copied address reopens the same view.
"""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from app_pages.data_access import layer, layer_or_stop, map_data, places
from app_pages.fiche import show_epci_fiche
from geo.metadata import attributions, build_date
from geo.search import epci_at, search_places
from layers.overview import explorer_map
from layers.territories import OVERLAYS, overlay_sources

DEFAULT_OVERLAYS = ["ti2"]
KIND_FR = {"epci": "EPCI", "commune": "Commune", "territoire": "Territoire"}

st.title("Carte de la réindustrialisation")
st.caption("Hauts-de-France et Grand Est — intercommunalités (EPCI) au 1er janvier 2026")

epci_web = layer_or_stop("epci_web")
territories_web = layer("territoires_web")
metadata = layer("metadata")
prepared = map_data()
params = st.query_params

# --- overlays (sidebar), kept in the URL -------------------------------------------------
requested = params.get("couches")
active_default = DEFAULT_OVERLAYS if requested is None else [k for k in requested.split(",") if k in OVERLAYS]
st.sidebar.header("Couches")
overlays = []
for key, style in OVERLAYS.items():
    swatch = f":material/square: {style.name} ({prepared.overlays[key].count})"
    if st.sidebar.toggle(swatch, value=key in active_default, key=f"couche_{key}"):
        overlays.append(key)
params["couches"] = ",".join(overlays)

# --- search -----------------------------------------------------------------------------
query = st.text_input(
    "Rechercher une commune, un EPCI ou un territoire", value=params.get("q", ""), placeholder="ex. Denain, 02738…"
)
bounds = None
selected_siren = params.get("epci")
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
        if match.kind == "epci":
            selected_siren = match.id
        elif match.kind == "commune":
            communes = layer("communes")
            selected_siren = communes.loc[communes["code"] == match.id, "epci_siren"].iloc[0]
elif "q" in params:
    del params["q"]

# --- map --------------------------------------------------------------------------------
sources = attributions(metadata, ["epci", "departements", "regions"]) + overlay_sources(territories_web, overlays)
fmap = explorer_map(
    prepared,
    overlays=overlays,
    attribution="Sources : " + " ; ".join(sources),
    selected_siren=selected_siren,
    bounds=bounds,
)
# Only clicks come back: panning and zooming never rerun the page. The click's position is
# looked up in the EPCI, so a click works through the territory overlays drawn on top.
state = st_folium(fmap, height=620, use_container_width=True, returned_objects=["last_clicked"], key="carte")
clicked = (state or {}).get("last_clicked")
if clicked and clicked != st.session_state.get("dernier_clic"):
    st.session_state["dernier_clic"] = clicked
    selected_siren = epci_at(clicked["lng"], clicked["lat"], epci_web) or selected_siren
if selected_siren:
    params["epci"] = selected_siren

legend = " · ".join(f"{OVERLAYS[k].name} : {prepared.overlays[k].count}" for k in overlays)
st.markdown(f"**{len(epci_web)} EPCI** affichés" + (f" · {legend}" if legend else ""))

if selected_siren:
    show_epci_fiche(selected_siren)
else:
    st.info("Cliquez sur un EPCI de la carte, ou cherchez-le, pour ouvrir sa fiche.")

with st.expander("Sources et millésimes"):
    st.markdown("\n".join(f"- {line}" for line in sources))
    built = build_date(metadata)
    if built:
        st.caption(f"Données construites le {built[:10]} (Licence Ouverte 2.0 : producteur et date cités).")
