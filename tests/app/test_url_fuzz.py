"""Every page against random and hostile addresses (AppTest on the real build): an address is user input.

What each page does with a value it cannot use (checked here):

- Carte's view (``couches``, ``fond``, ``taille``, ``couleur``, ``centre``, ``zoom``, the project filters
  ``industriels``, ``regions``, ``secteurs``, ``statuts``, ``departements``, ``annees``, ``ti``), Concentration's
  ``niveau`` and ``mesure``, Présentation's ``vue``: silent fallback to the defaults
  (:class:`geo.analysis.view.MapView`), as designed — a bad value just gives the usual view.
- ``epci`` and ``territoire`` (the fiche) and ``q`` (the search): a French message that repeats the value
  as literal text (a Markdown code span, shortened to 80 characters), never as Markdown or HTML.
- Unknown keys are ignored and kept in the address.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo.analysis.view import VIEW_PARAMS
from tests.conftest import ROOT

PAGES = {
    "/": None,
    "/concentration": "app_pages/concentration.py",
    "/foncier": "app_pages/foncier.py",
    "/presse": "app_pages/presse.py",
    "/presentation": "app_pages/presentation.py",
    "/donnees": "app_pages/donnees.py",
    "/administration": "app_pages/admin.py",
}
EXAMPLES = {
    "/": 15,
    "/concentration": 6,
    "/presentation": 6,
    "/presse": 2,
    "/foncier": 6,
    "/donnees": 2,
    "/administration": 2,
}
"""Random addresses tried per page by ``make test`` (derandomized: the same ones every run, with the examples the
fuzzing found): most where the page reads its address (Foncier reads its whole search there), few where it reads
none. ``make fuzz`` tries five times as many, new ones each time."""
KEYS = (*VIEW_PARAMS, "niveau", "mesure", "vue", "par_habitant", "autour", "site")
"""Every parameter a page reads, plus a few widget keys a crafted address might try."""

NASTY = (
    "<script>window.__pwned=1</script>",
    '"><img src=x onerror=window.__pwned=1>',
    "[cliquez ici](https://evil.example/connexion)",
    "![pixel](https://evil.example/p.png)",
    "https://evil.example/connexion www.evil.example",
    "**gras** _it_ `code` ``` $x^2$ :red[rouge] :material/home: # titre",
    "%00",
    "\x00\x01\x1b[31m",
    "javascript:window.__pwned=1",
    "${window.__pwned=1}",
    "0" * 300,
    "1e309",
    "-1",
    "nan,nan",
    "50,3",
    "ti1,ti1,,projets,foncier,relance,ti_evolution,zz",
    "2020-2010",
    "99999999999999999999-1",
    "é" * 3 + "🏭" + "\u202e" + "\ufeff",
)
MARKDOWN_BUDGET = 12_000
"""Characters of Markdown a page may render for any address (each page renders under 4,000 normally)."""
LONG_ADDRESS = {"q": "nan", "autour": "é" * 3_700}
"""Found by the fuzzing: a search with results, and a long unknown parameter that every fiche link repeated
(Carte: 14,000 characters of Markdown, more with other values)."""
MARKUP = re.compile(r"[<>\[\]`*_$:]|https?://|www\.")
"""A value with any of these would change the page if repeated as Markdown or HTML."""

values = st.one_of(
    st.sampled_from(NASTY),
    st.text(max_size=40),
    st.integers().map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.builds(lambda chunk, times: chunk * times, st.text(min_size=1, max_size=4), st.integers(1000, 3000)),
)
addresses = st.dictionaries(
    st.one_of(st.sampled_from(KEYS), st.text(min_size=1, max_size=12)),
    st.one_of(values, st.lists(values, min_size=2, max_size=3)),  # a list: the key repeated in the address
    max_size=6,
)


@pytest.fixture(scope="module")
def on_build(store):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("REINDUS_STORE", str(store.path))
        yield store


def open_page(path: str, query: dict) -> AppTest:
    """A fresh session opening ``path`` with ``query`` in its address."""
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    if PAGES[path] is None:
        app.query_params.update(query)
        return app.run()
    app.run()  # the first run registers the pages (st.navigation) so that switch_page finds them
    app.query_params.clear()
    app.query_params.update(query)
    return app.switch_page(PAGES[path]).run()


def markdown_texts(app: AppTest) -> list[str]:
    """Every text Streamlit renders as Markdown (code spans removed: they show their content literally)."""
    kinds = ("markdown", "caption", "title", "header", "subheader", "info", "warning", "error", "success")
    texts = [str(element.value) for kind in kinds for element in app.get(kind)]
    return [re.sub(r"(`+) .*? \1", "", text) for text in texts]


_OWN_TEXTS: dict[str, list[str]] = {}


def own_texts(path: str) -> list[str]:
    """What the page writes whatever its address (its style sheet, titles…): a value found there is the page's
    own text, not an echo (the fuzzing once drew ``order-radius:``, a piece of the page's ``border-radius:``)."""
    if path not in _OWN_TEXTS:
        _OWN_TEXTS[path] = markdown_texts(open_page(path, {}))
    return _OWN_TEXTS[path]


def assert_handled(app: AppTest, query: dict, *, own: list[str] | tuple[str, ...] = ()) -> None:
    """No traceback, and no value of the address repeated as Markdown or HTML outside a code span (``own``: the
    texts the page shows with no address, which a value may happen to match)."""
    assert not app.exception, [e.value for e in app.exception]
    texts = markdown_texts(app)
    for value in (v for vs in query.values() for v in (vs if isinstance(vs, list) else [vs])):
        if len(value) >= 4 and MARKUP.search(value) and not any(value in text for text in own):
            assert not any(value in text for text in texts), value
    assert all(len(text) < 20_000 for text in texts)  # a very long value is not repeated in full
    # Nor repeated many times: every link of a fiche carried the whole address (normal pages: under 4,000).
    assert sum(len(text) for text in texts) < MARKDOWN_BUDGET


@pytest.mark.parametrize("path", PAGES)
def test_random_addresses_never_break_a_page(on_build, path):
    # Scaled by the profile: 100 examples by default (make test), 500 in the fuzz profile (make fuzz).
    examples = max(1, EXAMPLES[path] * settings.default.max_examples // 100)

    @settings(max_examples=examples, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(query=addresses)
    @example(query=LONG_ADDRESS)
    @example(query={"site": "order-radius:"})
    def check(query):
        assert_handled(open_page(path, query), query, own=own_texts(path))

    check()


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("shift", [0, 7, 13])
def test_every_parameter_of_a_page_takes_a_hostile_value(on_build, path, shift):
    query = {key: NASTY[(index + shift) % len(NASTY)] for index, key in enumerate(KEYS)}
    assert_handled(open_page(path, query), query)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"epci": "<script>window.__pwned=1</script>"}, "Aucun EPCI de SIREN ` <script>window.__pwned=1</script> `"),
        ({"territoire": "[lien](https://evil.example)"}, "Aucun territoire ` [lien](https://evil.example) `"),
        ({"q": "https://evil.example **x**"}, "Aucun résultat pour ` https://evil.example **x** `"),
        ({"epci": "x" * 5000}, "Aucun EPCI de SIREN ` " + "x" * 80 + "… `"),
    ],
)
def test_a_refused_fiche_or_search_says_so_in_french_and_literally(on_build, query, message):
    app = open_page("/", query)
    assert not app.exception
    shown = [element.value for element in [*app.warning, *app.info]]
    assert any(text.startswith(message) for text in shown), shown


def test_bad_view_values_fall_back_to_the_default_view(on_build):
    app = open_page("/", {"couches": "<b>", "taille": "x", "couleur": "y", "zoom": "99", "centre": "nan,nan"})
    assert not app.exception
    assert not app.warning  # the view falls back silently, as designed
    toggles = {toggle.key: toggle.value for toggle in app.toggle}
    assert not any(toggles[f"couche_{key}"] for key in ("ti1", "ti2", "bassins", "zonages", "ze"))
    assert app.query_params["couches"] == ""  # what the page understood is written back
    assert "zoom" not in app.query_params and "centre" not in app.query_params
    app = open_page("/presentation", {"vue": "0"})
    assert app.subheader[0].value.endswith("(1/7)") and app.query_params["vue"] == "1"
