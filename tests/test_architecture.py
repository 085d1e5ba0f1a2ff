"""Imports flow one way: app.py, cli.py → app_pages → layers → geo, and inside geo:
root modules ← store ← imports ← analysis ← assembly ← usecases. geo/ never imports streamlit, folium or layers,
not even lazily inside a function."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "geo": {"streamlit", "folium", "branca", "layers", "app_pages", "cli", "app", "bench", "tests"},
    "layers": {"streamlit", "app_pages", "cli", "app", "bench", "tests"},
    "app_pages": {"cli", "app", "bench", "tests"},
    "cli.py": {"streamlit", "app_pages", "app", "bench", "tests"},
    "app.py": {"cli", "bench", "tests"},
}
"""What each package (or entry point) never imports: the one-way flow app.py, cli.py → app_pages → layers → geo."""
ENTRY_POINT_FORBIDDEN_MODULES = {
    "app_pages": ("geo.assembly", "geo.imports.pipeline"),
    "layers": ("geo.assembly", "geo.store", "geo.imports"),
}
"""Finer rules: pages reach the build and the import pipeline only through the use cases (geo.usecases), and
drawing never touches the store or the importer."""
GEO_LAYERS = ("", "store", "imports", "analysis", "assembly", "usecases")
"""geo's packages from the bottom up ("" = the root modules): each may import only itself and those before it."""
FILE_IO_CALLS = {"open", "read_file", "read_dataframe", "read_csv", "to_file"}


def _imported_modules(path: Path) -> set[str]:
    """Every module imported anywhere in the file, functions included (``from a import b`` gives ``a.b``,
    ``from geo import store`` gives ``geo.store``); relative imports are resolved against the file's package."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = path.relative_to(ROOT).parent.parts
    modules = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # ``from .x import y`` in geo/store/a.py → geo.store.x.y
                parent = package[: len(package) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            modules |= {f"{base}.{alias.name}" for alias in node.names}
    return modules


def _files(package: str) -> list[Path]:
    target = ROOT / package
    return [target] if target.suffix == ".py" else sorted(target.rglob("*.py"))


def _imported_roots(path: Path) -> set[str]:
    return {module.split(".")[0] for module in _imported_modules(path)}


def _geo_layer(module: str) -> str:
    """The geo package a dotted name belongs to ("" for the root modules): ``geo.store`` as much as
    ``geo.store.edits.apply_change``."""
    parts = module.split(".")
    return parts[1] if len(parts) >= 2 and parts[1] in GEO_LAYERS else ""


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_import_direction(package):
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) & FORBIDDEN[package]) for path in _files(package)
    }
    assert {path: bad for path, bad in offenders.items() if bad} == {}


@pytest.mark.parametrize("package", sorted(ENTRY_POINT_FORBIDDEN_MODULES))
def test_pages_and_drawing_reach_the_build_and_the_importer_only_through_the_use_cases(package):
    forbidden = ENTRY_POINT_FORBIDDEN_MODULES[package]
    offenders = {
        str(path.relative_to(ROOT)): sorted(m for m in _imported_modules(path) if m.startswith(forbidden))
        for path in _files(package)
    }
    assert {path: bad for path, bad in offenders.items() if bad} == {}


def test_no_module_imports_a_test_file():
    """Shared test helpers live in conftest.py or in helper modules (tests/hostile.py…), never in a test file:
    importing one runs its tests' module code and ties two test files together."""
    offenders = {
        str(path.relative_to(ROOT)): bad
        for package in ("geo", "layers", "app_pages", "bench", "cli.py", "app.py", "tests")
        for path in _files(package)
        if (bad := sorted(m for m in _imported_modules(path) if any(p.startswith("test_") for p in m.split("."))))
    }
    assert offenders == {}


def test_no_relative_imports():
    """Absolute imports only: a module says where what it uses lives (and the rules above can read it)."""
    offenders = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for package in ("geo", "layers", "app_pages", "bench", "cli.py", "app.py")
        for path in _files(package)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.ImportFrom) and node.level
    ]
    assert offenders == []


def test_the_architecture_rules_see_every_import_form():
    """The reader of the rules above: ``from geo import store`` is geo.store, a relative import is resolved."""
    assert (
        _geo_layer("geo.store") == "store"
        and _geo_layer("geo.crs") == ""
        and _geo_layer("geo.usecases.x") == ("usecases")
    )
    modules = _imported_modules(ROOT / "geo" / "store" / "base.py")
    assert "geo.store.edits" in modules


def test_geo_packages_import_downwards_only():
    offenders = {}
    for path in (ROOT / "geo").rglob("*.py"):
        own = _geo_layer(".".join(path.relative_to(ROOT).with_suffix("").parts))
        allowed = GEO_LAYERS[: GEO_LAYERS.index(own) + 1]
        bad = sorted(m for m in _imported_modules(path) if m.startswith("geo.") and _geo_layer(m) not in allowed)
        if bad:
            offenders[str(path.relative_to(ROOT))] = bad
    assert offenders == {}


def test_every_package_says_what_it_owns_and_may_import():
    inits = [
        *(ROOT / "geo").glob("*/__init__.py"),
        *(ROOT / name / "__init__.py" for name in ("layers", "app_pages", "bench")),
    ]
    for init in inits:
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


def test_the_tests_are_laid_out_like_the_code():
    """tests/geo/<package>/ for geo/<package>/, tests/layers/ for layers/, tests/app/ for the pages."""
    for folder in (ROOT / "tests" / "geo").iterdir():
        if folder.is_dir() and folder.name != "__pycache__":
            assert (ROOT / "geo" / folder.name / "__init__.py").is_file(), folder
    assert not [p.name for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name in GEO_LAYERS]
