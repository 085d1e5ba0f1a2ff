"""Single sign-on end to end in Chromium: Streamlit's st.login against an OpenID Connect provider on 127.0.0.1
(tests/oidc_provider.py, written with Authlib); the account is matched by e-mail, the role comes from the store."""

from __future__ import annotations

import textwrap
import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from bench.load import start_app
from geo.store import GeoPackageStore
from tests.browser.conftest import _free_port
from tests.conftest import copy_store
from tests.oidc_provider import CLIENT_ID, CLIENT_SECRET, OidcProvider


@pytest.fixture(scope="module")
def sso_app(store, tmp_path_factory):
    """The app on a copy of the build with one single-sign-on account, and the provider it trusts."""
    folder = tmp_path_factory.mktemp("sso")
    copy = folder / "sso.gpkg"
    copy_store(store, copy)
    accounts = GeoPackageStore(copy).accounts()
    accounts.add("claire", role="editeur", password=None, display_name="Claire Dupont", email="claire.dupont@region.fr")
    port = _free_port()
    with OidcProvider(email="Claire.Dupont@region.fr", name="Claire Dupont") as provider:
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            textwrap.dedent(
                f"""
                [auth]
                redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
                cookie_secret = "un-secret-de-cookie-pour-les-tests"
                client_id = "{CLIENT_ID}"
                client_secret = "{CLIENT_SECRET}"
                server_metadata_url = "{provider.metadata_url}"
                """
            )
        )
        with (folder / "streamlit.log").open("w") as log:
            process = start_app(
                port,
                log=log,
                args=["--secrets.files", str(secrets_file)],
                REINDUS_STORE=str(copy),
                REINDUS_WARM_START="0",  # as serve_app: the test opens one page at once
            )
            try:
                yield f"http://127.0.0.1:{port}", provider, GeoPackageStore(copy)
            finally:
                process.terminate()
                process.wait(timeout=20)


def _open(page, address: str, attempts: int = 3) -> None:
    """Navigate to ``address`` (as soon as the server answers: the test then waits for what it reads)."""
    for attempt in range(attempts):
        try:
            page.goto(address, wait_until="commit", timeout=60_000)
            return
        except PlaywrightError:
            if attempt == attempts - 1:
                raise
            time.sleep(1)


def _wait_for_cookie(context, name: str, timeout_s: float = 60) -> None:
    deadline = time.monotonic() + timeout_s
    while not any(cookie["name"] == name for cookie in context.cookies()):
        assert time.monotonic() < deadline, f"no {name} cookie: the sign-in did not come back to the app"
        time.sleep(0.25)


@pytest.mark.browser
def test_an_organisation_account_signs_in_by_sso_and_gets_its_store_role(browser, sso_app, artifacts_dir):
    url, provider, store = sso_app
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{url}/foncier")
        page.get_by_role("button", name="Se connecter avec le compte de l'organisation").click(timeout=90_000)
        # Streamlit → provider /authorize → back to /oauth2callback → the app, which sets its signed cookie.
        _wait_for_cookie(context, "_streamlit_user")
        # The callback then redirects to the app's root, which may interrupt our own navigation: try again.
        _open(page, f"{url}/foncier")
        page.get_by_text("Connecté : Claire Dupont (éditeur)").wait_for(timeout=90_000)
        page.get_by_role("button", name="Marquer comme pris").wait_for(timeout=60_000)  # the store's role: editor
        page.screenshot(path=str(artifacts_dir / "sso-connecte.png"))
        (asked,) = provider.authorizations
        assert asked["client_id"] == CLIENT_ID and "openid" in asked["scope"] and asked.get("nonce")
        assert store.accounts().list()[0]["last_sign_in_at"]  # the sign-in is recorded on the account
    finally:
        context.close()
