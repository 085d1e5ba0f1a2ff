"""Run every benchmark and print one line per metric: name, figure, goal, verdict."""

from __future__ import annotations

import sys

from bench import (
    build_france,
    build_time,
    cold_start,
    hostile_parse,
    load,
    map_rerun,
    outlines,
    page_times,
    press_export,
    projects_import,
    scale_out,
    spatial_join,
)


def main() -> int:
    results = []
    modules = (
        build_time,
        build_france,
        outlines,
        map_rerun,
        cold_start,
        page_times,
        projects_import,
        hostile_parse,
        spatial_join,
        press_export,
        load,
        scale_out,
    )
    for module in modules:
        results += module.run()
        print(results[-1].line(32), flush=True)  # progress: the last line of each module as it lands
    print()
    width = max(len(r.name) for r in results)  # the full table, aligned
    for result in results:
        print(result.line(width))
    return 0


if __name__ == "__main__":
    sys.exit(main())
