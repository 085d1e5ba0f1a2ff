"""Foncier: find available industrial land (brownfields, sites clés en main) by surface, status, place."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from app_pages import foncier_editing
from app_pages.data_access import (
    all_foncier_totals,
    foncier_sites,
    layer,
    layer_or_stop,
    map_data,
    map_sources,
    map_tiles,
    places,
)
from app_pages.editor import editor_sign_in
from geo.analysis.foncier import FoncierQuery
from geo.analysis.sites import TERRITORY_COLUMNS
from geo.errors import PlaceNotFoundError
from geo.exports import csv_bytes, xlsx_bytes
from geo.metadata import attributions
from geo.usecases.foncier_export import foncier_export
from geo.usecases.foncier_search import commune_origin, search_around
from geo.vocabulary import AVAILABLE_STATUSES, DISTANCE_COLUMNS, SITES_DRAWN_MAX
from layers.foncier import STATUS_COLOURS, foncier_layer
from layers.formatting import french_table, legend_html, markdown_code, markdown_escaped, number_fr
from layers.overview import explorer_map

st.title("Foncier disponible pour l'industrie")
layer_or_stop("foncier")
foncier_editing.show_flash()
can_edit = editor_sign_in()
sites = foncier_sites()
metadata = layer("metadata")
sources_line = "Sources : " + " ; ".join(attributions(metadata, ["foncier"]))
st.caption(
    f"{len(sites)} sites : friches de Cartofriches et sites industriels clés en main. {sources_line}. "
    "Les friches « potentielles » (BASIAS/BASOL non vérifiés par le Cerema) ne sont pas des statistiques."
)
_totals = all_foncier_totals()
st.markdown(
    f"**{number_fr(_totals.plausible_ha, decimals=1)} ha de foncier disponible plausible** sur {_totals.n_plausible} "
    f"sites, sur {number_fr(_totals.surface_ha, decimals=1)} ha recensés comme disponibles : les friches potentielles "
    "non vérifiées, les zonages naturels ou agricoles, les terrils, carrières et décharges et les doublons ne sont "
    "pas comptés (la fiche de chaque site dit pourquoi)."
)

sidebar = st.sidebar
sidebar.header("Critères")
min_surface = sidebar.number_input("Surface minimale (ha)", min_value=0.0, value=1.0, step=0.5, key="surface_min")
statuts = sidebar.multiselect(
    "Statut",
    sorted(sites["statut"].dropna().unique()),
    default=list(AVAILABLE_STATUSES),
    key="statuts_foncier",
    placeholder="Choisir…",
)
zones = sidebar.multiselect(
    "Zonage d'urbanisme (vide = tous)",
    sorted(sites["zone_urba"].dropna().unique()),
    key="zones",
    placeholder="Tous les zonages",
)
pollution_known = sidebar.checkbox("Pollution connue (avérée ou inexistante)", key="pollution")
verified_only = sidebar.checkbox("Exclure les friches potentielles non vérifiées", key="verifiees")
max_rail = sidebar.number_input("Voie ferrée à moins de (m, 0 = sans condition)", min_value=0, value=0, step=500)
missing = [label for column, label in DISTANCE_COLUMNS.items() if sites[column].isna().all()]
if missing:
    sidebar.caption("Distances non disponibles dans la source : " + ", ".join(missing) + ".")
territory_kind = sidebar.selectbox(
    "Dans un territoire",
    ["", "epci_siren", "ti_phase2", "ti_phase1", "bassins"],
    format_func={
        "": "aucun",
        "epci_siren": "EPCI",
        "ti_phase2": "Territoire d'industrie 2024-2027",
        "ti_phase1": "Territoire d'industrie 2018-2023",
        "bassins": "bassin prioritaire",
    }.get,
    key="territoire_type",
)
territory_id = None
if territory_kind:
    if territory_kind == "epci_siren":
        options = layer("epci").set_index("siren")["nom"]
    else:
        kind = {column: kind for kind, column in TERRITORY_COLUMNS.items()}[territory_kind]
        territories = layer("territoires")
        options = territories[territories["kind"] == kind].set_index("territory_id")["label"]
    territory_id = sidebar.selectbox("Territoire", list(options.index), format_func=options.get, key="territoire")

place_query = st.text_input("Autour d'une commune (distance à vol d'oiseau, Lambert-93)", key="autour")
radius_km = st.slider("Rayon (km)", 1, 100, 20, key="rayon")
origin = None
if place_query:
    try:
        origin = commune_origin(place_query, places())
    except PlaceNotFoundError:
        st.warning(f"Aucune commune trouvée pour {markdown_code(place_query, max_chars=80)}.")
    else:
        st.caption(
            f"Distances mesurées depuis le centre de {markdown_escaped(origin.label)} "
            f"({markdown_escaped(origin.detail)})."
        )

query = FoncierQuery(
    min_surface_ha=min_surface or None,
    statuts=tuple(statuts),
    zones_urba=tuple(zones) or None,
    pollution_known=pollution_known,
    verified_only=verified_only,
    max_distance_m={"distance_rail_m": float(max_rail)} if max_rail else None,
    territory_column=territory_kind or None,
    territory_id=territory_id,
)
found = search_around(sites, query, origin, radius_km)
rule = "par distance croissante au point choisi" if origin else "par surface décroissante (surface inconnue en dernier)"
st.markdown(f"**{number_fr(len(found))} sites** trouvés, classés {rule}.")

# The Carte's map (communes and exact borders when zoomed in), with the territories land is searched in.
FONCIER_OVERLAYS = ("ti2", "bassins")
map_sources_line = "Sources : " + " ; ".join(map_sources(FONCIER_OVERLAYS, with_projects=False, with_foncier=True))
fmap = explorer_map(map_data(), overlays=list(FONCIER_OVERLAYS), attribution=map_sources_line, tiles=map_tiles())
if len(found):
    foncier_layer(found.head(SITES_DRAWN_MAX)).add_to(fmap)
# Editors place new sites by clicking: only then does a click need to come back to Python.
clicked_state = st_folium(
    fmap,
    height=520,
    use_container_width=True,
    returned_objects=["last_clicked"] if can_edit else [],
    key="carte_foncier",
)
st.markdown(
    legend_html([(colour, status) for status, colour in STATUS_COLOURS.items()], round_swatches=True)
    + " · pointillés : friche potentielle non vérifiée"
    + (f" · {number_fr(SITES_DRAWN_MAX)} premiers sites affichés" if len(found) > SITES_DRAWN_MAX else ""),
    unsafe_allow_html=True,
)

columns = {
    "nom": "Site",
    "kind": "Type",
    "commune_nom": "Commune",
    "statut": "Statut",
    "surface_ha": "Surface (ha)",
    "zone_urba": "Zonage",
    "pollution": "Pollution",
    "distance_rail_m": "Voie ferrée (m)",
    "distance_m": "Distance (m)",
    "nature": "Origine",
    "date_maj": "Mise à jour",
}
st.dataframe(
    french_table(found[list(columns)].rename(columns=columns), decimals={"Surface (ha)": 1}),
    hide_index=True,
    width="stretch",
)
territories = layer("territoires")
export = foncier_export(found, dict(zip(territories["territory_id"], territories["label"], strict=True)))
c1, c2, c3 = st.columns(3)
c1.download_button("CSV", csv_bytes(export), "foncier.csv")
c2.download_button("XLSX", xlsx_bytes({"Foncier": export}), "foncier.xlsx")
c3.download_button("GeoJSON", found.to_json(drop_id=True, to_wgs84=True), "foncier.geojson")

st.subheader("Fiche d'un site")
foncier_editing.show_conflict()
chosen_site = foncier_editing.choose_site(found.head(SITES_DRAWN_MAX), sites)
if chosen_site is not None:
    foncier_editing.site_sheet(chosen_site, can_edit=can_edit)
if can_edit:
    last = (clicked_state or {}).get("last_clicked")
    foncier_editing.add_site_form((last["lat"], last["lng"]) if last else None)
foncier_editing.history_summary()
with st.expander("Historique des modifications"):
    foncier_editing.history(can_edit=can_edit)
st.caption(sources_line)
