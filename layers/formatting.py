"""French formatting of figures for the interface (``1 234 567 €``, ``12,5 km²``)."""

from __future__ import annotations

import functools
import html
import re
import unicodedata
from collections.abc import Callable

import pandas as pd
from babel import Locale
from babel.numbers import NumberPattern, parse_pattern

from geo.analysis.concentration import Robustness

LOCALE = "fr_FR"
MISSING = "non renseigné"
_FRENCH = Locale.parse(LOCALE)


@functools.lru_cache(maxsize=32)
def _pattern(pattern: str) -> NumberPattern:
    """Babel's parsed pattern, kept: ``format_decimal`` parses it at every call, which was a quarter of the
    Concentration page's run (about 2,000 cells; 25 µs a number, 9 µs with the pattern kept)."""
    return parse_pattern(pattern)


def _decimal_fr(value: float | int, pattern: str) -> str:
    """``babel.numbers.format_decimal(value, format=pattern, locale="fr_FR")``, without parsing the pattern again."""
    return _pattern(pattern).apply(value, _FRENCH)


def number_fr(value: float | int | None, *, decimals: int = 0) -> str:
    """Format a number the French way; ``None``/NaN give ``non renseigné`` (never a made-up 0). Halves round to
    the even neighbour, as babel's ``format_decimal`` does.

    >>> number_fr(1234567.891), number_fr(2.5), number_fr(3.5), number_fr(12.25, decimals=1), number_fr(None)
    ('1\u202f234\u202f568', '2', '4', '12,2', 'non renseigné')
    """
    if is_missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return _decimal_fr(value, pattern)


def trimmed_fr(value: float | int, *, max_decimals: int) -> str:
    """A number the French way with no useless decimals, as a field or a sentence shows it.

    >>> trimmed_fr(25.8249, max_decimals=2), trimmed_fr(10.0, max_decimals=2), trimmed_fr(1200.5, max_decimals=1)
    ('25,82', '10', '1\u202f200,5')
    """
    return _decimal_fr(value, "#,##0" + ("." + "#" * max_decimals if max_decimals else ""))


def count_fr(count: int, singular: str, plural: str | None = None) -> str:
    """A count and its noun, singular for 0 and 1 as French writes it.

    >>> count_fr(0, "site"), count_fr(1, "fermeture ou abandon", "fermetures ou abandons"), count_fr(1234, "site")
    ('0 site', '1 fermeture ou abandon', '1 234 sites')
    """
    return f"{number_fr(count)} {singular if count < 2 else plural or singular + 's'}"


def area_km2_fr(value: float | None) -> str:
    """An area in km², one decimal: ``1 234,5 km²``."""
    text = number_fr(value, decimals=1)
    return text if text == MISSING else f"{text} km²"


def inhabitants_fr(value: float | int | None) -> str:
    """A population: ``12 345 hab.``."""
    text = number_fr(value)
    return text if text == MISSING else f"{text} hab."


def euros_short_fr(value: float | int | None) -> str:
    """An amount for labels and metrics: ``1,6 Md€``, ``12,5 M€``, ``850 k€``, ``950 €``."""
    if is_missing(value):
        return MISSING
    for factor, unit in ((1e9, "Md€"), (1e6, "M€"), (1e3, "k€")):
        if abs(value) >= factor:
            return f"{number_fr(value / factor, decimals=1).removesuffix(',0')} {unit}"
    return f"{number_fr(value)} €"


def sentence_case(text: str) -> str:
    """First letter upper-case, the rest as written: « EPCI » stays « EPCI » (``str.capitalize`` gives « Epci »).

    >>> sentence_case("EPCI"), sentence_case("emplois de chantier (pic)")
    ('EPCI', 'Emplois de chantier (pic)')
    """
    return text[:1].upper() + text[1:]


def date_fr(iso_date: str) -> str:
    """``2022-12-31`` as ``31/12/2022`` (any other text is returned as it is).

    >>> date_fr("2022-12-31"), date_fr("2022-12"), date_fr("non datée")
    ('31/12/2022', '12/2022', 'non datée')
    """
    parts = str(iso_date).split("-")
    if not all(part.isdigit() for part in parts):
        return str(iso_date)
    return "/".join(reversed(parts))


def percent_fr(share: float | None) -> str:
    """A share in [0, 1] as ``84,6 %``."""
    if is_missing(share):
        return MISSING
    return f"{number_fr(share * 100, decimals=1)} %"


def measure_fr(value: float | int | None, measure: str) -> str:
    """A project measure: jobs as a plain count, money in short euros."""
    return number_fr(value) if measure.startswith("jobs") else euros_short_fr(value)


def escaped(value: object, *, missing: str = "") -> str:
    """HTML-escaped text of a cell for a popup or card; ``missing`` when the cell is empty."""
    return missing if is_missing(value) else html.escape(str(value))


