"""Recognise the columns of a user's file by their header, whatever the accents, case or units.

A schema lists the fields an import understands, each with the headers people write for
it (``Investissement (M€)``, ``montant_investi``, ``INVESTISSEMENT``…). The mapping says,
in French, which header became which field, with which unit, and which headers were
ignored, so the user can check the import before applying it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from enum import StrEnum

from geo.imports.parsing import HeaderUnit, measure_unit_from_header, unit_from_header, unit_suffix
from geo.text import normalise


class Kind(StrEnum):
    """How a field's cells are parsed (see :mod:`geo.imports.parsing`)."""

    TEXT = "texte"
    AMOUNT = "montant"
    COUNT = "nombre"
    YEAR = "année"
    INSEE = "code INSEE"
    DEPARTEMENT = "département"
    COORDINATE = "coordonnée"
    AREA = "surface"
    DISTANCE = "distance"


@dataclass(frozen=True)
class Field:
    """One field an import understands."""

    key: str
    label: str
    kind: Kind = Kind.TEXT
    synonyms: tuple[str, ...] = ()

    def matches(self, header_key: str) -> bool:
        """Whether a normalised header names this field."""
        names = {_header_key(self.key), *(_header_key(s) for s in self.synonyms)}
        return header_key in names


# Location fields shared by every import that places rows on the map.
LOCATION_FIELDS: tuple[Field, ...] = (
    Field(
        "commune", "commune", Kind.TEXT, ("ville", "localite", "nom commune", "libelle commune", "nom de la commune")
    ),
    Field(
        "insee_com",
        "code INSEE",
        Kind.INSEE,
        ("insee", "code insee", "code commune", "codgeo", "depcom", "code insee commune", "cog", "insee commune"),
    ),
    Field("departement", "département", Kind.DEPARTEMENT, ("dep", "dept", "code departement", "code dep", "num dep")),
    Field("lon", "longitude", Kind.COORDINATE, ("longitude", "long", "lng", "lon wgs84", "longitude wgs84")),
    Field("lat", "latitude", Kind.COORDINATE, ("latitude", "lat wgs84", "latitude wgs84")),
    Field("x", "X", Kind.COORDINATE, ("x l93", "x lambert93", "x lambert 93", "coord x", "coordonnee x", "xl93")),
    Field("y", "Y", Kind.COORDINATE, ("y l93", "y lambert93", "y lambert 93", "coord y", "coordonnee y", "yl93")),
)


