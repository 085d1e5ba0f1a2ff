"""Reading the worst hostile file of each kind (goal ≤ 2 s each): the figure is the slowest.

Each file is generated in memory (:mod:`tests.hostile_files`) at the size a tester reported, and read by
``read_table`` as the Données page and ``reindus import`` read a file, until it is refused or reported.
Needs no built store.
"""

from __future__ import annotations

import io
import time

from bench.metric import Metric
from geo.errors import ImportRefusedError
from geo.imports.tabular import MAX_ROWS, read_table
from tests import hostile_files

GOAL_S = 2.0


def _files() -> dict[str, bytes]:
    """Kind → bytes: the sizes the tester reported, and each limit overrun by one."""
    garbled = ("nom;commune\r\n" + "Aciérie;Hénin-Beaumont\r\n" * MAX_ROWS).encode("cp1252")
    row = "Forge du Nord;Liévin;une note ordinaire, sans rien de particulier\r\n"  # under 1 %: not "binary"
    controls = ("nom;commune;note\r\n" + (row * 9 + "Forge\x07;Liévin\x85;x\x1b\r\n") * (MAX_ROWS // 10)).encode()
    return {
        "header repeated ×10 000": hostile_files.repeated_header_csv(10_000),
        "10 000 distinct columns": hostile_files.distinct_columns_csv(10_000),
        "header of 100 000 characters": hostile_files.long_header_csv(100_000),
        "XLSX declaring A1:XFD1048576": hostile_files.declared_xlsx("A1:XFD1048576"),
        "XLSX with cells at XFD2, A1048576": hostile_files.far_cells_xlsx(),
        "CSV of 574 967 rows": hostile_files.many_rows_csv(574_967),
        "XLSX of 100 001 rows (no dimension)": hostile_files.many_rows_xlsx(MAX_ROWS + 1),
        "Windows-1252 CSV of 100 000 rows": garbled,
        "control characters in 10 000 of 100 000 rows": controls,
    }


def run() -> list[Metric]:
    timings = {}
    for kind, data in _files().items():
        start = time.perf_counter()
        try:
            read_table(io.BytesIO(data), name="hostile")
        except ImportRefusedError:
            pass  # refused in French: what is timed is how long it took to say so
        timings[kind] = time.perf_counter() - start
    worst = max(timings, key=timings.__getitem__)
    note = f"slowest: {worst}; " + ", ".join(f"{kind} {seconds:.2f} s" for kind, seconds in timings.items())
    return [Metric("hostile_parse_worst", timings[worst], "s", GOAL_S, note)]


if __name__ == "__main__":
    for metric in run():
        print(metric.line())
