"""What the app and the CLI compute from the store: projects, concentration, foncier, places.

- :mod:`~geo.analysis.projects`: the project schema, the curated dataset and its filters;
- :mod:`~geo.analysis.concentration`: totals, per-capita figures, top-N shares, Lorenz and Gini;
- :mod:`~geo.analysis.foncier`: available land, its sources and its search;
- :mod:`~geo.analysis.places`: find a commune, an EPCI or a territory by name;
- :mod:`~geo.analysis.sites`: which commune, EPCI and territories a point belongs to;
- :mod:`~geo.analysis.profiles`: the figures of an EPCI or territory fiche.

May import: the root modules of :mod:`geo`, :mod:`geo.store` and :mod:`geo.imports`.
"""
