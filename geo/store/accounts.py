"""Accounts of the people who change data: roles, Argon2id password hashes, sign-in that resists guessing.

The same two tables live in the GeoPackage and in PostGIS (SQLAlchemy Core speaks both), beside
the layers, and survive rebuilds:

- ``comptes``: one row per person — login, display name, e-mail (single sign-on matches it), role
  (``lecteur``, ``editeur``, ``admin``), Argon2id hash (none for single-sign-on-only accounts),
  enabled flag, creation and last sign-in dates, and a *session epoch* raised whenever the account
  is disabled, its password or its role changes: sessions opened before are refused at their next write.
- ``echecs_connexion``: failed sign-ins per key, with the time of the last one and the time the key is
  blocked until. Three keys count each failure:

  * ``paire:<login>|<client>`` — one client on one account. After :data:`FREE_ATTEMPTS` failures each new
    failure doubles the wait (2 s, 4 s… capped at :data:`MAX_DELAY_S`); a success clears it.
  * ``client:<address>`` — one client on any accounts (the same waits): a client trying many accounts.
  * ``compte:<login>`` — one account from any clients. It never blocks by itself: an attacker spraying
    from many addresses must not lock the owner out of the owner's own address. Once it reaches
    :data:`ACCOUNT_UNDER_ATTACK` failures, a failure on that account is no longer free from any client
    (the pair waits from its first failure), so each new address gets one guess before waiting.

  Failures decay: a key's count halves for every :data:`FAILURE_HALF_LIFE` without a failure on it, so a
  lock ends by itself and an old typo is forgotten. The trade-off: clients behind one address (an office
  NAT) share the client key, so one of them guessing slows the others; the right password from an address
  that has not failed is always checked.

Messages never tell whether an account exists: « Identifiant ou mot de passe incorrect. ». The client
address comes from :func:`client_address`, which believes ``X-Forwarded-For`` only from a proxy the
configuration names (``REINDUS_TRUSTED_PROXIES``).
"""

from __future__ import annotations

import contextlib
import functools
import ipaddress
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import sqlalchemy
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import Boolean, Column, Integer, MetaData, String, Table, select, update

from geo.errors import ReindusError

ROLES = ("lecteur", "editeur", "admin")
EDITING_ROLES = ("editeur", "admin")
ROLE_LABELS = {"lecteur": "lecteur", "editeur": "éditeur", "admin": "administrateur"}
ACCOUNTS_TABLE, FAILURES_TABLE = "comptes", "echecs_connexion"
ACCOUNT_TABLES = (ACCOUNTS_TABLE, FAILURES_TABLE)
FREE_ATTEMPTS = 3
"""Failures allowed before any wait (a typo or two)."""
MAX_DELAY_S = 15 * 60
ACCOUNT_UNDER_ATTACK = 20
"""Failures on one account, from all clients, after which no failure on it is free (one guess per address)."""
FAILURE_HALF_LIFE = timedelta(minutes=15)
"""A key's failure count halves for each such quiet period (no failure on that key)."""
WRONG_CREDENTIALS = "Identifiant ou mot de passe incorrect."
MIN_PASSWORD_LENGTH = 12

_metadata = MetaData()
accounts_table = Table(
    ACCOUNTS_TABLE,
    _metadata,
    Column("login", String, primary_key=True),
    Column("display_name", String, nullable=False),
    Column("email", String),
    Column("role", String, nullable=False),
    Column("password_hash", String),
    Column("enabled", Boolean, nullable=False),
    Column("created_at", String, nullable=False),
    Column("last_sign_in_at", String),
    Column("session_epoch", Integer, nullable=False),
)
failures_table = Table(
    FAILURES_TABLE,
    _metadata,
    Column("key", String, primary_key=True),  # "paire:<login>|<client>", "client:<address>" or "compte:<login>"
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", String, nullable=False),
    Column("blocked_until", String),
)
_hasher = PasswordHasher()  # Argon2id, the library's current recommended parameters


@functools.cache
def _dummy_hash() -> str:
    """The hash checked for an unknown login, so that it takes as long as a known one. Made on first use: an
    Argon2 hash costs 0.17 s, which every process paid when importing the store (the app, each CLI command)."""
    return _hasher.hash("compte inexistant : même temps de calcul")


class AccountError(ReindusError):
    """An account operation refused, with a French message a user can read."""


class SignInRefused(AccountError):
    """Wrong credentials, a disabled or unknown account (the message does not say which), or a wait."""

    def __init__(self, message: str, *, retry_after_s: int = 0) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class WriteRefused(AccountError):
    """A change without an enabled editor account, or from a session that account has since closed."""


