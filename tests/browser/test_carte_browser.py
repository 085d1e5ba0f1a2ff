"""The Carte page in a real headless Chromium, with the network cut except localhost."""

from __future__ import annotations

import pytest

from tests.browser.conftest import COUNT_EPCI_JS, map_frame

pytestmark = pytest.mark.browser


def test_map_renders_offline_with_every_epci(page, app_url, artifacts_dir):
    page.goto(app_url)
    frame = map_frame(page)
    frame.wait_for_function(f"({COUNT_EPCI_JS})() >= 242", timeout=60_000)
    assert frame.evaluate(COUNT_EPCI_JS) == 242
    # Screen readers say a frame's title: in French, not the component's name.
    page.wait_for_function("document.querySelector(\"iframe[src*='map_component']\").title === 'Carte interactive'")
    attribution = frame.locator(".leaflet-control-attribution").text_content()
    assert "INSEE – Code officiel géographique 2026" in attribution
    assert "ADMIN EXPRESS" in attribution
    # Folded to one line over the map (seven lines with every layer), open on a click.
    assert frame.locator(".leaflet-control-attribution").inner_text().strip() == "Sources et dates"
    frame.locator(".reindus-sources summary").click()
    assert "INSEE" in frame.locator(".leaflet-control-attribution").inner_text()
    page.screenshot(path=str(artifacts_dir / "carte.png"), full_page=True)
    assert page.outside_requests == []
    # The tiles come from the archive the build wrote beside the store, published under /app/static/tiles/ and read
    # by HTTP Range requests.
    url = frame.evaluate("() => window.reindusCurrentMap.reindusVector.layer.options.url")
    assert url.startswith("/app/static/tiles/") and url.endswith(".pmtiles")
    response = page.request.get(f"{app_url}{url}", headers={"Range": "bytes=0-126"})
    assert response.status == 206
    assert response.body()[:7] == b"PMTiles"


def test_leaflet_is_served_by_the_app(page, app_url):
    response = page.request.get(f"{app_url}/app/static/vendor/leaflet/leaflet.js")
    assert response.ok
    assert "Leaflet" in response.text()[:500]


def test_search_click_fiche_and_permalink(page, app_url, artifacts_dir):
    page.goto(app_url)
    map_frame(page)
    page.get_by_label("Rechercher une commune, un EPCI ou un territoire").fill("Denain")
    page.keyboard.press("Enter")
    # A commune found opens its own fiche, with its EPCI and territories.
    page.get_by_text("Fiche : Denain").wait_for(timeout=60_000)
    page.get_by_text("Grand-Hainaut Douaisis Cambrésis").first.wait_for(timeout=30_000)
    page.get_by_text("CA de la Porte du Hainaut").first.wait_for(timeout=30_000)
    assert "epci=200042190" in page.url and "q=Denain" in page.url and "commune=59172" in page.url

    # A click on the map (zoomed on Denain), away from Denain, opens the fiche of the commune under it.
    frame = map_frame(page)
    frame.wait_for_function(f"({COUNT_EPCI_JS})() >= 1", timeout=60_000)
    box = page.locator("iframe[src*='map_component']").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.5)
    page.wait_for_function(
        "location.search.includes('commune=') && !location.search.includes('commune=59172')", timeout=60_000
    )
    page.get_by_text("Voir la fiche de l'EPCI").first.wait_for(timeout=60_000)
    # The search (still « Denain » in its box) does not take the selection back on the next runs.
    page.wait_for_timeout(3_000)
    assert "commune=59172" not in page.url and not page.get_by_text("Fiche : Denain", exact=True).is_visible()

    # The permalink reopens the same view in a fresh page.
    reopened = page.context.new_page()
    reopened.goto(f"{app_url}/?couches=ti1&epci=200042190")
    reopened.get_by_text("Fiche : CA de la Porte du Hainaut").wait_for(timeout=60_000)
    reopened.screenshot(path=str(artifacts_dir / "carte-fiche.png"), full_page=True)
    assert page.outside_requests == []


