"""Load: 20 concurrent Streamlit sessions exploring the Carte on 127.0.0.1 (goal p95 rerun ≤ 500 ms, 0 errors).

Each session is a real Streamlit session driven over its WebSocket, as a browser does (the
same protobuf messages): it opens the Carte page, then, after a think time, toggles a layer
or the "industrie seulement" filter, and waits for the page to finish. The rerun time is
from the click (BackMsg) to ``script_finished``; an error is an exception shown by the page,
a run that does not finish successfully, a 30 s timeout or a dropped connection.

Run alone: ``python -m bench.load [--url URL] [--sessions 20] [--seconds 60]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from bench.metric import Metric
from geo.settings import REPO_ROOT, store_path

GOAL_P95_MS = 500.0
TOGGLED = ("couche_ti1", "couche_bassins", "couche_zonages", "couche_projets", "carte_industriels")
RUN_TIMEOUT_S = 30.0


@dataclass
class LoadResult:
    rerun_ms: list[float] = field(default_factory=list)
    first_run_ms: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def percentile(self, q: float) -> float:
        ordered = sorted(self.rerun_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _run_page(ws, widgets: dict[str, bool] | None) -> tuple[float, dict[str, tuple[str, bool]], list[str]]:
    """Send one rerun; return its duration (ms), the toggles seen (key → (id, value)) and the errors."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    message = BackMsg()
    message.rerun_script.query_string = ""
    message.rerun_script.page_script_hash = ""
    for widget_id, value in (widgets or {}).items():
        state = message.rerun_script.widget_states.widgets.add()
        state.id, state.bool_value = widget_id, value
    start = time.perf_counter()
    await ws.send(message.SerializeToString())
    toggles: dict[str, tuple[str, bool]] = {}
    errors: list[str] = []
    while True:
        forward = ForwardMsg()
        forward.ParseFromString(await asyncio.wait_for(ws.recv(), RUN_TIMEOUT_S))
        kind = forward.WhichOneof("type")
        if kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
            element = forward.delta.new_element
            which = element.WhichOneof("type")
            if which == "exception":
                errors.append(f"exception: {element.exception.message[:200]}")
            elif which == "checkbox":
                key = element.checkbox.id.rsplit("-", 1)[-1]
                toggles[key] = (element.checkbox.id, element.checkbox.value)
        elif kind == "script_finished":
            if forward.script_finished not in (0, 3):  # finished successfully / early for a rerun
                errors.append(f"run ended with status {forward.script_finished}")
            return (time.perf_counter() - start) * 1000, toggles, errors


async def _session(url: str, deadline: float, think_s: tuple[float, float], result: LoadResult, seed: int) -> None:
    import websockets

    rng = random.Random(seed)
    headers = {"Cookie": f"reindus_sticky={uuid.UUID(int=rng.getrandbits(128)).hex}"}
    try:
        async with websockets.connect(
            url.replace("http", "ws", 1) + "/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers=headers,
            max_size=None,
        ) as ws:
            took, toggles, errors = await _run_page(ws, None)
            result.first_run_ms.append(took)
            result.errors += errors
            state = {widget_id: value for widget_id, value in toggles.values()}
            while time.monotonic() < deadline:
                await asyncio.sleep(rng.uniform(*think_s))
                key = rng.choice([k for k in TOGGLED if k in toggles])
                widget_id = toggles[key][0]
                flipped = not state.get(widget_id, toggles[key][1])
                state[widget_id] = flipped
                took, seen, errors = await _run_page(ws, state)
                result.rerun_ms.append(took)
                result.errors += errors
                # the page decides which toggles exist (the filters appear with the projects layer)
                toggles = seen
                state = {seen_id: value for seen_id, value in seen.values()}
    except (OSError, TimeoutError) as error:
        result.errors.append(f"connection: {type(error).__name__}: {error}")
    except Exception as error:  # noqa: BLE001 — websockets' closed-connection errors, reported as such
        result.errors.append(f"{type(error).__name__}: {error}")


def run_load(
    url: str, *, sessions: int = 20, seconds: float = 60.0, think_s: tuple[float, float] = (1.0, 3.0)
) -> LoadResult:
    """Drive ``sessions`` concurrent sessions against the app at ``url`` for ``seconds``."""
    result = LoadResult()

    async def main() -> None:
        deadline = time.monotonic() + seconds
        await asyncio.gather(*(_session(url, deadline, think_s, result, seed) for seed in range(sessions)))

    asyncio.run(main())
    return result


def start_app(
    port: int, *, log: IO[str] | None = None, args: Sequence[str] = (), app_dir: Path = REPO_ROOT, **env: str
) -> subprocess.Popen:
    """The app (``python -m app_pages.serve``: ``streamlit run app.py``, warmed) on 127.0.0.1:``port``, waiting
    until it answers (its output to ``log``);
    ``args`` are more Streamlit options (e.g. ``--secrets.files``), ``app_dir`` another copy of the code."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "app_pages.serve",  # `streamlit run app.py`, warmed as it starts (as `make run` does)
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            *args,
        ],
        cwd=app_dir,
        env=os.environ | env,
        stdout=log or subprocess.DEVNULL,
        stderr=subprocess.STDOUT if log else subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.5)
    process.terminate()
    process.wait(timeout=20)
    raise RuntimeError(f"streamlit did not start on port {port}")


def metrics(name: str, result: LoadResult, *, sessions: int, seconds: float) -> list[Metric]:
    note = (
        f"{sessions} sessions, {seconds:.0f} s, {len(result.rerun_ms)} reruns, p50 "
        f"{statistics.median(result.rerun_ms) if result.rerun_ms else float('nan'):.0f} ms, "
        f"first page p50 {statistics.median(result.first_run_ms) if result.first_run_ms else float('nan'):.0f} ms"
    )
    return [
        Metric(f"{name}_rerun_p95", result.percentile(0.95), "ms", GOAL_P95_MS, note),
        Metric(f"{name}_errors", float(len(result.errors)), "", 0.0, "; ".join(sorted(set(result.errors))[:3])),
    ]


def run(*, sessions: int = 20, seconds: float = 60.0) -> list[Metric]:
    """One app process on the embedded GeoPackage, 20 sessions."""
    port = 8700 + os.getpid() % 200
    app = start_app(port, REINDUS_STORE=str(store_path()))
    try:
        run_load(f"http://127.0.0.1:{port}", sessions=1, seconds=3)  # warm the caches, as a running server is
        result = run_load(f"http://127.0.0.1:{port}", sessions=sessions, seconds=seconds)
    finally:
        app.terminate()
        app.wait(timeout=20)
    return metrics("load_1_process", result, sessions=sessions, seconds=seconds)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="app already running (e.g. behind nginx); default: start one")
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    if args.url:
        found = metrics(
            "load",
            run_load(args.url, sessions=args.sessions, seconds=args.seconds),
            sessions=args.sessions,
            seconds=args.seconds,
        )
    else:
        found = run(sessions=args.sessions, seconds=args.seconds)
    for metric in found:
        print(metric.line(28))
