"""reindus' domain: pure functions on GeoDataFrames, no streamlit, folium or drawing code.

Packages, named after their job; imports flow one way, from left to right::

    root modules  ←  store  ←  imports  ←  analysis  ←  assembly  ←  usecases

- root modules: :mod:`geo.crs` (the two CRS and checks), :mod:`geo.errors` (French errors),
  :mod:`geo.settings` (paths and environment), :mod:`geo.metadata` (sources and vintages of
  a build), :mod:`geo.geometry` (repair, overlaps), :mod:`geo.cog` (official commune codes,
  old → current), :mod:`geo.text` (accent-free matching), :mod:`geo.vocabulary` (territory
  kinds, foncier kinds and statuses). They import nothing else from ``geo`` but each other.
- :mod:`geo.store`: the store interface, its GeoPackage and PostGIS backends, audited edits.
- :mod:`geo.imports`: reading a user's table, recognising columns, parsing French values,
  locating rows, problems and reports.
- :mod:`geo.analysis`: projects, concentration, foncier search, place search, profiles.
- :mod:`geo.assembly`: the build, raw sources → the store (COG, boundaries, territories, simplification,
  vector tiles); it composes the packages above (named so that tools do not take it for a ``build/`` output).
- :mod:`geo.usecases`: the application layer, one function per thing a user does (edit, import, select a
  place, stats, press data), called by both the pages and the command line.

The command line (``cli.py``) and the app (``app.py``) sit beside this package: they call the use cases and
draw with the package ``layers``.
"""
