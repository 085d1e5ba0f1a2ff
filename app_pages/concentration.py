"""Concentration: where announced jobs, investment and public funding go, by territory."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages.data_access import (
    concentration,
    filtered_project_markers,
    layer,
    layer_or_stop,
    map_data,
    projects,
    relance_series,
    relance_stats,
    unit_shapes,
)
from app_pages.filters import project_filters
from app_pages.map_component import map_component
from app_pages.url_state import read_filters, write_filters
from geo.analysis.concentration import UNIT_KINDS
from geo.analysis.relance import WHAT_IS_COUNTED
from geo.exports import csv_bytes, xlsx_bytes
from geo.metadata import attributions
from geo.text import web_address
from geo.usecases.stats import PER_1000, ZONE_EMPLOI, zone_employment_stats
from geo.vocabulary import MEASURE_TERMS, MEASURES
from geo.vocabulary import MEASURED_JOBS_WHAT as MEASURED
from layers.charts import cumulative_chart, lorenz_chart, ranking_chart
from layers.choropleth import choropleth_layer, relance_choropleth
from layers.formatting import (
    date_fr,
    french_table,
    legend_html,
    markdown_escaped,
    measure_fr,
    number_fr,
    percent_fr,
    robustness_lines,
    sentence_case,
)
from layers.overview import overview_map
from layers.projects import marker_layer

SOURCES_COLUMN = "Sources (millésime)"
"""Every exported row says where its figures come from and their date (Licence Ouverte: producer and date)."""


def show_relance() -> None:
    """France Relance by département: counts of firms, per 100,000 inhabitants, share, monthly curve."""
    figures = relance_stats()
    table = figures.table
    source = "Sources : " + " ; ".join(attributions(layer("metadata"), ["relance", "relance_mensuel"]))
    st.caption(f"{WHAT_IS_COUNTED} Valeurs au {date_fr(figures.as_of)}. {source}.")
    cols = st.columns(len(figures.by_region) + 1)
    for col, (name, count) in zip(cols, figures.by_region, strict=False):
        col.metric(name, number_fr(count))
    cols[-1].metric("Deux régions", number_fr(figures.totals["total"]))
    shown = pd.DataFrame(
        {
            "Département": table["nom"] + " (" + table["departement"] + ")",
            "Entreprises aidées": table["entreprises"].map(number_fr),
            "Pour 100 000 hab.": table["pour_100000_hab"].map(lambda v: number_fr(v, decimals=1)),
            "Part des deux régions": table["part_deux_regions"].map(percent_fr),
        }
    )
    left, right = st.columns([2, 3])
    left.dataframe(shown, hide_index=True, width="stretch")
    with right:
        fmap = overview_map(map_data(), attribution=source)
        choropleth, legend = relance_choropleth(table, unit_shapes("departement"))
        choropleth.add_to(fmap)
        map_component(fmap, height=420, returned_objects=[], key="carte_relance")
        st.markdown(legend_html(legend), unsafe_allow_html=True)
    names = dict(zip(table["departement"], table["nom"], strict=True))
    regions = dict(zip(table["departement"], table["region"], strict=True))
    st.altair_chart(
        cumulative_chart(
            relance_series(),
            names,
            regions,
            title="Entreprises aidées par France Relance, cumul mensuel 2020-2022",
            source=source,
        ),
        width="stretch",
    )


def show_zone_employment(chosen: pd.DataFrame, summary: str) -> None:
    """Measured industrial jobs by zone d'emploi beside the announced created jobs of the chosen projects."""
    figures = zone_employment_stats(layer, chosen)
    sources = "Sources : " + " ; ".join(attributions(metadata, ["emploi_industriel_ze", "projets"]))
    st.caption(f"{summary}. {sources}.")
    cols = st.columns(5)
    cols[0].metric("Emplois industriels mesurés 2024", number_fr(figures.total_measured))
    cols[1].metric("Emplois créés annoncés", number_fr(figures.total_announced), help="Projets actifs retenus.")
    cols[2].metric("Part des 5 premières zones", percent_fr(figures.top5_share), help="Des emplois mesurés.")
    cols[3].metric("Part des 10 premières zones", percent_fr(figures.top10_share), help="Des emplois mesurés.")
    cols[4].metric("Indice de Gini", number_fr(figures.gini, decimals=2), help="0 : réparti ; 1 : tout dans une zone.")
    st.caption(
        f"{MEASURED} Les emplois annoncés (projets actifs, emplois créés seulement) sont rapportés à la base "
        "industrielle mesurée de la zone : ils ne s'y ajoutent pas, et un emploi annoncé n'est pas encore un emploi."
    )
    table = figures.table
    columns = {
        "nom": "Zone d'emploi",
        "population": "Population",
        "emploi_industriel_2024": "Emplois industriels 2024 (mesurés)",
        "emploi_industriel_pour_1000_hab": "Pour 1 000 hab.",
        "evolution_2019_2024": "Évolution 2019-2024 (%)",
        "emplois_crees_annonces": "Emplois créés annoncés",
        "projets": "Projets actifs",
        "part_annonces_base": "Annoncés / base mesurée (%)",
    }
    listing, lorenz_tab = st.tabs(["Classement", "Courbe de Lorenz"])
    with listing:
        st.dataframe(
            french_table(
                table[list(columns)].rename(columns=columns),
                decimals={"Pour 1 000 hab.": 1, "Évolution 2019-2024 (%)": 1, "Annoncés / base mesurée (%)": 1},
            ),
            hide_index=True,
            width="stretch",
        )
        st.download_button(
            "Télécharger (CSV)",
            csv_bytes(table.rename(columns=columns).assign(**{SOURCES_COLUMN: sources.removeprefix("Sources : ")})),
            "zones_emploi.csv",
            on_click="ignore",
        )
    with lorenz_tab:
        st.altair_chart(
            lorenz_chart(
                figures.lorenz,
                title=f"Concentration des emplois industriels mesurés entre les {len(table)} zones d'emploi",
                source=sources,
                gini=figures.gini,
            ),
            width="stretch",
        )


