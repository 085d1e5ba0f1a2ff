"""Foncier editing widgets: site sheet with corrections, new site, history with undo.

Editors only see the forms; the public sees the sheet and the history. Every write goes
through the store's audited, version-checked transactions (geo.store.edits); a
conflict or an unreachable database is reported in French and nothing is written.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import date

import pandas as pd
import streamlit as st
from shapely.geometry import Point

from app_pages import data_access
from app_pages.editor import (
    conflict_text,
    editor_name,
    first_use,
    history_table,
    release,
    run_undo,
    signed_in_account,
)
from app_pages.widgets import decimal_text, typed_number
from geo.analysis.sites import new_site_row
from geo.errors import EditConflictError, StoreError, UnreadableValueError
from geo.imports.parsing import parse_area_ha, parse_coordinate
from geo.store import AccountError
from geo.store.edits import ADD, EDITABLE_FIELDS, TAKEN, UNDO, WITHDRAWN, SiteChange, changed_fields
from geo.usecases import foncier_edits
from geo.usecases.foncier_edits import EditConflict, SeenSite
from geo.vocabulary import FONCIER_STATUSES as _STATUSES
from geo.vocabulary import POLLUTIONS as _POLLUTIONS
from geo.vocabulary import UNNAMED_SITE
from layers.foncier import site_card_html
from layers.formatting import count_fr, french_table, markdown_escaped

_FLASH, _FLASH_INFO, _FLASH_ERROR = "foncier_message", "foncier_info", "foncier_erreur"
_CONFLICT, _RESUMED, _UNDO_ERROR = "foncier_conflit", "foncier_reprise", "foncier_annulation_refusee"
_NEW_SITE_ID = "foncier_nouveau_site"
SELECTED_SITE = "site_choisi"
"""The key of the site selector: a site id, never a row position."""
_SHOWN_LABELS = "foncier_libelles_sites"
"""Every label the site selector has shown in this session, to its site id (see :func:`choose_site`)."""
_LABEL_COLUMNS = ("nom", "commune_nom", "statut")
_FORM_FIELDS = ("nom", "statut", "surface_ha", "zone_urba", "pollution", "projet")


def show_flash() -> None:
    """The outcome of the last write of this session (kept across the rerun that shows the change)."""
    if message := st.session_state.pop(_FLASH, None):
        st.success(message)
    if message := st.session_state.pop(_FLASH_INFO, None):
        st.info(message)
    if message := st.session_state.pop(_FLASH_ERROR, None):
        st.error(message)


def choose_site(shown: pd.DataFrame, sites: pd.DataFrame) -> pd.Series | None:
    """The site selector, by site id: a site chosen earlier stays chosen even when it leaves the results
    (marked « hors des critères ») or its label changes, and a site that no longer exists is said so, never
    swapped for another."""
    by_id = sites.set_index("site_id", drop=False)
    options = shown["site_id"].astype(str).tolist()
    chosen = st.session_state.get(SELECTED_SITE)
    if chosen is not None and chosen not in by_id.index:
        # Streamlit hands a selectbox's value back as the label the browser showed, and a label missing from this
        # run's labels as that text: a site that left the criteria since, or that another editor renamed, came
        # back as its old label, and the page took it for a deleted site and showed the first one of the list.
        # The browser may send a label of a few runs ago (a run it asked for before the last one reached it).
        chosen = st.session_state.get(_SHOWN_LABELS, {}).get(chosen, chosen)
        st.session_state[SELECTED_SITE] = chosen
    if chosen is not None and chosen not in options:
        if chosen in by_id.index:
            options.insert(0, chosen)
        else:
            st.warning(f"Le site « {markdown_escaped(chosen)} » n'existe plus (son ajout a été annulé).")
            del st.session_state[SELECTED_SITE]
    if not options:
        return None
    labels = _site_labels(options, by_id, in_results=set(shown["site_id"].astype(str)))
    st.session_state[_SHOWN_LABELS] = {
        **st.session_state.get(_SHOWN_LABELS, {}),
        **{text: site_id for site_id, text in labels.items()},
    }
    site_id = st.selectbox("Site", options, format_func=labels.__getitem__, key=SELECTED_SITE)
    return by_id.loc[site_id]


def _site_labels(options: list[str], by_id: pd.DataFrame, *, in_results: set[str]) -> dict[str, str]:
    """« name — commune » of each site, « (hors des critères : status) » for one out of the results, and the id
    after a label two sites share (Streamlit tells options apart by their labels)."""
    # Looked up in plain dicts: a row lookup per option cost a tenth of the page with two thousand sites.
    names, communes, statuses = (dict(zip(by_id.index, by_id[column], strict=True)) for column in _LABEL_COLUMNS)
    labels = {}
    for site_id in options:
        name = f"{_text(names[site_id]) or UNNAMED_SITE} — {_text(communes[site_id]) or '?'}"
        labels[site_id] = name if site_id in in_results else f"{name} (hors des critères : {_text(statuses[site_id])})"
    shared = {text for text, count in Counter(labels.values()).items() if count > 1}
    return {site_id: f"{text} · {site_id}" if text in shared else text for site_id, text in labels.items()}


def site_sheet(site: pd.Series, *, can_edit: bool) -> None:
    """Every attribute of one site; for editors, the correction form and "taken / withdrawn".

    Each form and button is keyed by the site's id and the version drawn, and its callback carries
    that :class:`SeenSite`: a click always writes to the site the editor saw, at the version seen,
    and the store refuses it if the site moved since (shown by :func:`show_conflict`).
    """
    st.html(site_card_html(site.to_dict()))  # HTML with escaped text, never read as Markdown (names are data)
    st.caption(f"Identifiant {markdown_escaped(site['site_id'])} · version {int(site['version'])}")
    if not can_edit:
        return
    seen = SeenSite.from_row(site.to_dict())
    resumed = _resumed_values(seen)
    shown = {**seen.values, **resumed}
    # Keys name the site and the version drawn; a form reopened with the editor's unsaved values gets keys
    # of its own, since Streamlit keeps a keyed widget's old value over a new default.
    form_key = f"corriger_{seen.site_id}_v{seen.version}" + ("_reprise" if resumed else "")
    with st.form(form_key):
        st.markdown("**Corriger ce site**")
        if message := st.session_state.pop(f"{form_key}_erreur", None):
            st.error(message)  # in the form, above the value to mend
        if resumed:
            st.info(
                "Vos valeurs non enregistrées sont reprises sur la version actuelle : vérifiez-les, puis enregistrez."
            )
        st.text_input(EDITABLE_FIELDS["nom"], value=_text(shown["nom"]), key=f"{form_key}_nom")
        st.selectbox(EDITABLE_FIELDS["statut"], _choices(_STATUSES, shown["statut"]), key=f"{form_key}_statut")
        st.text_input(
            EDITABLE_FIELDS["surface_ha"],
            value=decimal_text(shown["surface_ha"], decimals=2),
            key=f"{form_key}_surface_ha",
            placeholder="ex. 12,5 (vide = inconnue)",
        )
        st.text_input(EDITABLE_FIELDS["zone_urba"], value=_text(shown["zone_urba"]), key=f"{form_key}_zone_urba")
        st.selectbox(
            EDITABLE_FIELDS["pollution"], _choices(_POLLUTIONS, shown["pollution"]), key=f"{form_key}_pollution"
        )
        st.text_area(EDITABLE_FIELDS["projet"], value=_text(shown["projet"]), key=f"{form_key}_projet")
        st.form_submit_button(
            "Enregistrer la correction", on_click=_submit_correction, args=(seen, form_key, shown["surface_ha"])
        )
    taken, withdrawn = st.columns(2)
    for column, action, label in ((taken, TAKEN, "Marquer comme pris"), (withdrawn, WITHDRAWN, "Marquer comme retiré")):
        token = f"{action}_{seen.site_id}_v{seen.version}"
        column.button(label, key=token, on_click=_submit_mark, args=(seen, action, token))


def show_conflict() -> None:
    """The write this session just had refused: the other change, what was attempted, and a way back."""
    conflict: EditConflict | None = st.session_state.get(_CONFLICT)
    if conflict is None:
        return
    st.error(conflict_text(conflict))
    restart, close = st.columns(2)
    if not conflict.deleted:
        restart.button(
            f"Repartir de la version {conflict.current_version}",
            key=f"reprendre_{conflict.site_id}_v{conflict.current_version}",
            on_click=_restart_from_current,
            args=(conflict,),
        )
    close.button("Fermer ce message", key="fermer_conflit", on_click=st.session_state.pop, args=(_CONFLICT, None))


def add_site_form(clicked: tuple[float, float] | None) -> None:
    """Add a site: a point clicked on the map (prefilled) or typed coordinates, then its attributes."""
    with st.form("ajouter_site"):
        st.markdown("**Ajouter un site** (cliquez sur la carte pour placer le point, ou saisissez-le)")
        lat0, lon0 = clicked or (None, None)
        lat_col, lon_col = st.columns(2)
        typed = {
            "Latitude (WGS84)": lat_col.text_input(
                "Latitude (WGS84)", value=decimal_text(lat0, decimals=6), key="nouveau_lat", placeholder="ex. 50,3270"
            ),
            "Longitude (WGS84)": lon_col.text_input(
                "Longitude (WGS84)", value=decimal_text(lon0, decimals=6), key="nouveau_lon", placeholder="ex. 3,3950"
            ),
        }
        name = st.text_input("Nom du site", key="nouveau_nom")
        typed["Surface (ha)"] = st.text_input("Surface (ha)", key="nouveau_surface", placeholder="ex. 12,5")
        values = {
            "nom": name,
            "statut": st.selectbox("Statut", _STATUSES, key="nouveau_statut"),
            "zone_urba": st.text_input("Zonage d'urbanisme", key="nouveau_zonage"),
            "pollution": st.selectbox("Pollution", _POLLUTIONS, key="nouveau_pollution"),
            "projet": st.text_area("Projet / remarque", key="nouveau_projet"),
        }
        if not st.form_submit_button("Ajouter le site"):
            return
    try:
        lat, lon, values["surface_ha"] = (
            typed_number(typed[label], label, parse)
            for label, parse in (
                ("Latitude (WGS84)", parse_coordinate),
                ("Longitude (WGS84)", parse_coordinate),
                ("Surface (ha)", parse_area_ha),
            )
        )
    except UnreadableValueError as error:
        st.error(f"{error}. Le site n'a pas été ajouté : corrigez la valeur (le formulaire la garde).")
        return
    # The new site's id is drawn with the form, so a replayed click cannot add the same site twice.
    site_id = st.session_state.setdefault(_NEW_SITE_ID, f"saisie-{uuid.uuid4().hex[:8]}")
    token = f"ajout_{site_id}"
    if not first_use(token):
        return
    if lat is None or lon is None or not values["nom"].strip():
        release(token)
        st.error("Indiquez au moins le nom du site et son emplacement (latitude et longitude).")
        return
    try:
        row = new_site_row(
            foncier_edits.cleaned_values(values),
            Point(lon, lat),
            lookup=data_access.commune_lookup(),
            territoire_communes=data_access.layer("territoire_communes"),
            author=editor_name(),
            today=date.today().isoformat(),
        )
    except ValueError as error:
        release(token)
        st.error(str(error))
        return
    _add(SiteChange(ADD, site_id, editor_name(), values={**row, "geometry": Point(lon, lat)}), token)


def history_summary() -> None:
    """One line under the results: how many changes, the latest one and who made it."""
    audit = data_access.foncier_audit()
    if len(audit):
        latest = audit.iloc[0]
        st.caption(
            f"{count_fr(len(audit), 'modification enregistrée', 'modifications enregistrées')} par les chefs de "
            "projet ; dernière le "
            f"{str(latest['at'])[:16].replace('T', ' à ')} UTC par {markdown_escaped(latest['author'])} "
            f"(site {markdown_escaped(latest['site_id'])})."
        )


def history(*, can_edit: bool) -> None:
    """Who changed what and when, newest first; editors can undo a change."""
    if message := st.session_state.pop(_UNDO_ERROR, None):
        st.error(message)  # shown before anything else: the list it was about may have emptied since
    audit = data_access.foncier_audit()
    if audit.empty:
        st.caption("Aucune modification n'a encore été enregistrée.")
        return
    table = history_table(audit, key="site_id", key_label="Site", describe=_describe)
    st.dataframe(french_table(table), hide_index=True, width="stretch")
    if not can_edit:
        return
    undoable = audit[audit["undone_by"].isna() & audit["action"].ne(UNDO)]["change_id"].astype(int).tolist()
    if not undoable:
        return
    chosen = st.selectbox("Modification à annuler", undoable, format_func=lambda n: f"n° {n}", key="a_annuler")
    # The button carries the change drawn beside it: if the list moves before the click, the undo still
    # targets the change the editor read, and the store refuses it if that change was undone meanwhile.
    token = f"annuler_{chosen}"
    st.button("Annuler cette modification", key=token, on_click=_submit_undo, args=(int(chosen), token))


def _submit_correction(seen: SeenSite, form_key: str, drawn_surface: object) -> None:
    submitted = {name: st.session_state.get(f"{form_key}_{name}") for name in _FORM_FIELDS}
    try:
        # The field shows two decimals: left as drawn, it keeps the surface behind them (25,82 stands for 25.8249,
        # and saving the form unchanged must change nothing).
        if submitted["surface_ha"] == decimal_text(drawn_surface, decimals=2):
            submitted["surface_ha"] = drawn_surface
        else:
            surface = typed_number(submitted["surface_ha"], EDITABLE_FIELDS["surface_ha"], parse_area_ha)
            submitted["surface_ha"] = surface
    except UnreadableValueError as error:
        # The form keeps what was typed: the editor mends the value and saves again.
        st.session_state[f"{form_key}_erreur"] = f"{error}. Rien n'a été enregistré."
        return
    _finish(form_key, seen, lambda store, account: foncier_edits.correct_site(store, seen, submitted, account=account))


def _submit_mark(seen: SeenSite, action: str, token: str) -> None:
    _finish(token, seen, lambda store, account: foncier_edits.mark_site(store, seen, action, account=account))


def _finish(token: str, seen: SeenSite, write) -> None:
    """Run a write from a control's callback, once per drawn control, and keep its outcome for the next run."""
    if not first_use(token):
        return
    st.session_state.pop(_CONFLICT, None)
    try:
        outcome = write(data_access.store(), signed_in_account())
    except (StoreError, AccountError) as error:
        release(token)  # nothing was decided: the same control may try again
        st.session_state[_FLASH_ERROR] = str(error)
        return
    if outcome.conflict is not None:
        st.session_state[_CONFLICT] = outcome.conflict
        st.session_state[SELECTED_SITE] = seen.site_id  # the fiche stays on the site the editor acted on
        data_access.after_write()  # show the site as it is now
    elif outcome.saved:
        entry = outcome.entry
        st.session_state.pop(_RESUMED, None)
        st.session_state[_FLASH] = (
            f"Enregistré : {entry['action']} du site "
            f"« {markdown_escaped(seen.site_id)} » (modification n° {entry['change_id']})."
        )
        data_access.after_write()
    else:
        release(token)
        st.session_state[_FLASH_INFO] = "Aucun changement à enregistrer."


