"""First paint of the Carte: cold (fresh server and browser) and warm (new browser session, warm server).

Nothing is cached on the cold run: a fresh ``streamlit run`` process and a fresh headless
Chromium (Debian package, network cut except 127.0.0.1). "Painted" is the vector layer's first
complete paint (``window.reindusPainted``: every visible tile of EPCI, overlays and names drawn).
Each visit is a new browser context (no HTTP cache, no cookies), as a new visitor.

The page is profiled from the browser's own clocks: Streamlit's boot (navigation to the map's
component frame appearing), the frame's scripts (Leaflet, protomaps-leaflet), the map data (archive
header and tiles) and the paint. Bytes are the encoded response bodies Chromium received, split
into Streamlit's own frontend and what the map needs (component frame, vendored scripts, fonts,
tiles); a pan at zoom 11 over Lens gives the bytes of one move.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from urllib.parse import urlparse

from bench.load import start_app
from bench.metric import Metric
from geo.settings import store_path

WARM_GOAL_S, COLD_GOAL_S, FIRST_PAINT_GOAL_KB, PAN_GOAL_KB = 1.0, 3.0, 300.0, 300.0
FRAME = "iframe[src*='map_component']"
PAINTED_JS = f"""() => {{
  const frame = document.querySelector("{FRAME}");
  const win = frame && frame.contentWindow;
  return !!(win && win.reindusPainted);
}}"""
PROFILE_JS = f"""() => {{
  const win = document.querySelector("{FRAME}").contentWindow;
  const offset = win.performance.timeOrigin - performance.timeOrigin;
  const entries = win.performance.getEntriesByType('resource');
  const end = (part) => Math.max(0, ...entries.filter(e => e.name.includes(part)).map(e => e.responseEnd)) + offset;
  return {{
    frame_start: offset,
    scripts_end: end('/app/static/'),
    tiles_end: end('.pmtiles'),
    painted: win.reindusPainted + offset,
  }};
}}"""
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    # Only the app's host resolves: nothing leaves the machine. Until December 2026 a Playwright route passed every
    # request through Python and turned the browser's HTTP cache off, which a visitor's browser does not do.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


@dataclass
class Visit:
    seconds: float
    profile: dict[str, float]
    bytes_by_kind: dict[str, int] = field(default_factory=dict)
    pan_bytes: int = 0


def _kind(url: str) -> str:
    path = urlparse(url).path
    if path.endswith(".pmtiles"):
        return "tuiles"
    if "/component/app_pages.map_component" in path or path.startswith("/app/static/"):
        return "carte"
    return "streamlit"


def _visit(browser, url: str, *, pan: bool = False) -> Visit:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    received: list[tuple[str, int]] = []
    page.on("requestfinished", lambda request: received.append((request.url, request.sizes()["responseBodySize"])))
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_function(PAINTED_JS, timeout=120_000, polling=50)
    elapsed = time.perf_counter() - start
    profile = page.evaluate(PROFILE_JS)
    visit = Visit(elapsed, profile)
    for request_url, size in received:
        visit.bytes_by_kind[_kind(request_url)] = visit.bytes_by_kind.get(_kind(request_url), 0) + size
    if pan:
        before = len(received)
        frame = next(f for f in page.frames if "map_component" in f.url)
        frame.evaluate(
            """() => new Promise(done => {
              const map = window.reindusCurrentMap;
              map.once('reindus:painted', done);
              map.panBy([600, 300], {animate: false});
            })"""
        )
        visit.pan_bytes = sum(
            size
            for request_url, size in received[before:]
            if request_url.endswith(".pmtiles") or ".pmtiles?" in request_url
        )
    context.close()
    return visit


def run() -> list[Metric]:
    from playwright.sync_api import sync_playwright

    port = 8900 + os.getpid() % 90
    launched = time.perf_counter()
    app = start_app(port, REINDUS_STORE=str(store_path()))
    server_ready = time.perf_counter() - launched
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS, headless=True)
            cold = _visit(browser, f"{base}/")
            warm = [_visit(browser, f"{base}/") for _ in range(3)]
            zoomed = _visit(browser, f"{base}/?couches=ti2&centre=50.432,2.833&zoom=11", pan=True)
            browser.close()
    finally:
        app.terminate()
        app.wait(timeout=20)
    best = min(warm, key=lambda visit: visit.seconds)
    map_kb = (best.bytes_by_kind.get("carte", 0) + best.bytes_by_kind.get("tuiles", 0)) / 1000
    return [
        Metric(
            "cold_start_to_painted_map",
            server_ready + cold.seconds,
            "s",
            COLD_GOAL_S,
            f"server ready {server_ready:.1f} s + first page {cold.seconds:.1f} s",
        ),
        Metric("warm_server_new_session_paint", best.seconds, "s", WARM_GOAL_S, _profile_note(best)),
        Metric(
            "first_paint_map_bytes",
            map_kb,
            "kB",
            FIRST_PAINT_GOAL_KB,
            f"tiles {best.bytes_by_kind.get('tuiles', 0) / 1000:.0f} kB + frame, scripts and fonts "
            f"{best.bytes_by_kind.get('carte', 0) / 1000:.0f} kB; Streamlit's own frontend "
            f"{best.bytes_by_kind.get('streamlit', 0) / 1000:.0f} kB more",
        ),
        Metric(
            "pan_zoom11_tile_bytes", zoomed.pan_bytes / 1000, "kB", PAN_GOAL_KB, "one pan of 600 × 300 px over Lens"
        ),
    ]


def _profile_note(visit: Visit) -> str:
    p = visit.profile
    return (
        f"Streamlit boot to map frame {p['frame_start'] / 1000:.2f} s, map scripts {p['scripts_end'] / 1000:.2f} s, "
        f"tiles {p['tiles_end'] / 1000:.2f} s, painted {p['painted'] / 1000:.2f} s (browser clock)"
    )
