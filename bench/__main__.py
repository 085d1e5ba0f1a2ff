"""Run every benchmark and print one line per metric: name, figure, goal, verdict."""

from __future__ import annotations

import sys

from bench import build_time, map_rerun


def main() -> int:
    results = [*build_time.run(), *map_rerun.run()]
    width = max(len(r.name) for r in results)
    for result in results:
        print(result.line(width))
    return 0


if __name__ == "__main__":
    sys.exit(main())
