"""Two app processes behind nginx sharing one PostGIS: sticky sessions, and an edit seen through the other process."""

from __future__ import annotations

import uuid

import pytest

from bench.scale_out import cluster
from tests.browser.conftest import sign_in

PASSWORD = "mot-de-passe-cluster"


def _sticky_cookies(running, count: int = 40) -> dict[str, str]:
    """One sticky cookie value per backend, found by asking nginx."""
    found: dict[str, str] = {}
    for _ in range(count):
        value = uuid.uuid4().hex
        found.setdefault(running.backend_of(value), value)
        if len(found) == len(running.backends):
            break
    return found


@pytest.mark.browser
def test_an_edit_through_one_process_is_seen_through_the_other(store, browser, artifacts_dir):
    def add_editor(database) -> None:
        database.accounts().add("processus-a", role="editeur", password=PASSWORD, display_name="Processus A")

    # No warm start (as tests/browser/conftest.py's serve_app): each process would import every page's modules and
    # load the Carte's data, which this test never opens; tests/app/test_serve.py checks the warm start.
    with cluster(store.path, prepare=add_editor, REINDUS_WARM_START="0") as running:
        cookies = _sticky_cookies(running)
        assert sorted(cookies) == sorted(running.backends)  # nginx spreads sessions over both processes
        first, second = (cookies[backend] for backend in running.backends)
        host = running.url.split("//", 1)[1].split(":")[0]

        def page_on(sticky: str):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            context.add_cookies([{"name": "reindus_sticky", "value": sticky, "domain": host, "path": "/"}])
            return context, context.new_page()

        editor_context, editor = page_on(first)
        reader_context, reader = page_on(second)
        try:
            editor.goto(f"{running.url}/foncier")
            editor.get_by_text("Fiche d'un site").wait_for(timeout=120_000)
            sign_in(editor, "processus-a", PASSWORD)
            editor.get_by_role("button", name="Marquer comme pris").click()
            editor.get_by_text("Enregistré : pris").wait_for(timeout=60_000)

            reader.goto(f"{running.url}/foncier")
            reader.get_by_text("par Processus A").wait_for(timeout=120_000)  # read from PostGIS by the other process
            reader.screenshot(path=str(artifacts_dir / "cluster-lecteur.png"))
        finally:
            editor_context.close()
            reader_context.close()
        log = running.access_log.read_text()
        for backend in running.backends:
            assert f"upstream={backend}" in log