st.title("Concentration des emplois et des financements")
layer_or_stop("epci")
metadata = layer("metadata")
all_projects = projects()
chosen, summary, filters = project_filters(read_filters(), key="conc")
write_filters(filters)
params = st.query_params

left, middle, right = st.columns([2, 2, 2])
kinds = [*UNIT_KINDS, ZONE_EMPLOI]
kind = left.selectbox(
    "Niveau",
    kinds,
    index=kinds.index(params.get("niveau", "epci")) if params.get("niveau") in kinds else 0,
    format_func=lambda k: (
        "Zones d'emploi (emploi industriel mesuré)" if k == ZONE_EMPLOI else sentence_case(UNIT_KINDS[k].plural)
    ),
    key="niveau",
)
measures = list(MEASURES)
measure = middle.selectbox(
    "Mesure",
    measures,
    index=measures.index(params.get("mesure")) if params.get("mesure") in measures else 0,
    format_func=lambda m: sentence_case(MEASURES[m]),
    key="mesure",
)
per_capita = right.toggle("Rapporter à la population (pour 1 000 habitants)", key="par_habitant")
params["niveau"], params["mesure"] = kind, measure

sources_line = "Sources : " + " ; ".join(attributions(metadata, ["projets"]) + ["INSEE – populations COG 2026"])
if kind == ZONE_EMPLOI:
    show_zone_employment(chosen, summary)
    st.stop()
st.caption(f"{summary}. {sources_line}. Montants et emplois tels qu'annoncés ; vide = non renseigné par les sources.")

stats = concentration(filters, kind=kind, measure=measure, per_capita=per_capita)
unit, label = stats.unit, stats.label

cols = st.columns(5)
cols[0].metric("Projets retenus", number_fr(stats.projects))
cols[1].metric(sentence_case(label), measure_fr(stats.total, measure))
cols[2].metric(
    "Sans ce chiffre",
    number_fr(stats.missing),
    help="Projets dont les sources ne donnent pas ce chiffre : ils ne comptent pas dans les totaux.",
)
cols[3].metric("Part des 5 premiers", percent_fr(stats.top5_share), help=unit.plural)
cols[4].metric("Part des 10 premiers", percent_fr(stats.top10_share), help=unit.plural)
st.info(
    "**Robustesse du total** — " + " ".join(robustness_lines(stats.robustness, name_as=markdown_escaped)),
    icon=":material/balance:",
)
if measure.startswith("jobs"):
    st.caption(
        "Emplois permanents annoncés et emplois de chantier (au pic) sont deux mesures distinctes, "
        "jamais additionnées ; choisissez-les dans « Mesure »."
    )
if unit.multiple:
    st.caption(
        f"Un projet compte dans chaque {unit.label} auquel appartient sa commune ; "
        "les parts sont calculées sur le total des projets retenus (chaque projet une fois)."
    )

# Only the open tab is drawn (Streamlit reruns on a tab change): the hidden map, curve and project list cost every
# run, and a Leaflet map drawn in a hidden tab has no size.
ranking_tab, map_tab, lorenz_tab, projects_tab = st.tabs(
    ["Classement", "Carte", "Courbe de Lorenz", "Projets"], key="onglet_concentration", on_change="rerun"
)

