"""Foncier: find available industrial land (brownfields, sites clés en main) for a prospect, ranked by aptitude.

The whole search (criteria, chosen site, shortlist) is kept in the address (:class:`FoncierSearch`), so a
search can be shared; ``reindus foncier`` runs the same search (:func:`run_search`).
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from app_pages import foncier_editing
from app_pages.data_access import (
    all_foncier_totals,
    foncier_flags,
    foncier_search,
    foncier_sites,
    layer,
    layer_or_stop,
    map_data,
    map_sources,
    map_tiles,
    press_module,
)
from app_pages.editor import editor_sign_in
from app_pages.layout import compact_top
from app_pages.map_component import map_component
from app_pages.url_state import read_foncier_search, write_foncier_search
from app_pages.widgets import french_number_input
from geo.analysis.foncier_aptitude import POINTS, RULES, ZONING_KINDS, zoning_kind
from geo.analysis.sites import TERRITORY_COLUMNS
from geo.exports import csv_bytes, xlsx_bytes
from geo.imports.parsing import parse_area_ha, parse_distance_m
from geo.metadata import attributions
from geo.usecases.foncier_export import foncier_export, shortlist_table
from geo.usecases.foncier_search import SHORTLIST_MAX, FoncierSearch, clicked_site, shortlisted
from geo.vocabulary import DISTANCE_COLUMNS, SITES_DRAWN_MAX, UNNAMED_SITE
from layers.foncier import STATUS_COLOURS, foncier_layer, search_area_layer
from layers.formatting import french_table, legend_html, markdown_code, markdown_escaped, number_fr
from layers.overview import explorer_map
from layers.site_sheet import sheets_zip, site_sheet_pdf

_LAST_CLICK = "foncier_dernier_clic"
"""The map click already acted on: the map reports its last click again with every rerun."""

compact_top()  # more of the map above the fold at 1366 × 768
st.title("Foncier disponible pour l'industrie")
layer_or_stop("foncier")
foncier_editing.show_flash()
can_edit = editor_sign_in()
sites = foncier_sites()
metadata = layer("metadata")
territories = layer("territoires")
territory_names = dict(zip(territories["territory_id"], territories["label"], strict=True))
sources_line = "Sources : " + " ; ".join(attributions(metadata, ["foncier"]))
st.caption(
    f"{number_fr(len(sites))} sites : friches de Cartofriches et sites industriels clés en main. {sources_line}. "
    "Les friches « potentielles » (BASIAS/BASOL non vérifiées par le Cerema) ne sont pas des statistiques."
)
_totals = all_foncier_totals()
st.markdown(
    f"**{number_fr(_totals.plausible_ha, decimals=1)} ha de foncier disponible plausible** sur "
    f"{number_fr(_totals.n_plausible)} sites, sur {number_fr(_totals.surface_ha, decimals=1)} ha recensés comme "
    "disponibles : les friches potentielles non vérifiées, les zonages naturels ou agricoles, les terrils, carrières "
    "et décharges et les doublons ne sont pas comptés (la fiche de chaque site dit pourquoi)."
)


def search_widgets(asked: FoncierSearch) -> FoncierSearch:
    """The criteria, opened on the search of the address; returns the search the widgets now describe."""
    sidebar = st.sidebar
    sidebar.header("Critères")
    low, high = sidebar.columns(2)
    surface_min = _hectares(low, "Surface de (ha)", asked.surface_min_ha, key="surface_min")
    surface_max = _hectares(high, "à (ha, vide = sans maximum)", asked.surface_max_ha, key="surface_max")
    zonages = sidebar.multiselect(
        "Zonage d'urbanisme (vide = tous)",
        list(ZONING_KINDS),
        default=list(asked.zonages),
        format_func=ZONING_KINDS.get,
        key="zonages",
        placeholder="Tous les zonages",
        help="Lu dans le code et le libellé du plan local (PLU, PLUi) ; la fiche d'un site donne le code du plan.",
    )
    statuses = sorted({*sites["statut"].dropna().unique(), *asked.statuts})
    statuts = sidebar.multiselect(
        "Statut", statuses, default=list(asked.statuts), key="statuts_foncier", placeholder="Choisir…"
    )
    pollution_known = sidebar.checkbox(
        "Pollution connue (avérée ou inexistante)", value=asked.pollution_connue, key="pollution"
    )
    rail = french_number_input(
        sidebar,
        "Voie ferrée à moins de (m, vide = sans condition)",
        asked.rail_max_m,
        key="rail",
        parse=parse_distance_m,
        decimals=0,
        placeholder="ex. 2 000 ou 1,5 km",
    )
    missing = [label for column, label in DISTANCE_COLUMNS.items() if sites[column].isna().all()]
    if missing:
        sidebar.caption("Distances non données par la source : " + ", ".join(missing) + ".")
    territory_kind, territory_id = _territory_widgets(asked)
    show_set_aside = sidebar.toggle(
        "Montrer aussi les sites écartés des totaux",
        value=asked.montrer_ecartes,
        key="ecartes",
        help="Doublons, terrils, carrières et décharges, zonages naturels ou agricoles, friches potentielles non "
        "vérifiées : cachés par défaut, marqués quand ils sont montrés.",
    )
    around, radius = st.columns([3, 2])
    place_query = around.text_input(
        "Autour d'une commune (distance à vol d'oiseau)", value=asked.autour, key="autour", placeholder="Lens, 59606…"
    )
    radius_km = radius.slider("Rayon (km)", 1, 100, int(asked.rayon_km), key="rayon")
    return FoncierSearch(
        autour=place_query.strip(),
        rayon_km=radius_km,
        surface_min_ha=surface_min or None,
        surface_max_ha=surface_max or None,
        zonages=tuple(zonages),
        statuts=tuple(statuts),
        pollution_connue=pollution_known,
        rail_max_m=round(rail) if rail else None,
        territoire_type=territory_kind,
        territoire=territory_id,
        montrer_ecartes=show_set_aside,
        selection=asked.selection,
        site=asked.site,
    )


def _hectares(column, label: str, value: float | None, *, key: str) -> float | None:
    """A surface in hectares, typed the French way (« 2,5 »); empty (or 0) sets no limit."""
    return french_number_input(column, label, value, key=key, parse=parse_area_ha, decimals=2, placeholder="ex. 2,5")


def _territory_widgets(asked: FoncierSearch) -> tuple[str, str | None]:
    kinds = ["", "epci_siren", "ti_phase2", "ti_phase1", "bassins"]
    territory_kind = st.sidebar.selectbox(
        "Dans un territoire",
        kinds,
        index=kinds.index(asked.territoire_type) if asked.territoire_type in kinds else 0,
        format_func={
            "": "aucun",
            "epci_siren": "EPCI",
            "ti_phase2": "Territoire d'industrie 2024-2027",
            "ti_phase1": "Territoire d'industrie 2018-2023",
            "bassins": "bassin prioritaire",
        }.get,
        key="territoire_type",
    )
    if not territory_kind:
        return "", None
    if territory_kind == "epci_siren":
        options = layer("epci").set_index("siren")["nom"]
    else:
        kind = {column: kind for kind, column in TERRITORY_COLUMNS.items()}[territory_kind]
        options = territories[territories["kind"] == kind].set_index("territory_id")["label"]
    ids = list(options.index)
    territory_id = st.sidebar.selectbox(
        "Territoire",
        ids,
        index=ids.index(asked.territoire) if asked.territoire in ids else 0,
        format_func=options.get,
        key="territoire",
    )
    return territory_kind, territory_id


search = search_widgets(read_foncier_search())
result = foncier_search(search)
found = result.sites
if result.place_not_found:
    st.warning(
        f"Aucune commune trouvée pour {markdown_code(result.place_not_found, max_chars=80)} : recherche sans centre."
    )
elif result.origin:
    st.caption(
        f"Distances mesurées depuis le centre de {markdown_escaped(result.origin.label)} "
        f"({markdown_escaped(result.origin.detail)}), dans un rayon de {number_fr(search.rayon_km)} km."
    )
then = "par distance croissante" if result.origin else "par surface décroissante"
set_aside = len(result.set_aside)
_found = "site trouvé" if len(found) == 1 else "sites trouvés"
if search.montrer_ecartes:
    summary = (
        f"**{number_fr(len(found))} {_found}**, dont **{number_fr(set_aside)} écartés des totaux** "
        "(la raison est dans le tableau)"
    )
else:
    summary = f"**{number_fr(len(found))} {_found}**" + (
        f" ; **{number_fr(set_aside)} autres**, écartés des totaux, sont cachés (« Montrer aussi les sites écartés »)"
        if set_aside
        else ""
    )
st.markdown(f"{summary}. Classés par aptitude puis {then}.")

# The Carte's map (communes and exact borders when zoomed in), with the territories land is searched in.
FONCIER_OVERLAYS = ("ti2", "bassins")
map_sources_line = "Sources : " + " ; ".join(map_sources(FONCIER_OVERLAYS, with_projects=False, with_foncier=True))
area = result.origin.area(search.rayon_km) if result.origin else None
bounds = None
if area is not None:
    west, south, east, north = area.total_bounds
    bounds = [[south, west], [north, east]]
fmap = explorer_map(
    map_data(),
    overlays=list(FONCIER_OVERLAYS),
    attribution=map_sources_line,
    tiles=map_tiles(),
    bounds=bounds,
    fold_sources=True,
)
if area is not None:
    search_area_layer(area, f"{number_fr(search.rayon_km)} km autour de {result.origin.label}").add_to(fmap)
drawn = found.head(SITES_DRAWN_MAX)
if len(drawn):
    foncier_layer(drawn).add_to(fmap)
# A click on a site opens its fiche; editors also place a new site by clicking the map.
map_state = map_component(
    fmap,
    height=520,
    returned_objects=["last_object_clicked", "last_object_clicked_tooltip", *(["last_clicked"] if can_edit else [])],
    key="carte_foncier",
)
click = ((map_state or {}).get("last_object_clicked"), (map_state or {}).get("last_object_clicked_tooltip"))
if click[0] and click != st.session_state.get(_LAST_CLICK):
    st.session_state[_LAST_CLICK] = click
    if (hit := clicked_site(drawn, click[0]["lat"], click[0]["lng"], click[1])) is not None:
        st.session_state[foncier_editing.SELECTED_SITE] = hit
st.markdown(
    legend_html([(colour, status) for status, colour in STATUS_COLOURS.items()], round_swatches=True)
    + " · pointillés : friche potentielle non vérifiée · cliquer un site ouvre sa fiche"
    + (f" · {number_fr(SITES_DRAWN_MAX)} premiers sites affichés" if len(found) > SITES_DRAWN_MAX else ""),
    unsafe_allow_html=True,
)

# Beside the list it explains, below the map: above it, it pushed the map under the fold at 1366 × 768.
with st.expander("Comment le classement est calculé"):
    st.markdown(
        "Chaque site reçoit des points pour ce qui compte pour une implantation industrielle ; sa fiche et le "
        "tableau disent lesquels. Un classement aide à lire la liste : il ne remplace pas une visite.\n\n"
        + "\n".join(f"- {POINTS[rule]:+d} : {text}" for rule, text in RULES.items())
    )
table = found.assign(
    nom=found["nom"].fillna(UNNAMED_SITE),
    zonage=zoning_kind(found).map(ZONING_KINDS),
    distance_rail_m=found["distance_rail_m"].round(-1),
    distance_m=found["distance_m"].round(-1),
)
columns = {
    "aptitude": "Aptitude (points)",
    "nom": "Site",
    "commune_nom": "Commune",
    "surface_ha": "Surface (ha)",
    "zonage": "Zonage",
    "distance_rail_m": "Voie ferrée (m)",
    "distance_m": "Distance (m)",
    "statut": "Statut",
    "raisons_aptitude": "Raisons du classement",
    "raisons_qualite": "Écarté des totaux car",
    "nature": "Origine",
    "date_maj": "Mise à jour",
}
if not search.montrer_ecartes:
    columns.pop("raisons_qualite")
if result.origin is None:
    columns.pop("distance_m")
st.dataframe(
    french_table(
        table[list(columns)].rename(columns=columns),
        decimals={"Surface (ha)": 1},
    ),
    hide_index=True,
    width="stretch",
)
# The files are written when asked for: written on every rerun, the workbook alone took a fifth of the page's time.
c1, c2, c3 = st.columns(3)
c1.download_button(
    "CSV", lambda: csv_bytes(foncier_export(found, territory_names)), "foncier.csv", mime="text/csv", on_click="ignore"
)
c2.download_button(
    "XLSX",
    lambda: xlsx_bytes({"Foncier": foncier_export(found, territory_names)}),
    "foncier.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    on_click="ignore",
)
c3.download_button(
    "GeoJSON",
    lambda: found.to_json(drop_id=True, to_wgs84=True),
    "foncier.geojson",
    mime="application/geo+json",
    on_click="ignore",
)


def shortlist(search: FoncierSearch) -> tuple[str, ...]:
    """Up to ten sites for a prospect, side by side, with a one-page PDF each and one XLSX."""
    st.subheader("Sélection pour un prospect")
    by_id = sites.set_index("site_id", drop=False)
    known = [site_id for site_id in search.selection if site_id in by_id.index]
    options = list(dict.fromkeys([*known, *drawn["site_id"].astype(str)]))
    chosen = st.multiselect(
        f"Sites à comparer ({SHORTLIST_MAX} au plus)",
        options,
        default=known,
        max_selections=SHORTLIST_MAX,
        format_func=lambda site_id: f"{by_id.at[site_id, 'nom']} — {by_id.at[site_id, 'commune_nom']}",
        key="selection_foncier",
        placeholder="Choisir des sites de la liste…",
    )
    if not chosen:
        st.caption("Choisissez des sites pour les comparer côte à côte et exporter une fiche PDF par site.")
        return ()
    ranked = shortlisted(sites, chosen, search, result.origin, flags=foncier_flags())
    side_by_side = shortlist_table(ranked, territory_names)
    st.dataframe(side_by_side, width="stretch")
    names = [f"fiche-{site_id}.pdf" for site_id in ranked["site_id"]]
    xlsx, pdfs = st.columns(2)
    xlsx.download_button(
        "Sélection (XLSX)",
        xlsx_bytes(
            {
                "Comparaison": side_by_side.reset_index(names="Champ"),
                "Sites": foncier_export(ranked, territory_names),
            }
        ),
        "selection-foncier.xlsx",
        on_click="ignore",
        key="selection_xlsx",
    )
    pdfs.download_button(
        f"Les {len(names)} fiches PDF (ZIP)",
        lambda: sheets_zip({name: _sheet(ranked, side_by_side, i) for i, name in enumerate(names)}),
        "fiches-foncier.zip",
        mime="application/zip",
        on_click="ignore",
        key="selection_zip",
    )
    buttons = st.columns(min(len(names), 5))
    for position, name in enumerate(names):
        buttons[position % len(buttons)].download_button(
            f"Fiche PDF : {ranked.iloc[position]['nom']}"[:48],
            lambda position=position: _sheet(ranked, side_by_side, position),
            name,
            mime="application/pdf",
            on_click="ignore",
            key=f"pdf_{ranked.iloc[position]['site_id']}",
        )
    return tuple(chosen)


def _sheet(ranked, side_by_side, position: int) -> bytes:
    press_module()  # registers the press type (Inter) the sheet is set in
    site = ranked.iloc[position]
    facts = {"Site": site["nom"], **side_by_side.iloc[:, position].to_dict()}
    communes = layer("communes")
    around = communes[communes.intersects(site.geometry.buffer(0.2))]
    footer = (
        f"{sources_line}. Fiche générée le {date.today():%d/%m/%Y} par reindus. Licence Ouverte 2.0 : "
        "réutilisation libre en citant la source et sa date."
    )
    return site_sheet_pdf(
        facts,
        point_wgs84=site.geometry,
        status=str(site["statut"]),
        communes=around,
        commune_code=site["insee_com"],
        footer=footer,
    )


selection = shortlist(search)

st.subheader("Fiche d'un site")
if search.site and foncier_editing.SELECTED_SITE not in st.session_state:
    st.session_state[foncier_editing.SELECTED_SITE] = search.site
foncier_editing.show_conflict()
chosen_site = foncier_editing.choose_site(drawn, sites)
if chosen_site is not None:
    ranked_rows = found.set_index("site_id")
    if chosen_site["site_id"] in ranked_rows.index:
        chosen_site = chosen_site.combine_first(ranked_rows.loc[chosen_site["site_id"]])
    foncier_editing.site_sheet(chosen_site, can_edit=can_edit)
if can_edit:
    last = (map_state or {}).get("last_clicked")
    foncier_editing.add_site_form((last["lat"], last["lng"]) if last else None)
foncier_editing.history_summary()
with st.expander("Historique des modifications"):
    foncier_editing.history(can_edit=can_edit)
st.caption(sources_line)
write_foncier_search(
    FoncierSearch(
        **{
            **search.__dict__,
            "selection": selection,
            "site": None if chosen_site is None else str(chosen_site["site_id"]),
        }
    )
)
