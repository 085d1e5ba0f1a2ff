"""The review queue « À vérifier »: the projects whose figures a total rests on and that nobody has confirmed lately.

A project enters the queue when its status is open (announced, planned, under construction, on hold) and
older than :data:`~geo.analysis.checks.STALE_AFTER_MONTHS` months or undated (unless a review found nothing
newer less than 18 months ago: ``not_found_date``), when ``reindus check-data``
flags it, or when it was never re-checked (no ``checked_date``). The queue is sorted by the project's weight in
the default totals (its share of the created jobs or of the site investment, the larger of the two), largest
first: a row that moves a total is read first.

The same rule gives :func:`stale_share`, the part of a total that rests on statuses older than 18 months,
which Concentration and ``reindus stats --robustesse`` print next to the total.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from geo.analysis.checks import OPEN_STATUSES, STALE_AFTER_MONTHS, check_projects, months_between
from geo.analysis.projects import PROJECT_FIELDS

NOT_FOUND = "introuvable"
"""The status category an editor gives a project that no source mentions any more (with what was searched)."""
WEIGHT_MEASURES = ("jobs_created", "investment_eur")
"""The default totals a project's weight is measured in."""


def is_stale(projects: pd.DataFrame, *, today: date) -> pd.Series:
    """Open statuses (not in service, not closed) older than 18 months or without a date.

    >>> rows = pd.DataFrame({"status_category": ["en projet", "en projet", "en service", "annoncé"],
    ...                      "status_date": ["2023-01", "2026-06", "2019", "non datée"]})
    >>> is_stale(rows, today=date(2026, 12, 6)).tolist()
    [True, False, False, True]
    """
    open_status = projects["status_category"].isin(OPEN_STATUSES)
    old = projects["status_date"].map(lambda text: _older_than_limit(_text(text), today)).astype(bool)
    return (open_status & old).astype(bool)


def recently_not_found(projects: pd.DataFrame, *, today: date) -> pd.Series:
    """Projects a review marked « introuvable » less than 18 months ago: searched for, nothing newer found.

    >>> rows = pd.DataFrame({"not_found_date": ["2026-11-30", "2024-01-02", None]})
    >>> recently_not_found(rows, today=date(2026, 12, 6)).tolist()
    [True, False, False]
    """
    if "not_found_date" not in projects:
        return pd.Series(False, index=projects.index)
    recent = projects["not_found_date"].map(lambda text: not _older_than_limit(_text(text), today))
    return recent.astype(bool)


def stale_share(projects: pd.DataFrame, measure: str, *, today: date) -> float | None:
    """The share of the total of ``measure`` that rests on stale statuses (None when the total is zero).

    >>> rows = pd.DataFrame({"status_category": ["en projet", "en service"], "status_date": ["2022", "2026"],
    ...                      "jobs_created": [300, 100]})
    >>> stale_share(rows, "jobs_created", today=date(2026, 12, 6))
    0.75
    """
    values = pd.to_numeric(projects[measure], errors="coerce").fillna(0)
    total = float(values.sum())
    if not total:
        return None
    return float(values[is_stale(projects, today=today)].sum()) / total


def review_queue(projects: pd.DataFrame, *, today: date) -> pd.DataFrame:
    """The projects to review, largest weight first, with why each is there (``raisons``) and its weight.

    ``projects`` are typed (:func:`~geo.analysis.projects.typed_projects`); closed and abandoned projects enter
    only when check-data flags them or they were never checked. Columns added: ``raisons`` (French, « ; »
    separated), ``part_emplois_crees``, ``part_investissement`` and ``poids`` (the larger share).
    """
    reasons: dict[object, list[str]] = {index: [] for index in projects.index}
    stale = is_stale(projects, today=today) & ~recently_not_found(projects, today=today)
    for index in projects.index[stale]:
        when = _text(projects.at[index, "status_date"])
        dated = f"du {when}" if months_between(when, today) is not None else "non daté"
        reasons[index].append(f"statut « {projects.at[index, 'status_category']} » {dated}")
    checked = projects["checked_date"] if "checked_date" in projects else pd.Series("", index=projects.index)
    for index in projects.index[checked.map(_text).eq("")]:
        reasons[index].append("jamais revérifié")
    for index, problem in _flagged(projects, today=today):
        reasons[index].append(problem)
    queued = [index for index, why in reasons.items() if why]
    queue = projects.loc[queued].copy()
    queue["raisons"] = [" ; ".join(dict.fromkeys(reasons[index])) for index in queued]
    shares = {}
    for measure, column in zip(WEIGHT_MEASURES, ("part_emplois_crees", "part_investissement"), strict=True):
        values = pd.to_numeric(projects.get(measure, pd.Series(dtype=float)), errors="coerce")
        total = float(values.sum())
        shares[column] = (values.reindex(queue.index) / total).fillna(0.0) if total else 0.0
        queue[column] = shares[column]
    queue["poids"] = queue[["part_emplois_crees", "part_investissement"]].max(axis=1)
    return queue.sort_values(["poids", "status_date"], ascending=[False, True], kind="stable")


def _flagged(projects: pd.DataFrame, *, today: date):
    """``(index, message)`` for each check-data finding other than the age of a status (counted above)."""
    frame = pd.DataFrame(projects.drop(columns="geometry", errors="ignore")).reset_index(drop=True)
    cells = frame.apply(lambda column: column.map(_cell))  # checks read text, as in the file (« 1200 », not 1200.0)
    positions = list(projects.index)
    for finding in check_projects(cells, curated=True, today=today):
        if finding.column == "status_date" and finding.message.startswith("à vérifier"):
            continue
        # The page speaks French: the field's label, not the file's column name (« entreprise », not « company »).
        yield positions[finding.line - 2], f"{_FIELD_LABELS.get(finding.column, finding.column)} : {finding.message}"


_FIELD_LABELS = {field.key: field.label for field in PROJECT_FIELDS}


def _older_than_limit(status_date: str, today: date) -> bool:
    """Older than :data:`STALE_AFTER_MONTHS` months, or not a date (undated)."""
    months = months_between(status_date, today)
    return months is None or months > STALE_AFTER_MONTHS


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def _cell(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return _text(value)
