"""Carte: EPCI of Hauts-de-France and Grand Est with Territoires d'industrie, bassins and zonings.

The page reads top to bottom: the view is read from the URL (:class:`~geo.analysis.view.MapView`),
the widgets change it, the map is drawn from it, the selected place opens its fiche, and the view
is written back once, so a copied address reopens the same map. A click or a pan on the map is
read before the page runs (:func:`on_map_report`), so the run it starts draws the map once, with
the clicked place already selected.
"""

from __future__ import annotations

import html
from dataclasses import replace

import streamlit as st

from app_pages.data_access import (
    DRAWN_LAND_MIN_SURFACE_HA,
    drawn_available_land,
    filtered_project_markers,
    layer,
    layer_or_stop,
    map_caveats,
    map_data,
    map_sources,
    map_tiles,
    phases,
    place_data,
    projects,
    relance_by_departement,
    unit_shapes,
)
from app_pages.fiche import copy_link_button, show_selected_fiche
from app_pages.filters import project_filters
from app_pages.layout import compact_top
from app_pages.map_component import map_component
from app_pages.session_memory import carte_memory
from app_pages.url_state import read_view, write_view
from geo.analysis.phases import counts_by_region, territories_by_region
from geo.analysis.places import PlaceData
from geo.analysis.projects import MEASURES
from geo.analysis.relance import WHAT_IS_COUNTED
from geo.analysis.view import EMPLOYMENT_MEASURES, MapView
from geo.exports import csv_bytes
from geo.metadata import build_date
from geo.usecases.places import place_at, places_matching, select_match, with_commune_epci
from geo.usecases.stats import ZONE_EMPLOI
from geo.vocabulary import INDUSTRY_SHARE_WHAT, REGION_NAMES
from geo.vocabulary import MEASURED_JOBS_WHAT as WHAT_IS_MEASURED
from layers.assets import BASEMAPS, add_basemap
from layers.choropleth import relance_choropleth
from layers.employment import epci_share_layer, zone_employment_layer
from layers.foncier import foncier_layer
from layers.formatting import (
    date_fr,
    french_table,
    legend_html,
    markdown_code,
    markdown_escaped,
    number_fr,
    sentence_case,
)
from layers.overview import explorer_map
from layers.phases import phase_layer, phase_legend
from layers.projects import COLOUR_BY, legend_entries, marker_layer
from layers.territories import OVERLAYS
from layers.vector_tiles import MapSelection

