"""French numbers, years and INSEE codes as spreadsheets write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geo.imports.parsing import (
    parse_amount_eur,
    parse_area_ha,
    parse_count,
    parse_departement,
    parse_insee,
    parse_year,
    unit_from_header,
    unit_suffix,
)


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("1 234 567", 1_234_567),
        ("1\u00a0234\u00a0567 €", 1_234_567),  # no-break spaces, as Excel FR writes them
        ("1\u202f234\u202f567", 1_234_567),  # narrow no-break spaces (LibreOffice)
        ("12,5 M€", 12_500_000),
        ("1,6 Md€", 1_600_000_000),
        ("2,5 milliards", 2_500_000_000),
        ("12 millions d'euros", 12_000_000),
        ("850 k€", 850_000),
        ("1.234.567,89", 1_234_567.89),
        ("1600000000", 1_600_000_000),
        (1.6e9, 1_600_000_000),
        ("nc", None),
        ("", None),
        ("-", None),
    ],
)
def test_amounts_in_french_notation(cell, expected):
    assert parse_amount_eur(cell).value == expected


def test_header_unit_applies_to_bare_numbers_only():
    assert parse_amount_eur("12,5", unit=1e6).value == 12_500_000
    assert parse_amount_eur("300 k€", unit=1e6).value == 300_000  # the cell's own unit wins


@pytest.mark.parametrize(
    ("cell", "fragment"),
    [("abc", "illisible"), ("-5", "négatif"), ("1.600", "ambigu"), ("1,2,3", "illisible"), ("12 lapins", "illisible")],
)
def test_unreadable_amounts_are_refused_in_french(cell, fragment):
    with pytest.raises(ValueError, match=fragment):
        parse_amount_eur(cell)


def test_jobs_must_be_whole_numbers():
    assert parse_count("1 200").value == 1200
    assert parse_count(1200.0).value == 1200
    with pytest.raises(ValueError, match="entier"):
        parse_count("1,5")
    with pytest.raises(ValueError, match="négatif"):
        parse_count("-3")


def test_years():
    assert parse_year("2022").value == 2022
    assert parse_year(2022.0).value == 2022
    assert parse_year("mars 2024").value == 2024
    with pytest.raises(ValueError, match="hors limites"):
        parse_year("3022")
    with pytest.raises(ValueError, match="illisible"):
        parse_year("bientôt")


def test_insee_leading_zero_restored_and_reported():
    parsed = parse_insee(2691)
    assert parsed.value == "02691" and "zéro initial" in parsed.note
    assert parse_insee("2691.0").value == "02691"
    assert parse_insee("59350").note is None
    assert parse_insee("2a004").value == "2A004"
    for bad in ("123", "5935O", "123456"):
        with pytest.raises(ValueError, match="code INSEE invalide"):
            parse_insee(bad)


def test_departements():
    assert parse_departement(2).value == "02"
    assert parse_departement("2A").value == "2A"
    with pytest.raises(ValueError):
        parse_departement("Nord")


def test_header_units():
    assert unit_from_header("Investissement (M€)")[0] == 1e6
    assert unit_from_header("Montant en milliers d'euros")[0] == 1e3
    assert unit_from_header("Investissement (Md€)")[0] == 1e9
    assert unit_from_header("Investissement")[0] == 1.0


def _french(value: int, separator: str) -> str:
    return f"{value:,}".replace(",", separator)


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from([" ", "\u00a0", "\u202f"]))
def test_round_trip_of_french_thousands(value, separator):
    assert parse_amount_eur(_french(value, separator)).value == value


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=0, max_value=99))
def test_decimal_comma_round_trip(units, cents):
    text = f"{_french(units, ' ')},{cents:02d}"
    assert parse_amount_eur(text).value == pytest.approx(units + cents / 100)


@given(st.integers(min_value=1000, max_value=99999))
def test_insee_codes_are_always_five_characters(code):
    parsed = parse_insee(code)
    assert len(parsed.value) == 5 and parsed.value.lstrip("0") == str(code)
    assert (parsed.note is not None) == (code < 10000)


@given(st.text(max_size=20))
def test_amount_parser_never_crashes_otherwise(text):
    try:
        parsed = parse_amount_eur(text)
    except ValueError as error:
        assert str(error)  # always a message
    else:
        assert parsed.value is None or parsed.value >= 0


@pytest.mark.parametrize(
    ("header", "stem", "multiplier"),
    [
        ("investissement_eur", "investissement", 1.0),
        ("Montant_KEUR", "montant", 1e3),
        ("montant.meur", "montant", 1e6),
        ("Montant Md €", "montant", 1e9),
        ("montant_mds_eur", "montant", 1e9),
        ("surface_m2", "surface", 1e-4),
        ("Surface (totale) ha", "surface (totale)", 1.0),
        ("distance_gare_km", "distance gare", 1000.0),
    ],
)
def test_unit_suffixes(header, stem, multiplier):
    found_stem, unit = unit_suffix(header)
    assert found_stem == stem and unit.multiplier == pytest.approx(multiplier)


@pytest.mark.parametrize("header", ["Investissement", "eur", "Montant (M€)", "Nom de la commune", "Remarque"])
def test_no_unit_suffix(header):
    assert unit_suffix(header) is None


def test_cells_in_km2_become_hectares():
    assert parse_area_ha("2 km²").value == pytest.approx(200.0)
