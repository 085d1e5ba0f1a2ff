"""Row access to data frames that stays fast on Arrow-backed columns."""

from __future__ import annotations

from typing import Any

import pandas as pd


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts of Python values, exactly as ``frame.to_dict("records")`` gives them.

    Read column by column: pandas' ``to_dict`` boxes each value of an Arrow string column one at a time, ten
    times slower (4 s for 4,000 projects of 53 columns, most of an audited import's write).
    """
    columns = list(frame.columns)
    values = [_python_values(frame[column]) for column in columns]
    return [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)]


def _python_values(column: pd.Series) -> list[Any]:
    values = column.tolist()
    if getattr(column.dtype, "na_value", None) is pd.NA:  # nullable columns: to_dict gives None for <NA>
        return [None if value is pd.NA else value for value in values]
    return values
