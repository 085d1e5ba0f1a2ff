"""reindus — entry point: routes the pages (st.navigation) and sets shared page options."""

from __future__ import annotations

import streamlit as st

st.set_page_config(page_title="reindus — réindustrialisation", page_icon="🏭", layout="wide")

pages = [
    st.Page("app_pages/carte.py", title="Carte", icon="🗺️", default=True),
    st.Page("app_pages/concentration.py", title="Concentration", icon="📊", url_path="concentration"),
    st.Page("app_pages/foncier.py", title="Foncier", icon="🏗️", url_path="foncier"),
    st.Page("app_pages/donnees.py", title="Données", icon="📥", url_path="donnees"),
]
st.navigation(pages).run()
