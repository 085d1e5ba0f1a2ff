"""Données: import the user's own projects or foncier sites (CSV, XLSX, GeoJSON), checked before anything changes."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from app_pages.data_access import after_write, commune_lookup, foncier_sites, layer, layer_or_stop, projects, store
from app_pages.editor import editor_sign_in, signed_in_account
from geo.errors import EditConflictError, ImportRefusedError, StoreError
from geo.imports.tabular import MAX_IMPORT_BYTES, check_size
from geo.store import AccountError
from geo.usecases import imports
from layers.formatting import french_table, markdown_escaped, number_fr

CHECKED_KEY = "import_verifie"  # session key of the last file checked, with what it was checked for
CRS_LABELS = {None: "détecter", "2154": "Lambert-93 (EPSG:2154)", "4326": "WGS84 (EPSG:4326)"}


def checked_upload(uploaded: UploadedFile, table: str, crs: str | None) -> imports.ImportReport:
    """The upload checked once: the reruns that follow (the valid-rows choice, the Import button) reuse this
    report, so the file is read once and what is applied is exactly what the editor saw."""
    key = (uploaded.file_id, table, crs)
    kept = st.session_state.get(CHECKED_KEY)
    if kept is not None and kept[0] == key:
        return kept[1]
    st.session_state.pop(CHECKED_KEY, None)
    with st.spinner("Lecture et vérification du fichier…"):
        checked = imports.check_import(
            table,
            uploaded,
            lookup=commune_lookup(),
            territoire_communes=layer("territoire_communes"),
            name=uploaded.name,
            crs=crs,
        )
    st.session_state[CHECKED_KEY] = (key, checked)
    return checked


st.title("Données : importer des projets ou des sites fonciers")
st.markdown(
    "Déposez un fichier **CSV** (virgule ou point-virgule, UTF-8 ou Windows-1252), **XLSX** ou **GeoJSON**. "
    "Chaque ligne est localisée par ses coordonnées (WGS84 ou Lambert-93), son code INSEE ou sa commune "
    "(avec le département en cas d'homonymie). Rien n'est modifié tant que le fichier contient une erreur, "
    "sauf si vous choisissez d'importer seulement les lignes valides : les lignes rejetées se téléchargent "
    "alors avec leurs motifs, pour être corrigées puis importées à leur tour."
)
layer_or_stop("communes")
if not editor_sign_in():
    # Reading a file costs the server's CPU: only a signed-in editor may have one read (issue 22).
    st.info(
        "Le dépôt de fichiers est réservé aux éditeurs : connectez-vous avec un compte éditeur (barre latérale) "
        "pour faire vérifier un fichier puis l'importer. Les données contiennent aujourd'hui "
        f"{number_fr(len(projects()))} projets et {number_fr(len(foncier_sites()))} sites fonciers."
    )
    st.stop()
dataset = st.radio(
    "Jeu de données",
    list(imports.IMPORT_TABLES),
    format_func=lambda table: imports.IMPORT_TABLES[table].label,
    horizontal=True,
    key="jeu",
)
noun = imports.IMPORT_TABLES[dataset].noun

declared = st.radio(
    "Système des coordonnées X/Y",
    [None, *imports.DECLARED_CRS],
    format_func=CRS_LABELS.__getitem__,
    horizontal=True,
    key="systeme",
)
# Streamlit's box prints its own limit in English ("100MB per file"): .streamlit/config.toml sets it at twice
# the app's limit so that a file up to 100 Mo reaches check_size below and is refused in French; the label says
# the real limit, the box's instructions are hidden so they do not contradict it.
st.html("<style>[data-testid='stFileUploaderDropzoneInstructions']{display:none}</style>")
uploaded = st.file_uploader(
    f"Fichier de {noun} (au plus {MAX_IMPORT_BYTES // 1024**2} Mo)",
    type=["csv", "txt", "xlsx", "geojson", "json"],
    key="fichier_projets",
)
if uploaded is None:
    st.session_state.pop(CHECKED_KEY, None)  # a removed file's report is not kept
    count = len(foncier_sites()) if dataset == "foncier" else len(projects())
    st.info(f"Les données contiennent aujourd'hui {count} {noun}.")
    st.stop()

try:
    check_size(uploaded.size, uploaded.name)
    checked = checked_upload(uploaded, dataset, declared)
except ImportRefusedError as error:
    st.error(markdown_escaped(error))  # the message may repeat the file's name or headers
    st.stop()

result = checked.result
st.subheader("Compte rendu")
st.caption(" ; ".join(markdown_escaped(detail) for detail in result.details))
cols = st.columns(4)
cols[0].metric("Lignes lues", result.n_read)
cols[1].metric("Lignes valides", len(result.rows))
cols[2].metric("Erreurs", len(result.errors))
cols[3].metric("Avertissements", len(result.warnings))
with st.expander("Colonnes reconnues", expanded=not result.accepted):
    st.markdown("\n".join(f"- {markdown_escaped(line)}" for line in result.columns))
if result.problems:
    st.dataframe(french_table(pd.DataFrame([p.as_dict() for p in result.problems])), hide_index=True, width="stretch")
if len(result.rows):
    preview = result.rows.drop(columns="geometry")
    st.dataframe(french_table(preview.head(200), plain=tuple(preview.columns)), hide_index=True, width="stretch")

if rejected := imports.rejected_rows_file(checked):
    st.download_button(
        f"Télécharger les lignes rejetées ({rejected.rows}, CSV avec ligne, colonne et motif)",
        data=rejected.content,
        file_name=rejected.file_name,
        mime="text/csv",
        on_click="ignore",
    )
valid_only = not result.accepted and st.checkbox(
    f"Importer seulement les lignes valides ({len(result.rows)} sur {result.n_read})",
    key="lignes_valides",
    disabled=not checked.valid_rows_would_apply,
    help="Les lignes rejetées ne sont pas importées ; corrigez-les dans le CSV téléchargeable puis importez-le.",
)
checked = checked.choosing_valid_rows_only(valid_only)
if not checked.applicable:
    st.error(
        "Import refusé : corrigez les erreurs ci-dessus (ligne et colonne indiquées), ou importez seulement "
        "les lignes valides. Aucune donnée n'a changé."
        if checked.valid_rows_would_apply
        else "Import refusé : corrigez les erreurs ci-dessus (ligne et colonne indiquées). Aucune donnée n'a changé."
    )
elif st.button(f"Importer {len(result.rows)} {noun}", type="primary"):
    try:
        applied = imports.apply_import(store(), checked, account=signed_in_account())
    except (AccountError, EditConflictError, ImportRefusedError, StoreError) as error:
        st.error(f"Import non appliqué, rien n'a changé : {markdown_escaped(error)}")
    else:
        after_write()
        st.success(applied.summary())