@dataclass
class ColumnMapping:
    """Which header feeds which field, and with which unit.

    ``hints`` holds, for an ignored header, why or what it may have meant (a close field name,
    a unit that does not fit the field).
    """

    fields: dict[str, str] = field(default_factory=dict)
    units: dict[str, tuple[float, str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    hints: dict[str, str] = field(default_factory=dict)

    def unit(self, key: str) -> float:
        """The multiplier declared by the header of ``key`` (1 when none)."""
        return self.units.get(key, (1.0, ""))[0]

    def report(self, schema: tuple[Field, ...]) -> list[str]:
        """French lines: ``« Investissement (M€) » → investissement (en millions d'euros)``."""
        labels = {f.key: f.label for f in schema}
        lines = []
        for key, header in self.fields.items():
            unit = f" (en {self.units[key][1]})" if key in self.units else ""
            lines.append(f"« {header} » → {labels[key]}{unit}")
        lines += [f"« {header} » ignorée (même champ qu'une colonne précédente)" for header in self.duplicates]
        lines += [
            f"« {header} » ignorée (non reconnue)" + (f" ; {self.hints[header]}" if header in self.hints else "")
            for header in self.ignored
        ]
        return lines


def map_columns(headers: list[str], schema: tuple[Field, ...]) -> ColumnMapping:
    """Match each header to at most one field (first header wins when two name the same field).

    A header may end with its unit (``investissement_eur``, ``montant_meur``, ``aide_keur``,
    ``surface_m2``, ``distance_route_km``) or state it in brackets (``Investissement (M€)``):
    the unit must fit the field (an amount, a surface, a distance), and its cells are converted
    to the field's unit (euros, hectares, metres). An unrecognised header close to a field's
    name gets a suggestion.

    Examples
    --------
    >>> fields = (Field("jobs_announced", "emplois", Kind.COUNT, ("emplois",)),
    ...           Field("investment_eur", "investissement (€)", Kind.AMOUNT, ("investissement",)))
    >>> mapping = map_columns(["Emplois", "investissement_meur", "Remarque"], fields)
    >>> mapping.fields
    {'jobs_announced': 'Emplois', 'investment_eur': 'investissement_meur'}
    >>> mapping.units["investment_eur"]
    (1000000.0, "millions d'euros")
    """
    mapping = ColumnMapping()
    for header in headers:
        match, unit = _field_of(header, schema, mapping.hints)
        if match is None:
            mapping.ignored.append(header)
        elif match.key in mapping.fields:
            mapping.duplicates.append(header)
        else:
            mapping.fields[match.key] = header
            if unit is not None:
                mapping.units[match.key] = (unit.multiplier, unit.label)
    for header in mapping.ignored:
        if header not in mapping.hints and (hint := _suggestion(header, schema, mapping.fields)):
            mapping.hints[header] = hint
    return mapping


def _field_of(header: str, schema: tuple[Field, ...], hints: dict[str, str]) -> tuple[Field | None, HeaderUnit | None]:
    """The field a header names and the unit it states; a unit that does not fit leaves it unmatched."""
    match = _named(_header_key(header), schema)
    suffix = unit_suffix(header)
    if suffix is None:
        return match, (_declared_unit(header, match.kind) if match else None)
    stem, unit = suffix
    target = match or _named(_header_key(stem), schema)
    if target is None:
        return None, None
    if target.kind == unit.quantity:
        return target, unit
    if match is not None:  # the whole header names the field; its end was not a unit ("x_m")
        return match, _declared_unit(header, match.kind)
    hints[header] = f"unité « {unit.label} » incompatible avec {target.label}"
    return None, None


def _named(header_key: str, schema: tuple[Field, ...]) -> Field | None:
    return next((f for f in schema if f.matches(header_key)), None)


def _declared_unit(header: str, kind: Kind) -> HeaderUnit | None:
    """A unit in brackets or words (``Investissement (M€)``, ``Surface (m²)``, ``Distance gare (km)``)."""
    if kind is Kind.AMOUNT:
        multiplier, label = unit_from_header(header)
    elif kind in (Kind.AREA, Kind.DISTANCE):
        multiplier, label = measure_unit_from_header(header, area=kind is Kind.AREA)
    else:
        return None
    return HeaderUnit(str(kind), multiplier, label) if label else None


def _suggestion(header: str, schema: tuple[Field, ...], mapped: dict[str, str]) -> str | None:
    """« vouliez-vous dire … ? » when a field's name is close to the header (a typo, a missing letter)."""
    suffix = unit_suffix(header)
    key = _header_key(suffix[0] if suffix else header)
    names = {name: f for f in schema for name in (_header_key(f.key), *(_header_key(s) for s in f.synonyms))}
    close = difflib.get_close_matches(key, list(names), n=1, cutoff=0.85)
    if not close:
        return None
    meant = names[close[0]]
    already = f", déjà lu dans « {mapped[meant.key]} »" if meant.key in mapped else ""
    return f"vouliez-vous dire « {close[0]} » ({meant.label}{already}) ?"


def _header_key(header: str) -> str:
    """``Investissement (M€)`` → ``investissement``; ``Code_INSEE`` → ``code insee``."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", str(header))
    text = normalise(text).replace("_", " ").replace(".", " ")
    text = re.sub(r"\b(en|in)\s+(m|k|md|mds)?\s*(€|eur|euros?)\b", " ", text)
    text = re.sub(r"[^a-z0-9 ]", " ", text)
    text = re.sub(r"\b(en|de|du|des|d|la|le|les|l)\b", " ", text)
    return " ".join(text.split())
