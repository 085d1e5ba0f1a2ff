"""Accounts in both stores: roles, Argon2id hashes, sign-in limits, sessions closed by the account's changes,
and every write refused without an enabled editor account — in ``geo``, not only in the pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from argon2 import PasswordHasher

from geo import settings
from geo.store import AccountError, GeoPackageStore, SignInRefused, WriteRefused
from geo.store import accounts as account_store
from geo.store.accounts import (
    ACCOUNT_UNDER_ATTACK,
    FAILURE_HALF_LIFE,
    WRONG_CREDENTIALS,
    client_address,
    decayed_failures,
    failure_delay_s,
)
from geo.store.edits import CORRECT, SiteChange
from tests.conftest import PRODUCTION_HASHER
from tests.small_data import small_layers

PASSWORD = "un mot de passe assez long"


@pytest.fixture
def store(any_store):
    """Accounts are checked on both backends (:func:`tests.geo.store.conftest.any_store`)."""
    return any_store


def test_the_app_hashes_at_argon2s_recommended_cost_and_upgrades_a_cheaper_hash_at_sign_in(monkeypatch, tmp_path):
    # The tests' own processes hash at the smallest cost (tests/conftest.py): the app's hasher is checked here.
    recommended = PasswordHasher()
    assert (PRODUCTION_HASHER.time_cost, PRODUCTION_HASHER.memory_cost, PRODUCTION_HASHER.parallelism) == (
        recommended.time_cost,
        recommended.memory_cost,
        recommended.parallelism,
    )
    store = GeoPackageStore(tmp_path / "small.gpkg")
    store.replace_all(small_layers())
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    cheap = _stored_hash(accounts)
    assert cheap.startswith("$argon2id$") and "m=8,t=1,p=1" in cheap
    monkeypatch.setattr(account_store, "_hasher", PRODUCTION_HASHER)
    assert accounts.sign_in("alice", PASSWORD, client="10.0.0.1").login == "alice"
    upgraded = _stored_hash(accounts)
    assert f"m={recommended.memory_cost},t={recommended.time_cost},p={recommended.parallelism}" in upgraded
    assert accounts.sign_in("alice", PASSWORD, client="10.0.0.1").login == "alice"


def _stored_hash(accounts) -> str:
    with accounts.engine.connect() as db:
        return db.exec_driver_sql("SELECT password_hash FROM comptes").scalar_one()


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


def test_failed_attempts_make_one_client_on_one_account_wait_longer(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    for attempt in range(1, 7):
        now += timedelta(seconds=failure_delay_s(attempt - 1))  # waits out each wait: they still grow
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in("alice", "mauvais", client="10.0.0.9", now=now)
        assert refused.value.retry_after_s == failure_delay_s(attempt)
    assert refused.value.retry_after_s == 8 and "réessayez dans 8 s" in str(refused.value)
    # Blocked now, even with the right password, from this client…
    with pytest.raises(SignInRefused, match="Trop d'essais"):
        accounts.sign_in("alice", PASSWORD, client="10.0.0.9", now=now + timedelta(seconds=1))
    # …and the client waits whatever account it tries next…
    with pytest.raises(SignInRefused, match="Trop d'essais"):
        accounts.sign_in("bob", PASSWORD, client="10.0.0.9", now=now + timedelta(seconds=1))
    # …but not the owner at another address: the account alone is never locked.
    assert accounts.sign_in("alice", PASSWORD, client="10.0.0.10", now=now + timedelta(seconds=1)).login == "alice"
    later = now + timedelta(seconds=9)
    assert accounts.sign_in("alice", PASSWORD, client="10.0.0.9", now=later).login == "alice"  # the wait is over


def test_failures_from_many_addresses_do_not_lock_the_owner_out_of_another_address(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    for address in range(1, 9):  # eight addresses, eight failures
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in("alice", "mauvais", client=f"198.51.100.{address}", now=now)
        assert str(refused.value) == WRONG_CREDENTIALS  # one free failure each
    assert accounts.sign_in("alice", PASSWORD, client="203.0.113.9", now=now).login == "alice"


def test_an_account_under_attack_from_many_addresses_gives_each_new_one_a_single_free_guess(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    for address in range(1, ACCOUNT_UNDER_ATTACK):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in("alice", "mauvais", client=f"198.51.100.{address}", now=now)
        assert refused.value.retry_after_s == 0
    with pytest.raises(SignInRefused) as refused:  # the account's 20th failure: this address waits at once
        accounts.sign_in("alice", "mauvais", client="198.51.100.200", now=now)
    assert refused.value.retry_after_s == 2
    with pytest.raises(SignInRefused) as refused:  # another account is not under attack
        accounts.sign_in("bob", "mauvais", client="198.51.100.201", now=now)
    assert refused.value.retry_after_s == 0
    # The right password from an address that has not failed is still checked, and accepted.
    assert accounts.sign_in("alice", PASSWORD, client="203.0.113.9", now=now).login == "alice"


def test_one_client_trying_many_accounts_waits_whichever_account_it_tries(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    for attempt, login in enumerate(("anne", "bruno", "chloe", "denis"), start=1):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in(login, "mauvais", client="10.0.0.9", now=now)
        assert refused.value.retry_after_s == failure_delay_s(attempt)
    with pytest.raises(SignInRefused, match="Trop d'essais"):  # even the right password of an account
        accounts.sign_in("alice", PASSWORD, client="10.0.0.9", now=now + timedelta(seconds=1))
    accounts.add("mallory", role="lecteur", password=PASSWORD)  # a success of its own does not reset its count
    assert accounts.sign_in("mallory", PASSWORD, client="10.0.0.9", now=now + timedelta(seconds=3))
    with pytest.raises(SignInRefused) as refused:
        accounts.sign_in("emile", "mauvais", client="10.0.0.9", now=now + timedelta(seconds=3))
    assert refused.value.retry_after_s == failure_delay_s(5)


def test_failures_decay_when_the_client_stays_quiet(store):  # noqa: F811
    accounts = store.accounts()
    accounts.add("alice", role="editeur", password=PASSWORD)
    now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    for _ in range(4):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in("alice", "mauvais", client="10.0.0.9", now=now)
    assert refused.value.retry_after_s == 2
    # Two quiet half-lives: four failures count as one, so the next two are free again.
    later = now + 2 * FAILURE_HALF_LIFE
    for expected in (0, 0, 2):
        with pytest.raises(SignInRefused) as refused:
            accounts.sign_in("alice", "mauvais", client="10.0.0.9", now=later)
        assert refused.value.retry_after_s == expected
    # A day later the rows are gone altogether.
    with pytest.raises(SignInRefused):
        accounts.sign_in("bob", "mauvais", client="10.0.0.1", now=later + timedelta(days=2))
    with accounts.engine.connect() as db:
        keys = {key for (key,) in db.exec_driver_sql("SELECT key FROM echecs_connexion")}
    assert keys == {"paire:bob|10.0.0.1", "client:10.0.0.1", "compte:bob"}


def test_decayed_failures_halve_per_quiet_half_life():
    last = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
    row = {"failures": 20, "last_failure_at": last.isoformat(timespec="seconds")}
    assert [decayed_failures(row, last + n * FAILURE_HALF_LIFE) for n in range(6)] == [20, 10, 5, 2, 1, 0]
    assert decayed_failures(None, last) == 0


TRUSTED = ("127.0.0.1", "::1")


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "trusted", "expected"),
    [
        ("203.0.113.7", "198.51.100.1", TRUSTED, "203.0.113.7"),  # spoofed header from an untrusted peer: ignored
        ("203.0.113.7", None, TRUSTED, "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1", TRUSTED, "198.51.100.1"),  # our nginx on the same machine
        ("::ffff:127.0.0.1", "198.51.100.1", TRUSTED, "198.51.100.1"),
        (None, "198.51.100.1", TRUSTED, "198.51.100.1"),  # Streamlit hides the loopback address
        ("127.0.0.1", "1.2.3.4, 198.51.100.1", TRUSTED, "198.51.100.1"),  # the left one is the client's word
        ("10.0.0.5", "1.2.3.4, 198.51.100.1, 10.0.0.6", ("10.0.0.0/8",), "198.51.100.1"),  # two proxies of ours
        ("10.0.0.5", "198.51.100.1", TRUSTED, "10.0.0.5"),  # a proxy the configuration does not name
        ("127.0.0.1", "198.51.100.1", (), "127.0.0.1"),  # no trusted proxy: the header is never believed
        ("127.0.0.1", "", TRUSTED, "127.0.0.1"),
        ("127.0.0.1", "127.0.0.1, ::1", TRUSTED, "127.0.0.1"),
    ],
)
def test_the_client_address_believes_x_forwarded_for_only_from_a_trusted_proxy(peer, forwarded_for, trusted, expected):
    assert client_address(peer, forwarded_for, trusted) == expected


def test_trusted_proxies_default_to_the_local_nginx(monkeypatch):
    monkeypatch.delenv("REINDUS_TRUSTED_PROXIES", raising=False)
    assert settings.trusted_proxies() == ("127.0.0.1", "::1")
    monkeypatch.setenv("REINDUS_TRUSTED_PROXIES", " 10.0.0.0/8 , 192.0.2.1")
    assert settings.trusted_proxies() == ("10.0.0.0/8", "192.0.2.1")
    monkeypatch.setenv("REINDUS_TRUSTED_PROXIES", "")
    assert settings.trusted_proxies() == ()
    with pytest.raises(ValueError, match="proxy de confiance invalide"):
        client_address("127.0.0.1", "198.51.100.1", ["pas une adresse"])


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
