"""Ready-made press views: what each one draws, and its default title and subtitle.

The data of a view is gathered by :func:`geo.usecases.press.press_data` (re-exported here with
:class:`~geo.usecases.press.PressData`): this module only names the views.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.analysis.view import MapView
from geo.usecases.press import PRESS_MIN_SURFACE_HA, PressData, press_data  # noqa: F401 — re-exported
from geo.vocabulary import MEASURE_TERMS
from layers.territories import OVERLAYS

MEASURE_LABELS = {column: measure.total_label for column, measure in MEASURE_TERMS.items()}
"""How a total of each measure reads on a press map, its legend and its table."""


@dataclass(frozen=True)
class PressView:
    """A ready-made view: what is drawn, and the default title and subtitle."""

    key: str
    title: str
    subtitle: str
    overlays: tuple[str, ...] = ()
    projects_measure: str | None = None
    epci_measure: str | None = None
    foncier: bool = False
    phases: bool = False  # EPCI coloured by their path between the two phases of Territoires d'industrie
    employment: bool = False  # zones d'emploi coloured by the change of their measured industrial jobs


VIEWS: dict[str, PressView] = {
    view.key: view
    for view in (
        PressView(
            "ti2",
            "Territoires d'industrie 2024-2027",
            "Hauts-de-France et Grand Est, par intercommunalité (EPCI)",
            overlays=("ti2",),
        ),
        PressView(
            "bassins-projets",
            "Bassins prioritaires et projets industriels",
            "Cercles proportionnels aux emplois permanents créés annoncés (hors emplois maintenus ou transférés)",
            overlays=("bassins",),
            projects_measure="jobs_created",
        ),
        PressView(
            "emplois-epci",
            "Emplois créés annoncés par intercommunalité",
            "Emplois permanents créés annoncés par les projets industriels recensés, hors projets abandonnés ou "
            "fermés ; les emplois maintenus lors d'une reprise ou transférés ne sont pas comptés",
            epci_measure="jobs_created",
        ),
        PressView(
            "ti-evolution",
            "Territoires d'industrie : qui est entré, qui est sorti en 2024",
            "Intercommunalités (EPCI) selon leur appartenance aux phases 2018-2023 et 2024-2027",
            phases=True,
        ),
        PressView(
            "emploi-industriel",
            "Emploi industriel 2019-2024",
            "Évolution des emplois salariés privés de l'industrie par zone d'emploi, du 31/12/2019 au 31/12/2024 : "
            "des emplois mesurés (URSSAF), pas annoncés",
            employment=True,
        ),
        PressView(
            "foncier-ti",
            "Foncier disponible dans les Territoires d'industrie",
            f"Friches sans projet de {PRESS_MIN_SURFACE_HA:g} ha et plus, et sites industriels clés en main",
            overlays=("ti2",),
            foncier=True,
        ),
        PressView(
            "ti2-projets",
            "Territoires d'industrie 2024-2027 et projets industriels",
            "Cercles proportionnels aux emplois permanents créés annoncés (hors emplois maintenus ou transférés)",
            overlays=("ti2",),
            projects_measure="jobs_created",
        ),
    )
}


def view_from_map(view: MapView) -> PressView:
    """The press view of a Carte view (its overlays and circle measure); projects filtered by the caller."""
    overlays = tuple(key for key in OVERLAYS if key in view.overlays)
    names = [OVERLAYS[key].name for key in overlays] + (["projets industriels"] if view.show_projects else [])
    return PressView(
        "carte",
        "Carte de la réindustrialisation",
        "Hauts-de-France et Grand Est — " + (", ".join(names) if names else "intercommunalités (EPCI)"),
        overlays=overlays,
        projects_measure=view.size_measure if view.show_projects else None,
    )
