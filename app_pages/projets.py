"""Projets: the review queue « À vérifier », every project's sheet, and for editors sourced corrections.

Each action carries the project the editor saw (id and version) and the page's source for the change; the
use cases (:mod:`geo.usecases.project_edits`) audit it, refuse it to a reader and report a conflict when the
project moved since it was drawn. The history lists every change with undo.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from app_pages import data_access
from app_pages.editor import (
    conflict_text,
    editor_sign_in,
    first_use,
    history_table,
    release,
    run_undo,
    signed_in_account,
)
from geo.analysis.checks import STALE_AFTER_MONTHS
from geo.analysis.projects import (
    FUNDING_KINDS,
    JOBS_NATURES,
    KINDS,
    PERIMETERS,
    STATUS_CATEGORIES,
    default_selection,
    status_with_date,
)
from geo.analysis.review import review_queue, stale_share
from geo.errors import StoreError, UnreadableValueError
from geo.metadata import attributions
from geo.store import AccountError
from geo.store.edits import PROJECT_EDITABLE_FIELDS, SHIPPED_CHANGES_LAYER, UNDO, changed_fields
from geo.usecases import project_edits
from geo.usecases.project_edits import EditConflict, EditSource, SeenProject
from geo.usecases.record_edits import shown_value
from layers.formatting import count_fr, french_table, markdown_escaped, percent_fr
from layers.projects import project_card_html

_FLASH, _FLASH_ERROR, _CONFLICT = "projets_message", "projets_erreur", "projets_conflit"
SELECTED_PROJECT = "projet_choisi"
"""The key of the project selector: a project id, never a row position."""
_FIGURES = (
    "jobs_announced",
    "jobs_nature",
    "jobs_perimeter",
    "jobs_horizon",
    "jobs_in_place",
    "jobs_in_place_date",
    "investment_eur",
    "investment_perimeter",
    "public_funding_eur",
    "funding_kind",
    "funding_perimeter",
)
_CHOICES = {
    "jobs_nature": JOBS_NATURES,
    "jobs_perimeter": PERIMETERS,
    "investment_perimeter": PERIMETERS,
    "funding_kind": FUNDING_KINDS,
    "funding_perimeter": PERIMETERS,
}
_NUMBERS = ("jobs_announced", "jobs_horizon", "jobs_in_place", "investment_eur", "public_funding_eur")
_OPEN_CATEGORIES = [c for c in STATUS_CATEGORIES if c != "non renseigné"]


def _flash() -> None:
    if message := st.session_state.pop(_FLASH, None):
        st.success(message)
    if message := st.session_state.pop(_FLASH_ERROR, None):
        st.error(message)


def _queue_section(projects: pd.DataFrame, today: date) -> None:
    queue = review_queue(projects, today=today)
    share = stale_share(default_selection(projects), "jobs_created", today=today)  # as Concentration counts it
    st.subheader(f"À vérifier : {len(queue)} projets")
    st.markdown(
        f"Statuts ouverts (annoncé, en projet, en construction, suspendu) datés de plus de {STALE_AFTER_MONTHS} mois "
        "ou non datés, lignes signalées par le contrôle des données, lignes jamais revérifiées ; les plus lourdes "
        "dans les totaux d'abord (part des emplois créés annoncés ou de l'investissement sur site)."
        + (
            f" **{percent_fr(share)} des emplois créés annoncés** (projets industriels actifs, comme sur la page "
            f"Concentration) reposent sur un statut de plus de {STALE_AFTER_MONTHS} mois ou non daté."
            if share is not None
            else ""
        )
    )
    table = pd.DataFrame(
        {
            "Identifiant": queue["project_id"],
            "Projet": queue["name"],
            "Poids dans les totaux (%)": (queue["poids"] * 100).round(1),
            "Pourquoi": queue["raisons"],
            "Commune": queue["commune_nom"],
            "Statut": [status_with_date(s, d) for s, d in zip(queue["status"], queue["status_date"], strict=True)],
        }
    )
    st.dataframe(french_table(table, decimals={"Poids dans les totaux (%)": 1}), hide_index=True, width="stretch")


def _shipped_section() -> None:
    """Changes of the shipped file to projects an editor had changed: the editor's row was kept, to arbitrate."""
    if SHIPPED_CHANGES_LAYER not in data_access.store().layer_names():
        return
    shipped = data_access.layer(SHIPPED_CHANGES_LAYER)
    shipped = shipped[shipped["layer"] == "projets"]
    if shipped.empty:
        return
    st.warning(
        f"{count_fr(len(shipped), 'changement')} du fichier de projets livré "
        f"{'porte' if len(shipped) < 2 else 'portent'} sur des projets modifiés par un éditeur : "
        "la version de l'éditeur est gardée, la livraison n'est pas appliquée. À arbitrer : corrigez le projet "
        "ci-dessous (avec sa source) si la livraison a raison."
    )
    table = pd.DataFrame(
        {
            "Projet": shipped["record_id"],
            "Champ": shipped["field"].map(lambda name: PROJECT_EDITABLE_FIELDS.get(name, name)),
            "Livré avant": shipped["shipped_before"],
            "Livré maintenant": shipped["shipped_now"],
            "Gardé (éditeur)": shipped["kept"],
        }
    )
    st.dataframe(french_table(table), hide_index=True, width="stretch")


