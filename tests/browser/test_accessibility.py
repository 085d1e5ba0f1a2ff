"""Accessibility of every page measured in Chromium: axe-core (WCAG 2.1 A and AA), and the Carte by keyboard only.

axe-core comes from the npm registry with Leaflet (``package.json``) and is injected into the page and into
each map frame (app_pages.map_component draws the map in an iframe, which axe would not enter by itself). Each page's
violations are printed as a table (``pytest -s``, and in the summary at the end of the run); serious and
critical ones fail the test.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser.conftest import AXE_REPORTS, COUNT_EPCI_JS, wait_until_idle

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}
MAP_FRAME = "iframe[src*='map_component']"
ALL_LAYERS = "couches=ti2,ti1,bassins,zonages,ze,projets,foncier,relance,ti_evolution"

PAGES = {
    # name: (address, text that says the page is drawn, map frames, tab to open first)
    "Carte": ("/", "EPCI affichés", 1, None),
    "Carte, toutes les couches et une fiche": (
        f"/?{ALL_LAYERS}&epci=245901160",
        "Fiche : CA Valenciennes Métropole",
        1,
        None,
    ),
    "Concentration": ("/concentration", "Robustesse du total", 1, "Carte"),
    "Concentration par département (France Relance)": (
        "/concentration?niveau=departement",
        "France Relance : entreprises industrielles aidées",
        2,
        "Carte",
    ),
    "Foncier": ("/foncier", "Fiche d'un site", 1, None),
    "Données": ("/donnees", "Les données contiennent aujourd'hui", 0, None),
    "Presse": ("/presse", "Aperçu", 0, None),
    "Présentation": ("/presentation?vue=2", "(2/7)", 1, None),
}

"""One table per page, printed by ``tests/browser/conftest.py`` at the end of the run."""

RUN_AXE_JS = """async (tags) => {
  const result = await axe.run(document, {iframes: false, runOnly: {type: 'tag', values: tags}});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      targets: v.nodes.slice(0, 3).map(n => n.target.join(' ') + ' : '
                                                                        + n.failureSummary)}));
}"""


def run_axe(frame) -> list[dict]:
    """axe's WCAG 2.1 A/AA violations in one frame (the main page or a map)."""
    if not AXE_JS.is_file():
        pytest.fail(f"{AXE_JS} is missing: run `make install` (npm ci)")
    frame.add_script_tag(path=str(AXE_JS))
    return frame.evaluate(RUN_AXE_JS, WCAG_TAGS)


