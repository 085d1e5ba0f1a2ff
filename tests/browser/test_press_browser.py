"""The standalone HTML export opened from a file in Chromium, with every network request blocked."""

from __future__ import annotations

from cli import main

COUNT_JS = """() => {
  const key = Object.keys(window).find(k => k.startsWith('map_') && window[k] && window[k].eachLayer);
  if (!key) return [-1, -1];
  let paths = 0, circles = 0;
  window[key].eachLayer(l => { if (l instanceof L.CircleMarker) circles++; else if (l instanceof L.Path) paths++; });
  return [paths, circles];
}"""


def test_standalone_html_works_offline_from_a_file(browser, store, tmp_path, artifacts_dir):
    out = tmp_path / "carte.html"
    title = "Projets <b>et</b> bassins"
    assert (
        main(
            [
                "export",
                "--view",
                "bassins-projets",
                "--format",
                "html",
                "--out",
                str(out),
                "--title",
                title,
                "--store",
                str(store.path),
            ]
        )
        == 0
    )
    context = browser.new_context(viewport={"width": 1280, "height": 800}, offline=True)
    requests = []
    context.route(
        "**/*",
        lambda route: (
            (requests.append(route.request.url), route.abort())
            if not route.request.url.startswith("file:")
            else route.continue_()
        ),
    )
    page = context.new_page()
    try:
        page.goto(out.as_uri())
        page.wait_for_function(f"({COUNT_JS})()[0] >= 242", timeout=60_000)
        paths, circles = page.evaluate(COUNT_JS)
        assert circles >= 40  # the projects (industry, not abandoned)
        assert page.locator(".reindus-title h1").inner_text() == title  # escaped, shown as text
        assert page.locator(".reindus-label").filter(has_text="Dunkerquois").count() == 1
        page.screenshot(path=str(artifacts_dir / "export-html.png"))
    finally:
        context.close()
    assert requests == []


def test_presentation_mode_is_full_screen_with_large_labels(page, app_url, artifacts_dir):
    from tests.browser.conftest import map_frame

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{app_url}/presentation?vue=2")
    page.get_by_text("Bassins prioritaires et projets industriels (2/6)").wait_for(timeout=90_000)
    frame = map_frame(page)
    # Names are drawn by the vector layer's canvas: read them from its collision index.
    labels_js = "() => window.reindusCurrentMap.reindusVector.visibleLabels()"
    frame.wait_for_function(f"() => ({labels_js})().some(l => l.text === 'Dunkerquois')", timeout=60_000)
    label = next(label for label in frame.evaluate(labels_js) if label["text"] == "Dunkerquois")
    assert label["bottom"] - label["top"] >= 18  # 18 px text (its box: the glyphs and a margin)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    page.screenshot(path=str(artifacts_dir / "presentation.png"))
    assert page.outside_requests == []