MARKDOWN_SPECIALS = frozenset("\\`*_[]<>&!$~|#:{}")
"""Characters that can start Markdown, HTML or Streamlit markup (links, images, emphasis, inline HTML and
entities, LaTeX, strike-through, tables, headings, ``:material/…:`` icons and ``:red[…]`` colours)."""


WORD_JOINER = "\u2060"
"""An invisible character that joins nothing: put inside ``:smile:``, ``https://``, ``www.``, ``a@b`` or ``->``,
it keeps Streamlit from reading them (see :func:`markdown_escaped`)."""

_STREAMLIT_REWRITES = re.compile(r"(?<=:)(?=[\w/+-])|(?<=@)(?=\w)|(?<=\bwww)(?=\.)|(?<=[-<>~])(?=[->=])", re.IGNORECASE)
"""Where Streamlit rewrites text that backslashes do not protect, because it works on the text once parsed:
emoji and icon codes (``:smile:``, ``:material/home:``, ``:streamlit:``, the last an image), bare addresses and
e-mails made links (``https://…``, ``www.…``, ``a@b.fr``), arrows and dashes (``->``, ``--``, ``>=``)."""


def markdown_escaped(value: object, *, max_chars: int | None = None) -> str:
    r"""``value`` shown literally in Streamlit Markdown (``st.markdown``, headings, captions, alerts, labels).

    Names come from users' files and values from the address: backslash-escaping the characters that
    can start markup (CommonMark lets any ASCII punctuation be escaped) makes ``[lien](…)``, ``<img …>``,
    ``:red[…]``, ``$x$`` or ``**`` read as typed. Streamlit also rewrites the text after parsing (icons,
    emoji, bare addresses as links): an invisible :data:`WORD_JOINER` breaks those patterns
    (:func:`markdown_shown` gives the text as it then reads). Line breaks and other control characters become
    spaces (a blank line would start a new block); ``max_chars`` shortens a value echoed from the address,
    with « … ».

    >>> print(markdown_escaped("<img src=x> [lien](javascript:x) **A&B**").replace(WORD_JOINER, "⁀"))
    \<img src=x\> \[lien\](javascript\:⁀x) \*\*A\&B\*\*
    >>> markdown_escaped("a\nb" + "c" * 10, max_chars=5)
    'a bcc…'
    """
    text = _STREAMLIT_REWRITES.sub(WORD_JOINER, _one_line(value, max_chars))
    return "".join("\\" + char if char in MARKDOWN_SPECIALS else char for char in text)


def markdown_shown(value: object, *, max_chars: int | None = None) -> str:
    """The text a reader sees of :func:`markdown_escaped` ``(value)``: ``value`` on one line, with the invisible
    word joiners (for tests and for comparing with what the browser shows).

    >>> markdown_shown(":red[x] https://a.fr") == ":\u2060red[x] https:\u2060//a.fr"
    True
    """
    return _STREAMLIT_REWRITES.sub(WORD_JOINER, _one_line(value, max_chars))


def markdown_html_escaped(value: object) -> str:
    """``value`` as text inside the HTML of an ``st.markdown(…, unsafe_allow_html=True)`` block: HTML characters
    as entities (so no tag), Markdown ones behind a backslash and Streamlit's rewrites broken, as in
    :func:`markdown_escaped` (Markdown still runs between the tags).

    >>> print(markdown_html_escaped("<b>[x](y)</b> & **z**"))
    &lt;b&gt;\\[x\\](y)&lt;/b&gt; &amp; \\*\\*z\\*\\*
    """
    return "".join(
        html.escape(char) if char in "<>&\"'" else "\\" + char if char in MARKDOWN_SPECIALS else char
        for char in markdown_shown(value)
    )


def markdown_code(value: object, *, max_chars: int | None = None) -> str:
    """``value`` as a Markdown code span: what the user typed, repeated literally in a message.

    Unlike :func:`markdown_escaped`, nothing in a code span becomes a link (Streamlit's Markdown turns
    ``https://…`` and ``www.…`` in text into links, escaped or not), so a value read from the address
    cannot put a link in the app's own words. The fence is longer than any run of backticks inside.

    >>> markdown_code("a `b` <i>")
    '`` a `b` <i> ``'
    """
    text = _one_line(value, max_chars)
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    return f"{fence} {text} {fence}"


def _one_line(value: object, max_chars: int | None) -> str:
    """``value`` without control characters (spaces instead), shortened to ``max_chars`` with « … »."""
    text = "".join(" " if unicodedata.category(char) == "Cc" else char for char in str(value))
    return text if max_chars is None or len(text) <= max_chars else text[:max_chars] + "…"


def is_missing(value: object) -> bool:
    """None, NaN and pandas' NA (nullable columns) all mean "not stated"."""
    return value is None or bool(pd.isna(value))


