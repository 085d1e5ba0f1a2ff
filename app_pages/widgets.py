"""Widgets Streamlit has only in English: a number typed and shown the French way.

``st.number_input`` shows « 25.82 » and reads « 25,82 » as nothing: its format is sprintf's, with a point. A text
field read by the importer's own parsers (:mod:`geo.imports.parsing`) takes what a French user types (« 25,82 »,
« 1 200 », « 8 000 m² », « 50.327 ») and says in French what it could not read.
"""

from __future__ import annotations

from collections.abc import Callable

from geo.errors import UnreadableValueError
from geo.imports.parsing import Parsed
from layers.formatting import is_missing, trimmed_fr


def decimal_text(value: object, *, decimals: int) -> str:
    """``value`` as a French field shows it: no useless decimals, empty when unknown.

    >>> decimal_text(25.8249, decimals=2), decimal_text(10.0, decimals=2), decimal_text(1200, decimals=1)
    ('25,82', '10', '1\u202f200')
    >>> decimal_text(None, decimals=2)
    ''
    """
    return "" if is_missing(value) else trimmed_fr(float(value), max_decimals=decimals)


def typed_number(text: object, label: str, parse: Callable[[object], Parsed]) -> float | None:
    """The number typed in field ``label`` (None when left empty).

    Raises
    ------
    UnreadableValueError
        In French, naming the field: « Surface (ha) : surface illisible « douze » (attendu par ex. : 12,5 …) ».
    """
    try:
        return parse(text).value
    except UnreadableValueError as error:
        raise UnreadableValueError(f"{label} : {error}") from None


def french_number_input(
    container,
    label: str,
    value: float | None,
    *,
    key: str,
    parse: Callable[[object], Parsed],
    decimals: int = 2,
    placeholder: str | None = None,
    help: str | None = None,
) -> float | None:
    """A number field (outside a form) in ``container``: the value typed, None when empty or unreadable (then
    said under the field, so that nothing is applied on a misread)."""
    text = container.text_input(
        label, value=decimal_text(value, decimals=decimals), key=key, placeholder=placeholder, help=help
    )
    try:
        return typed_number(text, label, parse)
    except UnreadableValueError as error:
        container.error(f"{error}. Critère ignoré.")
        return None
