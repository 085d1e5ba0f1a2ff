"""The press use cases, composed where the drawing is: export a press map, build the dossier de presse.

``geo`` never imports matplotlib or folium, so a use case that ends in a figure cannot live in
:mod:`geo.usecases`. Its data part does (:mod:`geo.usecases.press`: the projects shown, the foncier
offered, the totals by EPCI); these functions put that data and the renderer together, and they are
*the* functions both entry points call: ``reindus export`` (``cli.py``) and the Presse page
(``app_pages/presse.py``, and the Présentation page for a view's data). Neither re-decides which view a
permalink means, which projects are drawn or which filters the dossier uses.

``read`` is ``store.read`` for the CLI, the app's cached accessor for a page; ``projects`` the typed
projects of the store (:func:`geo.analysis.projects.typed_projects`), filtered here.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from geo.analysis.view import MapView, ProjectFilters
from geo.usecases.press import PressData, Read, press_data, press_projects
from layers.press.dossier import Progress, build_dossier
from layers.press.page import PressMap
from layers.press.render import render, to_bytes
from layers.press.views import VIEWS, PressView, view_from_map


@dataclass(frozen=True)
class PressExport:
    """A press map drawn and written: the view it shows, the figure and the file's bytes."""

    view: PressView
    press_map: PressMap
    content: bytes

    @property
    def dropped_labels(self) -> list[str]:
        """Names left out for lack of room (none overlaps)."""
        return self.press_map.dropped_labels

    def preview_png(self, *, dpi: int = 80) -> bytes:
        """A small PNG of the figure, for a page's preview."""
        buffer = io.BytesIO()
        self.press_map.figure.savefig(buffer, format="png", dpi=dpi)
        return buffer.getvalue()


def chosen_view(view_key: str | None, permalink: str = "") -> tuple[PressView, MapView]:
    """The ready-made view ``view_key``, or else the Carte's view described by ``permalink``; with its MapView
    (whose filters choose the projects drawn: the defaults for a ready-made view)."""
    map_view = MapView.from_permalink(permalink if view_key not in VIEWS else "")
    return (VIEWS[view_key] if view_key in VIEWS else view_from_map(map_view)), map_view


def view_data(read: Read, projects: pd.DataFrame, view: PressView, filters: ProjectFilters) -> PressData:
    """The data of ``view`` with the projects chosen by the Carte's ``filters``."""
    return press_data(read, view, projects=press_projects(projects, filters))


def export_view(
    read: Read,
    projects: pd.DataFrame,
    *,
    view_key: str | None,
    permalink: str = "",
    fmt: str,
    layout: str,
    title: str | None = None,
    subtitle: str | None = None,
) -> PressExport:
    """A press map as a PNG, PDF or SVG file: a ready-made view, or the Carte's view by its ``permalink``."""
    view, map_view = chosen_view(view_key, permalink)
    press_map = render(
        view, view_data(read, projects, view, map_view.filters), layout=layout, title=title, subtitle=subtitle
    )
    return PressExport(view, press_map, to_bytes(press_map, fmt))


def export_dossier(read: Read, projects: pd.DataFrame, *, layout: str, progress: Progress | None = None) -> bytes:
    """The dossier de presse (ZIP): every ready-made view with the Carte's default selection of projects."""
    return build_dossier(read, press_projects(projects, ProjectFilters()), layout=layout, progress=progress)
