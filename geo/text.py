"""Text helpers shared by imports (header and name matching) and place search."""

from __future__ import annotations

import unicodedata


def normalise(text: str) -> str:
    """Lower-case, accents removed, dashes/apostrophes as spaces: ``Saint-Étienne`` → ``saint etienne``."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    for separator in "-'’_":
        plain = plain.replace(separator, " ")
    return " ".join(plain.split())
