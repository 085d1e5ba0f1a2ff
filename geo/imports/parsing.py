"""Parsers for the values French spreadsheets hold: amounts, counts, years, INSEE codes.

Each parser takes one cell (a string from a CSV, or a number or string from an XLSX
cell) and returns a :class:`Parsed` value: the clean value (``None`` when the cell is
empty), plus a French note when something was corrected. A value that cannot be read
raises :class:`~geo.errors.UnreadableValueError` (a ValueError) with a French message naming the
value; the import turns it into a problem with the file, line and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from numbers import Real
from typing import Any

from geo.errors import UnreadableValueError
from geo.text import normalise

# Cells people fill in to mean "unknown": they stay empty, never zero.
UNKNOWN_MARKERS = frozenset(
    {"", "-", "–", "—", "?", "nc", "n.c.", "n.c", "nd", "n.d.", "n/a", "na", "inconnu", "non renseigné", "non connu"}
)
# Spaces used as thousands separators: space, no-break space, narrow no-break space, thin space.
_SPACES = re.compile(r"[ \u00a0\u202f\u2009]")
_UNIT_WORDS: dict[str, float] = {
    **dict.fromkeys(("md", "mds", "mrd", "mrds", "milliard", "milliards", "bn", "g"), 1e9),
    **dict.fromkeys(("m", "million", "millions", "mio"), 1e6),
    **dict.fromkeys(("k", "millier", "milliers"), 1e3),
}
_CURRENCY = re.compile(r"\s*(d['’]\s*euros?|de\s+euros?|euros?|eur|€)\s*", re.IGNORECASE)
_AMOUNT = re.compile(r"^(?P<number>[+-]?[\d .,'\u00a0\u202f\u2009]*\d)\s*(?P<unit>[a-z]*)$")
_INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")


@dataclass(frozen=True)
class Parsed:
    """A parsed cell: ``value`` (None when unknown) and an optional French ``note``."""

    value: Any
    note: str | None = None


def is_unknown(cell: object) -> bool:
    """Whether a cell means "not stated" (empty, NaN, ``nc``, ``-`` …)."""
    if cell is None:
        return True
    if isinstance(cell, float) and math.isnan(cell):
        return True
    return isinstance(cell, str) and cell.strip().lower() in UNKNOWN_MARKERS


def parse_amount_eur(cell: object, *, unit: float = 1.0) -> Parsed:
    """Read an amount in euros as written in French: ``1 234 567``, ``12,5 M€``, ``1,6 Md€``.

    Parameters
    ----------
    cell : str or number
        The cell. A comma is a decimal separator; spaces (including no-break spaces) and
        dots followed by groups of three digits are thousands separators.
    unit : float
        Multiplier declared by the column header (``Investissement (M€)`` → 1e6), applied
        when the cell itself names no unit.

    Examples
    --------
    >>> parse_amount_eur("1 234,5 k€").value
    1234500.0
    >>> parse_amount_eur("12", unit=1e6).value
    12000000.0
    """
    if is_unknown(cell):
        return Parsed(None)
    if isinstance(cell, Real) and not isinstance(cell, bool):
        value = float(cell) * unit
    else:
        text = _CURRENCY.sub(" ", str(cell)).strip().lower()
        match = _AMOUNT.match(text)
        if not match or match["unit"] not in {"", *_UNIT_WORDS}:
            raise UnreadableValueError(f"montant illisible « {cell} » (attendu par ex. : 1 234 567, 12,5 M€, 1,6 Md€)")
        text = match["number"]
        multiplier = _UNIT_WORDS.get(match["unit"], unit)
        value = _number_fr(text, original=str(cell)) * multiplier
    if value < 0:
        raise UnreadableValueError(f"montant négatif « {cell} » : un montant annoncé ne peut pas être négatif")
    return Parsed(round(value, 2))


_AREA_UNITS = {
    "": None,
    "ha": 1.0,
    "hectare": 1.0,
    "hectares": 1.0,
    "m2": 1e-4,
    "m²": 1e-4,
    "km2": 100.0,
    "km²": 100.0,
}
_DISTANCE_UNITS = {"": None, "m": 1.0, "metre": 1.0, "metres": 1.0, "mètres": 1.0, "km": 1000.0}


def parse_area_ha(cell: object, *, unit: float = 1.0) -> Parsed:
    """Read a surface in hectares: ``12,5``, ``12,5 ha``, ``8 000 m²`` (→ 0.8); negative refused.

    >>> parse_area_ha("8 000 m²").value
    0.8
    """
    return _parse_measure(cell, unit, _AREA_UNITS, "surface", "12,5 ou 8 000 m²")


def parse_distance_m(cell: object, *, unit: float = 1.0) -> Parsed:
    """Read a distance in metres: ``850``, ``850 m``, ``1,2 km`` (→ 1200); negative refused."""
    return _parse_measure(cell, unit, _DISTANCE_UNITS, "distance", "850 ou 1,2 km")


def _parse_measure(cell: object, unit: float, units: dict[str, float | None], what: str, example: str) -> Parsed:
    if is_unknown(cell):
        return Parsed(None)
    if isinstance(cell, Real) and not isinstance(cell, bool):
        value = float(cell) * unit
    else:
        match = re.match(
            r"^(?P<number>[+-]?[\d .,'\u00a0\u202f\u2009]*\d)\s*(?P<unit>[a-zèé²2]*)$", str(cell).strip().lower()
        )
        if not match or match["unit"] not in units:
            raise UnreadableValueError(f"{what} illisible « {cell} » (attendu par ex. : {example})")
        value = _number_fr(match["number"], original=str(cell)) * (units[match["unit"]] or unit)
    if value < 0:
        raise UnreadableValueError(f"{what} négative « {cell} »")
    return Parsed(value)


def parse_count(cell: object) -> Parsed:
    """Read a whole number of jobs: ``1 200``, ``1200``, ``1.200`` → 1200; ``1,5`` is refused."""
    if is_unknown(cell):
        return Parsed(None)
    if isinstance(cell, Real) and not isinstance(cell, bool):
        value = float(cell)
    else:
        value = _number_fr(str(cell).strip().lower(), original=str(cell))
    if value < 0:
        raise UnreadableValueError(f"nombre négatif « {cell} »")
    if value != int(value):
        raise UnreadableValueError(f"« {cell} » n'est pas un nombre entier d'emplois")
    return Parsed(int(value))


def parse_year(cell: object) -> Parsed:
    """Read a year (``2022``, ``2022.0`` from Excel, ``2022-03``, ``mars 2022``); 1900–2100."""
    if is_unknown(cell):
        return Parsed(None)
    if isinstance(cell, Real) and not isinstance(cell, bool):
        year = float(cell)
        if year != int(year):
            raise UnreadableValueError(f"année illisible « {cell} »")
        year = int(year)
    else:
        match = re.search(r"(?<!\d)(\d{4})(?!\d)", str(cell))
        if not match:
            raise UnreadableValueError(f"année illisible « {cell} » (attendu : 2024)")
        year = int(match.group(1))
    if not 1900 <= year <= 2100:
        raise UnreadableValueError(f"année hors limites « {cell} » (attendu entre 1900 et 2100)")
    return Parsed(year)


def parse_insee(cell: object) -> Parsed:
    """Read a commune INSEE code; restore the leading zero a spreadsheet dropped (2691 → 02691).

    Examples
    --------
    >>> parse_insee(2691).value
    '02691'

    """
    if is_unknown(cell):
        return Parsed(None)
    if isinstance(cell, Real) and not isinstance(cell, bool):
        if float(cell) != int(cell):
            raise UnreadableValueError(f"code INSEE invalide « {cell} »")
        text = str(int(cell))
    else:
        text = str(cell).strip().upper()
        if re.fullmatch(r"\d+\.0", text):  # a number exported by a spreadsheet as text
            text = text[:-2]
    if re.fullmatch(r"\d{4}", text):
        fixed = text.zfill(5)
        return Parsed(fixed, f"code « {text} » complété en « {fixed} » (zéro initial perdu, typiquement par Excel)")
    if not _INSEE.fullmatch(text):
        raise UnreadableValueError(f"code INSEE invalide « {cell} » (attendu : 5 caractères, par ex. 02691 ou 2A004)")
    return Parsed(text)


def parse_departement(cell: object) -> Parsed:
    """Read a département code (``2`` → ``02``, ``2A``, ``59``)."""
    if is_unknown(cell):
        return Parsed(None)
    text = str(int(cell)) if isinstance(cell, Real) and not isinstance(cell, bool) else str(cell).strip().upper()
    if re.fullmatch(r"\d", text):
        return Parsed(text.zfill(2))
    if re.fullmatch(r"\d{2}|2[AB]|97\d", text):
        return Parsed(text)
    raise UnreadableValueError(f"code de département invalide « {cell} » (attendu : 02, 59, 2A…)")


def parse_coordinate(cell: object) -> Parsed:
    """Read a coordinate (decimal comma or point; spaces as thousands separators for metres)."""
    if is_unknown(cell):
        return Parsed(None)
    if isinstance(cell, Real) and not isinstance(cell, bool):
        return Parsed(float(cell))
    text = _SPACES.sub("", str(cell).strip())
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        raise UnreadableValueError(f"coordonnée illisible « {cell} »") from None
    if not math.isfinite(value):
        raise UnreadableValueError(f"coordonnée illisible « {cell} »")
    return Parsed(value)


def unit_from_header(header: str) -> tuple[float, str | None]:
    """The multiplier a header declares: ``Investissement (M€)`` → ``(1e6, "millions d'euros")``."""
    lowered = header.lower()
    if re.search(r"\b(mds?|mrds?|md€|milliards?)\b|md€|mds€", lowered):
        return 1e9, "milliards d'euros"
    if re.search(r"\bm€|\(m\)|\bmillions?\b|\bmeur\b|\bm eur\b", lowered):
        return 1e6, "millions d'euros"
    if re.search(r"\bk€|\bmilliers?\b|\bkeur\b", lowered):
        return 1e3, "milliers d'euros"
    return 1.0, None


@dataclass(frozen=True)
class HeaderUnit:
    """A unit stated by a header's suffix (``investissement_meur``, ``surface_m2``).

    ``quantity`` is ``montant``, ``surface`` or ``distance``; ``multiplier`` converts a bare
    number of the column to the field's unit (euros, hectares, metres); ``label`` says so in French.
    """

    quantity: str
    multiplier: float
    label: str


def unit_suffix(header: str) -> tuple[str, HeaderUnit] | None:
    """Split a unit written at the end of a header: ``montant_meur`` → ``("montant", millions d'euros)``.

    Case, accents and separators (``_``, ``-``, ``.``, spaces) do not matter; a unit may be
    glued to its multiplier (``keur``, ``mdeur``) or not (``md_eur``). The header must keep a
    name before the unit. Returns ``None`` when the header ends with no known unit.

    Examples
    --------
    >>> stem, unit = unit_suffix("Aide_KEUR")
    >>> stem, unit.multiplier, unit.label
    ('aide', 1000.0, "milliers d'euros")
    >>> unit_suffix("surface_m2")[1].label
    'm², convertis en hectares'
    >>> unit_suffix("Investissement") is None
    True
    """
    tokens = normalise(header).replace(".", " ").split()
    for size in (3, 2, 1):  # the longest unit first: "md eur" before "eur"
        if len(tokens) <= size:
            continue
        unit = _HEADER_SUFFIXES.get("".join(tokens[-size:]))
        if unit is not None:
            return " ".join(tokens[:-size]), unit
    return None


def measure_unit_from_header(header: str, *, area: bool) -> tuple[float, str | None]:
    """The multiplier to hectares (surfaces) or metres (distances) a header declares.

    >>> measure_unit_from_header("Surface (m²)", area=True)
    (0.0001, 'm², convertis en hectares')
    >>> measure_unit_from_header("Distance gare (km)", area=False)
    (1000.0, 'km, convertis en mètres')
    """
    lowered = header.lower()
    if area and re.search(r"m²|m2\b|\bmetres? carres|mètres? carrés", lowered):
        return 1e-4, "m², convertis en hectares"
    if not area and re.search(r"\bkm\b|kilom", lowered):
        return 1000.0, "km, convertis en mètres"
    return 1.0, None


def _header_suffixes() -> dict[str, HeaderUnit]:
    """Every unit suffix, written as :func:`unit_suffix` compacts it (``meur``, ``mdeur``, ``m2``, ``km``)."""
    money_labels = {1.0: "euros", 1e3: "milliers d'euros", 1e6: "millions d'euros", 1e9: "milliards d'euros"}
    suffixes: dict[str, HeaderUnit] = {}
    for currency in ("eur", "euro", "euros", "€"):
        suffixes[currency] = HeaderUnit("montant", 1.0, money_labels[1.0])
        for word, multiplier in _UNIT_WORDS.items():
            for joint in ("", "d", "de"):  # keur, millions_d_euros, milliers_de_euros
                # setdefault: "mdeur" is md + eur (milliards), never m + d' + eur
                unit = HeaderUnit("montant", multiplier, money_labels[multiplier])
                suffixes.setdefault(f"{word}{joint}{currency}", unit)
    area_labels = {1.0: "hectares", 1e-4: "m², convertis en hectares", 100.0: "km², convertis en hectares"}
    for word, multiplier in _AREA_UNITS.items():
        if multiplier is not None:
            suffixes[normalise(word)] = HeaderUnit("surface", multiplier, area_labels[multiplier])
    suffixes["metrescarres"] = suffixes["metrecarre"] = suffixes["m2"]
    distance_labels = {1.0: "mètres", 1000.0: "km, convertis en mètres"}
    for word, multiplier in _DISTANCE_UNITS.items():
        if multiplier is not None:
            suffixes[normalise(word)] = HeaderUnit("distance", multiplier, distance_labels[multiplier])
    return suffixes


def _number_fr(text: str, *, original: str) -> float:
    """A plain number in French notation (no unit)."""
    compact = _SPACES.sub("", text).replace("'", "")
    if not compact or not re.fullmatch(r"[+-]?[\d.,]+", compact):
        raise UnreadableValueError(f"nombre illisible « {original} »")
    if "," in compact and "." in compact:
        # The last separator is the decimal one: 1.234.567,89 or 1,234,567.89
        decimal = "," if compact.rfind(",") > compact.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        compact = compact.replace(thousands, "").replace(decimal, ".")
    elif "," in compact:
        if compact.count(",") > 1:
            raise UnreadableValueError(f"nombre illisible « {original} » (plusieurs virgules)")
        compact = compact.replace(",", ".")
    elif compact.count(".") > 1:
        if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", compact):
            raise UnreadableValueError(f"nombre illisible « {original} »")
        compact = compact.replace(".", "")
    elif re.fullmatch(r"[+-]?\d{1,3}\.\d{3}", compact):
        # "1.600" is 1 600 in French notation but 1.6 in English notation: never guess.
        raise UnreadableValueError(
            f"nombre ambigu « {original} » : écrivez « {compact.replace('.', ' ')} » "
            f"ou « {compact.replace('.', ',').rstrip('0').rstrip(',')} » (virgule décimale)"
        )
    try:
        return float(compact)
    except ValueError:
        raise UnreadableValueError(f"nombre illisible « {original} »") from None


_HEADER_SUFFIXES = _header_suffixes()
