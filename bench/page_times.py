"""Each page's time to content on a warm server: what a user waits for when opening a page.

A new browser context (no HTTP cache, no cookie) opens the page's address and the clock stops when the
page's last element is shown and every map on it is drawn: the vector map has painted its tiles
(``window.reindusPainted``), a folium map has its Leaflet panes. Each page is opened once to warm the server
(its caches and imports), then timed :data:`VISITS` times; the figure is the median.
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
VISITS = 5
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
            browser.close()
    finally:
        app.terminate()
        app.wait(timeout=20)
    return metrics


if __name__ == "__main__":
    for metric in run():
        print(metric.line(32))
