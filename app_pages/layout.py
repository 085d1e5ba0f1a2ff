"""Page layout shared by the map pages: what keeps a map above the fold on a 1366 × 768 town-hall laptop."""

from __future__ import annotations

import streamlit as st

COMPACT_TOP_CSS = "<style>.block-container { padding-top: 3rem; } h1 { font-size: 1.9rem !important; }</style>"
"""Streamlit's default top padding (6rem) and title size (2.75rem) took a fifth of a 768 px screen."""


def compact_top(extra_css: str = "") -> None:
    """A smaller top padding and title on this page (and ``extra_css``, rules without a ``<style>`` tag)."""
    st.html(COMPACT_TOP_CSS.replace("</style>", f" {extra_css}</style>" if extra_css else "</style>"))
