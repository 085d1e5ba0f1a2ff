"""The comparison of territories as people read it: French figures in a table, and a press table (PNG, PDF) with
its title, what it counts and its sources, set in the press maps' type."""

from __future__ import annotations

import io
import textwrap

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.usecases.compare import ROW_UNITS, ROWS
from layers.formatting import MISSING, euros_short_fr, number_fr
from layers.press import typography


def formatted(table: pd.DataFrame, *, unavailable: dict[str, set[str]] | None = None) -> pd.DataFrame:
    """:func:`~geo.usecases.compare.comparison_table` with every figure in French (« 27 100 », « +5,0 % »,
    « 21,8 M€ », « 15,4 ha »); an unknown figure reads « non renseigné », one the sources do not give at that
    level (``unavailable``: column → row names) « pas à ce niveau »."""
    units = {ROWS[key]: unit for key, unit in ROW_UNITS.items()}
    unavailable = unavailable or {}
    return pd.DataFrame(
        {
            column: [
                NOT_AT_THIS_LEVEL if row in unavailable.get(column, set()) else _cell(value, units[row])
                for row, value in table[column].items()
            ]
            for column in table.columns
        },
        index=table.index,
    )


NOT_AT_THIS_LEVEL = "pas à ce niveau"


def _cell(value: object, unit: str) -> str:
    if value is None or pd.isna(value):
        return MISSING
    match unit:
        case "percent":
            return f"{number_fr(value, decimals=1)} %"
        case "change":
            return ("+" if value > 0 else "") + f"{number_fr(value, decimals=1)} %"
        case "rate":
            return number_fr(value, decimals=1)
        case "euros":
            return euros_short_fr(value)
        case "hectares":
            return f"{number_fr(value, decimals=1)} ha"
        case _:
            return number_fr(value)


def press_table(
    table: pd.DataFrame,
    *,
    title: str,
    counted: str,
    sources: str,
    notes: list[str],
    unavailable: dict[str, set[str]] | None = None,
) -> Figure:
    """The comparison as a landscape A4 table for a slide or a press kit (the reference column shaded)."""
    shown = formatted(table, unavailable=unavailable)
    with matplotlib.rc_context(typography.rc()):
        figure = Figure(figsize=(11.69, 8.27), dpi=100)
        FigureCanvasAgg(figure)
        figure.text(0.03, 0.96, textwrap.fill(title, 95), va="top", **{**typography.TITLE, "fontsize": 15})
        axes = figure.add_axes((0.03, 0.24, 0.94, 0.62))
        axes.axis("off")
        # The row names take the left third: the figures' columns share the rest.
        cells = axes.table(
            cellText=shown.to_numpy(),
            rowLabels=list(shown.index),
            colLabels=[textwrap.fill(label, 24) for label in shown.columns],
            bbox=(0.36, 0.0, 0.64, 1.0),
            cellLoc="right",
            colLoc="center",
        )
        cells.auto_set_font_size(False)
        cells.set_fontsize(8)
        reference = len(shown.columns) - 1 if "(référence)" in str(shown.columns[-1]) else None
        for (row, column), cell in cells.get_celld().items():
            cell.set_edgecolor("#d0d0d0")
            if row == 0:
                cell.set_text_props(fontweight="bold")
            if column == -1:
                cell.set_text_props(ha="left")
            if column == reference:
                cell.set_facecolor("#f2f2f2")
        footer = " ".join([counted, *notes, sources])
        figure.text(0.03, 0.02, textwrap.fill(footer, 200), va="bottom", **{**typography.NOTE, "fontsize": 6.3})
    return figure


def figure_bytes(figure: Figure, fmt: str) -> bytes:
    """PNG (200 dpi) or PDF with text kept as text."""
    buffer = io.BytesIO()
    with matplotlib.rc_context({**typography.rc(), "pdf.fonttype": 42}):
        figure.savefig(buffer, format=fmt, dpi=200 if fmt == "png" else 100)
    return buffer.getvalue()
