"""Projects on the map and the Concentration page, in Chromium, with the network cut."""

from __future__ import annotations

from tests.browser.conftest import map_frame
from tests.conftest import curated_counts

COUNT_CIRCLES_JS = """() => {
  const name = Object.keys(window).find(k => k.startsWith('map_') && window[k] && window[k].eachLayer);
  if (!name) return -1;
  let n = 0;
  window[name].eachLayer(l => { if (l instanceof L.CircleMarker) n++; });
  return n;
}"""


def test_project_circles_follow_the_status_filter_and_a_pointer_click_opens_a_popup(page, app_url, artifacts_dir):
    """The circles drawn follow the status filter. The names are drawn above the circles (so no circle hides a
    name): a pointer click must still reach a circle."""
    page.goto(f"{app_url}/?couches=ti2,projets")
    frame = map_frame(page)
    counts = curated_counts()
    frame.wait_for_function(f"({COUNT_CIRCLES_JS})() === {counts['default']}", timeout=60_000)  # industrial, open
    frame.wait_for_function("() => !!window.reindusPainted", timeout=60_000)
    # The largest circle drawn, where it is on the screen.
    at = frame.evaluate(
        """() => {
          const map = window.reindusCurrentMap;
          let best = null;
          map.eachLayer(l => {
            if (l instanceof L.CircleMarker && (!best || l.getRadius() > best.getRadius())) best = l;
          });
          const point = map.latLngToContainerPoint(best.getLatLng());
          return [point.x, point.y];
        }"""
    )
    # Fully in view first: a pressed mouse focuses the map, and the browser would scroll the page to show it all.
    map_element = page.locator("iframe[src*='map_component']")
    map_element.scroll_into_view_if_needed()
    box = map_element.bounding_box()
    page.mouse.click(box["x"] + at[0], box["y"] + at[1])
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for(timeout=10_000)
    assert popup.inner_text().strip()
    # The click opened the popup and selected nothing: the map is not drawn anew, the popup stays open.
    page.wait_for_timeout(3_000)
    assert popup.is_visible() and "epci=" not in page.url

    page.goto(f"{app_url}/?couches=ti2,projets&statuts=abandonn%C3%A9%20ou%20ferm%C3%A9&industriels=0")
    frame = map_frame(page)
    frame.wait_for_function(f"({COUNT_CIRCLES_JS})() === {counts['closed']}", timeout=60_000)
    page.screenshot(path=str(artifacts_dir / "carte-projets-abandonnes.png"), full_page=True)
    assert page.outside_requests == []


def test_concentration_page_draws_its_charts_offline(page, app_url, artifacts_dir):
    page.goto(f"{app_url}/concentration?niveau=ti2")
    page.get_by_text("Concentration des emplois et des financements").wait_for(timeout=60_000)
    page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first.wait_for(timeout=60_000)
    page.get_by_text("Aa – Dunkerque – Flandre").first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts_dir / "concentration.png"), full_page=True)
    assert page.outside_requests == []
