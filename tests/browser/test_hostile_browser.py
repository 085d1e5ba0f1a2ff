"""Hostile names and addresses in Chromium: shown as text everywhere, nothing runs.

The store is a copy of the build whose names carry HTML, JavaScript and Markdown (:mod:`tests.hostile`);
every payload would set ``window.__pwned``, so each test checks it stays undefined in every frame and that
no dialog opened.
"""

from __future__ import annotations

import html
import urllib.parse

import pytest

from cli import main
from layers.formatting import markdown_shown
from tests.browser.conftest import choose_option, map_frame, serve_app
from tests.hostile import IMAGE_HOST, PAYLOAD, PORTE_DU_HAINAUT

pytestmark = pytest.mark.browser

OPEN_HOSTILE_JS = """() => {
  // Open, as a pointer would, every popup and tooltip whose content carries the payload; return what each
  // pane then shows as text, and how many elements the payload could have created in it.
  const key = Object.keys(window).find(k => k.startsWith('map_') && window[k] && window[k].eachLayer);
  const map = window[key];
  const shown = [];
  const visit = (layer, group) => {
    for (const owner of [layer, group]) {
      if (!owner) continue;
      for (const kind of ['popup', 'tooltip']) {
        const bound = kind === 'popup' ? owner.getPopup && owner.getPopup() : owner.getTooltip && owner.getTooltip();
        if (!bound) continue;
        let content = bound.getContent();
        if (typeof content === 'function') content = content(layer);
        if (!((content && content.outerHTML) || String(content)).includes('pwned')) continue;
        const at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
        if (owner === layer) kind === 'popup' ? layer.openPopup(at) : layer.openTooltip(at);
        else layer.fire(kind === 'popup' ? 'click' : 'mouseover', {latlng: at}, true);  // bound on the GeoJSON
        const pane = map.getPane(kind + 'Pane');
        shown.push([kind, pane.textContent, pane.querySelectorAll('img, script, a[href^="javascript"]').length]);
      }
    }
  };
  map.eachLayer(l => (l.eachLayer ? l.eachLayer(child => visit(child, l)) : visit(l, null)));
  return shown;
}"""


CREATED_FROM_NAMES_JS = """() => {
  // What the payload's Markdown would create in the page if a name were read as Markdown.
  const main = document.querySelector("[data-testid='stMain']");
  const all = selector => [...main.querySelectorAll(selector)];
  return {
    // a heading's own anchor (#fiche-epci-…) carries a slug of the name: it links to the page itself
    links: all('a').map(a => a.getAttribute('href') || '')
      .filter(href => !href.startsWith('#') && /evil|127\\.0\\.0\\.1:9|^javascript|^data:/.test(href)),
    images: all('img').map(img => img.src).filter(src => src.includes('127.0.0.1:9')),
    coloured: all('.stMarkdownColoredText').map(e => e.textContent).filter(text => text.includes('ALERTE')),
    icons: all('[aria-label="home icon"]').length,
    latex: all('.katex').length,
  };
}"""
NOTHING_CREATED = {"links": [], "images": [], "coloured": [], "icons": 0, "latex": 0}


@pytest.fixture(scope="module")
def hostile_url(hostile, tmp_path_factory):
    store, _ = hostile
    with serve_app(store.path, tmp_path_factory.mktemp("hostile")) as url:
        yield url


def _watch(page) -> list[str]:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # The payload's Markdown image points at a local port, which the page fixture lets through: record it here.
    page.fetched_from_image_host = []
    page.on("request", lambda request: IMAGE_HOST in request.url and page.fetched_from_image_host.append(request.url))
    return dialogs


def _nothing_ran(page, dialogs: list[str]) -> None:
    assert dialogs == []
    assert page.fetched_from_image_host == []
    # The frames are read once: a frame attached or detached meanwhile (Streamlit redraws its components) must
    # neither change the count compared against nor fail the check; a detached frame runs nothing any more.
    ran = [(frame.url, value) for frame in list(page.frames) if (value := _pwned(frame)) is not None]
    assert ran == []


def _pwned(frame) -> object:
    """``window.__pwned`` in ``frame``, or None when the frame went away during the evaluation."""
    from playwright.sync_api import Error

    try:
        return frame.evaluate("() => window.__pwned")
    except Error:
        if frame.is_detached():
            return None
        raise