@dataclass(frozen=True)
class Account:
    """What the app keeps of a signed-in account; ``session_epoch`` ties the session to the account's state."""

    login: str
    display_name: str
    role: str
    session_epoch: int
    email: str | None = None

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def signature(self) -> str:
        """How the audit trail names the author: the account (its login), with the display name when it differs."""
        return self.login if self.display_name == self.login else f"{self.display_name} ({self.login})"


class Accounts:
    """Accounts in one database (the GeoPackage file or PostGIS), through SQLAlchemy Core."""

    def __init__(
        self, engine: sqlalchemy.Engine, *, write_lock: Callable[[], contextlib.AbstractContextManager] | None = None
    ) -> None:
        self.engine = engine
        # The GeoPackage's writer lock: an account change must not land in a file about to be replaced.
        self._write_lock = write_lock or contextlib.nullcontext
        self._ready = False

    @contextlib.contextmanager
    def _writing(self):
        with self._write_lock(), self.engine.begin() as db:
            yield db

    def ensure_tables(self) -> None:
        if not self._ready:
            with self._write_lock():
                _metadata.create_all(self.engine, checkfirst=True)
            self._ready = True

    # --- administration (CLI `reindus users`, admin page) -------------------------------------------

    def add(
        self, login: str, *, role: str, password: str | None, display_name: str = "", email: str | None = None
    ) -> Account:
        login = _valid_login(login)
        _check_role(role)
        if password is None and not email:
            raise AccountError("Un compte sans mot de passe doit avoir une adresse e-mail (connexion unique).")
        self.ensure_tables()
        with self._writing() as db:
            if db.execute(select(accounts_table.c.login).where(accounts_table.c.login == login)).first():
                raise AccountError(f"Le compte « {login} » existe déjà.")
            db.execute(
                accounts_table.insert().values(
                    login=login,
                    display_name=display_name.strip() or login,
                    email=(email or "").strip().lower() or None,
                    role=role,
                    password_hash=_hash(password) if password is not None else None,
                    enabled=True,
                    created_at=_now().isoformat(timespec="seconds"),
                    session_epoch=0,
                )
            )
        return self.get(login)

    def list(self) -> list[dict[str, Any]]:
        """Every account without its hash (``has_password`` says whether one is set)."""
        self.ensure_tables()
        with self.engine.connect() as db:
            rows = db.execute(select(accounts_table).order_by(accounts_table.c.login)).mappings().all()
        return [
            {**{k: v for k, v in row.items() if k != "password_hash"}, "has_password": row["password_hash"] is not None}
            for row in rows
        ]

    def get(self, login: str) -> Account:
        row = self._row(login)
        if row is None:
            raise AccountError(f"Aucun compte « {login} ».")
        return _account(row)

    def set_password(self, login: str, password: str) -> None:
        self._update(login, password_hash=_hash(password), close_sessions=True)

    def set_role(self, login: str, role: str) -> None:
        _check_role(role)
        self._update(login, role=role, close_sessions=True)

    def set_enabled(self, login: str, enabled: bool) -> None:
        self._update(login, enabled=enabled, close_sessions=not enabled)

    # --- signing in ----------------------------------------------------------------------------------

    def sign_in(self, login: str, password: str, *, client: str, now: datetime | None = None) -> Account:
        """The account if ``password`` is right, it is enabled and the client need not wait.

        ``client`` is the address from :func:`client_address`. Raises :class:`SignInRefused` (one message for
        every wrong case). The hash is always computed, even for an unknown login, so the time taken does not
        tell whether the account exists. The account's own count never refuses a client that has not failed
        (see the module's docstring for the rule).
        """
        now = now or _now()
        login = login.strip().lower()
        keys = _FailureKeys(pair=f"paire:{login}|{client}", client=f"client:{client}", account=f"compte:{login}")
        self.ensure_tables()
        wait = self._wait_s([keys.pair, keys.client], now)
        if wait:
            raise SignInRefused(_wait_message(wait), retry_after_s=wait)
        row = self._row(login)
        stored = row["password_hash"] if row is not None and row["password_hash"] else _dummy_hash()
        right = _verify(stored, password)
        if not (right and row is not None and row["enabled"] and row["password_hash"]):
            wait = self._record_failure(keys, now)
            raise SignInRefused(WRONG_CREDENTIALS + (f" {_wait_message(wait)}" if wait else ""), retry_after_s=wait)
        # Only the pair is forgiven: clearing the client's count would let a client with one account of its
        # own reset its limit between guesses on others; the client and account counts decay by themselves.
        self._clear_failures([keys.pair])
        changes: dict[str, Any] = {"last_sign_in_at": now.isoformat(timespec="seconds")}
        if _hasher.check_needs_rehash(stored):
            changes["password_hash"] = _hash(password, check_length=False)
        with self._writing() as db:
            db.execute(update(accounts_table).where(accounts_table.c.login == row["login"]).values(**changes))
        return _account(row)

    def sign_in_by_email(self, email: str) -> Account:
        """Single sign-on: the provider vouched for ``email``; the role still comes from this store."""
        self.ensure_tables()
        with self.engine.connect() as db:
            row = (
                db.execute(select(accounts_table).where(accounts_table.c.email == email.strip().lower()))
                .mappings()
                .first()
            )
        if row is None or not row["enabled"]:
            raise SignInRefused(
                f"Aucun compte actif pour {email} : demandez à un administrateur de reindus de vous en créer un."
            )
        with self._writing() as db:
            db.execute(
                update(accounts_table)
                .where(accounts_table.c.login == row["login"])
                .values(last_sign_in_at=_now().isoformat(timespec="seconds"))
            )
        return _account(row)

    def check_admin(self, account: Account | None) -> Account:
        """The account as stored now, if it is an enabled administrator's from a session still open."""
        current = self.check_can_write(account)
        if current.role != "admin":
            raise WriteRefused("Action réservée aux administrateurs.")
        return current

    def session_open(self, account: Account) -> bool:
        """Whether a session opened as ``account`` still stands (enabled, no password or role change since)."""
        row = self._row(account.login)
        return row is not None and bool(row["enabled"]) and row["session_epoch"] == account.session_epoch

    def check_can_write(self, account: Account | None) -> Account:
        """The account as stored now, if it may still change data from this session; else :class:`WriteRefused`."""
        if account is None:
            raise WriteRefused("Modification refusée : connectez-vous avec un compte éditeur.")
        row = self._row(account.login)
        if row is None or not row["enabled"] or row["session_epoch"] != account.session_epoch:
            raise WriteRefused(
                "Modification refusée : votre session a été fermée (compte désactivé, mot de passe ou rôle changé). "
                "Reconnectez-vous."
            )
        if row["role"] not in EDITING_ROLES:
            raise WriteRefused("Modification refusée : votre compte est en lecture seule (rôle lecteur).")
        return _account(row)

    # --- internals -----------------------------------------------------------------------------------

    def _row(self, login: str) -> dict[str, Any] | None:
        self.ensure_tables()
        with self.engine.connect() as db:
            row = db.execute(select(accounts_table).where(accounts_table.c.login == login)).mappings().first()
        return dict(row) if row is not None else None

    def _update(self, login: str, *, close_sessions: bool, **values: Any) -> None:
        self.ensure_tables()
        with self._writing() as db:
            if close_sessions:
                values["session_epoch"] = accounts_table.c.session_epoch + 1
            done = db.execute(update(accounts_table).where(accounts_table.c.login == login).values(**values))
            if done.rowcount == 0:
                raise AccountError(f"Aucun compte « {login} ».")

    def _wait_s(self, keys: list[str], now: datetime) -> int:
        with self.engine.connect() as db:
            rows = db.execute(select(failures_table).where(failures_table.c.key.in_(keys))).mappings().all()
        waits = [
            (datetime.fromisoformat(row["blocked_until"]) - now).total_seconds() for row in rows if row["blocked_until"]
        ]
        return max([0, *(math.ceil(wait) for wait in waits)])

    def _record_failure(self, keys: _FailureKeys, now: datetime) -> int:
        """Count one failure on the three keys; return the wait it gives (the longer of the pair's and client's)."""
        stamp = now.isoformat(timespec="seconds")
        with self._writing() as db:
            # Rows quiet for a day have decayed to nothing: dropped, so spraying cannot grow the table for ever.
            db.execute(
                failures_table.delete().where(
                    failures_table.c.last_failure_at < (now - _FORGOTTEN).isoformat(timespec="seconds")
                )
            )
            rows = {
                row["key"]: row
                for row in db.execute(select(failures_table).where(failures_table.c.key.in_(keys))).mappings()
            }
            counts = {key: decayed_failures(rows.get(key), now) + 1 for key in keys}
            # An account under attack from many clients: no free failure on it, from any client.
            head_start = FREE_ATTEMPTS if counts[keys.account] >= ACCOUNT_UNDER_ATTACK else 0
            delays = {
                keys.pair: failure_delay_s(counts[keys.pair] + head_start),
                keys.client: failure_delay_s(counts[keys.client]),
                keys.account: 0,  # never blocks by itself (see the module's docstring)
            }
            for key in keys:
                values = {
                    "failures": counts[key],
                    "last_failure_at": stamp,
                    "blocked_until": (
                        (now + timedelta(seconds=delays[key])).isoformat(timespec="seconds") if delays[key] else None
                    ),
                }
                if key in rows:
                    db.execute(update(failures_table).where(failures_table.c.key == key).values(**values))
                else:
                    db.execute(failures_table.insert().values(key=key, **values))
        return max(delays.values())

    def _clear_failures(self, keys: list[str]) -> None:
        with self._writing() as db:
            db.execute(failures_table.delete().where(failures_table.c.key.in_(keys)))


