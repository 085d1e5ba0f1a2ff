"""One pipeline for every table, driven by its schema; the use cases decide the table, the CRS and the rejects once.

Tiny communes built here (no build needed): the rows are located by their coordinates.
"""

from __future__ import annotations

import ast
import io

import geopandas as gpd
import pandas as pd
import pytest

from geo.analysis.foncier import FONCIER_IMPORT
from geo.analysis.projects import PROJECT_IMPORT
from geo.crs import LAMBERT93
from geo.imports.columns import LOCATION_FIELDS, Field, Kind
from geo.imports.locate import CommuneLookup
from geo.imports.pipeline import refuse_non_web_sources, run_import
from geo.imports.schema import ImportContext, ImportSchema
from geo.usecases import imports
from tests.conftest import ROOT
from tests.small_data import small_communes


def _lookup() -> CommuneLookup:
    """Two square communes around Denain and Saint-Quentin; no COG list (rows are placed by coordinates)."""
    cog = pd.DataFrame(columns=["code", "nom", "type", "departement", "region", "chef_lieu"])
    return CommuneLookup(cog, small_communes())


MEMBERSHIP = pd.DataFrame({"territory_id": ["p2-ti-3207"], "kind": ["ti_phase2"], "code": ["59172"]})


def _context(**kwargs) -> ImportContext:
    return ImportContext(_lookup(), MEMBERSHIP, **kwargs)


def _file(text: str) -> io.BytesIO:
    return io.BytesIO(text.encode("utf-8"))


SEEN: list[int] = []


def _no_zero_width(values: pd.DataFrame, report) -> None:
    for position, width in enumerate(values["width_m"].tolist() if "width_m" in values else []):
        if width == 0:
            report(position, "width_m", "largeur nulle")


