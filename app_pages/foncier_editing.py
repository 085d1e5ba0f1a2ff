"""Foncier editing widgets: site sheet with corrections, new site, history with undo.

Editors only see the forms; the public sees the sheet and the history. Every write goes
through the store's audited, version-checked transactions (geo.store.edits); a
conflict or an unreachable database is reported in French and nothing is written.
"""

from __future__ import annotations

import uuid
from datetime import date

import pandas as pd
import streamlit as st
from shapely.geometry import Point

from app_pages import data_access
from app_pages.editor import editor_name, signed_in_account
from geo.analysis.sites import new_site_row
from geo.errors import EditConflictError, StoreError
from geo.store import AccountError
from geo.store.edits import (
    ADD,
    CORRECT,
    EDITABLE_FIELDS,
    TAKEN,
    UNDO,
    WITHDRAWN,
    SiteChange,
    changed_fields,
)
from layers.foncier import site_card_html
from layers.formatting import markdown_escaped

_STATUSES = ("friche sans projet", "friche avec projet", "friche potentielle", "site clé en main")
_POLLUTIONS = ("inconnu", "pollution avérée", "pollution supposée", "pollution inexistante")
_FLASH = "foncier_message"


def show_flash() -> None:
    """The outcome of the last write of this session (kept across the rerun that shows the change)."""
    if message := st.session_state.pop(_FLASH, None):
        st.success(message)


def site_sheet(site: pd.Series, *, can_edit: bool) -> None:
    """Every attribute of one site; for editors, the correction form and "taken / withdrawn"."""
    st.html(site_card_html(site.to_dict()))  # HTML with escaped text, never read as Markdown (names are data)
    st.caption(f"Identifiant {site['site_id']} · version {int(site['version'])}")
    if not can_edit:
        return
    with st.form(f"corriger_{site['site_id']}"):
        st.markdown("**Corriger ce site**")
        values = {
            "nom": st.text_input(EDITABLE_FIELDS["nom"], value=_text(site["nom"])),
            "statut": st.selectbox(EDITABLE_FIELDS["statut"], _choices(_STATUSES, site["statut"])),
            "surface_ha": st.number_input(
                EDITABLE_FIELDS["surface_ha"], min_value=0.0, value=_number(site["surface_ha"]), step=0.1
            ),
            "zone_urba": st.text_input(EDITABLE_FIELDS["zone_urba"], value=_text(site["zone_urba"])),
            "pollution": st.selectbox(EDITABLE_FIELDS["pollution"], _choices(_POLLUTIONS, site["pollution"])),
            "projet": st.text_area(EDITABLE_FIELDS["projet"], value=_text(site["projet"])),
        }
        if st.form_submit_button("Enregistrer la correction"):
            changes = {k: v for k, v in _cleaned(values).items() if _differs(v, site[k])}
            if changes:
                _write(SiteChange(CORRECT, site["site_id"], editor_name(), int(site["version"]), changes))
            else:
                st.info("Aucun changement à enregistrer.")
    taken, withdrawn = st.columns(2)
    if taken.button("Marquer comme pris", key="pris"):
        _write(SiteChange(TAKEN, site["site_id"], editor_name(), int(site["version"])))
    if withdrawn.button("Marquer comme retiré", key="retire"):
        _write(SiteChange(WITHDRAWN, site["site_id"], editor_name(), int(site["version"])))


