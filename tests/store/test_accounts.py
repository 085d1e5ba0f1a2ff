"""Accounts in both stores: roles, Argon2id hashes, sign-in limits, sessions closed by the account's changes,
and every write refused without an enabled editor account — in ``geo``, not only in the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from geo.store import AccountError, GeoPackageStore, SignInRefused, WriteRefused
from geo.store.accounts import WRONG_CREDENTIALS, failure_delay_s
from geo.store.edits import CORRECT, SiteChange
from tests.store.test_backends import small_layers, store  # noqa: F401 — the two-backend fixture

PASSWORD = "un mot de passe assez long"


def test_an_account_is_hashed_with_argon2id_and_listed_without_its_hash(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("Alice", role="editeur", password=PASSWORD, display_name="Alice Martin", email="Alice@Exemple.fr")
    (listed,) = accounts.list()
    assert listed["login"] == "alice" and listed["email"] == "alice@exemple.fr" and listed["has_password"]
    assert "password_hash" not in listed and all(PASSWORD not in str(value) for value in listed.values())
    with accounts.engine.connect() as db:
        (stored,) = db.exec_driver_sql("SELECT password_hash FROM comptes").one()
    assert stored.startswith("$argon2id$")
    with pytest.raises(AccountError, match="existe déjà"):
        accounts.add("alice", role="lecteur", password=PASSWORD)
    with pytest.raises(AccountError, match="trop court"):
        accounts.add("bob", role="editeur", password="court")
    with pytest.raises(AccountError, match="Rôle inconnu"):
        accounts.add("carol", role="superuser", password=PASSWORD)


def test_sign_in_says_the_same_for_a_wrong_password_an_unknown_or_a_disabled_account(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    accounts.add("dora", role="editeur", password=PASSWORD)
    accounts.set_enabled("dora", False)
    assert accounts.sign_in("alice", PASSWORD, client="10.0.0.1").login == "alice"
    messages = set()
    for login, password in (("alice", "faux mot de passe"), ("personne", PASSWORD), ("dora", PASSWORD)):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in(login, password, client=f"10.0.0.{len(messages) + 2}")
        messages.add(str(refused.value))
    assert messages == {WRONG_CREDENTIALS}


def test_failed_attempts_make_both_the_account_and_the_client_wait_longer(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    for attempt in range(1, 5):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in("alice", "mauvais", client="10.0.0.9", now=now)
        assert refused.value.retry_after_s == failure_delay_s(attempt)
    assert refused.value.retry_after_s == 2 and "réessayez dans 2 s" in str(refused.value)
    # Blocked now, even with the right password, from this client or another one (the account waits)…
    with pytest.raises(SignInRefused, match="Trop d'essais"):
        accounts.sign_in("alice", PASSWORD, client="10.0.0.10", now=now + timedelta(seconds=1))
    # …and the client waits too, whatever account it tries next.
    with pytest.raises(SignInRefused, match="Trop d'essais"):
        accounts.sign_in("bob", PASSWORD, client="10.0.0.9", now=now + timedelta(seconds=1))
    later = now + timedelta(seconds=3)
    assert accounts.sign_in("alice", PASSWORD, client="10.0.0.9", now=later).login == "alice"  # the wait is over
    with pytest.raises(SignInRefused) as refused:  # a success resets the count: one more failure is free
        accounts.sign_in("alice", "mauvais", client="10.0.0.9", now=later)
    assert refused.value.retry_after_s == 0


def test_writes_need_an_enabled_editor_account_and_a_session_the_account_has_not_closed(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD, display_name="Alice Martin")
    accounts.add("lea", role="lecteur", password=PASSWORD)
    change = SiteChange(CORRECT, "a", "saisi à la main", 1, {"surface_ha": 13.0})
    with pytest.raises(WriteRefused, match="connectez-vous"):
        store.apply_site_change(change, account=None)
    reader = accounts.sign_in("lea", PASSWORD, client="c")
    with pytest.raises(WriteRefused, match="lecture seule"):
        store.apply_site_change(change, account=reader)
    session = accounts.sign_in("alice", PASSWORD, client="c")
    entry = store.apply_site_change(change, account=session)
    assert entry["author"] == "Alice Martin (alice)"  # the account, not the name typed in the change
    assert store.read("foncier_audit")["author"].tolist() == ["Alice Martin (alice)"]

    accounts.set_enabled("alice", False)  # disabling signs out everywhere, checked on every write
    with pytest.raises(WriteRefused, match="session a été fermée"):
        store.apply_site_change(SiteChange(CORRECT, "a", "x", 2, {"surface_ha": 14.0}), account=session)
    accounts.set_enabled("alice", True)
    with pytest.raises(WriteRefused, match="session a été fermée"):  # an old session stays closed
        store.undo_site_change(entry["change_id"], account=session)
    fresh = accounts.sign_in("alice", PASSWORD, client="c")
    accounts.set_password("alice", PASSWORD + " neuf")
    with pytest.raises(WriteRefused):
        store.undo_site_change(entry["change_id"], account=fresh)
    assert len(store.read("foncier_audit")) == 1


def test_accounts_survive_a_rebuild_of_the_store(store):  # noqa: F811
    store.accounts().add("admin", role="admin", password=PASSWORD)
    store.replace_all(small_layers())
    assert [row["login"] for row in store.accounts().list()] == ["admin"]
    assert "comptes" not in store.layer_names()  # not a map layer: never copied by copy-store


def test_single_sign_on_matches_the_e_mail_and_keeps_the_store_role(tmp_path):
    gpkg = GeoPackageStore(tmp_path / "sso.gpkg")
    gpkg.replace_all(small_layers())
    accounts = gpkg.accounts()
    accounts.add("claire", role="editeur", password=None, email="claire.dupont@region.fr")
    assert accounts.sign_in_by_email("Claire.Dupont@region.fr").role == "editeur"
    with pytest.raises(SignInRefused, match="Aucun compte actif"):
        accounts.sign_in_by_email("inconnu@region.fr")
    with pytest.raises(SignInRefused):  # no password set: password sign-in is refused like any other
        accounts.sign_in("claire", "", client="c")
