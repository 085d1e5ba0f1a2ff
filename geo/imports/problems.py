"""Problems found while reading a user's file, each placed at a file, line and column."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """An ``erreur`` rejects the row (and so the import); an ``avertissement`` was corrected."""

    ERROR = "erreur"
    WARNING = "avertissement"


@dataclass(frozen=True)
class Problem:
    """One French message about one place in a file.

    ``line`` is the line of a CSV file (the header is line 1), the row of a spreadsheet or the
    feature number of a GeoJSON file; ``column`` is the header as written by the user, or
    ``None`` for a problem about the whole line or file.
    """

    file: str
    line: int | None
    column: str | None
    message: str
    severity: Severity = Severity.ERROR
    column_ref: str | None = None  # "C" in a spreadsheet, "3" in a CSV

    @property
    def is_error(self) -> bool:
        """Whether the problem rejects its row."""
        return self.severity is Severity.ERROR

    def __str__(self) -> str:
        place = [self.file]
        if self.line is not None:
            place.append(f"ligne {self.line}")
        if self.column is not None:
            ref = f" ({self.column_ref})" if self.column_ref else ""
            place.append(f"colonne « {self.column} »{ref}")
        return f"{', '.join(place)} : {self.severity.value} : {self.message}"

    def as_dict(self) -> dict[str, object]:
        """A row for a table of problems (French headers)."""
        return {
            "fichier": self.file,
            "ligne": self.line,
            "colonne": self.column,
            "gravité": self.severity.value,
            "message": self.message,
        }
