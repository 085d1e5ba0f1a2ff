"""The measured industrial employment on the Carte, in Chromium: the layer draws, its legend and tooltip give the
figures (URSSAF, Valenciennes 27 100 salariés in 2024, +5,0 % since 2019), an EPCI fiche gives its zone's change."""

from __future__ import annotations

from tests.browser.conftest import map_frame, wait_in_map, wait_until_idle

ZONE_POINT_JS = """(name) => {
  // The centre of the zone d'emploi ``name`` on the employment layer, in pixels of the map's frame.
  const key = Object.keys(window).find(k => k.startsWith('map_') && window[k] && window[k].eachLayer);
  if (!key) return null;
  const map = window[key];
  let point = null;
  map.eachLayer(layer => {
    const props = layer.feature && layer.feature.properties;
    if (!point && props && props.nom_html === name && layer.getBounds) {
      point = map.latLngToContainerPoint(layer.getBounds().getCenter());
    }
  });
  return point && {x: point.x, y: point.y};
}"""


def test_the_employment_layer_draws_with_its_legend_and_tooltip(page, app_url, artifacts_dir):
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(f"{app_url}/?couches=emploi")
    page.get_by_text("Emploi industriel mesuré —").wait_for(timeout=90_000)
    wait_until_idle(page)
    legend = page.get_by_text("Emploi industriel mesuré —").locator("xpath=..").inner_text()
    assert "évolution 2019-2024 par zone d'emploi" in legend and "plus de +5 %" in legend and "−5 % ou moins" in legend
    assert "à ne pas additionner aux emplois annoncés" in legend

    name = "Valenciennes"
    wait_in_map(page, f"() => ({ZONE_POINT_JS})({name!r}) !== null")
    page.locator("iframe[src*='map_component']").scroll_into_view_if_needed()
    point = map_frame(page).evaluate(ZONE_POINT_JS, name)
    box = page.locator("iframe[src*='map_component']").bounding_box()
    page.mouse.move(box["x"] + point["x"], box["y"] + point["y"])
    tooltip = map_frame(page).locator(".leaflet-tooltip.foliumtooltip")
    tooltip.wait_for(timeout=30_000)
    text = tooltip.inner_text()
    assert "Valenciennes" in text and "27\u202f100 salariés" in text and "+5,0 %" in text, text
    assert "URSSAF" in map_frame(page).locator(".leaflet-control-attribution").text_content()
    page.screenshot(path=str(artifacts_dir / "emploi-region.png"))

    page.goto(f"{app_url}/?couches=emploi&emploi=2024&centre=50.3500,3.5000&zoom=10")
    page.get_by_text("emplois industriels 2024 par zone d'emploi").first.wait_for(timeout=90_000)
    wait_until_idle(page)
    wait_in_map(page, f"() => ({ZONE_POINT_JS})({name!r}) !== null")  # the layer is drawn
    page.locator("iframe[src*='map_component']").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts_dir / "emploi-zone.png"))
    assert page.outside_requests == []


def test_an_epci_fiche_gives_its_zones_change(page, app_url):
    page.goto(f"{app_url}/?epci=200042190")  # CA de la Porte du Hainaut, in the zone d'emploi de Valenciennes
    page.get_by_text("Emploi dans l'EPCI").wait_for(timeout=90_000)
    body = page.locator("[data-testid='stMain']").inner_text()
    assert "zone d'emploi de Valenciennes : 25\u202f809 salariés en 2019, 27\u202f100 en 2024 (+5,0 %)" in body
    assert "Emploi dans l'EPCI" in body and "recensement 2022" in body
