"""The projects as a file of the curated schema: what ``reindus export projets`` writes.

The store's projects (the shipped ``data/projets.csv``, the editors' corrections and the imported rows) go out
in the columns and order of ``data/projets.csv``, counts and amounts as whole numbers, unknown as an empty
cell: a curated improvement made in the app can go back into the shipped file, where ``reindus check-data``
reads it like any other version.
"""

from __future__ import annotations

import io

import pandas as pd

from geo.analysis.projects import CURATED_PATH, PROJECT_FIELDS
from geo.exports import write_csv
from geo.imports.columns import Kind
from geo.store import Store

_WHOLE = {f.key for f in PROJECT_FIELDS if f.kind in (Kind.COUNT, Kind.AMOUNT, Kind.YEAR)}


def curated_columns() -> list[str]:
    """The columns of ``data/projets.csv``, in its order (the header of the shipped file is the schema)."""
    return list(pd.read_csv(CURATED_PATH, nrows=0).columns)


def projects_file(store: Store) -> bytes:
    """Every project of ``store`` in the schema of ``data/projets.csv`` (UTF-8, commas, text cells neutralised)."""
    projects = pd.DataFrame(store.read("projets").drop(columns="geometry", errors="ignore"))
    if "commune" not in projects and "commune_nom" in projects:
        projects["commune"] = projects["commune_nom"]
    columns = curated_columns()
    table = pd.DataFrame({column: _cells(projects, column) for column in columns})
    table = table.sort_values("project_id", kind="stable", key=lambda ids: ids.astype(str))
    buffer = io.StringIO()
    write_csv(table, buffer)
    return buffer.getvalue().encode("utf-8")


def _cells(projects: pd.DataFrame, column: str) -> pd.Series:
    if column not in projects:
        return pd.Series("", index=projects.index)
    values = projects[column]
    if column in _WHOLE:
        numbers = pd.to_numeric(values, errors="coerce")
        return numbers.map(lambda v: "" if pd.isna(v) else str(round(v)))
    return values.map(lambda v: "" if v is None or pd.isna(v) else str(v))
