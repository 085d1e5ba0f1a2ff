"""The map's categorical palettes stay distinguishable under simulated colour-vision deficiencies, and the
sequential ramps get darker step by step (so they also read in grey).

Method as in Petroff, « Accessible Color Sequences for Data Visualization » (arXiv:2107.02270): simulate the
deficiency with colorspacious (Machado et al. 2009), then measure colour differences in CAM02-UCS, where a
Euclidean distance approximates a perceived difference. Severity 100 is the full dichromacy (deuteranopia,
protanopia, tritanopia), the hardest case. The threshold is ours: ΔE = 10 in CAM02-UCS is several times a
just-noticeable difference (about 1 to 2), so two map colours at 10 or more are told apart at a glance, not
only side by side.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from geo.analysis.phases import NEVER
from layers.choropleth import CLASS_COLOURS, UNKNOWN_COLOUR, ZERO_COLOUR
from layers.foncier import STATUS_COLOURS as FONCIER_STATUS_COLOURS
from layers.phases import PHASE_COLOURS
from layers.projects import SECTOR_COLOURS
from layers.projects import STATUS_COLOURS as PROJECT_STATUS_COLOURS
from layers.territories import OVERLAYS

MIN_DELTA_E = 10.0
CVD_TYPES = ("deuteranomaly", "protanomaly", "tritanomaly")

CATEGORICAL = {
    "projets par famille de secteur": SECTOR_COLOURS,
    "projets par statut": PROJECT_STATUS_COLOURS,
    # Two statuses share a colour on purpose (a project on the site, brownfield or not): compared once.
    "foncier par statut": {colour: colour for colour in FONCIER_STATUS_COLOURS.values()},
    # Outside both phases is left unfilled on the map (white only in the press legend).
    "évolution des Territoires d'industrie": {k: v for k, v in PHASE_COLOURS.items() if k != NEVER},
    "couches de territoires": {key: style.color for key, style in OVERLAYS.items()},
}
"""Every palette whose colours appear together on one map, by what they colour."""


def _rgb1(colour: str) -> np.ndarray:
    return np.array([int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)])


def _seen_with(colour: str, cvd_type: str) -> np.ndarray:
    space = {"name": "sRGB1+CVD", "cvd_type": cvd_type, "severity": 100}
    return np.clip(cspace_convert(_rgb1(colour), space, "sRGB1"), 0, 1)


def closest_pair(palette: dict[str, str], cvd_type: str | None) -> tuple[float, str, str]:
    """The smallest CAM02-UCS difference between two colours of ``palette`` as seen with ``cvd_type``."""
    seen = {name: _rgb1(c) if cvd_type is None else _seen_with(c, cvd_type) for name, c in palette.items()}
    return min((float(deltaE(seen[a], seen[b], input_space="sRGB1")), a, b) for a, b in itertools.combinations(seen, 2))


def lightness(rgb1: np.ndarray) -> float:
    """CAM02-UCS lightness J' of an sRGB colour in [0, 1]."""
    return float(cspace_convert(rgb1, "sRGB1", "CAM02-UCS")[0])


@pytest.mark.parametrize("cvd_type", [None, *CVD_TYPES])
@pytest.mark.parametrize("name", list(CATEGORICAL))
def test_categorical_palettes_stay_distinct(name, cvd_type):
    delta, first, second = closest_pair(CATEGORICAL[name], cvd_type)
    assert delta >= MIN_DELTA_E, f"{name}, {cvd_type or 'vision normale'} : « {first} » et « {second} » ΔE {delta:.1f}"


def test_the_check_catches_a_red_green_pair():
    """The check can fail: pure red and green of equal lightness merge for deuteranopes."""
    red_green = {"rouge": "#d62728", "vert": "#2ca02c"}
    assert closest_pair(red_green, None)[0] > 30
    assert closest_pair(red_green, "deuteranomaly")[0] < MIN_DELTA_E


@pytest.mark.parametrize("cvd_type", [None, *CVD_TYPES])
def test_choropleth_ramp_gets_darker_at_every_class(cvd_type):
    """Lighter = fewer, for every reader: J' strictly decreases along the classes, by a visible step."""
    ramp = [ZERO_COLOUR, *CLASS_COLOURS]
    seen = [_rgb1(c) if cvd_type is None else _seen_with(c, cvd_type) for c in ramp]
    steps = np.diff([lightness(rgb1) for rgb1 in seen])
    assert (steps < -5).all(), f"{cvd_type}: {steps}"


def test_unknown_is_told_from_zero_and_from_the_first_class():
    for colour in (ZERO_COLOUR, CLASS_COLOURS[0]):
        assert float(deltaE(_rgb1(UNKNOWN_COLOUR), _rgb1(colour), input_space="sRGB1")) >= 5
