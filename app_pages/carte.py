"""Carte: EPCI of Hauts-de-France and Grand Est with Territoires d'industrie, bassins and zonings.

The page reads top to bottom: the view is read from the URL (:class:`~geo.analysis.view.MapView`),
the widgets change it, the map is drawn from it, the clicked or searched place opens its fiche,
and the view is written back once, so a copied address reopens the same map.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st
from streamlit_folium import st_folium

from app_pages.data_access import (
    foncier_sites,
    layer,
    layer_or_stop,
    map_data,
    map_sources,
    map_tiles,
    phases,
    places,
    projects,
    relance_by_departement,
    unit_shapes,
)
from app_pages.fiche import show_commune_fiche, show_epci_fiche, show_territory_fiche
from app_pages.filters import project_filters
from app_pages.url_state import read_view, write_view
from geo.analysis.foncier import FoncierQuery, search_sites
from geo.analysis.phases import counts_by_region, territories_by_region
from geo.analysis.places import commune_at, epci_at, epci_of_commune, search_places
from geo.analysis.projects import MEASURES
from geo.analysis.relance import WHAT_IS_COUNTED
from geo.analysis.view import MapView
from geo.exports import csv_bytes
from geo.metadata import build_date
from geo.scales import COMMUNE_OUTLINE_MIN_ZOOM
from geo.vocabulary import AVAILABLE_STATUSES
from layers.assets import BASEMAPS, add_basemap
from layers.choropleth import relance_choropleth
from layers.foncier import foncier_layer
from layers.formatting import date_fr, french_table, legend_html, markdown_code, markdown_escaped, sentence_case
from layers.overview import explorer_map
from layers.phases import phase_layer, phase_legend
from layers.projects import COLOUR_BY, legend_entries, project_layer
from layers.territories import OVERLAYS, overlay_caveats
from layers.vector_tiles import MapSelection

KIND_FR = {"epci": "EPCI", "commune": "Commune", "territoire": "Territoire"}


def layer_widgets(view: MapView, prepared, all_projects, available_land) -> MapView:
    """Overlays, projects, foncier and basemap toggles in the sidebar."""
    st.sidebar.header("Couches")
    # No icon in the labels: Streamlit writes a label's text into the toggle's aria-label, where a screen
    # reader would read the icon's code (« :material/square: Bassins prioritaires »).
    overlays = tuple(
        key
        for key, style in OVERLAYS.items()
        if st.sidebar.toggle(
            f"{style.name} ({prepared.overlays[key].count})",
            value=key in view.overlays,
            key=f"couche_{key}",
        )
    )
    show_projects = st.sidebar.toggle(
        f"Projets industriels ({len(all_projects)})", value=view.show_projects, key="couche_projets"
    )
    show_foncier = st.sidebar.toggle(
        f"Foncier disponible, 1 ha et plus ({len(available_land)})",
        value=view.show_foncier,
        key="couche_foncier",
    )
    show_relance = st.sidebar.toggle(
        "France Relance : entreprises aidées par département",
        value=view.show_relance,
        key="couche_relance",
        help="Entreprises industrielles aidées à l'investissement, pour 100 000 habitants (2020-2022).",
    )
    show_phases = st.sidebar.toggle(
        "Territoires d'industrie : entrées et sorties en 2024",
        value=view.show_phases,
        key="couche_ti_evolution",
        help="Chaque EPCI selon son appartenance aux phases 2018-2023 et 2024-2027.",
    )
    choices = ["", *BASEMAPS]
    basemap = st.sidebar.selectbox(
        "Fond de carte",
        choices,
        index=choices.index(view.basemap) if view.basemap in choices else 0,
        format_func=lambda key: BASEMAPS[key][0] + " (en ligne)" if key else "aucun (hors ligne)",
        key="fond",
    )
    return replace(
        view,
        overlays=overlays,
        show_projects=show_projects,
        show_foncier=show_foncier,
        show_relance=show_relance,
        show_phases=show_phases,
        basemap=basemap,
    )


def circle_widgets(view: MapView) -> MapView:
    """Size and colour of the project circles."""
    size_measure = st.sidebar.selectbox(
        "Taille des cercles",
        list(MEASURES),
        format_func=lambda m: sentence_case(MEASURES[m]),
        index=list(MEASURES).index(view.size_measure),
        key="taille",
    )
    colour_by = st.sidebar.radio(
        "Couleur des cercles",
        list(COLOUR_BY),
        format_func=lambda c: COLOUR_BY[c][0],
        index=list(COLOUR_BY).index(view.colour_by),
        key="couleur",
    )
    return replace(view, size_measure=size_measure, colour_by=colour_by)


def search_widget(view: MapView) -> tuple[MapView, list | None]:
    """The place search; a newly chosen result selects its place and gives the bounds to fit.

    The chosen result selects its commune, EPCI or territory once, when it is chosen: a later click
    on the map selects another place without the search taking it back. An address that carries
    both a search and a selection (a permalink) keeps its selection.
    """
    query = st.text_input(
        "Rechercher une commune, un EPCI ou un territoire", value=view.search, placeholder="ex. Denain, 02738…"
    )
    view = replace(view, search=query)
    if query != st.session_state.get("derniere_recherche", query):
        view = view.recentred()  # a new search recentres the map; otherwise the URL's centre and zoom are kept
    st.session_state["derniere_recherche"] = query
    if not query:
        return view, None
    matches = search_places(query, places())
    if matches.empty:
        st.info(f"Aucun résultat pour {markdown_code(query, max_chars=80)}.")
        return view, None
    labels = [f"{row.label} — {KIND_FR[row.kind]} ({row.detail})" for row in matches.itertuples()]
    choice = st.selectbox("Résultats", range(len(labels)), format_func=labels.__getitem__, key="resultat")
    match = matches.iloc[choice]
    bounds = [[match.miny, match.minx], [match.maxy, match.maxx]]
    picked, previous = (query, match.kind, match.id), st.session_state.get("resultat_choisi")
    st.session_state["resultat_choisi"] = picked
    if picked == previous or (previous is None and (view.epci or view.commune or view.territoire)):
        return view, bounds
    if match.kind == "territoire":
        return replace(view, territoire=match.id, epci=None, commune=None), bounds
    if match.kind == "epci":
        return replace(view, epci=match.id, territoire=None, commune=None), bounds
    return replace(view, epci=epci_of_commune(match.id, layer("communes")), commune=match.id, territoire=None), bounds


def show_phase_summary(comparison) -> None:
    """Legend, counts by region and the table to download for the phases layer."""
    st.markdown(
        f"**Territoires d'industrie, 2018-2023 → 2024-2027** (EPCI) : {legend_html(phase_legend(comparison))}",
        unsafe_allow_html=True,
    )
    region_names = {"32": "Hauts-de-France", "44": "Grand Est"}
    # Full width: the four categories do not fit beside the territory counts.
    st.dataframe(french_table(counts_by_region(comparison, region_names)), width="stretch")
    territories = territories_by_region(
        layer("territoires"), layer("territoire_communes"), layer("communes"), region_names
    )
    st.dataframe(french_table(territories), width="stretch")
    st.caption("Territoires d'industrie par phase (un territoire à cheval sur deux régions compte dans chacune).")
    table = comparison.rename(
        columns={
            "siren": "SIREN",
            "nom": "EPCI",
            "regions": "Régions",
            "categorie": "Évolution",
            "ti_phase1": "TI 2018-2023",
            "ti_phase2": "TI 2024-2027",
        }
    )
    st.download_button(
        "Télécharger le tableau des EPCI (CSV)",
        csv_bytes(table),
        file_name="territoires-industrie-phases-epci.csv",
        mime="text/csv",
    )


def territory_bounds(territory_id: str) -> list | None:
    found = places()[lambda p: (p["kind"] == "territoire") & (p["id"] == territory_id)]
    return [[found.miny.iloc[0], found.minx.iloc[0]], [found.maxy.iloc[0], found.maxx.iloc[0]]] if len(found) else None


def opening_view(view: MapView, bounds: list | None) -> tuple[tuple[float, float], int] | None:
    """Where the map opens: the view's centre and zoom, held for as long as the drawing stays the same.

    streamlit-folium keys its component by the map's script: a map opening wherever the last pan
    left it would be a new component, reloaded from scratch, after every move. So the opening is
    taken from the view only when the drawing itself changes (a layer, a selection, a search): the
    map is then drawn anew where the user left it, and pans only report the view to the address.
    """
    drawing = (replace(view, centre=None, zoom=None), repr(bounds))
    held = st.session_state.get("ouverture_carte")
    # An address without a centre (back from another page) fits the map again rather than reopen an old view.
    if held is not None and held[0] == drawing and (held[1] is None or view.centre):
        return held[1]
    start = (view.centre, view.zoom) if view.centre and view.zoom else None
    st.session_state["ouverture_carte"] = (drawing, start)
    return start


def after_map(view: MapView, state: dict) -> MapView:
    """A click selects what is under it; the view the map reports goes into the address.

    Where the map shows communes (zoom 9 and more), a click opens the commune's fiche (its EPCI
    outlined); further out, the EPCI's. Looked up in the full-precision layers, not in the drawing,
    so a click works through the overlays drawn on top.
    """
    clicked = state.get("last_clicked")
    if clicked and clicked != st.session_state.get("dernier_clic"):
        st.session_state["dernier_clic"] = clicked
        siren = epci_at(clicked["lng"], clicked["lat"], layer("epci")) or view.epci
        commune = None
        if int(state.get("zoom") or 0) >= COMMUNE_OUTLINE_MIN_ZOOM:
            commune = commune_at(clicked["lng"], clicked["lat"], layer("communes"))
        view = replace(view, epci=siren, commune=commune, territoire=None)
    # The component's default value has no centre: a centre is always where the map really is.
    if state.get("center") and state.get("zoom"):
        centre = (round(state["center"]["lat"], 4), round(state["center"]["lng"], 4))
        view = replace(view, centre=centre, zoom=int(state["zoom"]))
    return view


st.title("Carte de la réindustrialisation")
st.caption("Hauts-de-France et Grand Est — intercommunalités (EPCI) au 1er janvier 2026")
epci_web = layer_or_stop("epci_web")
metadata = layer("metadata")
prepared = map_data()
all_projects = projects()
available_land = search_sites(foncier_sites(), FoncierQuery(min_surface_ha=1.0, statuts=AVAILABLE_STATUSES))

# widgets → state
view = layer_widgets(read_view(), prepared, all_projects, available_land)
if view.show_projects:
    view = circle_widgets(view)
    shown_projects, projects_summary, filters = project_filters(all_projects, view.filters, key="carte")
    view = replace(view, filters=filters)
view, bounds = search_widget(view)
if view.commune and not view.epci:  # an address naming only the commune outlines its EPCI too
    view = replace(view, epci=epci_of_commune(view.commune, layer("communes")))
if bounds is None and view.territoire:
    bounds = territory_bounds(view.territoire)

# → map
# The phases layer draws from both lists of Territoires d'industrie: cite them as their overlays would be.
cited_overlays = tuple(dict.fromkeys([*view.overlays, *(("ti1", "ti2") if view.show_phases else ())]))
sources = map_sources(
    cited_overlays, with_projects=view.show_projects, with_foncier=view.show_foncier, with_relance=view.show_relance
)
if view.basemap:
    sources.append(BASEMAPS[view.basemap][2])
fmap = explorer_map(
    prepared,
    overlays=list(view.overlays),
    attribution="Sources : " + " ; ".join(sources),
    tiles=map_tiles(),
    selection=MapSelection(epci_siren=view.epci, commune_code=view.commune),
    bounds=bounds,
    start=opening_view(view, bounds),
)
if view.basemap:
    add_basemap(fmap, view.basemap)
if view.show_phases:
    comparison = phases()
    phase_layer(epci_web, comparison).add_to(fmap)
if view.show_relance:
    relance_shapes, relance_legend = relance_choropleth(relance_by_departement(), unit_shapes("departement"))
    relance_shapes.add_to(fmap)
if view.show_foncier and len(available_land):
    foncier_layer(available_land, name="Foncier disponible").add_to(fmap)
if view.show_projects and len(shown_projects):
    project_layer(shown_projects, measure=view.size_measure, colour_by=view.colour_by).add_to(fmap)
state = (
    st_folium(
        fmap,
        height=620,
        use_container_width=True,
        returned_objects=["last_clicked", "center", "zoom"],
        key="carte",
    )
    or {}
)
drawn_selection = (view.epci, view.commune, view.territoire)
view = after_map(view, state)
write_view(view)
if (view.epci, view.commune, view.territoire) != drawn_selection:
    st.rerun()  # a click selected another place: draw its outline now, not at the next interaction

legend = " · ".join(f"{OVERLAYS[k].name} : {prepared.overlays[k].count}" for k in view.overlays)
st.markdown(f"**{len(epci_web)} EPCI** affichés" + (f" · {legend}" if legend else ""))
if view.show_relance:
    st.markdown(
        "**France Relance** — entreprises industrielles aidées pour 100 000 habitants : "
        + legend_html(relance_legend)
        + f"<br><small>{WHAT_IS_COUNTED}</small>",
        unsafe_allow_html=True,
    )
if view.show_phases:
    show_phase_summary(comparison)
caveats = overlay_caveats(layer("territoires_web"), list(view.overlays))
if caveats:
    with st.expander(
        f"Périmètres approchés ({len(caveats)}) : ce que la carte dessine à la place du périmètre officiel"
    ):
        st.markdown("\n".join(f"- **{markdown_escaped(label)}** : {markdown_escaped(note)}" for label, note in caveats))
if view.show_projects:
    swatches = legend_html(
        [(colour, f"{label} ({count})") for label, colour, count in legend_entries(shown_projects, view.colour_by)],
        round_swatches=True,
    )
    st.markdown(
        f"**Projets** ({projects_summary}) — surface des cercles ∝ {MEASURES[view.size_measure]} ; "
        f"cercle vide = non renseigné<br>{swatches}",
        unsafe_allow_html=True,
    )

# → fiche
if view.territoire:
    show_territory_fiche(view.territoire)
elif view.commune:
    show_commune_fiche(view.commune)
elif view.epci:
    show_epci_fiche(view.epci)
else:
    st.info("Cliquez sur un EPCI de la carte (ou, de près, sur une commune), ou cherchez-le, pour ouvrir sa fiche.")

with st.expander("Sources et millésimes"):
    st.markdown("\n".join(f"- {markdown_escaped(line)}" for line in sources))
    built = build_date(metadata)
    if built:
        st.caption(f"Données construites le {date_fr(built[:10])} (Licence Ouverte 2.0 : producteur et date cités).")
