"""The map frame: a Streamlit component of the app's own that draws a folium map with no inline script and no eval.

streamlit-folium wrote the map's layers into the frame as inline scripts and evaluated them, so the frame's
Content-Security-Policy allowed both. Here (see :mod:`layers.embedding`) the map's script is written once, under
a name taken from its content, into this process's component directory, and the frame (``static/map-frame/``)
loads it by address: every document of the app runs under ``script-src 'self'``. The frame reports what
streamlit-folium reported (``last_clicked``, ``last_object_clicked`` and its tooltip, ``center``, ``zoom``,
``bounds``), the same way: the keys asked for, after a pause of 250 ms, when they change. Unlike streamlit-folium,
a new drawing does not make a new frame: the frame keeps its libraries and its place in the page and draws the new
map in place of the old one (a click on the Carte runs the page once and paints the map in 0.6 s instead of 0.85 s).

The directory is the process's own (a temporary one, removed at exit): a read-only installation works, and two
processes behind nginx each serve the files they wrote (the sticky cookie keeps a visitor on one).
"""

from __future__ import annotations

import atexit
import functools
import hashlib
import os
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

import folium
import streamlit as st
from streamlit.components.v1 import declare_component

from layers.assets import LOCAL_CSS, LOCAL_JS
from layers.embedding import MapDocument, map_document
from layers.vector_tiles import PROTOMAPS_JS, RUNTIME_JS

FRAME_SOURCES = Path(__file__).resolve().parent.parent / "static" / "map-frame"
SCRIPTS_KEPT = 100
"""Map scripts kept in the directory, one per distinct drawing (the Carte's with its projects is about 0.5 MB), the
least recently drawn removed first: a frame asks for its script as soon as the page has drawn it."""
CLICKS = ("last_clicked", "last_object_clicked", "last_object_clicked_tooltip")
"""What a click reports (None until the first click)."""
REPORTED = (*CLICKS, "center", "zoom", "bounds")

_write_lock = threading.Lock()


@functools.cache
def _frame() -> tuple[Any, Path]:
    """The component and its directory, made on first use (in a visitor's run: a component declared while the
    server starts is not served, see app_pages.serve)."""
    directory = Path(tempfile.mkdtemp(prefix="reindus-carte-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    frame_js = (FRAME_SOURCES / "frame.js").read_bytes()
    # Named after its content: the frame's script may be kept by browsers ("Cache-Control: public").
    frame_name = f"frame-{hashlib.sha256(frame_js).hexdigest()[:12]}.js"
    (directory / frame_name).write_bytes(frame_js)
    # The libraries every map of the app loads, asked for as the frame opens rather than once the page has sent
    # the map (a round trip through the page later).
    preloads = "\n".join(
        [f'<link rel="preload" href="{src}" as="script">' for _, src in (*LOCAL_JS, PROTOMAPS_JS, RUNTIME_JS)]
        + [f'<link rel="preload" href="{href}" as="style">' for _, href in LOCAL_CSS]
    )
    index = (FRAME_SOURCES / "index.html").read_text(encoding="utf-8")
    index = index.replace("FRAME_SCRIPT", frame_name).replace("PRELOADS", preloads)
    (directory / "index.html").write_text(index, encoding="utf-8")
    return declare_component("carte", path=str(directory)), directory


def _published(document: MapDocument, directory: Path) -> str:
    """The file name of ``document``'s script in ``directory``, written if new (atomically: a frame may ask for it
    at once)."""
    name = f"map-{document.digest}.js"
    target = directory / name
    if target.exists():
        os.utime(target)  # recently used: kept longer
        return name
    with _write_lock:
        partial = target.with_suffix(".partial")
        partial.write_text(document.script, encoding="utf-8")
        partial.replace(target)
        scripts = sorted(directory.glob("map-*.js"), key=lambda path: path.stat().st_mtime)
        for old in scripts[: max(0, len(scripts) - SCRIPTS_KEPT)]:
            old.unlink(missing_ok=True)
    return name


def map_component(
    fmap: folium.Map,
    *,
    height: int,
    returned_objects: list[str] | tuple[str, ...] = (),
    key: str | None = None,
    on_change: Any = None,
) -> dict[str, Any] | None:
    """Draw ``fmap`` in the page, ``height`` pixels high and the container's width; return what the map reported
    (``returned_objects`` among :data:`REPORTED`; None before a first report).

    A different drawing is drawn in the same frame (the component's identity is its key), and
    ``st.session_state[key]`` holds the map's last report when ``on_change`` runs. The report outlives drawings:
    a click stays the last click until the next one.
    """
    unknown = set(returned_objects) - set(REPORTED)
    if unknown:
        raise ValueError(f"not reported by the map: {sorted(unknown)}")
    component, directory = _frame()
    document = map_document(fmap)
    script = _published(document, directory)
    # What the map reports before any click (the frame compares its reports with it, whatever the keys' order).
    default = {name: None for name in CLICKS if name in returned_objects}
    if "zoom" in returned_objects:
        default["zoom"] = fmap.options.get("zoom")
    frame_key = f"{key or 'carte'}-frame"  # the widget's own key: ``key`` is the page's copy of its value

    def changed() -> None:
        if key is not None:
            st.session_state[key] = st.session_state.get(frame_key, {})
        if on_change is not None:
            on_change()

    return component(
        script=script,
        map=document.map_name,
        js=list(document.js),
        css=list(document.css),
        styles=document.styles,
        html=document.html,
        height=height,
        returned=list(returned_objects),
        default=default,
        key=frame_key,
        on_change=changed,
    )
