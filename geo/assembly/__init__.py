"""The build (``reindus build``): raw sources assembled into one store of layers normalised to the COG 2026.

Named *assembly*, not ``build``: tools and ``.gitignore`` rules take a ``build/`` folder for generated output.

:mod:`~geo.assembly.sources` (manifest, local folder or download cache), :mod:`~geo.assembly.boundaries`
(communes and their dissolved EPCI, départements, régions), :mod:`~geo.assembly.territories`
(Territoires d'industrie, bassins, zonings from their members), :mod:`~geo.assembly.foncier_sources`
(Cartofriches and the sites clés en main in the foncier schema), :mod:`~geo.assembly.simplification`
(web layers without gaps or overlaps) and :mod:`~geo.assembly.pipeline`, which runs the steps and
writes the store.

May import: everything else in :mod:`geo` but the use cases (it composes them); only :mod:`geo.usecases`
imports it in ``geo``.
"""