with ranking_tab:
    if ranking_tab.open:
        title = f"{sentence_case(label)} par {unit.label}" + (" pour 1 000 habitants" if per_capita else "")
        st.altair_chart(
            ranking_chart(stats.in_units, stats.ranked_column, title=title, source=sources_line),
            width="stretch",
        )
        shown = stats.table
        display = pd.DataFrame(
            {
                sentence_case(unit.label): shown["nom"],
                "Population": shown["population"].map(number_fr),
                "Projets": shown["projets"],
                **{
                    sentence_case(MEASURES[m]): [
                        measure_fr(v, m) + (f" ({n} n.r.)" if n else "")
                        for v, n in zip(shown[m], shown[f"{m}_non_renseigne"], strict=True)
                    ]
                    for m in MEASURES
                },
                f"{sentence_case(label)} pour 1 000 hab.": shown[measure + PER_1000].map(
                    lambda v: number_fr(v, decimals=1)
                ),
            }
        )
        st.dataframe(display, hide_index=True, width="stretch")
        st.caption("n.r. : nombre de projets dont le chiffre n'est pas renseigné. " + sources_line)
        export = stats.table.rename(columns={"nom": unit.label}).assign(
            **{SOURCES_COLUMN: sources_line.removeprefix("Sources : ")}
        )
        csv_col, xlsx_col = st.columns(2)
        csv_col.download_button(
            "Télécharger le tableau (CSV)",
            lambda: csv_bytes(export),
            file_name=f"concentration_{kind}_{measure}.csv",
            mime="text/csv",
            on_click="ignore",
        )
        xlsx_col.download_button(
            "Télécharger le tableau (XLSX)",
            lambda: xlsx_bytes({"Concentration": export}),  # written when asked for, not on every rerun
            file_name=f"concentration_{kind}_{measure}.xlsx",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            on_click="ignore",
        )

with map_tab:
    if map_tab.open:
        values = stats.in_units.set_index("id")[stats.ranked_column]
        suffix = MEASURE_TERMS[measure].unit + (" pour 1 000 hab." if per_capita else "")
        fmap = overview_map(map_data(), attribution=sources_line)
        shapes = unit_shapes(kind)
        choropleth, legend = choropleth_layer(
            shapes,
            id_column="id",
            values=values,
            label=sentence_case(label),
            unit_suffix=suffix,
            name=unit.plural,
        )
        choropleth.add_to(fmap)
        if len(chosen):
            circles = filtered_project_markers(filters, measure=measure, colour_by="sector_family")
            marker_layer(circles).add_to(fmap)
        map_component(fmap, height=560, returned_objects=[], key="carte_concentration")
        st.markdown(legend_html(legend), unsafe_allow_html=True)
        st.caption(f"Aplats : {label} par {unit.label} ; cercles : projets (surface ∝ valeur). {sources_line}")

with lorenz_tab:
    if lorenz_tab.open:
        curve = stats.lorenz
        if curve.empty:
            st.info("Aucun montant renseigné pour cette sélection : pas de courbe.")
        else:
            st.altair_chart(
                lorenz_chart(
                    curve,
                    title=f"Concentration de « {label} » entre les {len(stats.in_units)} {unit.plural}",
                    source=sources_line,
                    gini=stats.gini,
                ),
                width="stretch",
            )
            st.caption(
                "Lecture : plus la courbe s'éloigne de la diagonale, plus le total est concentré sur peu de "
                "territoires. Les territoires sans projet comptent (part nulle)."
            )

with projects_tab:
    if projects_tab.open:
        columns = {
            "name": "Projet",
            "company": "Entreprise",
            "commune_nom": "Commune",
            "sector": "Secteur",
            "status": "Statut (texte des sources)",
            "year_announced": "Année",
            "jobs_announced": "Emplois",
            "investment_eur": "Investissement (€)",
            "public_funding_eur": "Aides publiques (€)",
            "source_url": "Source",
            "source_date": "Date de la source",
        }
        listing = chosen[list(columns)].rename(columns=columns)
        listing["Source"] = listing["Source"].map(web_address)  # only web addresses become links
        st.dataframe(
            french_table(listing, plain=("Année",)),
            hide_index=True,
            width="stretch",
            column_config={"Source": st.column_config.LinkColumn("Source")},
        )
        st.download_button(
            "Télécharger les projets (CSV)",
            lambda: csv_bytes(chosen.drop(columns="geometry")),
            file_name="projets_selection.csv",
            mime="text/csv",
            on_click="ignore",
        )

if kind == "departement":
    # Outside the tabs: a Leaflet map drawn in a hidden tab has no size and stays blank.
    st.subheader("France Relance : entreprises industrielles aidées, par département")
    show_relance()
