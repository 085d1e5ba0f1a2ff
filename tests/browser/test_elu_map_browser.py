"""The map an élu opens (issue 27), at 1366 × 768, a town-hall laptop: the fiche beside the map, the wheel left
to the page until the map is used, maps that open on their data. Every page in French: ``test_page_audits.py``."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import COUNT_EPCI_JS, LAPTOP, map_frame, wait_until_idle

pytestmark = pytest.mark.browser


def test_a_click_on_a_commune_opens_its_fiche_beside_the_map_without_scrolling(page, app_url, artifacts_dir):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{app_url}/?centre=50.33,3.40&zoom=11")
    frame = map_frame(page)
    frame.wait_for_function(f"({COUNT_EPCI_JS})() >= 1", timeout=60_000)
    iframe = page.locator("iframe[src*='map_component']")
    box = iframe.bounding_box()
    assert box["y"] + box["height"] <= LAPTOP["height"]  # the whole map above the fold
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    heading = page.get_by_text(re.compile(r"^Fiche : ")).first
    heading.wait_for(timeout=60_000)
    assert "commune=" in page.url
    fiche = heading.bounding_box()
    assert fiche["x"] >= box["x"] + box["width"]  # beside the map
    assert 0 <= fiche["y"] < LAPTOP["height"]  # in view, with no scroll
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") == 0
    page.get_by_role("button", name="Copier le lien").wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts_dir / "carte-fiche-1366.png"))


def test_the_wheel_scrolls_the_page_until_the_map_is_clicked_then_zooms_one_level(page, app_url):
    page.set_viewport_size(LAPTOP)
    page.goto(f"{app_url}/?couches=ti2,projets&epci=200042190")
    frame = map_frame(page)
    frame.wait_for_function(f"({COUNT_EPCI_JS})() >= 1", timeout=60_000)
    wait_until_idle(page)
    zoom = frame.evaluate("() => window.reindusCurrentMap.getZoom()")
    box = page.locator("iframe[src*='map_component']").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(800)
    assert frame.evaluate("() => window.reindusCurrentMap.getZoom()") == zoom
    assert page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTop") > 0
    # Once the map is used (a click), a notch zooms by one level.
    page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollTo(0, 0)")
    box = page.locator("iframe[src*='map_component']").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # A click on the EPCI already selected (Denain is in the CA de la Porte du Hainaut): elsewhere it would select
    # another EPCI, and the page would draw a new map, whose wheel waits for a click again.
    frame.evaluate("() => { window.reindusCurrentMap.fire('click', {latlng: L.latLng(50.329, 3.396)}); }")
    page.mouse.move(x, y)
    page.mouse.wheel(0, -100)
    frame.wait_for_function(f"() => window.reindusCurrentMap.getZoom() !== {zoom}", timeout=10_000)
    page.wait_for_timeout(500)
    assert frame.evaluate("() => window.reindusCurrentMap.getZoom()") == zoom + 1


def test_the_concentration_map_opens_on_the_two_regions_not_the_world(page, app_url):
    """Drawn in a tab not yet open, the map fitted its bounds into 0 × 0 pixels: a 5,000 km scale bar."""
    page.set_viewport_size(LAPTOP)
    page.goto(f"{app_url}/concentration")
    wait_until_idle(page)
    page.get_by_role("tab", name="Carte").click()
    iframe = page.locator("iframe[src*='map_component']").locator("visible=true").first
    iframe.wait_for(timeout=30_000)
    scale = iframe.content_frame.locator(".leaflet-control-scale-line")
    scale.wait_for(timeout=30_000)
    page.wait_for_timeout(1_000)
    text = scale.inner_text()
    assert text.endswith(" km") and int(text.split()[0]) <= 200, text