def _choose_project(projects: pd.DataFrame) -> pd.Series | None:
    by_id = projects.set_index("project_id", drop=False)
    options = sorted(by_id.index.astype(str))
    asked = st.query_params.get("projet")  # /projets?projet=P001: the project a popup or a link names
    if asked in options and SELECTED_PROJECT not in st.session_state:
        st.session_state[SELECTED_PROJECT] = asked
    if st.session_state.get(SELECTED_PROJECT) not in options:
        st.session_state.pop(SELECTED_PROJECT, None)
    chosen = st.selectbox(
        "Projet",
        options,
        format_func=lambda pid: f"{pid} — {by_id.at[pid, 'name']} ({by_id.at[pid, 'commune_nom']})",
        key=SELECTED_PROJECT,
        index=None,
        placeholder="Choisir un projet (tapez un nom ou une commune)…",
    )
    return None if chosen is None else by_id.loc[chosen]


def _sheet(project: pd.Series, *, can_edit: bool) -> None:
    st.html(project_card_html(project.to_dict()))  # HTML with escaped text, never read as Markdown
    st.caption(f"Identifiant {markdown_escaped(project['project_id'])} · version {int(project['version'])}")
    if not can_edit:
        return
    seen = SeenProject.from_row(project.to_dict())
    tag = f"{seen.project_id}_v{seen.version}"
    confirm, update, not_found, figures = st.tabs(
        ["Confirmer le statut", "Nouveau statut", "Introuvable", "Corriger les chiffres"]
    )
    with confirm, st.form(f"confirmer_{tag}"):
        st.markdown("Le statut tient toujours : la date du statut devient celle de la source.")
        _source_fields(f"confirmer_{tag}")
        st.form_submit_button("Confirmer", on_click=_submit, args=("confirmer", seen, f"confirmer_{tag}"))
    with update, st.form(f"statut_{tag}"):
        st.text_input("Nouveau statut (texte court)", key=f"statut_{tag}_status")
        st.selectbox("Catégorie", _OPEN_CATEGORIES, key=f"statut_{tag}_category")
        st.text_area("Note (ce que dit la source)", key=f"statut_{tag}_note")
        _source_fields(f"statut_{tag}")
        st.form_submit_button("Enregistrer le statut", on_click=_submit, args=("statut", seen, f"statut_{tag}"))
    with not_found, st.form(f"introuvable_{tag}"):
        st.text_area("Ce qui a été cherché (sites, mots-clés, période)", key=f"introuvable_{tag}_searched")
        st.form_submit_button("Marquer introuvable", on_click=_submit, args=("introuvable", seen, f"introuvable_{tag}"))
    with figures, st.form(f"chiffres_{tag}"):
        for column in _FIGURES:
            label, current = PROJECT_EDITABLE_FIELDS[column], seen.values.get(column)
            key = f"chiffres_{tag}_{column}"
            if column in _CHOICES:
                options = ["", *_CHOICES[column]]
                index = options.index(current) if current in options else 0
                st.selectbox(label, options, index=index, key=key, format_func=lambda v: v or "(non renseigné)")
            else:
                number = None if current is None or pd.isna(current) else current
                st.text_input(label, value="" if number is None else _plain(number), key=key)
        _source_fields(f"chiffres_{tag}")
        st.form_submit_button("Enregistrer les chiffres", on_click=_submit, args=("chiffres", seen, f"chiffres_{tag}"))


