"""Cold start: from launching the app process to the Carte painted in Chromium (every EPCI drawn).

Nothing is cached: a fresh ``streamlit run`` process and a fresh headless Chromium (Debian
package, network cut except 127.0.0.1). The figure includes Streamlit's start, loading the
store, preparing the map data once and Leaflet drawing the 242 EPCI; a second visit in a
new browser tab shows the warm figure for comparison.
"""

from __future__ import annotations

import os
import shutil
import time
from urllib.parse import urlparse

from bench.load import start_app
from bench.metric import Metric
from geo.settings import store_path

GOAL_S = None  # the issue sets no goal: the figure is reported for tracking
EPCI_DRAWN_JS = """() => {
  const frame = document.querySelector("iframe[title*='streamlit_folium']");
  const win = frame && frame.contentWindow;
  if (!win || !win.L) return false;
  const key = Object.keys(win).find(k => k.startsWith('map_') && win[k] && win[k].eachLayer);
  if (!key) return false;
  let paths = 0;
  win[key].eachLayer(l => { if (l instanceof win.L.Path) paths++; });
  return paths >= 242;
}"""
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]


def _painted(browser, url: str) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("**/*", lambda r: r.continue_() if urlparse(r.request.url).hostname == "127.0.0.1" else r.abort())
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(EPCI_DRAWN_JS, timeout=120_000, polling=100)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def run() -> list[Metric]:
    from playwright.sync_api import sync_playwright

    port = 8900 + os.getpid() % 90
    launched = time.perf_counter()
    app = start_app(port, REINDUS_STORE=str(store_path()))
    server_ready = time.perf_counter() - launched
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS, headless=True)
            cold_page = _painted(browser, f"http://127.0.0.1:{port}/")
            warm_page = _painted(browser, f"http://127.0.0.1:{port}/")
            browser.close()
    finally:
        app.terminate()
        app.wait(timeout=20)
    return [
        Metric(
            "cold_start_to_painted_map",
            server_ready + cold_page,
            "s",
            GOAL_S,
            f"server ready {server_ready:.1f} s + first page {cold_page:.1f} s; warm page {warm_page:.1f} s",
        )
    ]
