"""What every page needs for keyboard and screen-reader users, applied once from ``app.py``.

Streamlit serves its page as ``<html lang="en">`` and hides some focused elements (the heading
anchors) or marks them by a colour change only; WCAG 2.1 asks for the page's language (3.1.1)
and a visible keyboard focus (2.4.7). Checked in ``tests/browser/test_accessibility.py``
(the keyboard) and ``tests/browser/test_page_audits.py`` (axe-core on every page).
"""

from __future__ import annotations

import streamlit as st

FOCUS_COLOUR = "#1f4e79"
"""The keyboard focus ring: the theme's primary colour (8.7:1 on white, 8.3:1 on the sidebar's #f8f8f7)."""

FOCUS_CSS = f"""<style>
/* Drawn inside the focused element: Streamlit wraps its fields in boxes that clip anything drawn outside. */
:focus-visible {{ outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: -3px !important; }}
/* Toggles, check boxes, radios and slider thumbs focus an input hidden in a 1 px box: ring what the eye sees. */
label:has(input:focus-visible),
[data-testid="stSlider"] div:has(> div > input:focus-visible) {{
  outline: 3px solid {FOCUS_COLOUR} !important; outline-offset: 1px !important;
}}
/* Streamlit shows a heading's anchor link only on hover: a focused one would be invisible. */
[data-testid="stHeaderActionElements"] a:focus-visible {{ opacity: 1 !important; transition: none !important; }}
</style>"""

LANG_SCRIPT = (
    "<script>document.documentElement.lang = 'fr';"
    "if (!document.getElementById('reindus-page')) {"
    " const script = document.createElement('script'); script.id = 'reindus-page';"
    " script.src = new URL('app/static/js/reindus-page.js', document.baseURI).href; document.head.append(script); }"
    "</script>"
)
"""Screen readers read the page with a French voice (Streamlit has no setting for the page's language), and
Streamlit's own widget words (table toolbar, list boxes, skip link) are put in French, and the « Copier le lien »
buttons work, by ``static/js/reindus-page.js``, served by the app (the nginx policy allows this inline script by
its hash, the file as the app's own)."""


def apply_page_accessibility() -> None:
    """The focus style (no room taken: style-only HTML goes to Streamlit's event container), ``lang="fr"`` and
    Streamlit's widgets in French."""
    st.html(FOCUS_CSS)
    st.sidebar.html(LANG_SCRIPT, unsafe_allow_javascript=True)
