"""The map frame's scripts: one file per drawing, named after it, the least recently drawn removed first."""

from __future__ import annotations

import os

from app_pages import map_component
from layers.assets import offline_map
from layers.embedding import map_document


def _document(lat: float):
    return map_document(offline_map(location=(lat, 3.0), zoom_start=7))


def test_a_drawing_is_written_once_under_its_digest_and_old_drawings_go_first(tmp_path, monkeypatch):
    monkeypatch.setattr(map_component, "SCRIPTS_KEPT", 2)
    first = map_component._published(_document(50.0), tmp_path)
    assert first == f"map-{_document(50.0).digest}.js"
    assert (tmp_path / first).read_text(encoding="utf-8") == _document(50.0).script
    os.utime(tmp_path / first, (1, 1))  # long ago
    second = map_component._published(_document(49.0), tmp_path)
    os.utime(tmp_path / second, (2, 2))
    assert map_component._published(_document(50.0), tmp_path) == first  # drawn again: kept, marked as recent
    third = map_component._published(_document(48.0), tmp_path)
    assert sorted(path.name for path in tmp_path.glob("map-*.js")) == sorted([first, third])
    assert not list(tmp_path.glob("*.partial"))
