"""Text helpers shared by imports (header and name matching), place search and links (web addresses)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit


def normalise(text: str) -> str:
    """Lower-case, accents removed, dashes/apostrophes as spaces: ``Saint-Étienne`` → ``saint etienne``.

    Invisible format characters go too: a name copied from a page may carry the word joiner that keeps
    Streamlit from rewriting it (``layers.formatting.markdown_escaped``).

    >>> normalise("Saint-Étienne"), normalise("Marcq-en-Barœul"), normalise("www\u2060.exemple")
    ('saint etienne', 'marcq en barœul', 'www.exemple')
    """
    decomposed = unicodedata.normalize("NFKD", str(text))
    plain = "".join(
        ch for ch in decomposed if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    ).lower()
    for separator in "-'’_":
        plain = plain.replace(separator, " ")
    return " ".join(plain.split())


WEB_SCHEMES = ("http", "https")
"""The only addresses shown as links: a ``javascript:`` or ``data:`` address would run or carry content."""


def web_address(value: object) -> str | None:
    """``value`` if it is a web address (http or https, with a host), else None: what may become a link.

    >>> web_address(" https://www.example.org/a "), web_address("javascript:alert(1)"), web_address(None)
    ('https://www.example.org/a', None, None)
    """
    if not isinstance(value, str):
        return None
    text = value.strip()
    parts = urlsplit(text)
    return text if parts.scheme.lower() in WEB_SCHEMES and parts.netloc and not _SPACE_OR_CONTROL.search(text) else None


def web_address_problem(value: object) -> str | None:
    """Why the text ``value`` cannot be a source's address, in French; None when it can (empty, or a web address).

    >>> web_address_problem("javascript:alert(1)")
    "« javascript:alert(1) » n'est pas une adresse web : seules les adresses http:// ou https:// sont acceptées"
    >>> web_address_problem(""), web_address_problem("https://www.example.org")
    (None, None)
    """
    if not isinstance(value, str) or not value.strip() or web_address(value) is not None:
        return None  # an empty cell is "not sourced", which the checks report on their own
    shown = value.strip() if len(value.strip()) <= 80 else value.strip()[:80] + "…"
    return f"« {shown} » n'est pas une adresse web : seules les adresses http:// ou https:// sont acceptées"


_SPACE_OR_CONTROL = re.compile(r"[\s\x00-\x1f\x7f]")
