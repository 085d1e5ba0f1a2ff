"""The CLI and the pages ask the same use-case function: `reindus stats` and Concentration, `reindus export`
and Presse (a map, the dossier). A spy wraps the function; both entry points must go through it, with the
same answer for the same choices."""

from __future__ import annotations

import io

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

import layers.press
from app_pages import data_access
from cli import main
from geo.analysis.projects import DEFAULT_STATUS_CATEGORIES
from geo.usecases import stats
from tests.conftest import ROOT


def _spy(monkeypatch, owner, name: str, *, returns=None) -> list[tuple[tuple, dict, object]]:
    """Replace ``owner.name`` by a recorder of ``(args, kwargs, result)`` calling the real function (or returning
    ``returns``)."""
    calls: list[tuple[tuple, dict, object]] = []
    real = getattr(owner, name)

    def spy(*args, **kwargs):
        result = real(*args, **kwargs) if returns is None else returns
        calls.append((args, kwargs, result))
        return result

    monkeypatch.setattr(owner, name, spy)
    return calls


def _page(path: str, monkeypatch, store) -> AppTest:
    monkeypatch.setenv("REINDUS_STORE", str(store.path))
    st.cache_data.clear()  # a page's cached export from another test would skip the call
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page(path).run()
    assert not app.exception, app.exception
    return app


def test_reindus_stats_and_the_concentration_page_compute_through_one_function(store, monkeypatch, capsys):
    calls = _spy(monkeypatch, stats, "concentration_stats")
    statuses = [arg for status in DEFAULT_STATUS_CATEGORIES for arg in ("--statut", status)]
    assert main(["stats", "--by", "epci", "--sans-non-industriels", *statuses, "--store", str(store.path)]) == 0
    printed = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"id": str})
    assert len(calls) == 1
    from_cli = calls[0][2]

    data_access._cached_concentration.clear()  # the page keeps its figures per choice: computed anew here
    app = _page("app_pages/concentration.py", monkeypatch, store)  # defaults: EPCI, permanent jobs, same filters
    assert len(calls) == 2
    from_page = calls[1][2]
    assert (from_page.kind, from_page.measure, from_page.total) == (from_cli.kind, from_cli.measure, from_cli.total)
    pd.testing.assert_frame_equal(from_page.table.reset_index(drop=True), from_cli.table.reset_index(drop=True))
    assert printed["id"].tolist() == from_cli.table["id"].tolist()
    assert next(m.value for m in app.metric if m.label == "Projets retenus") == str(from_cli.projects)


def test_reindus_export_and_the_presse_page_draw_through_one_function(store, monkeypatch, tmp_path):
    calls = _spy(monkeypatch, layers.press, "export_view")
    out = tmp_path / "ti2.pdf"
    assert main(["export", "--view", "ti2", "--format", "pdf", "--out", str(out), "--store", str(store.path)]) == 0
    assert len(calls) == 1 and out.read_bytes() == calls[0][2].content

    _page("app_pages/presse.py", monkeypatch, store)  # defaults: the first view, PDF, 16:9
    assert len(calls) == 2
    (cli_args, cli_kwargs, from_cli), (page_args, page_kwargs, from_page) = calls
    assert from_page.view == from_cli.view
    assert all(page_kwargs[name] == cli_kwargs[name] for name in ("view_key", "permalink", "fmt", "layout"))
    assert len(page_args[1]) == len(cli_args[1])  # the same typed projects, filtered inside the use case
    assert from_page.dropped_labels == from_cli.dropped_labels


@pytest.mark.parametrize("layout", ["a4"])
def test_the_dossier_of_the_cli_and_of_the_presse_page_is_one_function(store, monkeypatch, tmp_path, layout):
    calls = _spy(monkeypatch, layers.press, "export_dossier", returns=b"PK dossier")
    out = tmp_path / "dossier.zip"
    assert main(["export", "--dossier", "--layout", layout, "--out", str(out), "--store", str(store.path)]) == 0
    assert out.read_bytes() == b"PK dossier"

    app = _page("app_pages/presse.py", monkeypatch, store)
    app.radio(key="mise_en_page").set_value(layout).run()
    app.button(key="preparer_dossier").click().run()
    assert not app.exception, app.exception
    assert len(calls) == 2
    (cli_args, cli_kwargs, _), (page_args, page_kwargs, _) = calls
    assert cli_kwargs["layout"] == page_kwargs["layout"] == layout
    assert len(cli_args[1]) == len(page_args[1])