COUNT_MAP_FRAMES_JS = """() => {
  // Every map frame added to the page from now on.
  window.reindusMapFramesAdded = 0;
  new MutationObserver(changes => changes.forEach(change => change.addedNodes.forEach(node => {
    if (node.nodeType !== 1) return;
    const frames = node.matches("iframe[src*='map_component']") ? [node] : [];
    frames.push(...node.querySelectorAll("iframe[src*='map_component']"));
    window.reindusMapFramesAdded += frames.length;
  }))).observe(document.body, {childList: true, subtree: true});
}"""


def _script_runs(page) -> list[str]:
    """The script runs the server starts for this page, as it tells the browser (one ``new_session`` a run)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    runs: list[str] = []

    def on_frame(payload) -> None:
        if isinstance(payload, bytes) and ForwardMsg.FromString(payload).WhichOneof("type") == "new_session":
            runs.append("run")

    page.on("websocket", lambda socket: socket.on("framereceived", on_frame))
    return runs


VIEW_JS = (
    "() => { const map = window.reindusCurrentMap; const c = map.getCenter(); return [map.getZoom(), c.lat, c.lng]; }"
)


def test_a_permalink_reopens_its_view_and_a_click_runs_the_page_once_in_the_same_frame(page, app_url):
    from tests.browser.conftest import wait_until_idle

    runs = _script_runs(page)
    page.goto(f"{app_url}/?couches=ti2&centre=50.3290,3.3960&zoom=11")  # close in: a click opens a commune
    frame = map_frame(page)
    frame.wait_for_function(f"({COUNT_EPCI_JS})() >= 1", timeout=60_000)
    wait_until_idle(page)
    zoom, lat, lon = frame.evaluate(VIEW_JS)  # the address's centre and zoom
    assert zoom == 11 and abs(lat - 50.329) < 0.01 and abs(lon - 3.396) < 0.01
    page.evaluate(COUNT_MAP_FRAMES_JS)
    before = len(runs)
    drawn_before = frame.evaluate("window.reindusMapsDrawn")
    frame.evaluate("window.reindusFrameKept = true")
    tiles_asked = []
    page.on("request", lambda request: tiles_asked.append(request.url) if ".pmtiles" in request.url else None)
    box = page.locator("iframe[src*='map_component']").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5)
    page.wait_for_function("location.search.includes('commune=')", timeout=90_000)
    page.get_by_text("Voir la fiche de l'EPCI").first.wait_for(timeout=60_000)  # the commune's fiche
    wait_until_idle(page)
    page.wait_for_timeout(2_000)
    # One run for the click, drawing the map with Denain outlined, in the frame already there. Reading the click
    # after the drawing took a second run (the map drawn twice, the first time with the old selection); a new
    # frame for each drawing took another (a new map reports where it opened).
    assert len(runs) - before == 1, f"{len(runs) - before} runs for one click"
    assert page.evaluate("window.reindusMapFramesAdded") == 0, "a new frame was made"
    assert frame.evaluate("window.reindusFrameKept") is True
    assert frame.evaluate("window.reindusMapsDrawn") == drawn_before + 1
    assert frame.evaluate("!!window.reindusPainted")
    assert tiles_asked == [], "the new map asked for tiles the frame had already read"
    # the map drawn anew is the one in use: the wheel zooms it (the click enabled it on the map it replaced)
    assert frame.evaluate("window.reindusCurrentMap.scrollWheelZoom.enabled()") is True
    # the user zooms in: the new view reaches the URL, so a copied address reopens it
    frame.evaluate("() => window.reindusCurrentMap.setZoom(12)")
    page.wait_for_function("() => window.location.search.includes('zoom=12')", timeout=30_000)
    assert page.outside_requests == []


def test_a_new_map_frame_reports_nothing_the_page_has_not_seen(page, app_url):
    """The Foncier map reports clicks only: a frame that opens sends nothing, so the page runs once (a report that
    differs from the page's default value starts a second run, and a new map replaces the one just drawn)."""
    from tests.browser.conftest import wait_until_idle

    runs = _script_runs(page)
    page.goto(f"{app_url}/foncier")
    map_frame(page).wait_for_function("() => !!window.reindusCurrentMap || !!window.map_0000", timeout=60_000)
    wait_until_idle(page)
    page.wait_for_timeout(1_000)
    assert len(runs) == 1, f"{len(runs)} runs"
