"""Administration: the accounts (role, enabled) and the audit trail of every edit, for administrators only.

Account changes made here are checked again in ``geo.store.accounts`` (``check_admin``): hiding the page
is not what protects it. Creating an account and setting a password stay on the command line
(``reindus users``), where the password is never shown on a screen shared with others.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app_pages import data_access
from app_pages.editor import editor_sign_in, signed_in_account
from geo.store import ROLES, AccountError
from geo.store.accounts import ROLE_LABELS
from layers.formatting import french_table, markdown_escaped

st.title("Administration")
editor_sign_in()
account = signed_in_account()
if account is None or account.role != "admin":
    st.info("Réservé aux administrateurs : connectez-vous avec un compte administrateur (menu de gauche).")
    st.stop()

accounts = data_access.store().accounts()
rows = accounts.list()
st.subheader(f"Comptes ({len(rows)})")
st.dataframe(
    french_table(
        pd.DataFrame(
            {
                "Identifiant": [row["login"] for row in rows],
                "Nom": [row["display_name"] for row in rows],
                "Rôle": [ROLE_LABELS[row["role"]] for row in rows],
                "E-mail": [row["email"] or "" for row in rows],
                "Actif": ["oui" if row["enabled"] else "non" for row in rows],
                "Mot de passe": ["oui" if row["has_password"] else "connexion unique" for row in rows],
                "Créé le": [row["created_at"][:10] for row in rows],
                "Dernière connexion": [(row["last_sign_in_at"] or "jamais")[:16].replace("T", " ") for row in rows],
            }
        )
    ),
    hide_index=True,
    width="stretch",
)
st.caption("Créer un compte ou changer un mot de passe : `reindus users add` / `reindus users set-password`.")

login = st.selectbox("Compte à modifier", [row["login"] for row in rows], key="compte_choisi")
current = next(row for row in rows if row["login"] == login)
with st.form("gestion_compte"):
    # The fields start from the chosen account's current state: « Appliquer » alone changes nothing.
    left, right = st.columns(2)
    role = left.selectbox(
        "Rôle", ROLES, index=ROLES.index(current["role"]), format_func=ROLE_LABELS.get, key=f"role_{login}"
    )
    states = ["actif", "désactivé"]
    enabled = right.radio("État", states, index=0 if current["enabled"] else 1, horizontal=True, key=f"etat_{login}")
    if st.form_submit_button("Appliquer"):
        try:
            accounts.check_admin(account)
            if login == account.login and (role != "admin" or enabled != "actif"):
                raise AccountError("Vous ne pouvez pas retirer vos propres droits d'administrateur.")
            if current["role"] != role:
                accounts.set_role(login, role)
            if bool(current["enabled"]) != (enabled == "actif"):
                accounts.set_enabled(login, enabled == "actif")
        except AccountError as error:
            st.error(str(error))
        else:
            st.success(f"Compte « {markdown_escaped(login)} » : {ROLE_LABELS[role]}, {enabled}.")

st.subheader("Historique de toutes les modifications")
audit = data_access.foncier_audit()
if audit.empty:
    st.caption("Aucune modification n'a encore été enregistrée.")
else:
    st.dataframe(
        audit[["change_id", "at", "author", "action", "site_id"]].rename(
            columns={"change_id": "N°", "at": "Date (UTC)", "author": "Compte", "action": "Action", "site_id": "Site"}
        ),
        hide_index=True,
        width="stretch",
    )
