"""Vocabulary shared across the package: kinds of territory, kinds and statuses of foncier sites.

One module owns each list, so the build, the store's edits, the analysis and the drawing
packages name things the same way.
"""

from __future__ import annotations

import pandas as pd

TERRITORY_KINDS: dict[str, str] = {
    "ti_phase1": "Territoire d'industrie, phase 1 (2018-2023)",
    "ti_phase2": "Territoire d'industrie, phase 2 (2024-2027)",
    "bassin_prioritaire": "Bassin prioritaire",
    "zonage": "Zonage",
}
"""Kinds of territory and their French names."""

OVERLAY_KEYS: tuple[str, ...] = ("ti2", "ti1", "bassins", "zonages", "ze")
"""Territory overlays a map can draw (URL ``couches``): TI 2024-2027, TI 2018-2023, bassins, BUD/BER, zones d'emploi."""


def overlay_of(kind: pd.Series, territory_id: pd.Series) -> pd.Series:
    """The overlay key of each territory (``<NA>`` for none), from its kind and id.

    Zones d'emploi are zonings with their own overlay (``ze2020-…`` ids).

    >>> overlay_of(pd.Series(["ti_phase2", "zonage", "zonage"]), pd.Series(["ti2-1", "bud-1", "ze2020-3106"])).tolist()
    ['ti2', 'zonages', 'ze']
    """
    by_kind = {"ti_phase2": "ti2", "ti_phase1": "ti1", "bassin_prioritaire": "bassins", "zonage": "zonages"}
    keys = kind.map(by_kind).astype("string")
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
# Statuses where the land is still to be found a use for.
AVAILABLE_STATUSES = ("friche sans projet", "friche potentielle", "site clé en main")
