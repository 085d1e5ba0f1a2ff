"""French formatting of figures for the interface (``1 234 567 €``, ``12,5 km²``)."""

from __future__ import annotations

import math

from babel.numbers import format_decimal

LOCALE = "fr_FR"
MISSING = "non renseigné"


def number_fr(value: float | int | None, *, decimals: int = 0) -> str:
    """Format a number the French way; ``None``/NaN give ``non renseigné`` (never a made-up 0)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def area_km2_fr(value: float | None) -> str:
    """An area in km², one decimal: ``1 234,5 km²``."""
    text = number_fr(value, decimals=1)
    return text if text == MISSING else f"{text} km²"


def inhabitants_fr(value: float | int | None) -> str:
    """A population: ``12 345 hab.``."""
    text = number_fr(value)
    return text if text == MISSING else f"{text} hab."
