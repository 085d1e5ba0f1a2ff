"""The territories an overlay draws, their sources and the perimeters that are only approached.

Data work shared by every map (Carte, press maps, the offline HTML) and the dossier's method note:
which rows of ``territoires_web`` an overlay key covers, which ``source (vintage)`` lines they cite,
which perimeters are approached. The drawing of the overlays stays in :mod:`layers.territories`.
"""

from __future__ import annotations

import geopandas as gpd

from geo.vocabulary import OVERLAY_KEYS, overlay_of


def overlay_territories(territories_web: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """The territories drawn by overlay ``key``."""
    if key not in OVERLAY_KEYS:
        raise ValueError(f"unknown overlay {key!r}; expected one of {sorted(OVERLAY_KEYS)}")
    return territories_web[overlay_of(territories_web["kind"], territories_web["territory_id"]).eq(key).fillna(False)]


def overlay_sources(territories_web: gpd.GeoDataFrame, overlays: list[str]) -> list[str]:
    """The distinct ``source (vintage)`` lines of the territories drawn by ``overlays``."""
    lines: list[str] = []
    for key in overlays:
        drawn = overlay_territories(territories_web, key)
        for text in (drawn["source"] + " (" + drawn["vintage"] + ")").unique():
            if text not in lines:
                lines.append(text)
    return lines


def overlay_caveats(territories_web: gpd.GeoDataFrame, overlays: list[str]) -> list[tuple[str, str]]:
    """``(label, approximation)`` of the drawn territories whose perimeter is approached, in drawing order."""
    caveats: list[tuple[str, str]] = []
    for key in overlays:
        drawn = overlay_territories(territories_web, key)
        notes = drawn["approximation"].fillna("").astype(str).str.strip()
        caveats += [(str(label), note) for label, note in zip(drawn["label"], notes, strict=True) if note]
    return caveats
