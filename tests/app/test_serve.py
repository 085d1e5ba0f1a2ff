"""The warm start (``python -m app_pages.serve``): what it imports and loads before the first visitor."""

from __future__ import annotations

import subprocess
import sys

from app_pages import data_access, serve
from geo.analysis.view import MapView


def test_the_warm_start_imports_the_pages_modules_but_declares_no_component():
    modules = serve.page_imports()
    assert {"app_pages.fiche", "app_pages.data_access", "layers.overview", "app_pages.map_component"} <= set(modules)
    assert "__future__" not in modules
    # A component declared outside a visitor's run is not served (a component package imported by the warm start
    # gave the map a 404): in a fresh interpreter, importing every module declares no map frame yet.
    script = (
        "import importlib, sys\n"
        "from app_pages.serve import page_imports\n"
        "for name in page_imports(): importlib.import_module(name)\n"
        "from app_pages.map_component import _frame\n"
        "print(_frame.cache_info().currsize, sorted(name for name in sys.modules if name.startswith('streamlit_')))"
    )
    imported = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert imported.strip() == "0 []"


def test_a_warmed_process_serves_the_first_page_data_from_its_caches(store_copy, monkeypatch):
    data_access.warm()

    def no_read(self, name, *args, **kwargs):
        raise AssertionError(f"layer {name} read from the store after the warm start")

    monkeypatch.setattr(type(data_access.store()), "read", no_read)
    data_access.map_data(), data_access.places(), data_access.filtered_projects(data_access.ProjectFilters())
    opening = MapView()
    data_access.filtered_project_markers(opening.filters, measure=opening.size_measure, colour_by=opening.colour_by)
    data_access.place_data()
    data_access.drawn_available_land(), data_access.foncier_sites(), data_access.departement_names()
    for name in data_access.WARMED_LAYERS:
        data_access.layer(name)