class _FailureKeys(NamedTuple):
    """The three counts a failed sign-in raises (rows of ``echecs_connexion``)."""

    pair: str
    client: str
    account: str


_FORGOTTEN = timedelta(days=1)


def decayed_failures(row: Mapping[str, Any] | None, now: datetime) -> int:
    """A key's failure count at ``now``: halved for each :data:`FAILURE_HALF_LIFE` since its last failure.

    >>> last = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
    >>> row = {"failures": 8, "last_failure_at": last.isoformat()}
    >>> [decayed_failures(row, last + FAILURE_HALF_LIFE * n) for n in (0, 0.9, 1, 2, 3, 4)]
    [8, 8, 4, 2, 1, 0]
    """
    if row is None:
        return 0
    quiet = now - datetime.fromisoformat(row["last_failure_at"])
    return int(row["failures"]) >> max(0, int(quiet / FAILURE_HALF_LIFE))


def client_address(peer: str | None, forwarded_for: str | None, trusted: Iterable[str]) -> str:
    """The address a sign-in's failures are counted against.

    ``X-Forwarded-For`` is believed only when the direct peer is one of the ``trusted`` proxies (addresses
    or networks): then the right-most address in it that is not itself a trusted proxy — the one the
    nearest proxy of ours saw; those left of it are whatever the client sent. From any other peer the
    header is ignored and the peer is the client. ``peer`` None is the local machine (Streamlit hides the
    loopback address).

    >>> client_address("203.0.113.7", "198.51.100.1", ["127.0.0.1", "::1"])  # a client sending the header
    '203.0.113.7'
    >>> client_address("127.0.0.1", "198.51.100.1, 203.0.113.7", ["127.0.0.1", "::1"])  # our nginx
    '203.0.113.7'
    >>> client_address(None, None, ["127.0.0.1", "::1"])
    '127.0.0.1'
    """
    networks = [_network(entry) for entry in trusted]
    peer = (peer or "127.0.0.1").strip()
    if not _is_trusted(peer, networks):
        return peer
    hops = [hop.strip() for hop in (forwarded_for or "").split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop[:100]  # only ever a key; a proxy of ours writes an address, but bound what we store
    return hops[0][:100] if hops else peer  # only proxies of ours: the farthest one is the client


def _network(entry: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network:
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError as error:
        raise ValueError(
            f"Adresse de proxy de confiance invalide : {entry!r} (attendu : 127.0.0.1, 10.0.0.0/8…)"
        ) from error


def _is_trusted(address: str, networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False  # not an address (e.g. "unknown"): never a proxy of ours
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return any(ip in network for network in networks)


def failure_delay_s(failures: int) -> int:
    """Seconds to wait after ``failures`` consecutive failures: none for the first three, then 2, 4, 8… s.

    >>> [failure_delay_s(n) for n in (1, 3, 4, 5, 6, 20)]
    [0, 0, 2, 4, 8, 900]
    """
    if failures <= FREE_ATTEMPTS:
        return 0
    return min(2 ** (failures - FREE_ATTEMPTS), MAX_DELAY_S)


def _wait_message(seconds: int) -> str:
    return f"Trop d'essais : réessayez dans {seconds} s."


def _hash(password: str, *, check_length: bool = True) -> str:
    if check_length and len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Mot de passe trop court : {MIN_PASSWORD_LENGTH} caractères au moins.")
    return _hasher.hash(password)


def _verify(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _valid_login(login: str) -> str:
    cleaned = login.strip().lower()
    if not cleaned or len(cleaned) > 64 or not all(ch.isalnum() or ch in "._-@" for ch in cleaned):
        raise AccountError(
            f"Identifiant invalide « {login} » : lettres, chiffres, « . », « - », « _ », « @ » seulement."
        )
    return cleaned


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise AccountError(f"Rôle inconnu « {role} » : {', '.join(ROLES)}.")


def _account(row: dict[str, Any]) -> Account:
    return Account(row["login"], row["display_name"], row["role"], int(row["session_epoch"]), row["email"])


def _now() -> datetime:
    return datetime.now(UTC)
