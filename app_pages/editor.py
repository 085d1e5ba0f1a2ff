"""Sign-in of the people who change data, shared by the pages that edit; the public mode is read-only.

Accounts live in the store (``reindus users add``): each change is signed by the account, never by a
typed name. Sign-in is by login and password (Argon2id, limited attempts, see
:mod:`geo.store.accounts`) or, when ``[auth]`` is configured in Streamlit secrets, by the
organisation's single sign-on (``st.login``), matched to an account by e-mail. A session ends after
``REINDUS_SESSION_HOURS`` hours, and at once when its account is disabled or its password or role changes
(checked on every page run, and by the store on every write).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import streamlit as st

from app_pages import data_access
from geo import settings
from geo.errors import EditConflictError, StoreError
from geo.store import Account, AccountError, SignInRefused
from geo.store.accounts import ROLE_LABELS, client_address
from layers.formatting import markdown_escaped

_SESSION_KEY, _SINCE_KEY = "compte", "connecte_depuis"


def signed_in_account() -> Account | None:
    """The account this session signed in with, or None."""
    return st.session_state.get(_SESSION_KEY)


def editor_name() -> str:
    """How a change is signed (the store signs it again from the account it checks)."""
    account = signed_in_account()
    return account.signature if account else ""


def editor_sign_in() -> bool:
    """Show the sign-in (or the signed-in account) in the sidebar; return whether the session may edit."""
    if data_access.unreachable_message():
        st.sidebar.caption("Modifications suspendues : la base de données est injoignable.")
        return False
    accounts = data_access.store().accounts()
    account = _still_valid(signed_in_account(), accounts)
    if account is not None:
        st.sidebar.success(f"Connecté : {markdown_escaped(account.display_name)} ({ROLE_LABELS[account.role]})")
        if st.sidebar.button("Se déconnecter", key="deconnexion"):
            sign_out()
        return account.can_edit
    if not accounts.list():
        st.sidebar.caption("Mode consultation : aucun compte n'est configuré (`reindus users add`).")
        return False
    if _sso_configured():
        _sso_sign_in(accounts)
    _password_form(accounts)
    return False


def sign_out() -> None:
    st.session_state.pop(_SESSION_KEY, None)
    st.session_state.pop(_SINCE_KEY, None)
    if _sso_configured() and st.user.is_logged_in:
        st.logout()
    st.rerun()


def _password_form(accounts) -> None:
    with st.sidebar.form("connexion"):
        login = st.text_input("Identifiant", key="identifiant")
        password = st.text_input("Mot de passe", type="password", key="mot_de_passe")
        if st.form_submit_button("Se connecter"):
            try:
                account = accounts.sign_in(login, password, client=_client_address())
            except SignInRefused as refused:
                st.error(str(refused))
            else:
                _start_session(account)


def _sso_sign_in(accounts) -> None:
    if st.user.is_logged_in:
        try:
            _start_session(accounts.sign_in_by_email(str(st.user.get("email") or "")))
        except SignInRefused as refused:
            st.sidebar.error(str(refused))
            if st.sidebar.button("Se déconnecter de l'organisation", key="deconnexion_sso"):
                st.logout()
        return
    if st.sidebar.button("Se connecter avec le compte de l'organisation", key="connexion_sso"):
        st.login()


def _start_session(account: Account) -> None:
    st.session_state[_SESSION_KEY] = account
    st.session_state[_SINCE_KEY] = datetime.now(UTC)
    st.rerun()


def _still_valid(account: Account | None, accounts) -> Account | None:
    """The session's account if its time is not over and the account has not changed since; else signs out."""
    if account is None:
        return None
    since = st.session_state.get(_SINCE_KEY) or datetime.now(UTC)
    reason = None
    if datetime.now(UTC) - since > timedelta(hours=settings.session_hours()):
        reason = "Session expirée : reconnectez-vous."
    else:
        if not accounts.session_open(account):
            reason = "Session fermée : le compte a été modifié ou désactivé. Reconnectez-vous."
    if reason is None:
        return account
    st.session_state.pop(_SESSION_KEY, None)
    st.sidebar.warning(reason)
    return None


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:  # no secrets file: password sign-in only
        return False


def _client_address() -> str:
    """The client as a trusted proxy of ours saw it, else as the connection shows it (:func:`client_address`)."""
    forwarded = ", ".join(st.context.headers.get_all("X-Forwarded-For"))
    return client_address(st.context.ip_address, forwarded, settings.trusted_proxies())


_USED_CONTROLS = "controles_utilises"


def first_use(token: str) -> bool:
    """Whether the drawn control named ``token`` has not acted yet in this session.

    Streamlit replays a click when the run it started is interrupted (by the map's own rerun, say), and
    calls the callback again with the arguments drawn: without this, one click could write twice, or
    conflict with its own first write.
    """
    used = st.session_state.setdefault(_USED_CONTROLS, set())
    if token in used:
        return False
    used.add(token)
    return True


def release(token: str) -> None:
    """The control ``token`` decided nothing (an error before the write): it may act again."""
    st.session_state.get(_USED_CONTROLS, set()).discard(token)


def conflict_text(conflict) -> str:
    """A refused write (an :class:`~geo.usecases.record_edits.EditConflict`) as the page shows it: the other
    change, then what was attempted, as Markdown with every value escaped."""
    blocks = [markdown_escaped(conflict.summary())]
    if conflict.others:
        blocks.append("Modifié entre-temps :")
        blocks.append("\n".join(f"- {markdown_escaped(other.describe())}" for other in conflict.others))
    blocks.append("Votre modification, non enregistrée :")
    blocks.append("\n".join(f"- {markdown_escaped(line)}" for line in conflict.attempted_lines()))
    return "\n\n".join(blocks)  # blank lines: a paragraph after a list would join its last item


def run_undo(undo, change_id: int, token: str, *, done_key: str, error_key: str) -> None:
    """Undo change ``change_id`` from its button's callback, once per drawn button; keep the outcome for the rerun.

    ``undo(store, change_id, account=…)`` is the table's use case. A store or account error frees the button
    (nothing was decided); a conflict (undone already, changed since) is final.
    """
    if not first_use(token):
        return
    try:
        entry = undo(data_access.store(), change_id, account=signed_in_account())
    except (StoreError, AccountError) as error:
        release(token)
        st.session_state[error_key] = str(error)
        return
    except EditConflictError as error:
        st.session_state[error_key] = str(error)
        return
    st.session_state[done_key] = f"Modification n° {change_id} annulée (enregistrée sous le n° {entry['change_id']})."
    data_access.after_write()


def history_table(audit: pd.DataFrame, *, key: str, key_label: str, describe) -> pd.DataFrame:
    """The audit trail as the history shows it, newest first: who, when, what, on which row, undone by which."""
    return pd.DataFrame(
        {
            "N°": audit["change_id"].astype(int),
            "Date (UTC)": audit["at"],
            "Auteur": audit["author"],
            "Action": audit["action"],
            key_label: audit[key],
            "Changements": [describe(entry) for entry in audit.to_dict("records")],
            "Annulée par": audit["undone_by"].map(lambda v: "" if pd.isna(v) else f"n° {int(v)}"),
        }
    )
