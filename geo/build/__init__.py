"""The build: raw sources → one store of layers normalised to the COG 2026.

:mod:`~geo.build.sources` (manifest, local folder or download cache), :mod:`~geo.build.boundaries`
(communes and their dissolved EPCI, départements, régions), :mod:`~geo.build.territories`
(Territoires d'industrie, bassins, zonings from their members), :mod:`~geo.build.foncier_sources`
(Cartofriches and the sites clés en main in the foncier schema), :mod:`~geo.build.simplification`
(web layers without gaps or overlaps) and :mod:`~geo.build.pipeline`, which runs the steps and
writes the store.

May import: everything else in :mod:`geo` (it composes them); nothing in ``geo`` imports it.
"""
