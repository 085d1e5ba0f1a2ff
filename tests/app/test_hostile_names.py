"""Hostile names (:mod:`tests.hostile`) through every page that shows a name (AppTest on a copy of the build).

A name is data: whatever Markdown it carries (link, image, ``:red[…]``, LaTeX, icon, HTML) must reach
Streamlit escaped, so the page shows it as typed and creates no link, image or colour from it; only web
addresses become links in a table.
"""

from __future__ import annotations

import html
import re

import pytest
from streamlit.testing.v1 import AppTest

from layers.formatting import markdown_escaped
from tests.conftest import ROOT
from tests.hostile import PAYLOAD, PORTE_DU_HAINAUT

LIVE = re.compile(
    r"\[Cliquez ici\]\(|!\[x\]\(|\[lien\]\(|:red\[|\$x\$|(?<!\\)<(img|script)"
    r"|:material/|https?\\?://(evil|127)"  # Streamlit rewrites these after parsing: a backslash does not stop it
)
"""What the payload would turn into a link, an image, a colour, LaTeX, an icon or HTML if read as Markdown
(the app's own links are relative: ``[Voir la fiche](?epci=…)``)."""
KINDS = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")


@pytest.fixture(scope="module")
def names(hostile):
    store, names = hostile
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REINDUS_STORE", str(store.path))
        yield names


def _open(page: str | None, query: dict[str, str]) -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if page is None:
        app.query_params.update(query)
        app.run()
    else:
        app.run()  # the first run registers the pages (st.navigation) so that switch_page finds them
        app.query_params.update(query)
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def _markdown(app: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown: elements, and the labels of expanders."""
    return [str(element.value) for kind in KINDS for element in app.get(kind)] + [e.label for e in app.expander]


def _assert_literal(app: AppTest, *shown: str) -> None:
    bodies = _markdown(app)
    assert not [body for body in bodies if LIVE.search(body)]
    for name in shown:
        assert any(markdown_escaped(name) in body for body in bodies), name
    for frame in (element.value for element in app.dataframe):
        if "Source" in frame:  # a LinkColumn: only web addresses
            assert not frame["Source"].dropna().astype(str).str.match("(?i)(javascript|data):").any()


def test_the_epci_fiche_and_its_links_show_names_as_typed(names):
    app = _open(None, {"epci": PORTE_DU_HAINAUT, "couches": "ti2,projets,foncier"})
    _assert_literal(app, names.epci, names.territory, f"Note {PAYLOAD}")
    assert f"Fiche : {markdown_escaped(names.epci)}" in [element.value for element in app.subheader]


def test_the_territory_and_commune_fiches_show_names_as_typed(names, hostile):
    store, _ = hostile
    _assert_literal(_open(None, {"territoire": names.territory_id}), names.territory, names.epci, f"Note {PAYLOAD}")
    commune = store.read("projets").set_index("project_id").loc[names.project_id, "insee_com"]
    _assert_literal(_open(None, {"commune": commune}), names.commune, names.epci)


def test_the_site_fiche_of_the_foncier_page_is_html_with_the_name_escaped(names):
    app = _open("foncier", {"ecartes": "1"})  # the hostile site may carry a quality flag: shown with the others
    selector = app.selectbox(key="site_choisi")
    selector.select_index(next(i for i, label in enumerate(selector.options) if label.startswith(names.site))).run()
    _assert_literal(app)
    card = next(element.value for element in app.get("html") if html.escape(names.site) in element.value)
    assert "<img" not in card and "<script" not in card


@pytest.mark.parametrize("page", ["concentration", "presse", "presentation"])
def test_other_pages_create_nothing_from_names(names, page):
    _assert_literal(_open(page, {}))
