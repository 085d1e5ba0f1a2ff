"""A measured figure with its goal, printed on one line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    name: str
    value: float
    unit: str
    goal: float | None = None
    note: str = ""

    def line(self, width: int = 30) -> str:
        goal = f"goal ≤ {self.goal:g} {self.unit}" if self.goal is not None else ""
        verdict = "" if self.goal is None else ("OK" if self.value <= self.goal else "OVER GOAL")
        return f"{self.name:<{width}}  {self.value:10.2f} {self.unit:<3} {goal:<18} {verdict:<9} {self.note}".rstrip()


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