def _submit_undo(change_id: int, token: str) -> None:
    run_undo(foncier_edits.undo_change, change_id, token, done_key=_FLASH, error_key=_UNDO_ERROR)


def _restart_from_current(conflict: EditConflict) -> None:
    """Draw the site at its current version, the editor's unsaved values put back in the form."""
    st.session_state.pop(_CONFLICT, None)
    st.session_state[SELECTED_SITE] = conflict.site_id
    if conflict.attempted:
        st.session_state[_RESUMED] = (conflict.site_id, conflict.current_version, dict(conflict.attempted))


def _resumed_values(seen: SeenSite) -> dict:
    resumed = st.session_state.get(_RESUMED)
    if resumed and resumed[0] == seen.site_id and resumed[1] == seen.version:
        return resumed[2]
    return {}


def _add(change: SiteChange, token: str) -> None:
    try:
        entry = data_access.store().apply_site_change(change, account=signed_in_account())
    except (EditConflictError, StoreError, AccountError) as error:
        release(token)
        st.error(str(error))
        return
    st.session_state.pop(_NEW_SITE_ID, None)  # the next addition is another site
    data_access.after_write()
    st.session_state[_FLASH] = (
        f"Enregistré : ajout du site « {markdown_escaped(change.site_id)} » (modification n° {entry['change_id']})."
    )
    st.rerun()


def _describe(entry: dict) -> str:
    if entry["action"] == ADD:
        return "nouveau site"
    shown = foncier_edits.shown_value
    return " ; ".join(f"{k} : {shown(a)} → {shown(b)}" for k, (a, b) in changed_fields(entry).items())


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _choices(options: tuple[str, ...], current: object) -> list[str]:
    current_text = _text(current)
    return [current_text, *[o for o in options if o != current_text]] if current_text else list(options)
