"""The application layer: one function per thing a user does, called by both the pages and the CLI.

A page reads its widgets, calls one function here and draws what it returns; the CLI parses its
arguments, calls the same function and prints. Decisions (what counts as a change, what a conflict
says, which rows an action targets) are taken here once, never in an entry point.

- :mod:`~geo.usecases.foncier_edits`: correct, mark taken or withdrawn, undo a foncier site, exactly
  as the editor saw it (the id and version the page drew), with the other change shown on a conflict.
- :mod:`~geo.usecases.project_edits`: correct or undo a project the same way.
- :mod:`~geo.usecases.record_edits`: the rules both share (seen row, conflict, outcome, undo).

May import: every package of :mod:`geo` (it composes them); never streamlit, folium or layers.
"""
