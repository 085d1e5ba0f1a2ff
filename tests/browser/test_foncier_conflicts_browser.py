"""Two editors in two browser contexts on the same site: every click writes to the site its page drew, at
the version drawn; a stale page is told what changed, nothing is overwritten and nothing lands elsewhere."""

from __future__ import annotations

import contextlib

import pytest

from tests.browser.conftest import (
    EDITOR_LOGIN,
    EDITOR_PASSWORD,
    choose_option,
    editor_app,
    record_outside_requests,
    sign_in,
    track_runs,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

SECOND_LOGIN, SECOND_PASSWORD = "dominique", "mot-de-passe-second-navigateur"


@pytest.fixture(scope="module")
def two_editor_app(store, tmp_path_factory):
    """The app on a copy of the build with two editor accounts; yields (URL, the copy)."""
    with editor_app(store, tmp_path_factory.mktemp("conflits")) as (url, copy):
        copy.accounts().add(SECOND_LOGIN, role="editeur", password=SECOND_PASSWORD, display_name="Dominique Durand")
        yield url, copy


@contextlib.contextmanager
def _editor_page(browser, url: str, login: str, password: str):
    """A browser context of its own (its own Streamlit session), signed in on Foncier."""
    context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    outside = record_outside_requests(context)
    page = track_runs(context.new_page())
    try:
        page.goto(f"{url}/foncier")
        page.get_by_text("Fiche d'un site").wait_for(timeout=90_000)
        sign_in(page, login, password)
        page.get_by_role("button", name="Enregistrer la correction").wait_for(timeout=60_000)
        wait_until_idle(page)
        yield page
        assert outside == [], outside  # nothing asked of a third party
    finally:
        context.close()


def _shown_site(page) -> tuple[str, int]:
    """The id and version of the site sheet the page shows."""
    caption = page.get_by_text("Identifiant ").last.inner_text()
    site_id, _, version = caption.removeprefix("Identifiant ").partition(" · version ")
    return site_id.strip(), int(version)


def _wait_saved(page, number: int) -> None:
    page.get_by_text(f"(modification n° {number})", exact=False).wait_for(timeout=60_000)


def _click(page, name: str) -> None:
    """Click a button once the page shows the current run (an editor clicks what the finished page shows)."""
    wait_until_idle(page)
    page.get_by_role("button", name=name).click()


def _correct(page, label: str, value: str) -> None:
    wait_until_idle(page)
    page.get_by_label(label, exact=True).first.fill(value)
    _click(page, "Enregistrer la correction")


@pytest.fixture(scope="module")
def signed_in(browser, two_editor_app):
    """Both editors signed in on Foncier, in contexts of their own (two Streamlit sessions), kept for the module's
    tests: opening and signing in twice more cost as much as a test (the Foncier page is the costliest to open).
    Yields (first page, second page, the store copy, the sites a test has changed)."""
    url, copy = two_editor_app
    with (
        _editor_page(browser, url, EDITOR_LOGIN, EDITOR_PASSWORD) as first,
        _editor_page(browser, url, SECOND_LOGIN, SECOND_PASSWORD) as second,
    ):
        yield first, second, copy, set()


@pytest.fixture
def two_pages(signed_in):
    """Both pages showing the same site, which no test of the module has changed and which has a name (the second
    page picks it by typing its name), at the same version; yields (first page, second page, the store copy, site
    id, version)."""
    first, second, copy, changed = signed_in
    names = copy.read("foncier").set_index("site_id")["nom"]
    for _ in range(6):
        shown = _shown_site(first)[0]
        if shown not in changed and isinstance(names.get(shown), str) and names[shown].strip():
            break
        _pick_another_site(first, shown)
    site_id, version = _shown_site(first)
    assert site_id not in changed and isinstance(names.get(site_id), str), site_id
    if _shown_site(second)[0] != site_id:
        _pick_site(second, copy, site_id)
    assert _shown_site(second) == (site_id, version)
    changed.add(site_id)
    yield first, second, copy, site_id, version


def _site_selector(page):
    return page.locator("[data-testid='stSelectbox']").filter(has=page.get_by_role("combobox", name="Site", exact=True))


def _pick_site(page, copy, site_id: str) -> None:
    """Choose ``site_id`` in the page's site selector, as an editor does (the browser then holds its label)."""
    site = copy.read("foncier").set_index("site_id").loc[site_id]
    choose_option(page, _site_selector(page), str(site["nom"]), f"{site['nom']} — {site['commune_nom']}")
    page.get_by_text(f"Identifiant {site_id} · version").wait_for(timeout=60_000)
    wait_until_idle(page)


def _pick_another_site(page, site_id: str) -> None:
    """Choose another site than ``site_id`` in the selector (whichever the keyboard reaches first)."""
    for _ in range(3):
        wait_until_idle(page)
        _site_selector(page).locator("input").click()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        wait_until_idle(page)
        if _shown_site(page)[0] != site_id:
            return
    raise AssertionError("the selector did not move to another site")


def test_a_stale_button_after_a_withdrawal_is_refused(two_pages, artifacts_dir):
    first, second, copy, site_id, version = two_pages
    audit_before = len(copy.read("foncier_audit"))
    # The second editor chose the site in the list (another one first): Streamlit hands the selector's value back
    # as the label shown, which changes once the site leaves the criteria; the page then took it for a deleted site
    # and showed the first site of the list.
    _pick_another_site(second, site_id)
    _pick_site(second, copy, site_id)

    _click(first, "Marquer comme retiré")
    _wait_saved(first, audit_before + 1)
    _click(second, "Marquer comme pris")  # the page still shows the old version
    second.get_by_text("a changé depuis que vous l'avez ouvert").wait_for(timeout=60_000)
    second.get_by_text("par Camille Martin (camille) : marqué retiré", exact=False).wait_for()
    second.screenshot(path=str(artifacts_dir / "foncier-conflit-retire.png"), full_page=True)

    audit = copy.read("foncier_audit").sort_values("change_id")
    assert len(audit) == audit_before + 1  # one write: the withdrawal; the stale click wrote nothing
    assert audit[["site_id", "action"]].values[-1].tolist() == [site_id, "retiré"]
    site = copy.read("foncier").set_index("site_id").loc[site_id]
    assert (site["statut"], site["version"]) == ("site retiré", version + 1)
    # the same site, now as it is (the sheet is drawn after the message: wait for the run to reach it)
    second.get_by_text(f"Identifiant {site_id} · version {version + 1}").wait_for(timeout=60_000)
    assert _shown_site(second) == (site_id, version + 1)


def test_corrections_in_both_orders_on_the_same_and_on_different_fields(two_pages, artifacts_dir):
    first, second, copy, site_id, version = two_pages
    number = len(copy.read("foncier_audit"))  # the number of the last change so far

    # Same field, the first editor first: the second one's text is refused, shown, then saved on purpose.
    _correct(first, "Nom du site", "Friche du canal")
    _wait_saved(first, number + 1)
    _correct(second, "Nom du site", "Ancienne sucrerie")
    second.get_by_text("Nom du site → Ancienne sucrerie").wait_for(timeout=60_000)
    second.get_by_text("→ Friche du canal", exact=False).first.wait_for()
    second.screenshot(path=str(artifacts_dir / "foncier-conflit-correction.png"), full_page=True)
    assert copy.read("foncier").set_index("site_id").loc[site_id, "nom"] == "Friche du canal"
    _click(second, f"Repartir de la version {version + 1}")
    second.get_by_text("Vos valeurs non enregistrées sont reprises").wait_for(timeout=60_000)
    wait_until_idle(second)
    assert second.get_by_label("Nom du site", exact=True).first.input_value() == "Ancienne sucrerie"
    _click(second, "Enregistrer la correction")
    _wait_saved(second, number + 2)
    site = copy.read("foncier").set_index("site_id").loc[site_id]
    assert (site["nom"], site["version"]) == ("Ancienne sucrerie", version + 2)

    # Different fields, the second editor first this time: the first one, now stale, is told, not merged.
    _correct(second, "Zonage d'urbanisme", "UX")
    _wait_saved(second, number + 3)
    _correct(first, "Projet / remarque", "Plateforme logistique")
    first.get_by_text("Projet / remarque → Plateforme logistique").wait_for(timeout=60_000)
    site = copy.read("foncier").set_index("site_id").loc[site_id]
    assert (site["zone_urba"], site["version"]) == ("UX", version + 3)
    assert site["projet"] != "Plateforme logistique"