def _add_form() -> None:
    """An editor adds a project: placed by its commune's INSEE code, checked like an imported row, sourced."""
    with st.expander("Ajouter un projet"), st.form("ajouter_projet"):
        left, right = st.columns(2)
        left.text_input("Nom du projet", key="ajout_name")
        right.text_input("Entreprise", key="ajout_company")
        left.text_input("Code INSEE de la commune (5 caractères, ex. 02691)", key="ajout_insee_com")
        right.text_input("Secteur (en clair)", key="ajout_sector")
        left.selectbox("Nature du projet", KINDS, key="ajout_kind")
        right.text_input("Année d'annonce", key="ajout_year_announced")
        left.text_input("Emplois permanents annoncés", key="ajout_jobs_announced")
        right.selectbox("Nature des emplois", ["", *JOBS_NATURES], key="ajout_jobs_nature")
        left.text_input("Investissement (€)", key="ajout_investment_eur")
        right.selectbox("Périmètre de l'investissement", ["", *PERIMETERS], key="ajout_investment_perimeter")
        left.text_input("Statut (texte court)", key="ajout_status")
        right.selectbox("Catégorie de statut", _OPEN_CATEGORIES, key="ajout_status_category")
        _source_fields("ajout")
        st.form_submit_button("Ajouter le projet", on_click=_submit_addition)


def _submit_addition() -> None:
    token = f"ajout_{st.session_state.get('ajout_name', '')}_{st.session_state.get('ajout_insee_com', '')}"
    if not first_use(token):
        return
    value = lambda name: (st.session_state.get(f"ajout_{name}") or "").strip()  # noqa: E731 — the form's field
    fields = ("name", "company", "insee_com", "sector", "kind", "year_announced", "jobs_announced", "jobs_nature",
              "investment_eur", "investment_perimeter", "status", "status_category")  # fmt: skip
    values = {name: value(name) for name in fields}
    if values["investment_eur"]:
        values["investment_scope"] = "site"
    if values["jobs_announced"]:
        values["jobs_perimeter"] = "projet"
    try:
        entry = project_edits.add_project(
            data_access.store(), values, EditSource(value("source_url"), value("source_date")),
            lookup=data_access.commune_lookup(), territoire_communes=data_access.layer("territoire_communes"),
            account=signed_in_account(),
        )  # fmt: skip
    except (UnreadableValueError, StoreError, AccountError) as error:
        release(token)
        st.session_state[_FLASH_ERROR] = str(error)
        return
    st.session_state[_FLASH] = (
        f"Enregistré : ajout du projet « {markdown_escaped(entry['project_id'])} » "
        f"(modification n° {entry['change_id']})."
    )
    st.session_state[SELECTED_PROJECT] = entry["project_id"]
    data_access.after_write()


def _source_fields(form_key: str) -> None:
    left, right = st.columns([3, 1])
    left.text_input("Source de la modification (adresse de la page lue)", key=f"{form_key}_source_url")
    right.text_input("Date de la source (AAAA-MM-JJ)", key=f"{form_key}_source_date")


