"""The vector-tile map in Chromium, network cut: communes named from zoom 11, names that never overlap.

The tiles come from the archive the build wrote beside the test store; the build publishes it under
``/app/static/tiles/`` and protomaps-leaflet reads it by HTTP Range requests.
"""

from __future__ import annotations

import io
import itertools
import time

import numpy as np
import pytest
from PIL import Image
from playwright.sync_api import Error as PlaywrightError

from layers.vector_tiles import SELECTION_COLOR
from tests.browser.conftest import map_frame

pytestmark = pytest.mark.browser

PAINTED_JS = "() => !!window.reindusPainted"
MAP_JS = "() => window.reindusCurrentMap"
LABELS_JS = f"() => ({MAP_JS})().reindusVector.visibleLabels()"
ZOOM_JS = f"() => ({MAP_JS})().getZoom()"
LENS = (50.4320, 2.8330)


def _painted_frame(page, url: str):
    page.goto(url)
    frame = map_frame(page)
    frame.wait_for_function(PAINTED_JS, timeout=60_000)
    page.wait_for_timeout(1_500)  # names placed after the first paint re-draw their neighbours' tiles
    return frame


def _frame_naming(page, name: str, *, timeout_s: float = 60):
    """The map frame once its current map names ``name``; a rerun may replace the frame while we wait."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            frame = map_frame(page)
            frame.wait_for_function(f"() => ({LABELS_JS})().some(l => l.text === {name!r})", timeout=10_000)
            return frame
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise


def _overlapping(labels: list[dict]) -> list[tuple[str, str]]:
    return [
        (a["text"], b["text"])
        for a, b in itertools.combinations(labels, 2)
        if a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]
    ]


def _selection_pixels(page) -> int:
    """Pixels of the selection's magenta in a screenshot of the map."""
    shot = page.locator("iframe[src*='map_component']").screenshot()
    rgb = np.asarray(Image.open(io.BytesIO(shot)).convert("RGB")).astype(int)
    target = np.array([int(SELECTION_COLOR[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb - target).sum(axis=2) < 60).sum())


def _names_placed_without_overlap(page, frame, artifacts_dir, shot: str) -> None:
    labels = frame.evaluate(LABELS_JS)
    page.screenshot(path=str(artifacts_dir / f"noms-{shot}.png"))
    assert len(labels) >= 5, (shot, labels)
    assert _overlapping(labels) == [], shot


@pytest.mark.parametrize("zoom", [7, 9, 11])
def test_visible_names_never_overlap_on_the_carte(page, app_url, artifacts_dir, zoom):
    frame = _painted_frame(page, f"{app_url}/?couches=ti2,ti1,bassins,zonages&centre={LENS[0]},{LENS[1]}&zoom={zoom}")
    _names_placed_without_overlap(page, frame, artifacts_dir, f"carte-z{zoom}")
    names = {label["text"] for label in frame.evaluate(LABELS_JS)}
    if zoom >= 11:  # communes are named from zoom 11
        assert {"Lens", "Liévin"} <= names
    else:
        assert "Liévin" not in names
    assert page.outside_requests == []


def test_visible_names_never_overlap_on_the_presentation_as_the_user_zooms_over_lens(page, app_url, artifacts_dir):
    """The Présentation opens on its first view (large names); the user then zooms over Lens: one page, three
    views (a page opened costs about 2.5 s of CPU in Chromium, a view moved in it a fraction of that)."""
    frame = _painted_frame(page, f"{app_url}/presentation?vue=1")
    _names_placed_without_overlap(page, frame, artifacts_dir, f"presentation-z{round(frame.evaluate(ZOOM_JS))}")
    for zoom in (9, 11):
        frame.evaluate(
            f"""() => new Promise(done => {{
              const map = ({MAP_JS})();
              map.once('reindus:painted', done);
              map.setView([{LENS[0]}, {LENS[1]}], {zoom}, {{animate: false}});
            }})"""
        )
        page.wait_for_timeout(1_500)  # names placed after the first paint re-draw their neighbours' tiles
        assert round(frame.evaluate(ZOOM_JS)) == zoom
        _names_placed_without_overlap(page, frame, artifacts_dir, f"presentation-z{zoom}")
    assert page.outside_requests == []


def test_search_outlines_and_names_the_commune_and_a_click_opens_a_commune_fiche(page, app_url, artifacts_dir):
    page.goto(app_url)
    map_frame(page)
    page.get_by_label("Rechercher une commune, un EPCI ou un territoire").fill("Valenciennes")
    page.keyboard.press("Enter")
    page.wait_for_function("location.search.includes('commune=59606')", timeout=60_000)
    _frame_naming(page, "Valenciennes")
    page.wait_for_timeout(1_000)
    assert _selection_pixels(page) > 200
    page.screenshot(path=str(artifacts_dir / "recherche-valenciennes.png"), full_page=True)
    assert page.outside_requests == []

    # A click on the map, zoomed on Valenciennes, away from it, opens the fiche of the commune under it.
    box = page.locator("iframe[src*='map_component']").bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.85, box["y"] + box["height"] * 0.5)
    page.wait_for_function(
        "location.search.includes('commune=') && !location.search.includes('commune=59606')", timeout=60_000
    )
    page.get_by_text("Voir la fiche de l'EPCI").first.wait_for(timeout=60_000)
