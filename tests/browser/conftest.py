"""A real `streamlit run` on 127.0.0.1 and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.load import start_app
from bench.scale_out import nginx_in_front
from geo.store import GeoPackageStore
from tests.conftest import copy_store

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    # No name but the local ones resolves: a request to a third party fails in the browser itself (the tests record
    # it with record_outside_requests). Intercepting every request instead (Playwright's route) turned the HTTP
    # cache off and passed each request through Python: five pages in one context took 8-10 s instead of 5-6 s.
    "--host-resolver-rules=MAP * ~NOTFOUND, " + ", ".join(f"EXCLUDE {host}" for host in sorted(LOCAL_HOSTS)),
]


MAP_FRAME = "iframe[src*='map_component']"
"""The frame of a map drawn by app_pages.map_component."""
LAPTOP = {"width": 1366, "height": 768}
"""A town-hall laptop's screen (issue 27)."""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve_app(store_path: Path, log_dir: Path, **env: str) -> Iterator[str]:
    """A real ``streamlit run`` of the app on 127.0.0.1 over ``store_path``; yields its URL."""
    port = _free_port()
    # No warm start: the test opens its page at once, and warming every other page meanwhile only added CPU
    # (about 150 s over the suite); tests/app/test_serve.py checks the warm start itself.
    env = {"REINDUS_WARM_START": "0", **env}
    with (log_dir / "streamlit.log").open("w") as log:
        process = start_app(port, log=log, REINDUS_STORE=str(store_path), **env)
        try:
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=20)


@pytest.fixture(scope="session")
def proxied(app_url, tmp_path_factory) -> Iterator[str]:
    """The app of :func:`app_url` behind a real nginx with ``deploy/nginx-reindus.conf``'s headers, as the public
    reaches it; yields nginx's URL. One per test process, shared by its modules (and the app process with the tests
    that reach it directly: starting a second one cost its imports and its caches again)."""
    with nginx_in_front([urlparse(app_url).port], tmp_path_factory.mktemp("nginx") / "nginx") as (url, _):
        yield url


def poll_until(frame, expression: str, timeout_s: float = 90) -> None:
    """Until ``expression`` is true in ``frame``, polled from here: Playwright's ``wait_for_function`` evaluates a
    text in the page, which a policy without 'unsafe-eval' refuses (as it should)."""
    deadline = time.monotonic() + timeout_s
    while not frame.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout_s} s: {expression[:80]}"
        time.sleep(0.25)


EDITOR_LOGIN, EDITOR_PASSWORD = "camille", "mot-de-passe-navigateur"


@contextlib.contextmanager
def editor_app(store, folder: Path) -> Iterator[tuple[str, GeoPackageStore]]:
    """The app on a copy of the build holding one editor account (:data:`EDITOR_LOGIN`); yields (URL, copy)."""
    copy = folder / "edition.gpkg"
    copy_store(store, copy)
    GeoPackageStore(copy).accounts().add(
        EDITOR_LOGIN, role="editeur", password=EDITOR_PASSWORD, display_name="Camille Martin"
    )
    with serve_app(copy, folder) as url:
        yield url, GeoPackageStore(copy)


def sign_in(page, login: str, password: str) -> None:
    """Sign in with an account from the sidebar form, and wait until the page says so."""
    page.get_by_label("Identifiant").fill(login)
    page.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter", exact=True).click()
    page.get_by_text("Connecté : ").wait_for(timeout=60_000)


COUNT_EPCI_JS = """() => {
  // The EPCI in the vector tiles the map has read and painted (the map draws them on canvases).
  const map = window.reindusCurrentMap;
  if (!map || !window.reindusPainted) return -1;
  const sirens = new Set();
  for (const view of map.reindusVector.layer.views.values()) {
    for (const entry of view.tileCache.cache.values()) {
      const epci = entry.data.get('epci');
      if (epci) epci.forEach(feature => sirens.add(feature.props.siren));
    }
  }
  return sirens.size;
}"""


def map_frame(page, *, timeout_s: float = 90):
    """The map's frame once a single one is drawn (a rerun may show the old and the new one for a moment)."""
    page.wait_for_selector(MAP_FRAME, timeout=60_000)
    deadline = time.monotonic() + timeout_s
    while True:
        # During a rerun the old and the new map can coexist for a moment: wait for a single one, and start
        # again if a new rerun adds a second frame before the map is drawn.
        page.wait_for_function(f'document.querySelectorAll("{MAP_FRAME}").length === 1', timeout=60_000)
        try:
            page.frame_locator(MAP_FRAME).locator(".leaflet-container").wait_for(timeout=10_000)
            break
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise
    return next(f for f in page.frames if "map_component" in f.url)


def wait_in_map(page, expression: str, arg=None, *, timeout_s: float = 90) -> None:
    """Until ``expression`` holds in the map's frame, taking the new frame when a rerun replaces the map (after a
    write the page draws a new map: a wait on the old frame ends with « Frame was detached »)."""
    deadline = time.monotonic() + timeout_s
    while True:
        frame = map_frame(page, timeout_s=max(timeout_s / 3, 10))
        try:
            frame.wait_for_function(expression, arg=arg, timeout=max(1, deadline - time.monotonic()) * 1000)
            return
        except PlaywrightError as error:
            if "detached" not in str(error) or time.monotonic() > deadline:
                raise


AXE_REPORTS: list[str] = []
"""The axe tables of the accessibility tests, printed at the end of every run."""


