"""Each page's time to content on a warm server: what a user waits for when opening a page; and a click on the Carte.

A new browser context (no HTTP cache, no cookie) opens the page's address and the clock stops when the
page's last element is shown and every map on it is drawn: the vector map has painted its tiles
(``window.reindusPainted``), a folium map has its Leaflet panes. Each page is opened once to warm the server
(its caches and imports), then timed :data:`VISITS` times; the figure is the median.

A click on a commune of the Carte, close in (:data:`CLICKS`, each on another commune): the time until its fiche
shows beside the map, and until the map is drawn again with the commune outlined and its tiles painted.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from dataclasses import dataclass

from bench.cold_start import ARGS, PAINTED_JS
from bench.load import start_app
from bench.metric import Metric
from geo.settings import store_path

PAGE_GOAL_S = 2.0
CLICK_TO_MAP_GOAL_S = 1.0
VISITS = 5
CLICKED_VIEW = "/?couches=ti2&centre=50.3290,3.3960&zoom=11"
"""The Carte around Denain, close enough that a click opens a commune."""
CLICKS = ((0.5, 0.5), (0.3, 0.6), (0.6, 0.35), (0.45, 0.7), (0.7, 0.6), (0.35, 0.3))
"""Where the clicks land, as fractions of the map's width and height: each on another commune."""
FICHE_TITLE_JS = """() => {
  const title = [...document.querySelectorAll('h2, h3')].find(h => h.textContent.startsWith('Fiche'));
  return title ? title.textContent : null;
}"""
MAPS_DRAWN_JS = """() => {
  // Every map frame shown holds a drawn Leaflet map (its panes exist); a map in a hidden tab is not waited for.
  const frames = [...document.querySelectorAll("iframe[src*='map_component']")].filter(f => f.offsetWidth > 0);
  return frames.every(frame => {
    const doc = frame.contentDocument;
    return doc && doc.querySelector('.leaflet-pane');
  });
}"""


@dataclass(frozen=True)
class TimedPage:
    name: str
    address: str
    last_text: str | None
    """A text the page shows last (its script's end); None when the vector map's paint is the end."""
    has_map: bool = True


PAGES = (
    TimedPage("carte", "/", None),
    TimedPage("concentration", "/concentration", "Télécharger le tableau (XLSX)"),
    TimedPage("foncier", "/foncier", "Historique des modifications"),
    TimedPage("projets", "/projets", "Fiche d'un projet", has_map=False),
    TimedPage(
        "comparer",
        "/comparer?comparer=epci:200042190,epci:245901160",
        "Sources : ",
        has_map=False,
    ),
    TimedPage("presse", "/presse", "Préparer le dossier de presse"),
    TimedPage("presentation", "/presentation", None),
    TimedPage("donnees", "/donnees", "Le dépôt de fichiers est réservé aux éditeurs", has_map=False),
)


def _visit(browser, url: str, page_spec: TimedPage) -> float:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    start = time.perf_counter()
    page.goto(url)
    if page_spec.last_text is not None:
        page.get_by_text(page_spec.last_text).first.wait_for(state="attached", timeout=120_000)  # in a tab: hidden
        if page_spec.has_map:
            page.wait_for_function(MAPS_DRAWN_JS, timeout=120_000, polling=50)
    else:
        page.wait_for_function(PAINTED_JS, timeout=120_000, polling=50)
    elapsed = time.perf_counter() - start
    context.close()
    return elapsed


def _clicks(browser, base: str) -> tuple[list[float], list[float]]:
    """Seconds from each click to the commune's fiche, and to the map drawn again and painted."""
    from bench.cold_start import FRAME

    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.goto(base + CLICKED_VIEW)
    page.wait_for_function(PAINTED_JS, timeout=120_000, polling=50)
    page.wait_for_timeout(2_000)  # the map's first report and its run
    frame = page.frame_locator(FRAME)
    box = page.locator(FRAME).bounding_box()
    to_fiche, to_map = [], []
    for x, y in CLICKS:
        title = page.evaluate(FICHE_TITLE_JS)
        drawn = frame.locator("body").evaluate("() => window.reindusMapsDrawn")
        start = time.perf_counter()
        page.mouse.click(box["x"] + box["width"] * x, box["y"] + box["height"] * y)
        page.wait_for_function(f"(before) => ({FICHE_TITLE_JS})() !== before", arg=title, timeout=60_000, polling=20)
        to_fiche.append(time.perf_counter() - start)
        frame.locator("body").evaluate(
            "(body, drawn) => new Promise(resolve => { const check = () => window.reindusMapsDrawn > drawn"
            " && window.reindusPainted ? resolve() : setTimeout(check, 20); check(); })",
            drawn,
        )
        to_map.append(time.perf_counter() - start)
        page.wait_for_timeout(1_000)
    context.close()
    return to_fiche, to_map


def run() -> list[Metric]:
    from playwright.sync_api import sync_playwright

    port = 8800 + os.getpid() % 90
    app = start_app(port, REINDUS_STORE=str(store_path()))
    base = f"http://127.0.0.1:{port}"
    metrics = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=shutil.which("chromium"), args=ARGS, headless=True)
            for spec in PAGES:
                _visit(browser, base + spec.address, spec)  # warms the server's caches for this page
                times = [_visit(browser, base + spec.address, spec) for _ in range(VISITS)]
                print(f"{spec.name}: {', '.join(f'{t:.2f}' for t in times)} s", flush=True)
                metrics.append(
                    Metric(
                        f"page_{spec.name}_to_content",
                        statistics.median(times),
                        "s",
                        PAGE_GOAL_S,
                        f"median of {VISITS} new sessions at 1366 × 768, warm server "
                        f"(from {min(times):.2f} to {max(times):.2f} s)",
                    )
                )
            to_fiche, to_map = _clicks(browser, base)
            print(f"click: fiche {', '.join(f'{t:.2f}' for t in to_fiche)} s", flush=True)
            print(f"click: map {', '.join(f'{t:.2f}' for t in to_map)} s", flush=True)
            metrics += [
                Metric(
                    "carte_click_to_fiche",
                    statistics.median(to_fiche),
                    "s",
                    None,
                    f"median of {len(CLICKS)} clicks on communes at zoom 11 "
                    f"(from {min(to_fiche):.2f} to {max(to_fiche):.2f} s)",
                ),
                Metric(
                    "carte_click_to_map_drawn",
                    statistics.median(to_map),
                    "s",
                    CLICK_TO_MAP_GOAL_S,
                    f"the commune outlined and the tiles painted (from {min(to_map):.2f} to {max(to_map):.2f} s)",
                ),
            ]
            browser.close()
    finally:
        app.terminate()
        app.wait(timeout=20)
    return metrics


if __name__ == "__main__":
    for metric in run():
        print(metric.line(32))
