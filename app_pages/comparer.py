"""Comparer: up to four EPCI, Territoires d'industrie, bassins or zones d'emploi side by side, with the region as
the reference; kept in the address, exported as CSV, XLSX and a press table (PNG, PDF)."""

from __future__ import annotations

import streamlit as st

from app_pages.data_access import layer, places, press_module, projects
from app_pages.url_state import read_compared, write_compared
from geo.exports import csv_bytes, xlsx_bytes
from geo.metadata import attributions
from geo.usecases.compare import (
    COMPARED_MAX,
    WHAT_IS_COUNTED,
    compare,
    comparison_export,
    comparison_table,
    unavailable_cells,
)
from layers.comparison import figure_bytes, formatted, press_table

st.title("Comparer des territoires")
index = places()
choices = index[index["kind"].isin(["epci", "territoire"])]
labels = dict(
    zip(choices["kind"] + ":" + choices["id"].astype(str), choices["label"] + " — " + choices["detail"], strict=True)
)
asked = [key for key in read_compared() if key in labels]
chosen = st.multiselect(
    f"Territoires à comparer ({COMPARED_MAX} au plus) : EPCI, Territoires d'industrie, bassins, zones d'emploi",
    list(labels),
    default=asked,
    max_selections=COMPARED_MAX,
    format_func=labels.get,
    key="comparer",
    placeholder="Chercher un territoire…",
)
write_compared(tuple(chosen))
if not chosen:
    st.info(
        "Choisissez jusqu'à quatre territoires : chacun s'affiche en colonne, avec sa région comme référence. "
        "Par exemple la CA de la Porte du Hainaut, la CA Valenciennes Métropole, la CA Douaisis Agglo et la zone "
        "d'emploi de Valenciennes."
    )
    st.stop()

columns = compare(layer, chosen, projects())
table = comparison_table(columns)
metadata = layer("metadata")
sources = "Sources : " + " ; ".join(
    attributions(
        metadata,
        ["communes", "emploi_industriel_ze", "emploi_prive_communes", "emploi_epci", "projets", "foncier"],
    )
)
unavailable = unavailable_cells(columns)
st.dataframe(formatted(table, unavailable=unavailable), width="stretch", height=35 * (len(table) + 1) + 3)
notes = ["Emplois industriels mesurés : publiés par zone d'emploi seulement ; part de l'industrie : par EPCI."]
st.caption(WHAT_IS_COUNTED)
if notes:
    st.caption(" ".join(notes))
st.caption(sources)

title = "Comparaison : " + ", ".join(column.label for column in columns if column.kind != "région")


def _table_file(fmt: str) -> bytes:
    """The press table, drawn when its button is clicked (not on every rerun of the page)."""
    press_module()  # the press type (Inter) for the table
    figure = press_table(
        table, title=title, counted=WHAT_IS_COUNTED, sources=sources, notes=notes, unavailable=unavailable
    )
    return figure_bytes(figure, fmt)


export = comparison_export(columns, metadata)
c1, c2, c3, c4 = st.columns(4)
c1.download_button("CSV", csv_bytes(export), "comparaison.csv", on_click="ignore")
c2.download_button("XLSX", xlsx_bytes({"Comparaison": export}), "comparaison.xlsx", on_click="ignore")
c3.download_button("Tableau PNG", lambda: _table_file("png"), "comparaison.png", mime="image/png", on_click="ignore")
c4.download_button(
    "Tableau PDF", lambda: _table_file("pdf"), "comparaison.pdf", mime="application/pdf", on_click="ignore"
)
