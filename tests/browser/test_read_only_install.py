"""The app runs from a read-only installation: opening the Carte writes nothing into the code tree.

A copy of the code is made, its tile archive published the way ``reindus build`` does it (set-up time), and
the copy made read-only; the data live outside it (``REINDUS_STORE``). CI runs as root, which permissions do
not stop, so the proof is a snapshot of the tree (paths, sizes, modification times) before and after.
"""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.load import start_app
from geo.publication import publish_tiles
from tests.browser.conftest import _free_port, map_frame
from tests.conftest import ROOT, copy_store

pytestmark = pytest.mark.browser

CODE = ("app.py", "app_pages", "geo", "layers", "static", ".streamlit", "data")
"""What the app needs at run time; ``data/`` without its generated folders."""
PAINTED_JS = "() => !!window.reindusPainted"


def _snapshot(tree: Path) -> dict[str, tuple[int, int, int]]:
    """Every path under ``tree`` with its kind, size and modification time (a write changes one of them)."""
    entries = {}
    for path in [tree, *tree.rglob("*")]:
        info = path.lstat()
        entries[str(path.relative_to(tree))] = (stat.S_IFMT(info.st_mode), info.st_size, info.st_mtime_ns)
    return entries


def _set_writable(tree: Path, writable: bool) -> None:
    for path in [tree, *tree.rglob("*")]:
        mode = path.lstat().st_mode
        path.chmod(mode | stat.S_IWUSR if writable else mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


@pytest.fixture
def read_only_tree(store, tmp_path) -> Iterator[tuple[Path, Path]]:
    """(a read-only copy of the code with its tiles published, the store it reads outside the copy)."""
    tree = tmp_path / "reindus"
    generated = shutil.ignore_patterns("__pycache__", "build", "cache", "tiles")
    for name in CODE:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tree / name, ignore=generated)
        else:
            tree.mkdir(exist_ok=True)
            shutil.copy2(source, tree / name)
    (tmp_path / "donnees").mkdir()
    data = copy_store(store, tmp_path / "donnees" / "reindus.gpkg")
    publish_tiles(data.path.with_suffix(".pmtiles"), tiles_dir=tree / "static" / "tiles")  # set-up time
    _set_writable(tree, False)
    try:
        yield tree, data.path
    finally:
        _set_writable(tree, True)


def test_the_carte_paints_from_a_read_only_tree_and_writes_nothing_into_it(page, read_only_tree, tmp_path):
    tree, store_path = read_only_tree
    before = _snapshot(tree)
    port = _free_port()
    with (tmp_path / "streamlit.log").open("w") as log:
        # No bytecode caches: Python's own, which it skips silently in a read-only tree (root would write them).
        process = start_app(port, log=log, app_dir=tree, REINDUS_STORE=str(store_path), PYTHONDONTWRITEBYTECODE="1")
        try:
            page.goto(f"http://127.0.0.1:{port}/")
            frame = map_frame(page)
            frame.wait_for_function(PAINTED_JS, timeout=60_000)  # the vector map, from the published archive
            url = frame.evaluate("() => window.reindusCurrentMap.reindusVector.layer.options.url")
            assert (tree / "static" / "tiles" / Path(url).name).is_file()
            assert not page.get_by_text("n'est pas publiée").count()
        finally:
            process.terminate()
            process.wait(timeout=20)
    after = _snapshot(tree)
    changed = {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
    assert not changed, f"written into the code tree at run time: {sorted(changed)}"
    if os.geteuid() != 0:  # permissions are a second proof where they hold
        assert not os.access(tree / "static", os.W_OK)
