"""Editor sign-in shared by the pages that change data; the public mode is read-only.

The embedded default uses one configured credential (Streamlit secrets ``editor_password``
or ``REINDUS_EDITOR_PASSWORD``); each editor gives their name, written in the audit trail.
While the database is unreachable nobody can edit.
"""

from __future__ import annotations

import hmac

import streamlit as st

from app_pages import data_access
from geo import settings


def configured_password() -> str | None:
    """From Streamlit secrets (``editor_password``) or the environment; never from the repository."""
    try:
        from_secrets = st.secrets.get("editor_password")
    except FileNotFoundError:  # no secrets.toml: the environment decides
        from_secrets = None
    return from_secrets or settings.editor_password()


def is_editor() -> bool:
    """Whether this session signed in as editor."""
    return bool(st.session_state.get("editeur"))


def editor_name() -> str:
    """The name the editor gave at sign-in (recorded with each change)."""
    return str(st.session_state.get("editeur_nom") or "éditeur")


def editor_sign_in() -> bool:
    """Show the sign-in form in the sidebar when needed; return whether the session may edit."""
    expected = configured_password()
    if expected is None:
        st.sidebar.caption("Mode consultation : aucun mot de passe d'édition n'est configuré.")
        return False
    if data_access.unreachable_message():
        st.sidebar.caption("Modifications suspendues : la base de données est injoignable.")
        return False
    if is_editor():
        if st.sidebar.button("Se déconnecter", key="deconnexion"):
            st.session_state["editeur"] = False
            st.rerun()
        st.sidebar.success(f"Connecté en éditeur : {editor_name()}")
        return True
    with st.sidebar.form("connexion"):
        name = st.text_input("Votre nom (inscrit dans l'historique)", key="nom_editeur")
        password = st.text_input("Mot de passe éditeur", type="password", key="mot_de_passe")
        if st.form_submit_button("Se connecter"):
            if not name.strip():
                st.error("Indiquez votre nom : chaque modification garde son auteur.")
            elif hmac.compare_digest(password.encode(), expected.encode()):
                st.session_state["editeur"], st.session_state["editeur_nom"] = True, name.strip()
                st.rerun()
            else:
                st.error("Mot de passe incorrect.")
    return False
