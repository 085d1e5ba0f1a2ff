"""The web fonts the app serves are cut to French text: every name the map and the fiches show has its glyphs."""

from __future__ import annotations

import pytest
from fontTools.ttLib import TTFont

from geo.settings import FONTS_DIR

WEB_FONTS = sorted(FONTS_DIR.glob("Inter-*.woff2"))
INTERFACE_TEXT = "àâäçéèêëîïôöûùüÿœæÀÂÇÉÈÊËÎÏÔÛÙÜŸŒÆ«»€–—’‘“”…≤≥→←◀▶№ \u00a0\u202f"
"""Characters of the interface itself: accents, French quotes and spaces, the euro, dashes, the buttons' arrows.

(Inter has no ∝, which the Carte's legend uses: the browser takes it from the next font, subset or not.)"""


@pytest.fixture(scope="module")
def shown_names(store) -> str:
    names = [store.read(layer)["nom"] for layer in ("communes", "epci", "departements", "regions")]
    names.append(store.read("territoires")["label"])
    projects = store.read("projets")
    names += [projects["name"], projects["company"]]
    return "".join(str(value) for series in names for value in series.dropna())


def test_the_app_serves_its_four_inter_faces():
    assert [path.name for path in WEB_FONTS] == [
        "Inter-Bold.woff2",
        "Inter-Italic.woff2",
        "Inter-Regular.woff2",
        "Inter-SemiBold.woff2",
    ]


@pytest.mark.parametrize("path", WEB_FONTS, ids=lambda path: path.stem)
def test_every_character_shown_is_in_the_cut_font(path, shown_names):
    font = TTFont(path)
    assert font.flavor == "woff2" and path.stat().st_size < 30_000  # cut: the full face is 111 KB
    covered = set(font.getBestCmap())
    missing = sorted({char for char in shown_names + INTERFACE_TEXT if ord(char) not in covered and char.isprintable()})
    assert missing == []
    assert "kern" in {record.FeatureTag for record in font["GPOS"].table.FeatureList.FeatureRecord}
