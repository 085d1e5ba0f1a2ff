"""What a table's import understands, as data (:class:`ImportSchema`), and where its rows go (:class:`ImportContext`).

One pipeline (:func:`geo.imports.pipeline.run_import`) serves every table; what differs between
projects and foncier sites is written here once per table (in :mod:`geo.analysis.projects` and
:mod:`geo.analysis.foncier`): the fields with their header aliases and kinds (hence units), the
name every row must have, the checks of a row's values, how located rows are completed and the
values a row gets when its file leaves them empty.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import geopandas as gpd
import pandas as pd

from geo.imports.columns import Field
from geo.imports.locate import CommuneLookup

RowReport = Callable[[int, str, str], None]
"""``report(row_position, field_key, message)``: an error of one row, placed at its field's column."""

RowCheck = Callable[[pd.DataFrame, RowReport], None]
"""A check of the parsed values (one column per recognised field) reporting each row it rejects."""


@dataclass(frozen=True)
class ImportSchema:
    """One table a user's file may feed, and everything the pipeline needs to know about it.

    Parameters
    ----------
    table : str
        The name the CLI (``reindus import <table>``) and the Données page give the table.
    layer : str
        The store layer the rows go to.
    noun, label : str
        French: what one row is, in the plural (« projets », « sites »), and the table as a choice.
    fields : tuple of Field
        Every field understood, with the headers people write for it and its kind (which sets the
        unit a header may state: euros, hectares, metres); other headers are reported as ignored.
    id_key : str
        The field holding a row's id; a row without one gets ``<file>:<line>``.
    name_key, name_column_missing, name_missing : str
        The field every row must fill, and the French messages when the column or a cell is missing.
    row_checks : tuple of RowCheck
        Checks of the parsed values, run before the rows are located.
    complete : callable, optional
        Completes the located rows (e.g. categories derived from free text), before the valid ones are kept.
    defaults : mapping
        Column → value for the cells the file leaves empty (or a column it lacks), after the rows are
        placed; a text value may name ``{file}`` (the file's name) and ``{today}`` (ISO date).
    """

    table: str
    layer: str
    noun: str
    label: str
    fields: tuple[Field, ...]
    id_key: str
    name_key: str
    name_column_missing: str
    name_missing: str
    row_checks: tuple[RowCheck, ...] = ()
    complete: Callable[[gpd.GeoDataFrame], gpd.GeoDataFrame] | None = None
    defaults: Mapping[str, object] = field(default_factory=dict)

    def __post_init__(self) -> None:
        keys = {f.key for f in self.fields}
        missing = sorted({self.id_key, self.name_key} - keys)
        if missing:
            raise ValueError(f"schema {self.table!r}: id_key and name_key must be fields, got {missing} missing")


@dataclass(frozen=True)
class ImportContext:
    """Where the rows of a file are placed, and what the file itself cannot say.

    Parameters
    ----------
    lookup : CommuneLookup
        The COG codes and the map's communes, from the store.
    territoire_communes : DataFrame
        Territory membership (``territory_id, kind, code``) from the store.
    declared_crs : str, optional
        ``EPSG:2154`` or ``EPSG:4326`` to declare the coordinates' system instead of detecting it.
    today : str, optional
        ISO date of the import, for the defaults that say when (``{today}``).
    """

    lookup: CommuneLookup
    territoire_communes: pd.DataFrame
    declared_crs: str | None = None
    today: str | None = None
