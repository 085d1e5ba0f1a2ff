"""Recognise the columns of a user's file by their header, whatever the accents, case or units.

A schema lists the fields an import understands, each with the headers people write for
it (``Investissement (M€)``, ``montant_investi``, ``INVESTISSEMENT``…). The mapping says,
in French, which header became which field, with which unit, and which headers were
ignored, so the user can check the import before applying it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum

from geo.imports.parsing import measure_unit_from_header, unit_from_header
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
    """Which header feeds which field, and with which unit."""

    fields: dict[str, str] = field(default_factory=dict)
    units: dict[str, tuple[float, str]] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)

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
        lines += [f"« {header} » ignorée (non reconnue)" for header in self.ignored]
        return lines


def map_columns(headers: list[str], schema: tuple[Field, ...]) -> ColumnMapping:
    """Match each header to at most one field (first header wins when two name the same field).

    Examples
    --------
    >>> fields = (Field("jobs_announced", "emplois", Kind.COUNT, ("emplois",)),)
    >>> map_columns(["Emplois", "Remarque"], fields).fields
    {'jobs_announced': 'Emplois'}
    """
    mapping = ColumnMapping()
    for header in headers:
        key = _header_key(header)
        match = next((f for f in schema if f.matches(key)), None)
        if match is None:
            mapping.ignored.append(header)
        elif match.key in mapping.fields:
            mapping.duplicates.append(header)
        else:
            mapping.fields[match.key] = header
            multiplier, unit_label = unit_from_header(header)
            if match.kind in (Kind.AREA, Kind.DISTANCE):
                multiplier, unit_label = measure_unit_from_header(header, area=match.kind is Kind.AREA)
            if match.kind in (Kind.AMOUNT, Kind.AREA, Kind.DISTANCE) and unit_label:
                mapping.units[match.key] = (multiplier, unit_label)
    return mapping


def _header_key(header: str) -> str:
    """``Investissement (M€)`` → ``investissement``; ``Code_INSEE`` → ``code insee``."""
    text = re.sub(r"\(.*?\)|\[.*?\]", " ", str(header))
    text = normalise(text).replace("_", " ").replace(".", " ")
    text = re.sub(r"\b(en|in)\s+(m|k|md|mds)?\s*(€|eur|euros?)\b", " ", text)
    text = re.sub(r"[^a-z0-9 ]", " ", text)
    text = re.sub(r"\b(en|de|du|des|d|la|le|les|l)\b", " ", text)
    return " ".join(text.split())