def test_hostile_names_are_text_in_the_fiche_tooltips_popups_and_tables(page, hostile, hostile_url, artifacts_dir):
    _, names = hostile
    dialogs = _watch(page)
    page.goto(f"{hostile_url}/?epci={PORTE_DU_HAINAUT}&couches=ti2,projets,foncier,ti_evolution")
    # Names in Markdown read as typed, with invisible word joiners that keep Streamlit from rewriting them
    page.get_by_text(f"Fiche : {markdown_shown(names.epci)}", exact=True).wait_for(timeout=90_000)
    page.get_by_role("link", name=markdown_shown(names.territory), exact=True).wait_for()  # its fiche, named literally
    assert page.evaluate(CREATED_FROM_NAMES_JS) == NOTHING_CREATED
    # The fiche's table of projects (st.dataframe draws on a canvas; its cells are also text for screen readers).
    cell = page.locator("[data-testid^='glide-cell']", has_text="Projet <img src=x").first
    cell.wait_for(state="attached", timeout=60_000)
    assert cell.text_content().startswith("Projet <img src=x onerror=window.__pwned=1>")
    assert cell.locator("img, script").count() == 0
    frame = map_frame(page)
    frame.wait_for_function(f"({OPEN_HOSTILE_JS})().length >= 6", timeout=60_000)
    shown = frame.evaluate(OPEN_HOSTILE_JS)
    assert {kind for kind, _, _ in shown} == {"popup", "tooltip"}
    assert all(created == 0 for _, _, created in shown), shown
    texts = " ".join(text for _, text, _ in shown)
    for name in (names.epci, names.territory, names.project, names.company, names.commune, names.site):
        assert name in texts, name
    assert "Source : javascript:window.__pwned=5" in texts  # a javascript: source is text, not a link
    page.screenshot(path=str(artifacts_dir / "hostile-carte.png"), full_page=True)
    _nothing_ran(page, dialogs)

    page.goto(f"{hostile_url}/?territoire={names.territory_id}&couches=ti2")
    page.get_by_text(f"Fiche : {markdown_shown(names.territory)}", exact=True).wait_for(timeout=90_000)
    page.get_by_text(f"Approximation : {markdown_shown(f'Note {PAYLOAD}')}", exact=True).wait_for()
    page.get_by_role("link", name=markdown_shown(names.epci), exact=True).wait_for()
    assert page.evaluate(CREATED_FROM_NAMES_JS) == NOTHING_CREATED
    _nothing_ran(page, dialogs)


def test_the_fiche_of_a_hostile_site_on_the_foncier_page_creates_nothing(page, hostile, hostile_url):
    _, names = hostile
    dialogs = _watch(page)
    page.goto(f"{hostile_url}/foncier?ecartes=1")  # the hostile site may carry a quality flag: shown with the others
    selector = page.locator("[data-testid='stSelectbox']").filter(has_text="Site").last
    selector.wait_for(timeout=90_000)
    choose_option(page, selector, "Site <img src=x", names.site, exact=False)  # typed: the list filters its options
    card = page.locator("[data-testid='stMain']").get_by_text("Site <img src=x onerror=window.__pwned=1>", exact=False)
    card.first.wait_for(timeout=60_000)
    assert names.site in card.first.text_content()  # the card is HTML with the name escaped: exactly as typed
    assert page.evaluate(CREATED_FROM_NAMES_JS) == NOTHING_CREATED
    _nothing_ran(page, dialogs)


@pytest.mark.parametrize(
    "query",
    [
        {"q": "<img src=x onerror=window.__pwned=1>", "epci": "<script>window.__pwned=2</script>"},
        {"territoire": '"><img src=x onerror=window.__pwned=3>[lien](javascript:window.__pwned=4)'},
        {"couches": "<svg onload=window.__pwned=5>", "centre": "<script>", "zoom": "alert(1)", "vue": "${1}"},
    ],
)
def test_hostile_addresses_run_nothing_and_are_repeated_as_text(page, app_url, query):
    dialogs = _watch(page)
    page.goto(f"{app_url}/?{urllib.parse.urlencode(query)}")
    map_frame(page)
    for key in ("q", "epci", "territoire"):
        if key in query and not (key == "epci" and "q" in query):  # a search result would take the fiche's place
            page.locator("[data-testid='stAlert'] code").filter(has_text=query[key]).wait_for(timeout=60_000)
    links = page.locator("[data-testid='stMain'] a").evaluate_all("links => links.map(a => a.href)")
    assert not [href for href in links if href.startswith("javascript") or "evil" in href]
    _nothing_ran(page, dialogs)


def test_standalone_html_of_hostile_names_escapes_them_and_runs_nothing(browser, hostile, tmp_path, serve):
    store, names = hostile
    out = tmp_path / "carte.html"
    title = f"Titre {PAYLOAD}"
    arguments = ["export", "--view", "bassins-projets", "--format", "html", "--out", str(out), "--title", title]
    assert main([*arguments, "--store", str(store.path)]) == 0
    written = out.read_text(encoding="utf-8")
    assert "<img src=x" not in written and "<script>window.__pwned" not in written
    assert f"<h1>{html.escape(title)}</h1>" in written
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    context.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
    page = context.new_page()
    dialogs = _watch(page)
    try:
        page.goto(f"{serve(tmp_path)}/carte.html")
        assert page.locator(".reindus-title h1").inner_text() == title
        page.wait_for_function(f"({OPEN_HOSTILE_JS})().length >= 2", timeout=60_000)
        shown = page.evaluate(OPEN_HOSTILE_JS)
        assert all(created == 0 for _, _, created in shown), shown
        assert names.project in " ".join(text for _, text, _ in shown)
        _nothing_ran(page, dialogs)
    finally:
        context.close()
