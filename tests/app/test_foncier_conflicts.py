"""Two editors on the same site, each in a session of their own (AppTest): every write lands on the site
the editor saw, at the version seen; a stale form or button is refused with the other change shown, and
nothing is overwritten or written elsewhere. The browser test (tests/browser/test_foncier_conflicts_browser.py)
takes the same cases in Chromium: corrections of the same field in the other order, and of different fields."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import PASSWORD, open_page, sign_in


@pytest.fixture
def two_editors(with_accounts):
    """The copy with a second editor (``dominique``); both editors' Foncier pages open on the same site."""
    with_accounts.accounts().add("dominique", role="editeur", password=PASSWORD, display_name="Dominique Durand")
    first, second = _signed_in("camille"), _signed_in("dominique")
    site_id = first.selectbox(key="site_choisi").value
    assert second.selectbox(key="site_choisi").value == site_id
    return with_accounts, first, second, site_id


def _signed_in(login: str) -> AppTest:
    app = open_page("app_pages/foncier.py")
    sign_in(app, login)
    return app


def _site(store, site_id: str):
    return store.read("foncier").set_index("site_id").loc[site_id]


def _correct(app: AppTest, site_id: str, version: int, **values) -> None:
    """Fill the correction form drawn for ``site_id`` at ``version``, then submit it."""
    for name, value in values.items():
        widget = app.text_area if name == "projet" else app.text_input
        widget(key=f"corriger_{site_id}_v{version}_{name}").set_value(value)
    [submit] = [b for b in app.button if b.label == "Enregistrer la correction"]
    submit.click().run()
    assert not app.exception, app.exception


def _errors(app: AppTest) -> str:
    """The error messages as the reader sees them (Markdown escapes removed)."""
    return re.sub(r"\\(.)", r"\1", "\n".join(e.value for e in app.error))


def test_a_stale_button_after_a_withdrawal_is_refused_and_writes_nowhere_else(two_editors):
    store, first, second, site_id = two_editors
    before = store.read("foncier").set_index("site_id")[["statut", "version"]]

    first.button(key=f"retiré_{site_id}_v1").click().run()
    assert any("modification n° 1" in s.value for s in first.success)
    # The site left the available list: without the fix, the second editor's page fell back to the first
    # site of the new list and marked that one taken, at its fresh version, with no conflict.
    second.button(key=f"pris_{site_id}_v1").click().run()
    assert not second.exception, second.exception
    message = _errors(second)
    assert "a changé depuis que vous l'avez ouvert (vous aviez la version 1, il en est à la version 2)" in message
    assert "par Camille Martin (camille) : marqué retiré (Statut :" in message
    assert "marqué pris (statut → site pris)" in message  # what the second editor tried, not lost
    audit = store.read("foncier_audit")
    assert audit[["site_id", "action"]].values.tolist() == [[site_id, "retiré"]]
    after = store.read("foncier").set_index("site_id")[["statut", "version"]]
    changed = after.compare(before.reindex(after.index))
    assert changed.index.tolist() == [site_id]
    # The fiche stays on the site acted on (now outside the criteria), never another one.
    assert second.selectbox(key="site_choisi").value == site_id
    assert "hors des critères : site retiré" in second.selectbox(key="site_choisi").format_func(site_id)
    assert any(f"Identifiant {site_id} · version 2" in re.sub(r"\\(.)", r"\1", c.value) for c in second.caption)


def test_corrections_of_the_same_field_never_drop_a_text(two_editors):
    """The second editor first (the browser test takes the other order)."""
    store, first, second, site_id = two_editors
    earlier, later = second, first
    _correct(earlier, site_id, 1, nom="Friche du canal")
    _correct(later, site_id, 1, nom="Ancienne sucrerie")
    assert _site(store, site_id)[["nom", "version"]].tolist() == ["Friche du canal", 2]
    message = _errors(later)
    assert "Nom du site : " in message and "→ Friche du canal" in message  # the other change
    assert "Nom du site → Ancienne sucrerie" in message  # the refused text, kept

    # Start again from the current version: the refused text is put back in the form, then saved.
    later.button(key=f"reprendre_{site_id}_v2").click().run()
    assert later.text_input(key=f"corriger_{site_id}_v2_reprise_nom").value == "Ancienne sucrerie"
    [submit] = [b for b in later.button if b.label == "Enregistrer la correction"]
    submit.click().run()
    assert _site(store, site_id)[["nom", "version"]].tolist() == ["Ancienne sucrerie", 3]
    assert store.read("foncier_audit")["action"].tolist() == ["correction", "correction"]


def test_an_undo_targets_the_change_drawn_and_a_stale_undo_is_refused(two_editors):
    store, first, second, site_id = two_editors
    first.button(key=f"pris_{site_id}_v1").click().run()
    for app in (first, second):
        app.run()  # both histories now list change n° 1
    first.button(key="annuler_1").click().run()
    assert any("Modification n° 1 annulée" in s.value for s in first.success)
    second.button(key="annuler_1").click().run()  # a page drawn before the undo
    assert "La modification n° 1 a déjà été annulée." in _errors(second)
    audit = store.read("foncier_audit").sort_values("change_id")
    assert audit["action"].tolist() == ["pris", "annulation"]
