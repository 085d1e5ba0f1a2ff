"""Copy the Inter typeface (OFL, npm ``inter-ui``) into ``static/vendor/fonts/`` at setup.

The browser gets the WOFF2 files (served by the app, no font CDN); matplotlib, which reads
TrueType but not WOFF2, gets the same fonts converted to ``.ttf`` by fontTools (Brotli needed).

Usage: ``python scripts/vendor_fonts.py node_modules/inter-ui static/vendor/fonts``
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

STYLES = ("Regular", "Italic", "SemiBold", "Bold")
"""What the app and the press maps use: text, italic notes, territory names, titles."""


def vendor_fonts(package_dir: Path, target_dir: Path) -> list[Path]:
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for style in STYLES:
        web_font = package_dir / "web" / f"Inter-{style}.woff2"
        shutil.copyfile(web_font, target_dir / web_font.name)
        font = TTFont(web_font)
        font.flavor = None  # WOFF2 → plain TrueType
        font.save(target_dir / f"Inter-{style}.ttf")
        written += [target_dir / web_font.name, target_dir / f"Inter-{style}.ttf"]
    shutil.copyfile(package_dir / "LICENSE.txt", target_dir / "LICENSE-Inter.txt")
    return written


if __name__ == "__main__":
    package, target = (Path(arg) for arg in sys.argv[1:3])
    for path in vendor_fonts(package, target):
        print(path)
