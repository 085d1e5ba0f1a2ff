"""Foncier editing in Chromium: the public sees no edit control; an editor signs in, adds a site, finds it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import (
    EDITOR_LOGIN,
    EDITOR_PASSWORD,
    choose_option,
    editor_app,
    sign_in,
    wait_in_map,
    wait_until_idle,
)

SITE_NAME = "Friche test navigateur"
FIND_MARKER_JS = """(name) => {
  const key = Object.keys(window).find(k => k.startsWith('map_') && window[k] && window[k].eachLayer);
  if (!key) return false;
  let found = false;
  window[key].eachLayer(l => {
    const tip = l instanceof L.CircleMarker && l.getTooltip();
    if (tip && String(tip.getContent()).includes(name)) found = true;
  });
  return found;
}"""


@pytest.fixture(scope="module")
def editor_app_url(store, tmp_path_factory):
    """The app on a copy of the build, with one editor account in it."""
    with editor_app(store, tmp_path_factory.mktemp("editeur")) as (url, _):
        yield url


def test_the_public_sees_no_edit_control_and_an_editor_adds_a_site_seen_on_the_map_and_in_the_results(
    page, editor_app_url, artifacts_dir
):
    page.goto(f"{editor_app_url}/foncier")
    page.get_by_text("Fiche d'un site").wait_for(timeout=90_000)
    wait_until_idle(page)
    for control in ("Ajouter le site", "Marquer comme pris", "Enregistrer la correction"):  # not signed in yet
        assert page.get_by_role("button", name=control).count() == 0, control
    sign_in(page, EDITOR_LOGIN, EDITOR_PASSWORD)

    page.get_by_label("Latitude (WGS84)").fill("50.3270")
    page.get_by_label("Longitude (WGS84)").fill("3.3950")
    page.get_by_label("Nom du site", exact=True).last.fill(SITE_NAME)
    page.get_by_label("Surface (ha)").last.fill("25")
    page.get_by_role("button", name="Ajouter le site").click()
    page.get_by_text("Enregistré : ajout").wait_for(timeout=60_000)

    wait_in_map(page, FIND_MARKER_JS, SITE_NAME)
    wait_until_idle(page)  # the map is drawn before the page's run ends: the fiche below may still be replaced
    # the results (table and site sheet) hold it: the site selector searches among them
    page.get_by_text("Fiche d'un site").scroll_into_view_if_needed()
    selector = page.locator("[data-testid='stSelectbox']").filter(has_text="Site").last
    choose_option(page, selector, SITE_NAME, f"{SITE_NAME} — Denain")
    page.get_by_text("site saisi").first.wait_for(timeout=30_000)
    page.screenshot(path=str(artifacts_dir / "foncier-editeur.png"), full_page=True)
    assert page.outside_requests == []