def robustness_lines(figures: Robustness, *, name_as: Callable[[str], str] = str) -> list[str]:
    """How far a total can be trusted (:func:`geo.analysis.concentration.robustness`), in French sentences.

    ``name_as`` writes the largest project's name (:func:`markdown_escaped` for Streamlit Markdown).
    """

    def value(figure: float | None) -> str:
        return measure_fr(figure, figures.measure)

    other = (
        f", dont {figures.other_nature_rows} qui annoncent des emplois d'une autre nature (maintenus lors d'une "
        "reprise, transférés, directs et indirects ou non précisée), non comptés ici"
        if figures.other_nature_rows
        else ""
    )
    lines = [
        f"{figures.with_figure} projets sur {figures.projects} renseignent ce chiffre ; "
        f"{figures.missing} ne le renseignent pas{other}.",
        f"Total {value(figures.total)} ; médiane par projet {value(figures.median)}.",
    ]
    if figures.largest_project is not None:
        share = figures.largest_share
        lines.append(
            f"Le plus gros projet, « {name_as(figures.largest_project)} », pèse {value(figures.largest_value)}"
            + (f" ({percent_fr(share)} du total)" if share is not None else "")
            + f" ; sans lui, le total est de {value(figures.total_without_largest)}."
        )
    if figures.top5_share is not None and figures.top5_share_without_largest is not None:
        lines.append(
            f"Part des 5 premiers : {percent_fr(figures.top5_share)} ; "
            f"{percent_fr(figures.top5_share_without_largest)} sans le plus gros projet."
        )
    if figures.programme_rows:
        lines.append(
            "Montants de programme (plusieurs sites, non ventilés) montrés à part, jamais additionnés : "
            f"{value(figures.programme_total)} sur {count_fr(figures.programme_rows, 'projet')}."
        )
    if figures.stale_share is not None:
        lines.append(
            f"{percent_fr(figures.stale_share)} du total repose sur des projets dont le statut (annoncé, en projet, "
            "en construction, suspendu) date de plus de 18 mois ou n'est pas daté : à vérifier."
        )
    return lines


def french_table(frame: pd.DataFrame, *, decimals: dict[str, int] | None = None, plain: tuple[str, ...] = ()):
    """``frame`` for ``st.dataframe``: numbers shown the French way (``1 234,5``) yet still sorted as numbers.

    ``decimals`` gives the decimals per column (default 0); ``plain`` columns (years, numbers) are left as
    they are; an empty cell stays empty.

    >>> table = pd.DataFrame({"Surface (ha)": [1234.56, None], "Année": [2024, 2025]})
    >>> styled = french_table(table, decimals={"Surface (ha)": 1}, plain=("Année",))
    >>> "1\u202f234,6" in styled.to_html() and "2024" in styled.to_html()
    True
    >>> "None" in french_table(pd.DataFrame({"Nom": ["Usine", None], "Date": [pd.NaT, "2024-01-01"]})).to_html()
    False
    """
    decimals = decimals or {}
    numeric = [
        column
        for column in frame.columns
        if column not in plain
        and pd.api.types.is_numeric_dtype(frame[column])
        and not pd.api.types.is_bool_dtype(frame[column])
    ]
    # Streamlit's grid writes a missing cell « None » whatever the styler says: a missing text becomes "".
    texts = [column for column in frame.columns if column not in numeric and column not in plain]
    frame = frame.assign(**{column: frame[column].astype(object).where(frame[column].notna(), "") for column in texts})
    return frame.style.format(
        {column: functools.partial(_cell_fr, decimals=decimals.get(column, 0)) for column in numeric}, na_rep=""
    )


def _cell_fr(value: object, *, decimals: int) -> str:
    return "" if is_missing(value) else number_fr(value, decimals=decimals)


def legend_html(entries: list[tuple[str, str]], *, size_px: int | None = None, round_swatches: bool = False) -> str:
    """Legend entries ``(colour, text)`` as one line of swatches for ``st.markdown(…, unsafe_allow_html=True)``,
    text escaped (:func:`markdown_html_escaped`).

    The swatches have a dark grey border (≥ 3:1 on white, WCAG 1.4.11): white and pale yellow stay visible.
    ``round_swatches`` draws dots, for circle and point layers.
    """
    style = f"font-size:{size_px}px;" if size_px else ""
    radius = "border-radius:50%;" if round_swatches else ""
    swatch = "display:inline-block;width:14px;height:14px;{radius}background:{colour};border:1px solid #666;"
    return " ".join(
        f"<span style='{style}white-space:nowrap'><span style='{swatch.format(radius=radius, colour=colour)}"
        f"vertical-align:middle'></span> {markdown_html_escaped(text)}</span> &nbsp;"
        for colour, text in entries
    )
