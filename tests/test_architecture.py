"""Imports flow one way: app.py/app_pages → layers → geo. geo/ never imports streamlit or folium."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "geo": {"streamlit", "streamlit_folium", "folium", "branca", "layers", "app_pages"},
    "layers": {"streamlit", "streamlit_folium", "app_pages"},
}
ENTRY_POINTS = {"geo/cli.py"}
"""Like app.py, the CLI composes geo and layers (``reindus export`` draws press maps); nothing else in geo may."""
FILE_IO_CALLS = {"open", "read_file", "read_dataframe", "read_csv", "to_file"}


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_import_direction(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
        if str(path.relative_to(ROOT)) not in ENTRY_POINTS
    }
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def test_layers_never_read_files():
    offenders = []
    for path in (ROOT / "layers").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in FILE_IO_CALLS:
                    offenders.append(f"{path.name}:{node.lineno} {name}")
    assert offenders == []


def test_pages_live_in_app_pages_not_legacy_pages_folder():
    assert not (ROOT / "pages").exists()
    assert "st.navigation" in (ROOT / "app.py").read_text(encoding="utf-8")
