"""Sources and vintages of the built layers, read from the store's ``metadata`` table."""

from __future__ import annotations

import pandas as pd


def attributions(metadata: pd.DataFrame, layers: list[str]) -> list[str]:
    """The distinct ``attribution (vintage)`` lines of the sources feeding ``layers``, in manifest order.

    Examples
    --------
    >>> meta = pd.DataFrame({"kind": ["source"], "attribution": ["INSEE – COG 2026"],
    ...                      "vintage": ["COG 2026"], "layers": ["epci;communes"]})
    >>> attributions(meta, ["epci"])
    ['INSEE – COG 2026']
    """
    sources = metadata[metadata["kind"].isin(["source", "curated"])]
    wanted = set(layers)
    lines: list[str] = []
    for row in sources.itertuples():
        if not wanted & set(str(row.layers).split(";")):
            continue
        vintage = str(row.vintage)
        line = row.attribution if vintage in row.attribution else f"{row.attribution} ({vintage})"
        if line not in lines:
            lines.append(line)
    return lines


def build_date(metadata: pd.DataFrame) -> str | None:
    """ISO date-time of the build that wrote the store, or None."""
    rows = metadata.loc[metadata["kind"] == "build", "vintage"]
    return str(rows.iloc[0]) if len(rows) else None
