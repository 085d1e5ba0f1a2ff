"""Carte: the EPCI of Hauts-de-France and Grand Est (first page of the chain store → layers → map)."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from app_pages.data_access import layer, layer_or_stop
from geo.metadata import attributions, build_date
from layers.overview import overview_map

st.title("Carte de la réindustrialisation")
st.caption("Hauts-de-France et Grand Est — intercommunalités (EPCI) au 1er janvier 2026")

epci_web = layer_or_stop("epci_web")
metadata = layer("metadata")
sources = attributions(metadata, ["epci", "departements", "regions"])
fmap = overview_map(
    epci_web, layer("departements_web"), layer("regions_web"), attribution="Sources : " + " ; ".join(sources)
)
# returned_objects=[]: the overview does not react to clicks yet, so panning never reruns the page.
st_folium(fmap, height=640, use_container_width=True, returned_objects=[], key="carte")

st.markdown(f"**{len(epci_web)} EPCI** ayant au moins une commune en Hauts-de-France ou en Grand Est.")
with st.expander("Sources et millésimes"):
    st.markdown("\n".join(f"- {line}" for line in sources))
    built = build_date(metadata)
    if built:
        st.caption(f"Données construites le {built[:10]} (Licence Ouverte 2.0 : producteur et date cités).")
