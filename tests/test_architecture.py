"""Imports flow one way: app.py, cli.py → app_pages → layers → geo, and inside geo:
root modules ← store ← imports ← analysis ← build ← usecases. geo/ never imports streamlit, folium or layers,
not even lazily inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "geo": {"streamlit", "streamlit_folium", "folium", "branca", "layers", "app_pages", "cli", "app"},
    "layers": {"streamlit", "streamlit_folium", "app_pages", "cli", "app"},
}
GEO_LAYERS = ("", "store", "imports", "analysis", "build", "usecases")
"""geo's packages from the bottom up ("" = the root modules): each may import only itself and those before it."""
FILE_IO_CALLS = {"open", "read_file", "read_dataframe", "read_csv", "to_file"}


def _imported_modules(path: Path) -> set[str]:
    """Every module imported anywhere in the file, functions included (``from a import b`` gives ``a.b``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules |= {f"{node.module}.{alias.name}" for alias in node.names}
    return modules


def _imported_roots(path: Path) -> set[str]:
    return {module.split(".")[0] for module in _imported_modules(path)}


def _geo_layer(module: str) -> str:
    """The geo package a dotted name belongs to ("" for the root modules)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in GEO_LAYERS else ""


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_import_direction(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN[package])
        for path in (ROOT / package).rglob("*.py")
    }
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def test_geo_packages_import_downwards_only():
    offenders = {}
    for path in (ROOT / "geo").rglob("*.py"):
        own = _geo_layer(".".join(path.relative_to(ROOT).with_suffix("").parts))
        allowed = GEO_LAYERS[: GEO_LAYERS.index(own) + 1]
        bad = sorted(m for m in _imported_modules(path) if m.startswith("geo.") and _geo_layer(m) not in allowed)
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_every_geo_package_says_what_it_owns_and_may_import():
    for init in (ROOT / "geo").glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc, init


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
