"""The test browser itself: a page that asks a third party is seen, and its request never leaves the machine."""

from __future__ import annotations

import http.server
import socket
import threading

import pytest

pytestmark = pytest.mark.browser

ASK_JS = """address => fetch(address, {mode: 'no-cors'}).then(() => 'reçu', error => 'échec')"""


def test_a_request_to_another_host_fails_in_the_browser_and_is_recorded(page):
    # A server this machine reaches by its own name (/etc/hosts): only the browser's resolver rules can stop it.
    server = http.server.ThreadingHTTPServer(("0.0.0.0", 0), http.server.SimpleHTTPRequestHandler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    address = f"http://{socket.gethostname()}:{server.server_address[1]}/"
    try:
        with socket.create_connection((socket.gethostname(), server.server_address[1]), timeout=5):
            pass  # reachable from Python
        assert page.evaluate(ASK_JS, address) == "échec"
    finally:
        server.shutdown()
        server.server_close()
    assert page.outside_requests == [address]
