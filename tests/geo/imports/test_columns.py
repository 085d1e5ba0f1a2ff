"""Recognising columns by their French headers."""

from __future__ import annotations

import pytest

from geo.analysis.foncier import FONCIER_FIELDS
from geo.analysis.projects import PROJECT_FIELDS
from geo.imports.columns import map_columns


def test_french_headers_with_accents_case_and_units():
    headers = ["NOM DU PROJET", "Code_INSEE", "Département", "Investissement (M€)", "Emplois annoncés", "Remarque"]
    mapping = map_columns(headers, PROJECT_FIELDS)
    assert mapping.fields == {
        "name": "NOM DU PROJET",
        "insee_com": "Code_INSEE",
        "departement": "Département",
        "investment_eur": "Investissement (M€)",
        "jobs_announced": "Emplois annoncés",
    }
    assert mapping.unit("investment_eur") == 1e6
    report = mapping.report(PROJECT_FIELDS)
    assert "« Investissement (M€) » → investissement (€) (en millions d'euros)" in report
    assert "« Remarque » ignorée (non reconnue)" in report


def test_first_header_wins_when_two_name_the_same_field():
    mapping = map_columns(["Nom", "Projet"], PROJECT_FIELDS)
    assert mapping.fields == {"name": "Nom"} and mapping.duplicates == ["Projet"]


def test_coordinates_headers():
    mapping = map_columns(["Longitude", "LAT", "X_L93", "Y (Lambert 93)"], PROJECT_FIELDS)
    assert mapping.fields == {"lon": "Longitude", "lat": "LAT", "x": "X_L93", "y": "Y (Lambert 93)"}


@pytest.mark.parametrize(
    ("header", "schema", "key", "multiplier", "unit"),
    [
        ("investissement_eur", PROJECT_FIELDS, "investment_eur", 1.0, "euros"),
        ("montant_meur", PROJECT_FIELDS, "investment_eur", 1e6, "millions d'euros"),
        ("MONTANT_MEUR", PROJECT_FIELDS, "investment_eur", 1e6, "millions d'euros"),
        ("Montant-M€", PROJECT_FIELDS, "investment_eur", 1e6, "millions d'euros"),
        ("aide_keur", PROJECT_FIELDS, "public_funding_eur", 1e3, "milliers d'euros"),
        ("Aides publiques k€", PROJECT_FIELDS, "public_funding_eur", 1e3, "milliers d'euros"),
        ("investissement_md_eur", PROJECT_FIELDS, "investment_eur", 1e9, "milliards d'euros"),
        ("investissement_mdeur", PROJECT_FIELDS, "investment_eur", 1e9, "milliards d'euros"),
        ("capex_millions_d_euros", PROJECT_FIELDS, "investment_eur", 1e6, "millions d'euros"),
        ("surface_m2", FONCIER_FIELDS, "surface_ha", 1e-4, "m², convertis en hectares"),
        ("Superficie m²", FONCIER_FIELDS, "surface_ha", 1e-4, "m², convertis en hectares"),
        ("surface_ha", FONCIER_FIELDS, "surface_ha", 1.0, "hectares"),
        ("superficie_km2", FONCIER_FIELDS, "surface_ha", 100.0, "km², convertis en hectares"),
        ("distance_route_km", FONCIER_FIELDS, "distance_route_m", 1000.0, "km, convertis en mètres"),
        ("Distance_Rail_M", FONCIER_FIELDS, "distance_rail_m", 1.0, "mètres"),
    ],
)
def test_headers_ending_with_their_unit(header, schema, key, multiplier, unit):
    mapping = map_columns(["nom", header], schema)
    assert mapping.fields[key] == header
    assert mapping.units[key] == (pytest.approx(multiplier), unit)
    assert any(line.startswith(f"« {header} » → ") and line.endswith(f"(en {unit})") for line in mapping.report(schema))


def test_a_unit_that_does_not_fit_the_field_is_not_guessed():
    mapping = map_columns(["nom", "surface_eur", "x_m"], FONCIER_FIELDS)
    assert "surface_ha" not in mapping.fields and mapping.ignored == ["surface_eur", "x_m"]
    report = mapping.report(FONCIER_FIELDS)
    assert "« surface_eur » ignorée (non reconnue) ; unité « euros » incompatible avec surface (ha)" in report
    assert "« x_m » ignorée (non reconnue) ; unité « mètres » incompatible avec X" in report


def test_unknown_headers_get_a_suggestion_when_one_is_close():
    mapping = map_columns(["Nom", "Investisement_MEUR", "Comune", "Emploi", "Remarque"], PROJECT_FIELDS)
    report = mapping.report(PROJECT_FIELDS)
    assert (
        "« Investisement_MEUR » ignorée (non reconnue) ; vouliez-vous dire « investissement » (investissement (€)) ?"
        in report
    )
    assert "« Comune » ignorée (non reconnue) ; vouliez-vous dire « commune » (commune) ?" in report
    assert "« Emploi » ignorée (non reconnue) ; vouliez-vous dire « emplois » (emplois permanents annoncés) ?" in report
    assert "« Remarque » ignorée (non reconnue)" in report  # nothing close: no suggestion


def test_a_suggestion_says_when_the_field_is_already_read():
    mapping = map_columns(["nom", "surface_m2", "Surfce"], FONCIER_FIELDS)
    assert mapping.hints["Surfce"] == "vouliez-vous dire « surface » (surface (ha), déjà lu dans « surface_m2 ») ?"