def _submit(action: str, seen: SeenProject, form_key: str) -> None:
    """Run one review action from its form's callback, once per drawn form, and keep the outcome for the rerun."""
    if not first_use(form_key):
        return
    value = lambda name: st.session_state.get(f"{form_key}_{name}") or ""  # noqa: E731 — the form's field
    store, account = data_access.store(), signed_in_account()
    st.session_state.pop(_CONFLICT, None)
    try:
        if action == "introuvable":
            outcome = project_edits.mark_not_found(store, seen, value("searched"), account=account)
        else:
            source = EditSource(value("source_url"), value("source_date"))
            if action == "confirmer":
                outcome = project_edits.confirm_project(store, seen, source, account=account)
            elif action == "statut":
                outcome = project_edits.update_status(
                    store, seen, value("status"), source, category=value("category"), note=value("note"),
                    account=account,
                )  # fmt: skip
            else:
                submitted = {column: _typed(column, value(column)) for column in _FIGURES}
                outcome = project_edits.correct_project(store, seen, submitted, account=account, source=source)
    except (UnreadableValueError, StoreError, AccountError) as error:
        release(form_key)  # nothing was written: the same form may try again
        st.session_state[_FLASH_ERROR] = str(error)
        return
    if outcome.conflict is not None:
        st.session_state[_CONFLICT] = outcome.conflict
    elif outcome.saved:
        st.session_state[_FLASH] = (
            f"Enregistré : {outcome.entry['action']} du projet « {markdown_escaped(seen.project_id)} » "
            f"(modification n° {outcome.entry['change_id']})."
        )
    else:
        release(form_key)
        st.session_state[_FLASH_ERROR] = "Aucun changement à enregistrer."
    st.session_state[SELECTED_PROJECT] = seen.project_id
    data_access.after_write()


def _typed(column: str, text: str) -> object:
    """A typed cell: a number for counts and amounts (« 1 200 » or « 1200 »), else the text (empty = unknown)."""
    text = text.strip()
    if column not in _NUMBERS or not text:
        return text
    digits = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not digits.isdigit():
        raise UnreadableValueError(f"{PROJECT_EDITABLE_FIELDS[column]} : « {text} » n'est pas un nombre entier.")
    return int(digits)


def _plain(value: object) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _conflict_section() -> None:
    conflict: EditConflict | None = st.session_state.get(_CONFLICT)
    if conflict is None:
        return
    st.error(conflict_text(conflict))
    st.button("Fermer ce message", key="fermer_conflit_projet", on_click=st.session_state.pop, args=(_CONFLICT, None))


def _history(*, can_edit: bool) -> None:
    audit = data_access.projects_audit()
    st.subheader("Historique des modifications")
    if audit.empty:
        st.caption("Aucune modification n'a encore été enregistrée.")
        return
    table = history_table(audit, key="project_id", key_label="Projet", describe=_describe)
    st.dataframe(french_table(table), hide_index=True, width="stretch")
    if not can_edit:
        return
    undoable = audit[audit["undone_by"].isna() & audit["action"].ne(UNDO)]["change_id"].astype(int).tolist()
    if undoable:
        chosen = st.selectbox("Modification à annuler", undoable, format_func=lambda n: f"n° {n}", key="projet_annuler")
        token = f"annuler_projet_{chosen}"
        st.button("Annuler cette modification", key=token, on_click=_undo, args=(int(chosen), token))


def _describe(entry: dict) -> str:
    return " ; ".join(f"{k} : {shown_value(a)} → {shown_value(b)}" for k, (a, b) in changed_fields(entry).items())


def _undo(change_id: int, token: str) -> None:
    run_undo(project_edits.undo_project_change, change_id, token, done_key=_FLASH, error_key=_FLASH_ERROR)


st.title("Projets industriels")
data_access.layer_or_stop("projets")
_flash()
can_edit = editor_sign_in()
projects = data_access.projects()
sources = " ; ".join(attributions(data_access.layer("metadata"), ["projets"]))
st.caption(
    f"{len(projects)} projets, fermetures et abandons, chacun avec sa source et la date de sa dernière vérification. "
    f"Sources : {sources}."
)
_conflict_section()
_shipped_section()
_queue_section(projects, date.today())
st.subheader("Fiche d'un projet")
if not can_edit:
    st.caption("Connectez-vous avec un compte éditeur pour confirmer, mettre à jour ou corriger un projet.")
if can_edit:
    _add_form()
if (project := _choose_project(projects)) is not None:
    _sheet(project, can_edit=can_edit)
_history(can_edit=can_edit)