def _completed(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    SEEN.append(len(frame))
    return frame.assign(wide=frame["width_m"].gt(10) if "width_m" in frame else False)


TOY = ImportSchema(
    table="quais",
    layer="quais",
    noun="quais",
    label="quais de chargement",
    fields=(
        Field("quai_id", "identifiant", Kind.TEXT, ("id",)),
        Field("titre", "titre", Kind.TEXT, ("nom",)),
        *LOCATION_FIELDS,
        Field("width_m", "largeur (m)", Kind.DISTANCE, ("largeur",)),
        Field("source_url", "source", Kind.TEXT, ("source",)),
    ),
    id_key="quai_id",
    name_key="titre",
    name_column_missing="colonne du titre introuvable",
    name_missing="titre manquant",
    row_checks=(_no_zero_width, refuse_non_web_sources),
    complete=_completed,
    defaults={"etat": "importé de {file} le {today}", "verifie": True, "titre": "jamais utilisé"},
)


def test_one_pipeline_runs_a_schema_s_fields_checks_completion_and_defaults():
    SEEN.clear()
    text = (
        "nom;lon;lat;largeur (km);source\n"
        "Quai A;3.40;50.32;0,5;https://exemple.fr\n"
        ";3.40;50.33;1;\n"
        "Quai C;3.40;50.34;0;\n"
        "Quai D;3.41;50.34;2;javascript:alert(1)\n"
    )
    result = run_import(_file(text), TOY, _context(today="2026-12-01"), name="quais.csv")
    assert result.layer == "quais" and result.n_read == 4
    assert "« largeur (km) » → largeur (m) (en km, convertis en mètres)" in result.columns
    assert [(p.line, p.column, p.message) for p in result.errors] == [
        (3, "nom", "titre manquant"),
        (4, "largeur (km)", "largeur nulle"),
        (
            5,
            "source",
            "« javascript:alert(1) » n'est pas une adresse web : seules les adresses http:// ou "
            "https:// sont acceptées",
        ),
    ]
    (row,) = result.rows.itertuples()
    assert (row.quai_id, row.titre, row.width_m, row.wide) == ("quais:2", "Quai A", 500.0, True)
    assert (row.insee_com, row.epci_siren, row.ti_phase2) == ("59172", "200042190", "p2-ti-3207")
    assert (row.etat, row.verifie) == ("importé de quais.csv le 2026-12-01", True)
    assert SEEN == [4]  # completed before the valid rows are kept
    assert result.rejected["identifiant"].tolist() == ["quais:3", "quais:4", "quais:5"]


def test_a_missing_name_column_is_the_schema_s_message_about_the_whole_file():
    result = run_import(_file("lon;lat\n3.40;50.32\n"), TOY, _context(today="2026-12-01"), name="q.csv")
    assert [(p.line, p.message) for p in result.file_errors] == [(None, "colonne du titre introuvable")]


def test_a_default_naming_today_needs_today():
    with pytest.raises(ValueError, match="today"):
        run_import(_file("nom;lon;lat\nA;3.40;50.32\n"), TOY, _context(), name="q.csv")


def test_a_schema_s_id_and_name_must_be_fields():
    with pytest.raises(ValueError, match="'absent'"):
        ImportSchema(
            "t", "t", "t", "t", TOY.fields, id_key="absent", name_key="titre", name_column_missing="", name_missing=""
        )


def test_projects_and_sites_are_two_schemas_of_one_pipeline():
    assert imports.IMPORT_TABLES == {"projets": PROJECT_IMPORT, "foncier": FONCIER_IMPORT}
    assert (PROJECT_IMPORT.layer, FONCIER_IMPORT.layer) == ("projets", "foncier")
    for schema in imports.IMPORT_TABLES.values():
        assert refuse_non_web_sources in schema.row_checks


def test_check_import_decides_the_table_and_the_crs_once():
    text = "nom;x;y\nA;728500;7025900\n"  # Denain in Lambert-93
    checked = imports.check_import(
        "foncier",
        _file(text),
        lookup=_lookup(),
        territoire_communes=MEMBERSHIP,
        name="s.csv",
        crs="2154",
        today="2026-12-01",
    )
    assert checked.table == "foncier" and checked.schema is FONCIER_IMPORT
    assert checked.result.rows["date_source"].tolist() == ["2026-12-01"]
    assert imports.declared_crs("2154") == LAMBERT93 and imports.declared_crs(None) is None
    with pytest.raises(ValueError, match="crs must be one of"):
        imports.declared_crs("3857")
    with pytest.raises(ValueError, match="table must be one of"):
        imports.check_import("usines", _file(text), lookup=_lookup(), territoire_communes=MEMBERSHIP)


def test_the_valid_rows_choice_and_the_rejected_rows_file_come_from_the_report():
    text = "nom;lon;lat\nA;3.40;50.32\nB;;\n"
    checked = imports.check_import(
        "projets", _file(text), lookup=_lookup(), territoire_communes=MEMBERSHIP, name="mes projets.xlsx.csv"
    )
    assert not checked.applicable and checked.valid_rows_would_apply
    chosen = checked.choosing_valid_rows_only(True)
    assert chosen.applicable and chosen.result is checked.result and not checked.valid_rows_only
    rejected = imports.rejected_rows_file(checked)
    assert (rejected.file_name, rejected.rows) == ("mes projets.xlsx-rejets.csv", 1)
    assert rejected.content.startswith("\ufeffligne d'origine;".encode())
    assert (
        imports.rejected_rows_file(
            imports.check_import(
                "projets", _file("nom;lon;lat\nA;3.40;50.32\n"), lookup=_lookup(), territoire_communes=MEMBERSHIP
            )
        )
        is None
    )


@pytest.mark.parametrize("entry_point", ["cli.py", "app_pages/donnees.py"])
def test_entry_points_read_no_file_themselves_and_name_no_table(entry_point):
    """The CLI and the page go through geo.usecases.imports: no pipeline step, no per-table reader, no CRS."""
    tree = ast.parse((ROOT / entry_point).read_text(encoding="utf-8"))
    imported = {
        f"{node.module}.{alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module
        for alias in node.names
    }
    forbidden = {"geo.imports.pipeline", "projects_from_file", "sites_from_file", "geo.crs"}
    assert not {name for name in imported if any(part in name for part in forbidden)}
    assert "geo.usecases.imports" in imported
