"""The Concentration charts: French amounts on the axes, and a first bar that would flatten the others is cut."""

from __future__ import annotations

import pandas as pd

from layers.charts import DOMINANT_RATIO, ranking_chart


def _spec(values: list[float], measure: str) -> dict:
    table = pd.DataFrame({"nom": [f"EPCI {i}" for i in range(len(values))], measure: values})
    return ranking_chart(table, measure, title="Classement", source="Sources : test").to_dict()


def test_money_axes_read_in_millions_and_billions_of_euros():
    bars = _spec([8e8, 5e8, 2e8], "public_funding_eur")["layer"][0]
    expression = bars["encoding"]["x"]["axis"]["labelExpr"]
    assert "Md€" in expression and "M€" in expression and "k€" in expression
    # Every thousands comma becomes a narrow space: « 800 000,000 » came from replacing only the first.
    assert "regexp(',', 'g')" in expression


def test_jobs_axes_read_as_french_counts():
    bars = _spec([1200, 800], "jobs_created")["layer"][0]
    expression = bars["encoding"]["x"]["axis"]["labelExpr"]
    assert "€" not in expression and "regexp(',', 'g')" in expression


def test_a_dominant_first_bar_is_cut_and_the_subtitle_says_so():
    spec = _spec([2.9e9, 1.2e8, 9e7], "public_funding_eur")
    assert 2.9e9 > DOMINANT_RATIO * 1.2e8
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1.2e8 * 1.25]
    assert bars["mark"]["clip"] is True
    subtitle = spec["layer"][0]["title"]["subtitle"]
    assert any("Barre coupée : EPCI 0 (2,9 Md€)" in line for line in subtitle), subtitle


def test_comparable_bars_keep_their_full_scale():
    spec = _spec([3e8, 2e8, 1e8], "public_funding_eur")
    assert "domain" not in spec["layer"][0]["encoding"]["x"].get("scale", {})
    assert not any("Barre coupée" in line for line in spec["layer"][0]["title"]["subtitle"])
