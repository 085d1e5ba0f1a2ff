"""Vocabulary shared across the package: regions, kinds of territory, measures, kinds and statuses of foncier sites.

One module owns each list, so the build, the store's edits, the analysis, the use cases and the
drawing packages name things the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

REGION_NAMES: dict[str, str] = {"32": "Hauts-de-France", "44": "Grand Est"}
"""The two regions covered (INSEE code → name), in the order pages list them."""

TERRITORY_KINDS: dict[str, str] = {
    "ti_phase1": "Territoire d'industrie, phase 1 (2018-2023)",
    "ti_phase2": "Territoire d'industrie, phase 2 (2024-2027)",
    "bassin_prioritaire": "Bassin prioritaire",
    "zonage": "Zonage",
}
"""Kinds of territory and their French names."""

OVERLAY_KEYS: tuple[str, ...] = ("ti2", "ti1", "bassins", "zonages", "ze")
"""Territory overlays a map can draw (URL ``couches``): TI 2024-2027, TI 2018-2023, bassins, BUD/BER, zones d'emploi."""

# One kind of territory goes by three keys, each in its own namespace: the ``kind`` of the ``territoires``
# layer (``bassin_prioritaire``), the map overlay and the sites' column (``bassins``, plural: a site lists
# every bassin it is in) and the aggregation level of Concentration and ``reindus stats --by`` (``bassin``).
OVERLAY_OF_KIND: dict[str, str] = {
    "ti_phase2": "ti2",
    "ti_phase1": "ti1",
    "bassin_prioritaire": "bassins",
    "zonage": "zonages",
}
"""Territory kind → map overlay key (zones d'emploi, zonings with an overlay of their own: :func:`overlay_of`)."""
SITE_COLUMN_OF_KIND: dict[str, str] = {
    "ti_phase1": "ti_phase1",
    "ti_phase2": "ti_phase2",
    "bassin_prioritaire": "bassins",
}
"""Territory kind → column of a site (project, foncier) listing the ids it belongs to (``;``-separated)."""
UNIT_OF_KIND: dict[str, str] = {"ti_phase2": "ti2", "ti_phase1": "ti1", "bassin_prioritaire": "bassin"}
"""Territory kind → aggregation level (:data:`geo.analysis.concentration.UNIT_KINDS`)."""


def overlay_of(kind: pd.Series, territory_id: pd.Series) -> pd.Series:
    """The overlay key of each territory (``<NA>`` for none), from its kind and id.

    Zones d'emploi are zonings with their own overlay (``ze2020-…`` ids).

    >>> overlay_of(pd.Series(["ti_phase2", "zonage", "zonage"]), pd.Series(["ti2-1", "bud-1", "ze2020-3106"])).tolist()
    ['ti2', 'zonages', 'ze']
    """
    keys = kind.map(OVERLAY_OF_KIND).astype("string")
    return keys.mask(territory_id.astype("string").str.startswith("ze2020-").fillna(False), "ze")


KIND_FRICHE, KIND_CLES_EN_MAIN = "friche", "site clé en main"
KIND_USER, KIND_IMPORTED = "site saisi", "site importé"
DISTANCE_COLUMNS = {
    "distance_route_m": "route",
    "distance_rail_m": "voie ferrée",
    "distance_fluvial_m": "voie d'eau",
    "distance_maritime_m": "port maritime",
}
UNVERIFIED_NATURE = "MTE non vérifié"

STATUS_FREE_BROWNFIELD, STATUS_PLANNED_BROWNFIELD = "friche sans projet", "friche avec projet"
STATUS_POTENTIAL_BROWNFIELD, STATUS_TURNKEY = "friche potentielle", "site clé en main"
STATUS_TAKEN, STATUS_WITHDRAWN = "site pris", "site retiré"
FONCIER_STATUSES: tuple[str, ...] = (
    STATUS_FREE_BROWNFIELD,
    STATUS_PLANNED_BROWNFIELD,
    STATUS_POTENTIAL_BROWNFIELD,
    STATUS_TURNKEY,
)
"""The statuses an editor gives a site; « site pris » and « site retiré » come from their own actions, and
Cartofriches brings a few more of its own (« friche reconvertie », « site avec projet »)."""
AVAILABLE_STATUSES = (STATUS_FREE_BROWNFIELD, STATUS_POTENTIAL_BROWNFIELD, STATUS_TURNKEY)
"""Statuses where the land is still to be found a use for."""
POLLUTION_UNKNOWN = "inconnu"
POLLUTIONS_KNOWN: tuple[str, ...] = ("pollution avérée", "pollution inexistante")
"""What « pollution connue » means: the soil is known to be polluted, or known to be clean."""
POLLUTIONS: tuple[str, ...] = (POLLUTION_UNKNOWN, "pollution avérée", "pollution supposée", "pollution inexistante")
"""The pollution states an editor chooses from."""
UNNAMED_SITE = "(sans nom)"
"""What lists, tables and sheets show for a site its source left unnamed (560 of the snapshot's 6,104 Cartofriches
sites)."""
SITES_DRAWN_MAX = 2_000
"""The most foncier sites a page draws and offers at once (the first of the ranked search): beyond, the browser
slows down and nobody reads them."""


@dataclass(frozen=True)
class Measure:
    """A project measure: its column, its name on the command line, its French labels and unit."""

    column: str
    option: str  # ``reindus stats --measure``
    label: str  # selectors, table headers and tooltips
    total_label: str  # a total of it on a press map, its legend and its table
    unit: str  # after a value on a map legend


MEASURE_TERMS: dict[str, Measure] = {
    m.column: m
    for m in (
        Measure("jobs_created", "jobs", "emplois créés annoncés", "emplois permanents créés annoncés", "emplois"),
        Measure(
            "jobs_announced",
            "jobs-all",
            "emplois annoncés, toutes natures (créés, maintenus, transférés…)",
            "emplois annoncés, toutes natures",
            "emplois",
        ),
        Measure(
            "jobs_construction", "construction", "emplois de chantier (pic)", "emplois de chantier au pic", "emplois"
        ),
        Measure("investment_eur", "investment", "investissement annoncé (€)", "€ d'investissement annoncés", "€"),
        Measure("public_funding_eur", "funding", "aides publiques (€)", "€ d'aides publiques", "€"),
    )
}
"""Every measure of a project, by column, in the order pages offer them (the first is the default: created jobs;
jobs kept in a takeover or moved from another site are not new jobs). Jobs and money are never added."""
MEASURES: dict[str, str] = {column: m.label for column, m in MEASURE_TERMS.items()}
"""Measure column → its French label."""

ZE_PREFIX = "ze2020-"
"""Territory ids of the zones d'emploi 2020 (``ze2020-3222``): the measured employment is keyed by their code."""

MEASURED_JOBS_WHAT = (
    "Emplois salariés des employeurs privés du régime général (sans employeurs publics ni emplois agricoles), "
    "au lieu de travail, au 31 décembre ; industrie = sections B à E (URSSAF)."
)
"""What the measured industrial jobs count (URSSAF), said wherever they are shown."""
INDUSTRY_SHARE_WHAT = (
    "Part de l'industrie dans l'emploi au lieu de travail (recensement de la population 2022, INSEE) : tous les "
    "emplois, salariés ou non, publics et privés."
)
"""What the share of industry by EPCI counts (census)."""