class ScriptRuns:
    """The script runs of a page's Streamlit session, as its WebSocket tells them: asked for by the page (a
    ``rerun_script`` message: a widget changed, the map reported), started (``new_session``) and finished
    (``script_finished``) by the server. Events reach Python while Playwright is called (a wait, an evaluate)."""

    def __init__(self, page) -> None:
        self.running = False
        self.asked_since_start = False
        self.finished_since_load = False
        page.on("websocket", self._watch)
        page.on("framenavigated", lambda frame: self._loaded() if frame == page.main_frame else None)

    def _loaded(self) -> None:
        self.running = self.asked_since_start = self.finished_since_load = False

    def _watch(self, socket) -> None:
        socket.on("framesent", self._sent)
        socket.on("framereceived", self._received)

    def _sent(self, payload) -> None:
        if isinstance(payload, bytes) and BackMsg.FromString(payload).WhichOneof("type") == "rerun_script":
            self.asked_since_start = True

    def _received(self, payload) -> None:
        if not isinstance(payload, bytes):
            return
        kind = ForwardMsg.FromString(payload).WhichOneof("type")
        if kind == "new_session":
            self.running, self.asked_since_start = True, False
        elif kind == "script_finished":
            self.running, self.finished_since_load = False, True

    @property
    def idle(self) -> bool:
        """The address's first run finished, no run going on and none asked for since the last one started."""
        return self.finished_since_load and not self.running and not self.asked_since_start


def track_runs(page):
    """``page`` with its script runs followed (:class:`ScriptRuns`, read by :func:`wait_until_idle`): call it
    before the page opens its address."""
    page.script_runs = ScriptRuns(page)
    return page


IDLE_JS = """() => {
  // Nothing faded as stale or running, and every map frame has drawn what the page sent and has no report waiting.
  if (document.querySelector('[data-testid="stStatusWidget"], [data-stale="true"]')) return false;
  return [...document.querySelectorAll("iframe[src*='map_component']")].every(frame => {
    const win = frame.contentWindow;
    return win && win.reindusSettled === true;
  });
}"""
QUIET_S = 0.3
"""How long a page must stay idle to be taken as idle (a map reports where it opened just after it is drawn)."""


def wait_until_idle(page, *, timeout_s: float = 90) -> None:
    """Until Streamlit has finished the runs the page asked for and every map frame is settled, for
    :data:`QUIET_S` (a rerun started by the map's first report dims the page for a moment, and a click then may
    land on a stale element). A page not followed by :func:`track_runs` is waited for by the time it shows:
    no status or stale element twice, a second apart."""
    runs = getattr(page, "script_runs", None)
    if runs is None:
        idle = '!document.querySelector(\'[data-testid="stStatusWidget"], [data-stale="true"]\')'
        for _ in range(2):  # twice, a second apart: the map's report can start a rerun just after the first one
            page.wait_for_function(idle, timeout=timeout_s * 1000, polling=250)
            time.sleep(1)
        return
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while True:
        now = time.monotonic()
        if runs.idle and page.evaluate(IDLE_JS):
            quiet_since = quiet_since or now
            if now - quiet_since >= QUIET_S:
                return
        else:
            quiet_since = None
        if now > deadline:
            raise PlaywrightTimeoutError(f"page still busy after {timeout_s:.0f} s (runs idle: {runs.idle})")
        page.wait_for_timeout(50)


def choose_option(page, box, typed: str, option: str, *, exact: bool = True) -> None:
    """Choose ``option`` (its whole label, or part of it when not ``exact``) in the select or multiselect
    ``box``, filtering the list by ``typed``.

    The option is clicked in the open list, never picked with Enter. A rerun that lands while the test types can
    empty the box's field or replace the box (under CI load keys were lost and Enter chose another entry), so the
    typing is done again, at most three times, until the option is listed: a retry of the test's input, not of
    the behaviour checked after it."""
    for attempt in range(3):
        wait_until_idle(page)
        field = box.locator("input")
        field.click()
        field.fill(typed)
        choice = page.get_by_role("option", name=option, exact=exact)
        try:
            choice.first.click(timeout=15_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")


def pytest_terminal_summary(terminalreporter) -> None:
    """The axe tables of the accessibility tests, in every run's output (not only with ``-s``)."""
    if AXE_REPORTS:
        terminalreporter.section("accessibilité (axe-core, WCAG 2.1 A/AA)")
        for table in AXE_REPORTS:
            terminalreporter.write_line(table + "\n")


@pytest.fixture(scope="session")
def app_url(store, tmp_path_factory) -> Iterator[str]:
    """The app served by a real Streamlit process on the built test store (read-only: no account in it)."""
    with serve_app(store.path, tmp_path_factory.mktemp("streamlit")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("Debian chromium is not installed: run `make test-deps`")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A tablet-sized page whose requests outside localhost are blocked and recorded."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, locale="fr-FR")
    page = track_runs(context.new_page())
    page.outside_requests = record_outside_requests(context)
    yield page
    context.close()


def record_outside_requests(context) -> list[str]:
    """The addresses outside localhost that pages of ``context`` ask for (filled as they ask; the browser's
    :data:`CHROMIUM_ARGS` make each of them fail)."""
    asked: list[str] = []

    def note(request) -> None:
        address = urlparse(request.url)
        if address.scheme in ("http", "https", "ws", "wss") and address.hostname not in LOCAL_HOSTS:
            asked.append(request.url)

    context.on("request", note)
    return asked