KIND_FR = {"epci": "EPCI", "commune": "Commune", "territoire": "Territoire"}
MAP_HEIGHT_PX = 560
"""The map and the fiche beside it: above the fold at 1366 × 768 under Streamlit's bar, the title and the search."""
MAP_KEY = "carte"  # where the map frame puts its last report (click, centre, zoom) in the session


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
        f"Foncier disponible, {number_fr(DRAWN_LAND_MIN_SURFACE_HA)} ha et plus ({len(available_land)})",
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
    show_employment = st.sidebar.toggle(
        "Emploi industriel mesuré (URSSAF, INSEE)",
        value=view.show_employment,
        key="couche_emploi",
        help="Emplois salariés du privé dans l'industrie par zone d'emploi, mesurés (pas annoncés), 2019-2024.",
    )
    employment_measure = view.employment_measure
    if show_employment:
        employment_measure = st.sidebar.radio(
            "Emploi industriel : afficher",
            list(EMPLOYMENT_MEASURES),
            index=list(EMPLOYMENT_MEASURES).index(view.employment_measure),
            format_func=EMPLOYMENT_MEASURES.get,
            key="emploi_mesure",
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
        show_employment=show_employment,
        employment_measure=employment_measure,
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


def search_widget(view: MapView, places: PlaceData) -> tuple[MapView, list | None]:
    """The place search; a newly chosen result selects its place and gives the bounds to fit.

    The chosen result selects its commune, EPCI or territory once, when it is chosen: a later click
    on the map selects another place without the search taking it back. An address that carries
    both a search and a selection (a permalink) keeps its selection.

    A text is new when it differs from the address's ``q``, not from the session's memory: the address
    comes back from the browser with every run, and a run stopped by another (the map reporting its view
    while the page still ran) never got its address to the browser. Remembered in the session, such a
    search counted as done, and its place was never selected.
    """
    memory = carte_memory()
    query = st.text_input(
        "Rechercher une commune, un EPCI ou un territoire", value=view.search, placeholder="ex. Denain, 02738…"
    )
    new_text = query != view.search
    view = replace(view, search=query)
    if new_text:
        view = view.recentred()  # a new search recentres the map; otherwise the URL's centre and zoom are kept
    if not query:
        return view, None
    matches = places_matching(query, places)
    if not matches:
        st.info(f"Aucun résultat pour {markdown_code(query, max_chars=80)}.")
        return view, None
    labels = [f"{match.label} — {KIND_FR[match.kind]} ({match.detail})" for match in matches]
    choice = st.selectbox("Résultats", range(len(labels)), format_func=labels.__getitem__, key="resultat")
    match = matches[choice]
    picked, previous = (query, match.kind, match.id), memory.picked_result
    memory.picked_result = picked
    if not new_text and (picked == previous or (previous is None and view.selection)):
        return view, match.bounds
    return select_match(match, view, places), match.bounds


def show_phase_summary(comparison) -> None:
    """Legend, counts by region and the table to download for the phases layer."""
    st.markdown(
        f"**Territoires d'industrie, 2018-2023 → 2024-2027** (EPCI) : {legend_html(phase_legend(comparison))}",
        unsafe_allow_html=True,
    )
    region_names = REGION_NAMES
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


def opening_view(view: MapView, bounds: list | None) -> tuple[tuple[float, float], int] | None:
    """Where the map opens: the view's centre and zoom, held for as long as the drawing stays the same.

    The map frame is keyed by the map's drawing (app_pages.map_component): a map opening wherever the last pan
    left it would be a new component, reloaded from scratch, after every move. So the opening is
    taken from the view only when the drawing itself changes (a layer, a selection, a search): the
    map is then drawn anew where the user left it, and pans only report the view to the address.
    """
    memory = carte_memory()
    drawing = (view.recentred(), repr(bounds))
    held = memory.opening
    # An address without a centre (back from another page) fits the map again rather than reopen an old view.
    if held is not None and held[0] == drawing and (held[1] is None or view.centre):
        return held[1]
    start = (view.centre, view.zoom) if view.centre and view.zoom else None
    memory.opening = (drawing, start)
    return start


def on_map_report() -> None:
    """A click or a pan reported by the map, read before the run it starts: the view changes before the drawing.

    A click selects what is under it (:func:`~geo.usecases.places.place_at`); the view the map
    reports goes into the address. The map keeps reporting its last click with every pan, so a
    click is acted on once. Streamlit calls this before the page runs, so that run draws the map
    once, with the new selection outlined (read after the drawing, a click made the page run twice).
    """
    report = st.session_state.get(MAP_KEY) or {}
    memory = carte_memory()
    view = read_view()
    clicked = report.get("last_clicked")
    if clicked and clicked != memory.last_click:
        memory.last_click = clicked
        view = place_at((clicked["lng"], clicked["lat"]), int(report.get("zoom") or 0), view, place_data())
    # The component's default value has no centre: a centre is always where the map really is.
    if report.get("center") and report.get("zoom"):
        view = view.moved_to((report["center"]["lat"], report["center"]["lng"]), int(report["zoom"]))
    write_view(view)


# The map above the fold at 1366 × 768 (a town-hall laptop): a short title with the search beside it, then the map
# with the fiche beside it from 1280 px wide (the fiche scrolls on its own), one under the other below.
compact_top(
    "@media (max-width: 1279px) {"
    " .st-key-carte_et_fiche [data-testid='stHorizontalBlock'] { flex-direction: column; }"
    " .st-key-carte_et_fiche [data-testid='stColumn'] { width: 100% !important; flex: 1 1 100% !important; }"
    " .st-key-fiche_defilante { height: auto !important; max-height: none !important; } }"
)
title_column, search_column = st.columns([3, 2], vertical_alignment="bottom")
title_column.title("Carte de la réindustrialisation")
title_column.caption("Hauts-de-France et Grand Est — intercommunalités (EPCI) au 1er janvier 2026")
epci_web = layer_or_stop("epci_web")
metadata = layer("metadata")
prepared = map_data()
all_projects = projects()
available_land = drawn_available_land()

# widgets → state
view = layer_widgets(read_view(), prepared, all_projects, available_land)
if view.show_projects:
    view = circle_widgets(view)
    shown_projects, projects_summary, filters = project_filters(view.filters, key="carte")
    view = replace(view, filters=filters)
places = place_data()
with search_column:
    view, bounds = search_widget(view, places)
view = with_commune_epci(view, places)
if bounds is None and view.territoire:
    bounds = places.bounds("territoire", view.territoire)
# The address before the map: the map's next report then carries this run's selection back (the browser
# applies the page's messages in order), even when it stops this run before its end.
write_view(view)

# → map
# The phases layer draws from both lists of Territoires d'industrie: cite them as their overlays would be.
cited_overlays = tuple(dict.fromkeys([*view.overlays, *(("ti1", "ti2") if view.show_phases else ())]))
employment_table = (
    ("emploi_epci" if view.employment_measure == "part-epci" else "emploi_industriel_ze")
    if view.show_employment
    else None
)
sources = map_sources(
    cited_overlays,
    with_projects=view.show_projects,
    with_foncier=view.show_foncier,
    with_relance=view.show_relance,
    employment=employment_table,
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
    fold_sources=True,
)
if view.basemap:
    add_basemap(fmap, view.basemap)
if view.show_phases:
    comparison = phases()
    phase_layer(epci_web, comparison).add_to(fmap)
if view.show_relance:
    relance_shapes, relance_legend = relance_choropleth(relance_by_departement(), unit_shapes("departement"))
    relance_shapes.add_to(fmap)
if view.show_employment:
    if view.employment_measure == "part-epci":
        employment_shapes, employment_legend = epci_share_layer(
            unit_shapes("epci"), layer("emploi_epci").set_index("siren")["part_industrie_2022"]
        )
    else:
        employment_shapes, employment_legend = zone_employment_layer(
            unit_shapes(ZONE_EMPLOI), layer("emploi_industriel_ze"), measure=view.employment_measure
        )
    employment_shapes.add_to(fmap)
if view.show_foncier and len(available_land):
    foncier_layer(available_land, name="Foncier disponible").add_to(fmap)
if view.show_projects and len(shown_projects):
    circles = filtered_project_markers(view.filters, measure=view.size_measure, colour_by=view.colour_by)
    marker_layer(circles).add_to(fmap)
map_column, fiche_column = st.container(key="carte_et_fiche").columns([3, 2], gap="medium")
with map_column:
    map_component(
        fmap,
        height=MAP_HEIGHT_PX,
        returned_objects=["last_clicked", "center", "zoom"],
        key=MAP_KEY,
        on_change=on_map_report,
    )

# → fiche
with fiche_column, st.container(height=MAP_HEIGHT_PX, border=False, key="fiche_defilante"):
    if show_selected_fiche(view):
        copy_link_button(view)
    else:
        st.info("Cliquez sur un EPCI de la carte (ou, de près, sur une commune), ou cherchez-le, pour ouvrir sa fiche.")

legend = " · ".join(f"{OVERLAYS[k].name} : {prepared.overlays[k].count}" for k in view.overlays)
st.markdown(f"**{len(epci_web)} EPCI** affichés" + (f" · {legend}" if legend else ""))
if view.show_relance:
    st.markdown(
        "**France Relance** — entreprises industrielles aidées pour 100 000 habitants : "
        + legend_html(relance_legend)
        + f"<br><small>{WHAT_IS_COUNTED}</small>",
        unsafe_allow_html=True,
    )
if view.show_employment:
    counted = INDUSTRY_SHARE_WHAT if view.employment_measure == "part-epci" else WHAT_IS_MEASURED
    st.markdown(
        f"**Emploi industriel mesuré** — {EMPLOYMENT_MEASURES[view.employment_measure]} : "
        + legend_html(employment_legend)
        + f"<br><small>{html.escape(counted)} Des emplois mesurés, à ne pas additionner aux emplois annoncés des "
        "projets.</small>",
        unsafe_allow_html=True,
    )
if view.show_phases:
    show_phase_summary(comparison)
caveats = map_caveats(tuple(view.overlays))
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

with st.expander("Sources et millésimes"):
    st.markdown("\n".join(f"- {markdown_escaped(line)}" for line in sources))
    built = build_date(metadata)
    if built:
        st.caption(f"Données construites le {date_fr(built[:10])} (Licence Ouverte 2.0 : producteur et date cités).")
