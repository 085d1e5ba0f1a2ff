"""reindus — entry point: routes the pages (st.navigation) and sets shared page options."""

from __future__ import annotations

import streamlit as st

from app_pages import data_access
from app_pages.accessibility import apply_page_accessibility
from geo.errors import StoreError

st.set_page_config(page_title="reindus — réindustrialisation", page_icon="🏭", layout="wide")

pages = [
    st.Page("app_pages/carte.py", title="Carte", icon="🗺️", default=True),
    st.Page("app_pages/concentration.py", title="Concentration", icon="📊", url_path="concentration"),
    st.Page("app_pages/foncier.py", title="Foncier", icon="🏗️", url_path="foncier"),
    st.Page("app_pages/projets.py", title="Projets", icon="🏭", url_path="projets"),
    st.Page("app_pages/comparer.py", title="Comparer", icon="⚖️", url_path="comparer"),
    st.Page("app_pages/presse.py", title="Presse", icon="📰", url_path="presse"),
    st.Page("app_pages/presentation.py", title="Présentation", icon="🖥️", url_path="presentation"),
    st.Page("app_pages/donnees.py", title="Données", icon="📥", url_path="donnees"),
    st.Page("app_pages/admin.py", title="Administration", icon="🔑", url_path="administration"),
]
page = st.navigation(pages)
apply_page_accessibility()
try:
    data_access.revision()
    if message := data_access.unreachable_message():
        st.warning(f"Mode consultation seule. {message}", icon="⚠️")
    page.run()
except StoreError as error:  # store not built, or the database unreachable before anything was loaded
    st.error(str(error))