def add_site_form(clicked: tuple[float, float] | None) -> None:
    """Add a site: a point clicked on the map (prefilled) or typed coordinates, then its attributes."""
    with st.form("ajouter_site"):
        st.markdown("**Ajouter un site** (cliquez sur la carte pour placer le point, ou saisissez-le)")
        lat0, lon0 = clicked or (None, None)
        lat_col, lon_col = st.columns(2)
        lat = lat_col.number_input("Latitude (WGS84)", value=lat0, format="%.6f", key="nouveau_lat")
        lon = lon_col.number_input("Longitude (WGS84)", value=lon0, format="%.6f", key="nouveau_lon")
        values = {
            "nom": st.text_input("Nom du site", key="nouveau_nom"),
            "surface_ha": st.number_input("Surface (ha)", min_value=0.0, value=None, step=0.1, key="nouveau_surface"),
            "statut": st.selectbox("Statut", _STATUSES, key="nouveau_statut"),
            "zone_urba": st.text_input("Zonage d'urbanisme", key="nouveau_zonage"),
            "pollution": st.selectbox("Pollution", _POLLUTIONS, key="nouveau_pollution"),
            "projet": st.text_area("Projet / remarque", key="nouveau_projet"),
        }
        if not st.form_submit_button("Ajouter le site"):
            return
    if lat is None or lon is None or not values["nom"].strip():
        st.error("Indiquez au moins le nom du site et son emplacement (latitude et longitude).")
        return
    try:
        row = new_site_row(
            _cleaned(values),
            Point(lon, lat),
            lookup=data_access.commune_lookup(),
            territoire_communes=data_access.layer("territoire_communes"),
            author=editor_name(),
            today=date.today().isoformat(),
        )
    except ValueError as error:
        st.error(str(error))
        return
    site_id = f"saisie-{uuid.uuid4().hex[:8]}"
    _write(SiteChange(ADD, site_id, editor_name(), values={**row, "geometry": Point(lon, lat)}))


def history_summary() -> None:
    """One line under the results: how many changes, the latest one and who made it."""
    audit = data_access.foncier_audit()
    if len(audit):
        latest = audit.iloc[0]
        st.caption(
            f"{len(audit)} modification(s) enregistrée(s) par les chefs de projet ; dernière le "
            f"{str(latest['at'])[:16].replace('T', ' à ')} UTC par {markdown_escaped(latest['author'])} "
            f"(site {markdown_escaped(latest['site_id'])})."
        )


def history(*, can_edit: bool) -> None:
    """Who changed what and when, newest first; editors can undo a change."""
    audit = data_access.foncier_audit()
    if audit.empty:
        st.caption("Aucune modification n'a encore été enregistrée.")
        return
    table = pd.DataFrame(
        {
            "N°": audit["change_id"].astype(int),
            "Date (UTC)": audit["at"],
            "Auteur": audit["author"],
            "Action": audit["action"],
            "Site": audit["site_id"],
            "Changements": [_describe(entry) for entry in audit.to_dict("records")],
            "Annulée par": audit["undone_by"].map(lambda v: "" if pd.isna(v) else f"n° {int(v)}"),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")
    if not can_edit:
        return
    undoable = audit[audit["undone_by"].isna() & audit["action"].ne(UNDO)]["change_id"].astype(int).tolist()
    if not undoable:
        return
    chosen = st.selectbox("Modification à annuler", undoable, format_func=lambda n: f"n° {n}", key="a_annuler")
    if st.button("Annuler cette modification", key="annuler"):
        try:
            entry = data_access.store().undo_site_change(int(chosen), account=signed_in_account())
        except (EditConflictError, StoreError, AccountError) as error:
            st.error(str(error))
            return
        _done(f"Modification n° {chosen} annulée (enregistrée sous le n° {entry['change_id']}).")


def _write(change: SiteChange) -> None:
    try:
        entry = data_access.store().apply_site_change(change, account=signed_in_account())
    except (EditConflictError, StoreError, AccountError) as error:
        st.error(str(error))
        return
    _done(
        f"Enregistré : {change.action} du site « {markdown_escaped(change.site_id)} » "
        f"(modification n° {entry['change_id']})."
    )


def _done(message: str) -> None:
    data_access.after_write()
    st.session_state[_FLASH] = message
    st.rerun()


def _describe(entry: dict) -> str:
    if entry["action"] == ADD:
        return "nouveau site"
    return " ; ".join(f"{k} : {_shown(a)} → {_shown(b)}" for k, (a, b) in changed_fields(entry).items())


def _shown(value: object) -> str:
    return "—" if value is None else str(value)


def _cleaned(values: dict) -> dict:
    """Empty text means unknown (stored empty), never an empty string."""
    return {k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()}


def _differs(new: object, old: object) -> bool:
    if new is None or (isinstance(new, float) and pd.isna(new)):
        return not pd.isna(old)
    return pd.isna(old) or new != old


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _number(value: object) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _choices(options: tuple[str, ...], current: object) -> list[str]:
    current_text = _text(current)
    return [current_text, *[o for o in options if o != current_text]] if current_text else list(options)
