"""The security headers of ``deploy/nginx-reindus.conf``, through a real nginx in front of the app, in Chromium.

The Content-Security-Policy is the tightest found that keeps every page working: each page opened through nginx
reports no violation in any frame and draws its maps (``test_page_audits.py``, in the same visit as the French and
accessibility audits); here, the headers themselves, the map frame's policy, framing and Streamlit's metrics.
"""

from __future__ import annotations

import base64
import hashlib
import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import streamlit

from app_pages.accessibility import LANG_SCRIPT
from bench.scale_out import NGINX_TEMPLATE
from tests.browser.conftest import map_frame

pytestmark = pytest.mark.browser


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


def test_the_map_frame_has_the_pages_policy_scripts_are_compressed_and_the_archive_answers_range_requests(
    page, proxied
):
    page.goto(proxied + "/")
    frame = map_frame(page)
    assert "/component/app_pages.map_component.carte/" in frame.url
    component, app = _csp(_headers(frame.url)), _csp(_headers(proxied + "/"))
    assert component["script-src"] == app["script-src"]
    assert "'unsafe-inline'" not in component["script-src"] and "'unsafe-eval'" not in component["script-src"]

    request = urllib.request.Request(
        f"{proxied}/app/static/vendor/leaflet/leaflet.js", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
    archive = frame.evaluate("() => window.reindusCurrentMap.reindusVector.layer.options.url")
    ranged = urllib.request.Request(proxied + archive, headers={"Accept-Encoding": "gzip", "Range": "bytes=0-126"})
    with urllib.request.urlopen(ranged, timeout=30) as response:  # gzip would break the byte ranges
        assert response.status == 206 and response.headers.get("Content-Encoding") is None
        assert response.read()[:7] == b"PMTiles"


def test_the_page_inline_scripts_are_allowed_by_their_hash():
    """Streamlit's inline script and the app's ``lang`` script: a Streamlit upgrade that changes one fails here."""
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    scripts = [*re.findall(r"<script>(.*?)</script>", index, re.S), *re.findall(r"<script>(.*?)</script>", LANG_SCRIPT)]
    config = NGINX_TEMPLATE.read_text()
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in config, script


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