def report_table(page_name: str, violations_by_frame: dict[str, list[dict]]) -> str:
    """A small text table: frame, rule, impact, number of nodes."""
    rows = [
        (frame, v["id"], v["impact"], str(v["nodes"])) for frame, found in violations_by_frame.items() for v in found
    ]
    if not rows:
        return f"axe — {page_name} : aucune violation WCAG 2.1 A/AA"
    header = ("cadre", "règle", "impact", "nœuds")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(4)]
    lines = [" | ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)) for row in [header, *rows]]
    return "\n".join([f"axe — {page_name}", lines[0], "-+-".join("-" * w for w in widths), *lines[1:]])


def _wait_for_maps(page, count: int) -> list:
    """The ``count`` map frames, each with Leaflet drawn."""
    page.wait_for_function(f'document.querySelectorAll("{MAP_FRAME}").length >= {count}', timeout=90_000, polling=500)
    for index in range(count):
        page.frame_locator(MAP_FRAME).nth(index).locator(".leaflet-container").wait_for(timeout=90_000)
    frames = [frame for frame in page.frames if "map_component" in frame.url]
    assert len(frames) >= count
    return frames


@pytest.mark.parametrize("page_name", list(PAGES))
def test_no_serious_or_critical_axe_violation(page, app_url, page_name):
    address, ready_text, map_count, tab = PAGES[page_name]
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(app_url + address)
    page.get_by_text(ready_text).first.wait_for(timeout=90_000)
    if tab:
        page.get_by_role("tab", name=tab).click()
    if map_count:
        _wait_for_maps(page, map_count)
    wait_until_idle(page)
    # Taken once the page is idle: a run started by the map's first report may have drawn a new map meanwhile.
    frames = _wait_for_maps(page, map_count) if map_count else []

    found = {"page": run_axe(page.main_frame)}
    for index, frame in enumerate(frames, start=1):
        found[f"carte {index}"] = run_axe(frame)
    table = report_table(page_name, found)
    AXE_REPORTS.append(table)
    print("\n" + table)

    blocking = [f"{frame}: {v['id']} ({v['impact']}) {v['targets']}" for frame, vs in found.items() for v in vs]
    assert [line for line in blocking if any(f"({impact})" in line for impact in BLOCKING)] == []
    # Moderate, yet fixed: folium's template forbade zooming the page (layers/assets.py lifts it).
    assert [line for line in blocking if "meta-viewport" in line] == []
    assert page.outside_requests == []


# The first element around the focused one that draws a ring (outline or box-shadow), is not transparent and
# is what the eye sees at its centre (an input hidden in a 1 px box is not). Null when there is none.
VISIBLE_FOCUS_JS = """() => {
  let node = document.activeElement;
  for (let depth = 0; node && depth < 4; depth++, node = node.parentElement) {
    const style = getComputedStyle(node);
    const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';
    if (ring) node.scrollIntoView({block: 'nearest'});  // as the browser does for the focused element itself
    const box = node.getBoundingClientRect();
    if (!ring || box.width < 8 || box.height < 8 || parseFloat(style.opacity) === 0) continue;
    const seen = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (seen && (seen === node || node.contains(seen))) return node.tagName;
  }
  return null;
}"""
FOCUSED_JS = "() => [document.activeElement.tagName, document.activeElement.getAttribute('aria-label') || '']"
SEARCH_LABEL = "Rechercher une commune, un EPCI ou un territoire"


def _tab_to(page, predicate, *, limit: int, unseen: list) -> None:
    """Press Tab until ``predicate(tag, label)``; every stop on the way must show a visible focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        tag, label = page.evaluate(FOCUSED_JS)
        if tag not in ("IFRAME", "BODY") and page.evaluate(VISIBLE_FOCUS_JS) is None:
            unseen.append((tag, label))
        if predicate(tag, label):
            return
    pytest.fail(f"not reached in {limit} presses of Tab")


def test_keyboard_only_search_pick_and_fiche(page, app_url, artifacts_dir):
    """From the Carte, with the keyboard alone: Tab to the search, type, choose a result that is not the first
    one, and read its fiche; each element reached shows where the focus is."""
    page.goto(app_url)
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=90_000)
    frame = next(f for f in page.frames if "map_component" in f.url)
    frame.wait_for_function(f"({COUNT_EPCI_JS})() >= 242", timeout=60_000)
    wait_until_idle(page)
    assert page.evaluate("document.documentElement.lang") == "fr"

    unseen: list = []
    _tab_to(page, lambda tag, label: label == SEARCH_LABEL, limit=80, unseen=unseen)
    page.keyboard.type("Valenciennes")
    page.keyboard.press("Enter")
    page.get_by_text("Fiche : Valenciennes", exact=True).wait_for(timeout=60_000)  # the first result, the commune
    wait_until_idle(page)

    # The results list comes next in the tab order: open it, move down to the zone d'emploi, take it.
    _tab_to(page, lambda tag, label: label == "Résultats", limit=5, unseen=unseen)
    page.keyboard.press("ArrowDown")
    for _ in range(8):
        active = page.evaluate(
            "() => { const a = document.activeElement.getAttribute('aria-activedescendant');"
            " const o = a && document.getElementById(a); return o ? o.innerText : ''; }"
        )
        if "Zone d'emploi Valenciennes" in active:
            break
        page.keyboard.press("ArrowDown")
    else:
        pytest.fail("the zone d'emploi was not reached with the arrow keys")
    page.keyboard.press("Enter")
    page.get_by_text("Fiche : Zone d'emploi Valenciennes").wait_for(timeout=60_000)
    page.get_by_text("CA Valenciennes Métropole").first.wait_for(timeout=30_000)  # one of its EPCI, linked
    assert "territoire=ze2020-3222" in page.url
    page.screenshot(path=str(artifacts_dir / "carte-clavier.png"), full_page=True)
    assert unseen == []
    assert page.outside_requests == []
