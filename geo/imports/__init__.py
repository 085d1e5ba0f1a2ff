"""Reading a user's file into checked, located rows: tables, columns, French values, problems.

Owns the import pipeline used by projects and foncier alike (:func:`geo.imports.pipeline.run_import`,
driven by each table's :class:`~geo.imports.schema.ImportSchema`): read a CSV/XLSX/GeoJSON
(:mod:`~geo.imports.tabular`), recognise its headers (:mod:`~geo.imports.columns`), parse French
numbers and codes (:mod:`~geo.imports.parsing`), locate each row on a current commune and join it to
its EPCI and territories (:mod:`~geo.imports.locate`) and report every problem with its row and
column (:mod:`~geo.imports.problems`). Nothing here writes: applying is the store's job, through
:mod:`geo.usecases.imports`.

May import: the root modules of :mod:`geo` and :mod:`geo.store`.
"""
