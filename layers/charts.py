"""Altair charts of the Concentration page, with French number formats and a source line."""

from __future__ import annotations

import altair as alt
import pandas as pd

from geo.vocabulary import REGION_NAMES
from layers.formatting import measure_fr, number_fr, percent_fr


def _french_number(value: str, specifier: str = ",~f") -> str:
    """A Vega expression writing ``value`` the French way: d3-format writes 1,234.5, French 1 234,5 (every
    thousands comma replaced, hence the regular expression: a plain string replaces only the first)."""
    return f"replace(replace(format({value}, '{specifier}'), regexp(',', 'g'), '\u202f'), '.', ',')"


_FRENCH_AXIS = _french_number("datum.value")
_EUROS_AXIS = (
    f"datum.value >= 1e9 ? {_french_number('datum.value / 1e9', '.2~f')} + '\u00a0Md€'"
    f" : datum.value >= 1e6 ? {_french_number('datum.value / 1e6', ',.1~f')} + '\u00a0M€'"
    f" : datum.value >= 1e3 ? {_french_number('datum.value / 1e3', ',.1~f')} + '\u00a0k€'"
    f" : {_french_number('datum.value')} + '\u00a0€'"
)
"""Amounts on an axis as on the labels: « 800 M€ », « 1,6 Md€ » (:func:`layers.formatting.euros_short_fr`)."""

DOMINANT_RATIO = 3
"""A first bar more than this many times the second is cut, so that the others stay readable."""


