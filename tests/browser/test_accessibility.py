"""The Carte by keyboard only, in Chromium. axe-core's WCAG 2.1 A and AA audit of every page (in the page and in
each map frame) is in ``test_page_audits.py``, in the same visit as the policy and French audits; axe-core comes
from the npm registry with Leaflet (``package.json``)."""

from __future__ import annotations

import pytest

from tests.browser.conftest import COUNT_EPCI_JS, MAP_FRAME, wait_until_idle

pytestmark = pytest.mark.browser


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
