"""Start the app: ``python -m app_pages.serve [streamlit options]`` is ``streamlit run app.py`` with a warm start.

Streamlit imports a page's modules and loads its data when the first visitor opens it: that visitor waited
8 s for a fiche the next one got in 3 s (half of it imports, the rest the layers and the map's data). Here a
thread does that work as the server starts, in the server's own process: the modules every page imports, then
the data of the Carte's first page (:func:`app_pages.data_access.warm`). A visitor arriving meanwhile is
served as before; the cached loaders compute each value once either way.
"""

from __future__ import annotations

import ast
import importlib
import logging
import sys
import threading
import time
from pathlib import Path

from geo import settings

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
PAGES_DIR = Path(__file__).resolve().parent
RUNTIME_WAIT_S = 60
COMPONENT_PACKAGES = ("streamlit_",)
"""Streamlit component packages are left to the pages: a component declared when its package is imported here, outside
a visitor's run, was not served (streamlit-folium's map frame got a 404). The app's own map frame is declared on
first use (:mod:`app_pages.map_component`)."""

log = logging.getLogger("reindus.serve")


def page_imports() -> list[str]:
    """The modules the entry point and the page scripts import (page scripts run per visit; their modules stay)."""
    modules: dict[str, None] = {}
    for script in [APP, *sorted(path for path in PAGES_DIR.glob("*.py") if path.name != "serve.py")]:
        for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(dict.fromkeys(alias.name for alias in node.names))
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules[node.module] = None
    return [name for name in modules if name != "__future__" and not name.startswith(COMPONENT_PACKAGES)]


def warm_up() -> None:
    """Once the server runs: import the pages' modules, then load the first page's data."""
    from streamlit.runtime import Runtime

    deadline = time.monotonic() + RUNTIME_WAIT_S
    while not Runtime.exists() and time.monotonic() < deadline:  # the server reads its options first
        time.sleep(0.05)
    started = time.perf_counter()
    for name in page_imports():
        try:
            importlib.import_module(name)
        except ImportError as error:  # the page itself will say what is missing
            log.warning("préchargement : module %s non importé (%s)", name, error)
    from app_pages import data_access

    # Outside a visitor's run, Streamlit warns once per cached call that there is no session: expected here.
    context_log = logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context")
    level = context_log.level
    context_log.setLevel(logging.ERROR)
    try:
        data_access.warm()
    except Exception as error:  # noqa: BLE001 — a store not built or unreachable: the first page says so in French
        log.warning("préchargement des données interrompu : %s", error)
    finally:
        context_log.setLevel(level)
    log.info("application préchargée en %.1f s", time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    """Run ``streamlit run app.py`` with ``argv`` as its options, warming the app in a thread meanwhile."""
    from streamlit.web import cli as streamlit_cli

    if settings.warm_start():
        threading.Thread(target=warm_up, name="reindus-warm-up", daemon=True).start()
    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return streamlit_cli.main()


if __name__ == "__main__":
    sys.exit(main())
