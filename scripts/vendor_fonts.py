"""Copy the Inter typeface (OFL, npm ``inter-ui``) into ``static/vendor/fonts/`` at setup.

The browser gets WOFF2 files (served by the app, no font CDN) cut to the characters a French page
uses, with their OpenType features (kerning, ligatures): 111 KB a weight become about 18, and a new
visitor's first page loads its three weights before the map is painted. A character outside the
cut is drawn by the browser's next font, as for any web font subset. Matplotlib, which reads
TrueType but not WOFF2, gets the same fonts converted to ``.ttf`` by fontTools (Brotli needed),
cut to the characters French maps use: every PDF embeds a subset made from these files, and a
660-glyph font is subset in a fraction of the time of the full 2,850 (matplotlib reads no OpenType
layout tables, so dropping them changes nothing on the page).

Usage: ``python scripts/vendor_fonts.py node_modules/inter-ui static/vendor/fonts``
"""

from __future__ import annotations

import shutil
import sys
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

STYLES = ("Regular", "Italic", "SemiBold", "Bold")
"""What the app and the press maps use: text, italic notes, territory names, titles."""

PRINT_CHARACTERS = [
    *range(0x20, 0x250),  # Latin, Latin-1 (accents, « », nbsp), Latin Extended-A and B (œ, Œ…)
    *range(0x2000, 0x2070),  # spaces (narrow no-break space of French numbers), dashes, quotes, …
    0x20AC,  # €
    0x2190,  # ←
    0x2192,  # → (« 14 → 18 »)
    0x2212,  # minus sign
    0x2116,  # №
]


WEB_CHARACTERS = [
    *range(0x20, 0x7F),  # ASCII
    *range(0xA0, 0x100),  # Latin-1: accents, « », no-break space, °, ×
    0x152,  # Œ
    0x153,  # œ
    0x178,  # Ÿ
    0x2009,  # thin space
    0x202F,  # narrow no-break space (French numbers: 1 234 567 €)
    0x2010,  # hyphen
    0x2011,  # non-breaking hyphen
    0x2013,  # – (« Lens – Hénin »)
    0x2014,  # —
    0x2018,  # ‘
    0x2019,  # ’ (French apostrophe)
    0x201C,  # “
    0x201D,  # ”
    0x2022,  # •
    0x2026,  # …
    0x2030,  # ‰
    0x20AC,  # €
    0x2116,  # №
    0x2190,  # ←
    0x2192,  # →
    0x2212,  # minus sign
    0x2264,  # ≤
    0x2265,  # ≥
    0x25B6,  # ▶ (Présentation buttons)
    0x25C0,  # ◀
    0xFB01,  # fi
    0xFB02,  # fl
]
"""What the app's text uses; the browser draws any other character with its next font."""


def vendor_fonts(package_dir: Path, target_dir: Path) -> list[Path]:
    target_dir.mkdir(parents=True, exist_ok=True)
    # One process a style: the subsetting is pure Python, 2.2 s a style (9 s in a row on two cores, 5 s so).
    with ProcessPoolExecutor() as pool:
        written = [
            path for paths in pool.map(_vendor_style, repeat(package_dir), repeat(target_dir), STYLES) for path in paths
        ]
    shutil.copyfile(package_dir / "LICENSE.txt", target_dir / "LICENSE-Inter.txt")
    return written


def _vendor_style(package_dir: Path, target_dir: Path, style: str) -> list[Path]:
    web_font = package_dir / "web" / f"Inter-{style}.woff2"
    _web_subset(web_font, target_dir / web_font.name)
    font = TTFont(web_font)
    font.flavor = None  # WOFF2 → plain TrueType
    _keep_print_characters(font)
    font.save(target_dir / f"Inter-{style}.ttf")
    return [target_dir / web_font.name, target_dir / f"Inter-{style}.ttf"]


def _web_subset(source: Path, target: Path) -> None:
    options = subset.Options()
    options.flavor = "woff2"
    # fontTools' default features (kerning, ligatures, marks…) and tabular figures, which tables ask for;
    # Inter's stylistic sets and character variants are left out (no page asks for them).
    options.layout_features = [*subset.Options().layout_features, "tnum"]
    options.name_IDs, options.name_languages = ["*"], ["*"]
    font = TTFont(source)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=WEB_CHARACTERS)
    subsetter.subset(font)
    font.flavor = "woff2"
    font.save(target)


def _keep_print_characters(font: TTFont) -> None:
    options = subset.Options()
    options.layout_features = []
    options.drop_tables += ["GPOS", "GSUB", "GDEF", "STAT"]
    options.name_IDs, options.name_languages = ["*"], ["*"]  # keep the family and style names matplotlib reads
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=PRINT_CHARACTERS)
    subsetter.subset(font)


if __name__ == "__main__":
    package, target = (Path(arg) for arg in sys.argv[1:3])
    for path in vendor_fonts(package, target):
        print(path)
