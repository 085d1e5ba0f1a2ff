"""Data checks for project tables: what a row needs before a journalist can publish its figures.

Run by ``reindus check-data [FICHIER]`` (without a file: the curated ``data/projets.csv``) and
by ``make test``. A **blocking** problem makes the check fail (exit 1): a curated row without a
source or its date, a status without a date, an amount without its scope, a value outside
its list. A **notice** is reported without failing: a status older than 18 months is « à vérifier »,
two rows of the same company in the same commune may be one project, a user's row without
a source is kept but « non sourcé » (left out of press maps unless asked).

Checks read the cells as text, so they also run on a file that does not import.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pandas as pd

from geo.analysis.projects import (
    FUNDING_KINDS,
    JOBS_NATURES,
    KINDS,
    NOT_DATED,
    PERIMETERS,
    PROGRAMME_AMOUNTS,
    SCOPES,
    SECTOR_FAMILIES,
    SOURCE_QUALITIES,
    STATUS_CATEGORIES,
)
from geo.frames import records
from geo.text import normalise, web_address_problem

STALE_AFTER_MONTHS = 18
OPEN_STATUSES = ("annoncé", "en projet", "en construction", "suspendu ou incertain")
"""Statuses that change: older than :data:`STALE_AFTER_MONTHS` they are « à vérifier » (a closure stays closed)."""
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_LISTS = {
    "status_category": STATUS_CATEGORIES,
    "sector_family": SECTOR_FAMILIES,
    "kind": KINDS,
    "source_quality": SOURCE_QUALITIES,
    "investment_scope": SCOPES,
    "funding_scope": SCOPES,
    "jobs_nature": JOBS_NATURES,
    "jobs_perimeter": PERIMETERS,
    "investment_perimeter": PERIMETERS,
    "funding_kind": FUNDING_KINDS,
    "funding_perimeter": PERIMETERS,
}
_COUNTS = (
    "jobs_announced",
    "jobs_construction",
    "jobs_lost",
    "jobs_in_place",
    "investment_eur",
    "public_funding_eur",
)
_WHAT_A_FIGURE_COUNTS = {
    "jobs_announced": ("jobs_nature", "jobs_perimeter"),
    "investment_eur": ("investment_perimeter",),
    "public_funding_eur": ("funding_kind", "funding_perimeter"),
}
"""A figure → the columns that say what it counts; a figure without them cannot be totalled with the others."""
_COMPUTED = re.compile(
    r"\b(computed|calculated|derived from|half of|we (?:added|summed)|calculé|calculée|moitié d|obtenu en)", re.I
)
"""Words of a note saying an amount was worked out by us rather than stated by a source (never allowed)."""
_NOTES = {
    "jobs_note": "jobs_announced",
    "investment_note": "investment_eur",
    "public_funding_note": "public_funding_eur",
}


@dataclass(frozen=True)
class Finding:
    """One problem of one row (``line`` as the user counts: the header is line 1)."""

    line: int
    project_id: str
    column: str
    message: str
    blocking: bool

    def __str__(self) -> str:
        level = "BLOQUANT" if self.blocking else "à noter"
        who = f" ({self.project_id})" if self.project_id else ""
        return f"ligne {self.line}{who}, colonne « {self.column} » — {level} : {self.message}"


def check_projects(table: pd.DataFrame, *, curated: bool, today: date) -> list[Finding]:
    """Every finding on a table of projects read as text (empty cells as ``""``).

    ``curated``: the project's own data, where a missing source or date blocks; in a user's
    file the row is kept and marked « non sourcé ».

    >>> rows = pd.DataFrame({"project_id": ["P1"], "source_url": [""], "status_date": ["2020-01"],
    ...                      "status_category": ["en projet"], "investment_eur": ["5"], "investment_scope": [""]})
    >>> [f.column for f in check_projects(rows, curated=True, today=date(2026, 11, 29))]
    ['investment_scope', 'source_date', 'source_url', 'status_date']
    """
    cells = table.fillna("").astype(str).apply(lambda column: column.str.strip())
    findings = [finding for row in _rows(cells) for finding in _row_findings(row, curated=curated, today=today)]
    findings += list(_duplicates(cells))
    findings += list(_repeated_programme_amounts(cells))
    return sorted(findings, key=lambda f: (f.line, not f.blocking, f.column))


def report(findings: list[Finding], *, rows: int, name: str) -> str:
    """The French report: a summary line, then one line per finding."""
    blocking = sum(f.blocking for f in findings)
    summary = (
        f"{name} : {rows} lignes, {blocking} problème(s) bloquant(s), {len(findings) - blocking} point(s) à noter."
    )
    return "\n".join([summary, *map(str, findings)])


def months_between(earlier: str, today: date) -> int | None:
    """Whole months from a ``YYYY[-MM[-DD]]`` date to ``today`` (None when it is not a date).

    >>> months_between("2025-06", date(2026, 11, 29)), months_between("non datée", date(2026, 11, 29))
    (17, None)
    """
    match = _DATE.fullmatch(earlier)
    if not match:
        return None
    year, month = int(match.group(1)), int(match.group(2) or 1)
    return (today.year - year) * 12 + today.month - month


# --- private helpers -----------------------------------------------------------------------


def _rows(cells: pd.DataFrame) -> Iterator[dict[str, str]]:
    for position, row in enumerate(records(cells)):
        yield {**row, "_line": str(position + 2)}


def _row_findings(row: dict[str, str], *, curated: bool, today: date) -> Iterator[Finding]:
    def finding(column: str, message: str, blocking: bool = True) -> Finding:
        return Finding(int(row["_line"]), row.get("project_id", ""), column, message, blocking)

    yield from _source_findings(row, finding, curated=curated)
    yield from _status_findings(row, finding, curated=curated, today=today)
    yield from _value_findings(row, finding)
    yield from _meaning_findings(row, finding)


def _value_findings(row: dict[str, str], finding) -> Iterator[Finding]:
    for amount, scope in PROGRAMME_AMOUNTS.items():
        if row.get(amount) and not row.get(scope):
            yield finding(scope, f"montant « {amount} » sans portée (site ou programme)")
    for column, allowed in _LISTS.items():
        if row.get(column) and row[column] not in allowed:
            yield finding(column, f"« {row[column]} » n'est pas une valeur connue ({', '.join(allowed)})")
    for column in _COUNTS:
        if row.get(column) and not row[column].isdigit():
            yield finding(column, f"« {row[column]} » n'est pas un nombre entier (écrire le chiffre seul, en unités)")
    if "insee_com" in row and row["insee_com"] and not re.fullmatch(r"\d[\dAB]\d{3}", row["insee_com"]):
        yield finding("insee_com", f"code INSEE « {row['insee_com']} » invalide (5 caractères, zéro initial compris)")


def _meaning_findings(row: dict[str, str], finding) -> Iterator[Finding]:
    """What a figure counts must be said (nature, perimeter, kind of money), and no figure may be our own sum."""
    for figure, describing in _WHAT_A_FIGURE_COUNTS.items():
        for column in describing:
            # A stated zero (« no public aid ») has nothing to describe.
            if row.get(figure) not in ("", "0", None) and column in row and not row[column]:
                what = "emplois créés, maintenus, transférés…" if column == "jobs_nature" else "sa valeur"
                message = f"« {figure} » sans « {column} » ({what}) : ce que compte le chiffre n'est pas dit"
                yield finding(column, message)
    if row.get("jobs_in_place") and not row.get("jobs_in_place_date"):
        yield finding("jobs_in_place_date", "emplois en place sans leur date : un effectif n'est vrai qu'à une date")
    if row.get("not_found_date") and _DATE.fullmatch(row["not_found_date"]) is None:
        yield finding("not_found_date", f"« {row['not_found_date']} » n'est pas une date (AAAA-MM-JJ)")
    if row.get("jobs_horizon") and not re.fullmatch(r"\d{4}", row["jobs_horizon"]):
        yield finding("jobs_horizon", f"« {row['jobs_horizon']} » n'est pas une année (AAAA)")
    for note, figure in _NOTES.items():
        if row.get(figure) and (match := _COMPUTED.search(row.get(note, ""))):
            yield finding(
                figure,
                f"la note dit que le chiffre a été calculé (« {match.group(0)} ») : seul un chiffre donné par une "
                "source est gardé, sinon la cellule reste vide",
            )


def _source_findings(row: dict[str, str], finding, *, curated: bool) -> Iterator[Finding]:
    if not row.get("source_url"):
        unsourced = "source manquante" if curated else "non sourcé : exclu des cartes de presse"
        yield finding("source_url", unsourced, curated)
    elif problem := web_address_problem(row["source_url"]):
        yield finding("source_url", problem)
    if curated and not row.get("source_date"):
        yield finding("source_date", f"date de la source manquante (écrire « {NOT_DATED} » si la page n'en a pas)")


def _status_findings(row: dict[str, str], finding, *, curated: bool, today: date) -> Iterator[Finding]:
    status_date = row.get("status_date", "")
    if not status_date:
        yield finding("status_date", "date du statut manquante : un statut n'est vrai qu'à une date", curated)
        return
    if status_date != NOT_DATED and _DATE.fullmatch(status_date) is None:
        yield finding("status_date", f"« {status_date} » n'est pas une date (AAAA, AAAA-MM ou AAAA-MM-JJ)")
        return
    if row.get("status_category") not in OPEN_STATUSES:
        return
    age = months_between(status_date, today)
    if age is None:
        yield finding("status_date", "à vérifier : statut non daté", False)
    elif age > STALE_AFTER_MONTHS:
        yield finding("status_date", f"à vérifier : statut « {row['status_category']} » du {status_date}", False)


def _duplicates(cells: pd.DataFrame) -> Iterator[Finding]:
    """Same company (first word, accents and case ignored) in the same commune, or the same name."""
    if "insee_com" not in cells:
        return
    company = cells.get("company", pd.Series("", index=cells.index)).map(lambda c: (normalise(c).split() or [""])[0])
    keys = {
        "company": company + "|" + cells["insee_com"],
        "name": cells.get("name", pd.Series("", index=cells.index)).map(normalise),
    }
    ids = cells["project_id"] if "project_id" in cells else pd.Series([str(i + 2) for i in cells.index], cells.index)
    for column, key in keys.items():
        filled = key[~key.str.startswith("|") & key.ne("")]
        what = "même entreprise et même commune" if column == "company" else "même nom de projet"
        for _, group in filled.groupby(filled):
            for position in group.index if len(group) > 1 else ():
                others = ", ".join(ids[i] for i in group.index if i != position)
                message = f"{what} que {others} : vérifier qu'il ne s'agit pas du même projet"
                yield Finding(position + 2, ids[position], column, message, False)


def _repeated_programme_amounts(cells: pd.DataFrame) -> Iterator[Finding]:
    """A programme-level amount is written once per programme, never on every site row."""
    if "programme" not in cells:
        return
    for amount, scope in PROGRAMME_AMOUNTS.items():
        if scope not in cells or amount not in cells:
            continue
        rows = cells[(cells["programme"] != "") & (cells[scope] == "programme") & (cells[amount] != "")]
        for _, group in rows.groupby(["programme", amount]):
            for position in group.index[1:]:
                yield Finding(
                    position + 2,
                    cells.at[position, "project_id"] if "project_id" in cells else "",
                    amount,
                    f"montant du programme « {cells.at[position, 'programme']} » répété : "
                    "l'écrire sur une seule ligne du programme",
                    True,
                )
