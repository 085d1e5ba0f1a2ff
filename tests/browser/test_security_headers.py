"""The security headers of ``deploy/nginx-reindus.conf``, through a real nginx in front of the app, in Chromium.

The Content-Security-Policy is the tightest found that keeps every page working: each page is opened through
nginx and must report no CSP violation (in any frame), and the maps must be drawn.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
import streamlit

from app_pages.accessibility import LANG_SCRIPT
from bench.scale_out import NGINX_TEMPLATE, nginx_in_front
from tests.browser.conftest import COUNT_EPCI_JS, map_frame, serve_app

pytestmark = pytest.mark.browser

REPORT_VIOLATIONS_JS = """document.addEventListener('securitypolicyviolation', event => {
  const report = location.pathname + ' ' + event.violatedDirective + ' ' + event.blockedURI;
  try { (window.top.__csp = window.top.__csp || []).push(report); } catch (error) { console.error(report); }
}, true);"""
PAGES_WITH_MAP = ("/", "/foncier", "/presentation", "/?fond=ign&couches=ti2,projets,foncier,relance,ti_evolution")
PAGES_WITHOUT_MAP = ("/concentration", "/presse", "/donnees", "/administration")


@pytest.fixture(scope="module")
def proxied(store, tmp_path_factory) -> str:
    base = tmp_path_factory.mktemp("nginx")
    with serve_app(store.path, base, REINDUS_EDITOR_PASSWORD="") as app_url:
        with nginx_in_front([urlparse(app_url).port], base / "nginx") as (url, _):
            yield url


def _headers(url: str) -> dict[str, str]:
    """The response headers of ``url``, an error's too (nginx adds the headers to every response: "always")."""
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return {name.lower(): value for name, value in response.headers.items()}
    except urllib.error.HTTPError as error:
        return {name.lower(): value for name, value in error.headers.items()}


def _csp(headers: dict[str, str]) -> dict[str, list[str]]:
    directives = (part.split() for part in headers["content-security-policy"].split(";") if part.strip())
    return {name: values for name, *values in directives}


@pytest.mark.parametrize(
    "path", ["/", "/concentration", "/_stcore/health", "/app/static/vendor/leaflet/leaflet.js", "/missing"]
)
def test_every_response_carries_the_security_headers(proxied, path):
    headers = _headers(proxied + path)
    csp = _csp(headers)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"] and "'unsafe-eval'" not in csp["script-src"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "geolocation=()" in headers["permissions-policy"]


def test_scripts_are_compressed_and_the_tile_archive_still_answers_range_requests(page, proxied):
    request = urllib.request.Request(
        f"{proxied}/app/static/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
    page.goto(proxied + "/")
    archive = map_frame(page).evaluate("() => window.reindusCurrentMap.reindusVector.layer.options.url")
    ranged = urllib.request.Request(proxied + archive, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-126"})
    with urllib.request.urlopen(ranged, timeout=30) as response:
        assert response.status == 206 and response.headers.get("Content-Encoding") is None
        assert response.read()[:7] == b"PMTiles"


def test_the_map_frame_runs_under_the_same_script_policy_as_the_pages(page, proxied):
    page.goto(proxied + "/")
    frame = map_frame(page)
    assert "/component/app_pages.map_component.carte/" in frame.url
    component, app = _csp(_headers(frame.url)), _csp(_headers(proxied + "/"))
    assert component["script-src"] == app["script-src"]
    assert "'unsafe-inline'" not in component["script-src"] and "'unsafe-eval'" not in component["script-src"]


def test_the_page_inline_scripts_are_allowed_by_their_hash():
    """Streamlit's inline script and the app's ``lang`` script: a Streamlit upgrade that changes one fails here."""
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    scripts = [*re.findall(r"<script>(.*?)</script>", index, re.S), *re.findall(r"<script>(.*?)</script>", LANG_SCRIPT)]
    config = NGINX_TEMPLATE.read_text()
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in config, script


def _wait_until(frame, expression: str, timeout_s: float = 90) -> None:
    """Playwright's ``wait_for_function`` evaluates a text in the page, which a policy without 'unsafe-eval'
    refuses (as it should): poll from here instead."""
    deadline = time.monotonic() + timeout_s
    while not frame.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {expression[:80]}"
        time.sleep(0.25)


def _open(page, url: str) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.context.add_init_script(REPORT_VIOLATIONS_JS)
    page.goto(url)
    return messages


@pytest.mark.parametrize("path", PAGES_WITH_MAP)
def test_pages_with_a_map_work_under_the_policy(page, proxied, path):
    messages = _open(page, proxied + path)
    _wait_until(map_frame(page), f"({COUNT_EPCI_JS})() >= 242")  # the map is drawn
    assert page.evaluate("document.documentElement.lang") == "fr"  # the hashed inline script ran
    page.wait_for_timeout(2_000)
    assert page.evaluate("window.__csp || []") == []
    assert not [text for text in messages if "Content Security Policy" in text]


@pytest.mark.parametrize("path", PAGES_WITHOUT_MAP)
def test_pages_without_a_map_work_under_the_policy(page, proxied, path):
    messages = _open(page, proxied + path)
    page.locator("h1").first.wait_for(timeout=90_000)
    if path == "/presse":
        page.get_by_role("img", name=re.compile("Aperçu de la carte")).wait_for(timeout=120_000)
    if path == "/concentration":
        page.locator("[data-testid='stVegaLiteChart'], [data-testid='stArrowVegaLiteChart']").first.wait_for(
            timeout=90_000
        )
    page.wait_for_timeout(3_000)
    assert page.evaluate("window.__csp || []") == []
    assert not [text for text in messages if "Content Security Policy" in text]


def test_another_site_cannot_frame_the_app(page, proxied, tmp_path, serve):
    (tmp_path / "frame.html").write_text(f'<iframe src="{proxied}/" width="800" height="600"></iframe>')
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(f"{serve(tmp_path)}/frame.html")  # another origin: another port
    page.wait_for_timeout(3_000)
    assert any("frame-ancestors" in text for text in messages), messages
    assert not [frame for frame in page.frames if frame.url.startswith(proxied)] or all(
        frame.evaluate("document.body ? document.body.innerText : ''") == "" for frame in page.frames[1:]
    )


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "//_stcore/metrics", "/_stcore/%6detrics"])
def test_streamlit_metrics_are_not_public_behind_nginx(proxied, path):
    # Streamlit answers /_stcore/metrics to anyone (sessions, caches' memory): for the operator, not the public.
    try:
        with urllib.request.urlopen(proxied + path, timeout=30) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status, body = error.code, error.read()
    assert status == 404 and b"# TYPE" not in body


def test_nginx_replaces_the_forwarded_address_so_sign_in_limits_count_real_clients():
    # Without it every client behind nginx is 127.0.0.1 for the app, and one guesser's failures would make
    # everybody wait; appending instead would let a client choose the address it is counted under.
    forwarded = re.findall(r"proxy_set_header\s+X-Forwarded-For\s+(\S+);", NGINX_TEMPLATE.read_text())
    assert forwarded == ["$remote_addr"]
