"""Editor sign-in shared by the pages that change data; the public mode is read-only."""

from __future__ import annotations

import hmac

import streamlit as st

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


def editor_sign_in() -> bool:
    """Show the sign-in form in the sidebar when needed; return whether the session may edit."""
    expected = configured_password()
    if expected is None:
        st.sidebar.caption("Mode consultation : aucun mot de passe d'édition n'est configuré.")
        return False
    if is_editor():
        if st.sidebar.button("Se déconnecter", key="deconnexion"):
            st.session_state["editeur"] = False
            st.rerun()
        st.sidebar.success("Connecté en éditeur")
        return True
    with st.sidebar.form("connexion"):
        password = st.text_input("Mot de passe éditeur", type="password")
        if st.form_submit_button("Se connecter"):
            if hmac.compare_digest(password.encode(), expected.encode()):
                st.session_state["editeur"] = True
                st.rerun()
            st.error("Mot de passe incorrect.")
    return False
