"""The application layer: one function per thing a user does, called by both the pages and the CLI.

A page reads its widgets, calls one function here and draws what it returns; the CLI parses its
arguments, calls the same function and prints. Decisions (what counts as a change, what a conflict
says, which rows an action targets) are taken here once, never in an entry point.

- :mod:`~geo.usecases.foncier_edits`: correct, mark taken or withdrawn, undo a foncier site, exactly
  as the editor saw it (the id and version the page drew), with the other change shown on a conflict.
- :mod:`~geo.usecases.project_edits`: correct or undo a project the same way.
- :mod:`~geo.usecases.record_edits`: the rules both share (seen row, conflict, outcome, undo).
- :mod:`~geo.usecases.imports`: check a user's file of projects or foncier sites once, hand back its
  rejected rows, apply what was checked under the editor's account.
- :mod:`~geo.usecases.places`: select the place at a point of the map or by a search (the Carte; the CLI
  through ``place_data_from_store``), each applied to a :class:`~geo.analysis.view.MapView`.
- :mod:`~geo.usecases.stats`: the figures of Concentration and of ``reindus stats`` (totals by unit, per
  inhabitant, top-N shares, Lorenz, robustness; France Relance by département).
- :mod:`~geo.usecases.press`: the data of a press map and of the dossier (projects shown, foncier offered,
  totals by EPCI, phases, sources); the drawing part of those use cases is composed in
  ``layers.press.exports``, since geo never imports a renderer: the one function the CLI and the Presse
  page both call.

May import: every package of :mod:`geo` (it composes them); never streamlit, folium or layers.
"""
