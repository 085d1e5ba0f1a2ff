"""Presse: ready-made views (or the Carte's current view by its permalink) as sourced PNG, PDF, SVG or HTML."""

from __future__ import annotations

import zlib

import streamlit as st

from app_pages.data_access import press_layer, press_module, projects, revision
from layers.formatting import markdown_escaped, number_fr
from layers.press import LAYOUTS, VIEWS, chosen_view

LAYOUT_FR = {"16:9": "diapositive 16:9", "a4": "A4 portrait", "a4-paysage": "A4 paysage"}
FORMAT_FR = {"pdf": "PDF (vectoriel, impression)", "png": "PNG 300 dpi", "svg": "SVG (vectoriel, retouche)"}
MIME = {"pdf": "application/pdf", "png": "image/png", "svg": "image/svg+xml"}

st.title("Presse : cartes prêtes à publier")
st.caption(
    "Chaque carte porte son titre, sa légende, l'échelle, le nord, un carton de situation et la ligne des sources "
    "avec leurs millésimes (Licence Ouverte : producteur et date)."
)
choice = st.selectbox(
    "Vue",
    [*VIEWS, "carte"],
    format_func=lambda key: VIEWS[key].title if key in VIEWS else "Vue de la page Carte (par son adresse)",
    key="vue_presse",
)
permalink = ""
if choice == "carte":
    permalink = st.text_input(
        "Adresse de la vue (copiez-la depuis la barre d'adresse de la page Carte)",
        placeholder="http://…/?couches=ti2,projets&statuts=…",
        key="permalien",
    )
view, _ = chosen_view(choice, permalink)
# The defaults follow the view (a new permalink gives a new subtitle): the keys name the view's text.
variant = zlib.crc32(f"{view.title}|{view.subtitle}".encode())
title = st.text_input("Titre", value=view.title, key=f"titre_{choice}_{variant}")
subtitle = st.text_input("Sous-titre", value=view.subtitle, key=f"sous_titre_{choice}_{variant}")
left, right = st.columns(2)
layout = left.radio("Mise en page", list(LAYOUTS), format_func=LAYOUT_FR.get, horizontal=True, key="mise_en_page")
fmt = right.radio("Format", list(FORMAT_FR), format_func=FORMAT_FR.get, horizontal=True, key="format_presse")


@st.cache_data(show_spinner="Dessin de la carte…", max_entries=24)
def _export(
    view_key: str, permalink: str, title: str, subtitle: str, layout: str, fmt: str, version: tuple
) -> tuple[bytes, bytes, list[str]]:
    """(preview PNG, file in ``fmt``, labels left out): cached per view, text and store revision."""
    export = press_module().export_view(
        press_layer,
        projects(),
        view_key=view_key,
        permalink=permalink,
        fmt=fmt,
        layout=layout,
        title=title,
        subtitle=subtitle,
    )
    return export.preview_png(), export.content, export.dropped_labels


preview, content, dropped = _export(choice, permalink, title, subtitle, layout, fmt, revision())
st.image(preview, caption=f"Aperçu — {LAYOUT_FR[layout]}", width="stretch", alt=f"Aperçu de la carte « {title} »")
if dropped:
    st.caption(f"Étiquettes omises faute de place (aucune ne se chevauche) : {markdown_escaped(' ; '.join(dropped))}.")
st.caption("Les noms sans place sur la carte y sont numérotés et repris dans un encadré en haut à gauche.")
file_name = f"reindus-{choice}-{layout.replace(':', 'x')}.{fmt}"
st.download_button(
    f"Télécharger {FORMAT_FR[fmt].split(' ')[0]} ({len(content) // 1024} Ko)",
    content,
    file_name,
    mime=MIME[fmt],
    type="primary",
    key="telecharger",
)
st.caption(
    "Carte interactive hors ligne (un seul fichier HTML) : `reindus export --format html`. "
    "Pour présenter à l'écran, ouvrez la page Présentation."
)

st.subheader("Dossier de presse")
st.markdown(
    f"Les {len(VIEWS)} cartes prêtes à l'emploi en PNG 300 dpi et en PDF, les chiffres de chacune (CSV et classeur "
    "XLSX) et une note de méthode d'une page (sources, millésimes, définitions, périmètres approchés), dans un seul "
    "fichier ZIP. Mise en page choisie ci-dessus ; projets : sélection par défaut de la page Carte."
)
dossier_key = ("dossier", layout, revision())
if st.button("Préparer le dossier de presse", key="preparer_dossier"):
    bar = st.progress(0.0, text="Préparation du dossier…")
    st.session_state[dossier_key] = press_module().export_dossier(
        press_layer, projects(), layout=layout, progress=lambda done, message: bar.progress(done, message)
    )
    bar.empty()
if dossier_key in st.session_state:
    dossier = st.session_state[dossier_key]
    st.download_button(
        f"Télécharger le dossier (ZIP, {number_fr(len(dossier) / 1024 / 1024, decimals=1)} Mo)",
        dossier,
        f"reindus-dossier-de-presse-{layout.replace(':', 'x')}.zip",
        mime="application/zip",
        key="telecharger_dossier",
    )
