"""Recognising columns by their French headers."""

from __future__ import annotations

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