def ranking_chart(table: pd.DataFrame, measure: str, *, title: str, source: str, top: int = 15) -> alt.Chart:
    """Horizontal bars of the ``top`` units by ``measure`` (units with no project left out).

    Parameters
    ----------
    table : DataFrame
        From :func:`geo.analysis.concentration.totals_by` (``nom`` and the measure).
    measure : str
        Column to rank by.
    title, source : str
        Chart title and the source line shown under it.
    """
    ranked = table[table[measure].fillna(0) > 0].nlargest(top, measure)
    values = ranked[measure].astype(float)
    data = pd.DataFrame(
        {
            "territoire": ranked["nom"].astype(str),
            "valeur": values,
            "libelle": [measure_fr(v, measure) for v in ranked[measure]],
        }
    )
    subtitle = [source]
    scale = alt.Scale()
    if len(values) > 1 and values.iloc[0] > DOMINANT_RATIO * values.iloc[1]:
        # One territory would flatten every other bar: the axis stops a little past the second, the first bar
        # is cut at the edge and keeps its true value in its label, and the subtitle says so.
        limit = float(values.iloc[1]) * 1.25
        scale = alt.Scale(domain=[0, limit], clamp=True)
        subtitle.append(
            f"Barre coupée : {data['territoire'].iloc[0]} ({data['libelle'].iloc[0]}) dépasse l'échelle, "
            "choisie pour que les autres territoires restent lisibles."
        )
    axis = alt.Axis(labelExpr=_FRENCH_AXIS if measure.startswith("jobs") else _EUROS_AXIS)
    bars = (
        alt.Chart(data, title=alt.Title(title, subtitle=subtitle, subtitleFontSize=10, anchor="start"))
        .mark_bar(color="#0072B2", clip=True)
        .encode(
            x=alt.X("valeur:Q", title=None, axis=axis, scale=scale),
            y=alt.Y("territoire:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260, labelOverlap=False)),
            tooltip=[alt.Tooltip("territoire:N", title="Territoire"), alt.Tooltip("libelle:N", title="Valeur")],
        )
    )
    labels = bars.mark_text(align="left", dx=3, fontSize=11).encode(text="libelle:N")
    return (bars + labels).properties(height=max(120, 22 * len(data)))


def lorenz_chart(curve: pd.DataFrame, *, title: str, source: str, gini: float | None) -> alt.Chart:
    """The Lorenz curve against the line of perfect equality, Gini in the subtitle."""
    subtitle = [source] + (
        [f"Indice de Gini : {percent_fr(gini).replace(' %', '')} % (0 = réparti, 100 = concentré)"]
        if gini is not None
        else []
    )
    data = curve.assign(
        part_territoires_fr=curve["part_territoires"].map(percent_fr),
        part_mesure_fr=curve["part_mesure"].map(percent_fr),
    )
    equality = pd.DataFrame({"part_territoires": [0.0, 1.0], "part_mesure": [0.0, 1.0]})
    percent_axis = alt.Axis(format="%", labelExpr="replace(datum.label, '%', '\u202f%')")
    base = alt.Chart(data, title=alt.Title(title, subtitle=subtitle, subtitleFontSize=10, anchor="start"))
    line = base.mark_line(color="#D55E00", point=True, interpolate="linear").encode(
        x=alt.X("part_territoires:Q", title="Part cumulée des territoires (du moins au plus doté)", axis=percent_axis),
        y=alt.Y("part_mesure:Q", title="Part cumulée du total", axis=percent_axis),
        tooltip=[
            alt.Tooltip("part_territoires_fr:N", title="Territoires"),
            alt.Tooltip("part_mesure_fr:N", title="Part du total"),
        ],
    )
    diagonal = (
        alt.Chart(equality)
        .mark_line(color="#8a96a0", strokeDash=[4, 4])
        .encode(x="part_territoires:Q", y="part_mesure:Q")
    )
    return (diagonal + line).properties(height=360)


def cumulative_chart(
    series: pd.DataFrame, names: dict[str, str], regions: dict[str, str], *, title: str, source: str
) -> alt.HConcatChart:
    """Cumulative monthly counts (``departement, date, entreprises``), one panel per region.

    One panel per region keeps each palette at ten colours or fewer (the Grand Est has ten
    départements), and each legend lists the départements by their last value, largest first.
    """
    data = series.assign(
        libelle=series["departement"].map(lambda code: f"{names.get(code, code)} ({code})"),
        region=series["departement"].map(regions),
        mois=pd.to_datetime(series["date"]),
        valeur=series["entreprises"].astype(float),
    )
    panels = []
    for region, label in REGION_NAMES.items():
        rows = data[data["region"] == region]
        last = rows.sort_values("mois").groupby("libelle")["valeur"].last().sort_values(ascending=False)
        panels.append(
            alt.Chart(rows, title=label)
            .mark_line()
            .encode(
                x=alt.X("mois:T", title=None, axis=alt.Axis(format="%m/%Y")),
                y=alt.Y("valeur:Q", title="entreprises aidées (cumul)", axis=alt.Axis(labelExpr=_FRENCH_AXIS)),
                color=alt.Color(
                    "libelle:N", title="Département", sort=list(last.index), scale=alt.Scale(scheme="category10")
                ),
                tooltip=[
                    alt.Tooltip("libelle:N", title="Département"),
                    alt.Tooltip("mois:T", title="Mois", format="%m/%Y"),
                    alt.Tooltip("valeur:Q", title="Entreprises aidées (cumul)"),
                ],
            )
            .properties(height=300, width=260)
        )
    return alt.hconcat(
        *panels, title=alt.Title(title, subtitle=source, subtitleFontSize=10, anchor="start")
    ).resolve_scale(color="independent", y="shared")


def private_jobs_chart(series: pd.Series, *, title: str, source: str) -> alt.Chart:
    """A small line of an EPCI's private salaried jobs by year (``series``: year → jobs), French axis labels."""
    data = pd.DataFrame({"annee": series.index.astype(int), "emplois": series.astype(float).to_numpy()})
    data["emplois_fr"] = data["emplois"].map(number_fr)
    return (
        alt.Chart(data, title=alt.Title(title, subtitle=source, subtitleFontSize=10, anchor="start"), height=160)
        .mark_line(point=True)
        .encode(
            x=alt.X("annee:O", title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("emplois:Q", title="salariés", scale=alt.Scale(zero=False), axis=alt.Axis(labelExpr=_FRENCH_AXIS)),
            tooltip=[alt.Tooltip("annee:O", title="Année"), alt.Tooltip("emplois_fr:N", title="Salariés du privé")],
        )
    )
