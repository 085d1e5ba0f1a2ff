"""Importing projects: every trap of French spreadsheets, on the real COG 2026 store."""

from __future__ import annotations

import hashlib
import json

import pandas as pd
import pytest
from openpyxl import Workbook
from pyproj import Transformer

from cli import main
from geo.analysis.projects import CURATED_PATH, projects_from_file, sector_family, status_category
from geo.store import GeoPackageStore


@pytest.fixture
def store_copy(store, tmp_path):
    copy = tmp_path / "copie.gpkg"
    copy.write_bytes(store.path.read_bytes())
    return GeoPackageStore(copy)


def _import(path, lookup, membership, **kwargs):
    return projects_from_file(path, lookup=lookup, territoire_communes=membership, **kwargs)


def _write_csv(tmp_path, text, name="projets.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _point_in(lookup, code):
    point = lookup.points[code]
    return point.x, point.y


def test_curated_dataset_loads_with_zero_errors_and_agrees_with_its_lookups(lookup, membership, raw_sources):
    result = _import(CURATED_PATH, lookup, membership)
    assert result.errors == [] and len(result.rows) == len(pd.read_csv(CURATED_PATH))
    raw = pd.read_csv(raw_sources / "projets" / "projets_industriels_hdf_grandest.csv", dtype=str)
    merged = result.rows.merge(raw, on="project_id", suffixes=("", "_raw"))
    # Rows whose site was corrected since (e.g. ACC placed at Douvrin) have other lookups by design.
    merged = merged[merged["insee_com"] == merged["insee_com_raw"]]
    assert len(merged) >= 40
    # Our join finds the EPCI and the phase-2 TI the researchers looked up by hand.
    assert (merged["epci_siren"] == merged["epci_siren_cog2026"]).all()
    assert (merged["region"] == merged["region_code"]).all()
    raw_ti = merged["ti_phase2_of_commune"].str.extract(r"^(ti-\d+)")[0].radd("p2-")
    assert (merged["ti_phase2"].fillna("") == raw_ti.fillna("")).all()
    # Unknown stays unknown: an empty cell of the file is NA after import, never 0.
    raw_cells = pd.read_csv(CURATED_PATH, dtype=str, keep_default_na=False)
    for column in ("investment_eur", "jobs_announced", "jobs_construction", "public_funding_eur"):
        assert result.rows[column].isna().sum() == (raw_cells[column] == "").sum() > 0
    # Data centres and warehouses of the Choose France lists are kept, as « non industriel », out of the totals.
    non_industrial = result.rows[result.rows["sector_family"] == "non industriel"]
    assert {"P029", "P030", "P042"} <= set(non_industrial["project_id"])
    assert non_industrial["sector"].str.contains("data|données|logisti|entrep", case=False).all()


def test_french_csv_in_windows_1252_with_units_and_separators(tmp_path, lookup, membership, store):
    def lookup_epci_names(siren):
        return store.read("epci").set_index("siren").loc[siren, "nom"]

    text = (
        "Nom du projet;Code INSEE;Investissement (M€);Emplois annoncés;Aides publiques;Année\r\n"
        "Usine A;2691;12,5;1\u00a0200;850 k€;2024\r\n"
        "Usine B;59172;1 600;nc;;2023\r\n"
    )
    result = _import(_write_csv(tmp_path, text, encoding="cp1252"), lookup, membership)
    assert result.accepted, result.summary()
    rows = result.rows.set_index("name")
    assert rows.loc["Usine A", "insee_com"] == "02691"  # Saint-Quentin, zero restored
    assert rows.loc["Usine A", "investment_eur"] == 12_500_000
    assert rows.loc["Usine A", "jobs_announced"] == 1200
    assert rows.loc["Usine A", "public_funding_eur"] == 850_000
    assert rows.loc["Usine B", "investment_eur"] == 1_600_000_000
    assert pd.isna(rows.loc["Usine B", "jobs_announced"])
    epci_names = lookup_epci_names(rows.loc["Usine B", "epci_siren"])
    assert epci_names == "CA de la Porte du Hainaut"
    warning = next(p for p in result.warnings if "zéro initial" in p.message)
    assert (warning.line, warning.column) == (2, "Code INSEE")
    assert "Windows-1252" in result.summary()


def test_errors_name_line_and_column_and_reject_the_import(tmp_path, lookup, membership):
    text = (
        "nom,insee,emplois,investissement\n"
        "Bon,59172,10,5\n"
        "Code inconnu,99999,10,5\n"
        "Emplois faux,59172,beaucoup,5\n"
        "Paris,75056,3,1\n"
        ",59172,1,1\n"
    )
    result = _import(_write_csv(tmp_path, text), lookup, membership)
    assert not result.accepted
    where = {(p.line, p.column): p.message for p in result.errors}
    assert "inconnu du COG 2026" in where[(3, "insee")]
    assert "nombre illisible « beaucoup »" in where[(4, "emplois")]
    assert "hors des Hauts-de-France et du Grand Est" in where[(5, "insee")]
    assert "nom du projet manquant" in where[(6, "nom")]
    assert str(result.errors[0]).startswith("projets.csv, ligne 3, colonne « insee » (2) : erreur :")


def test_lambert93_and_swapped_coordinates(tmp_path, lookup, membership):
    lon, lat = _point_in(lookup, "59172")  # Denain
    x, y = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True).transform(lon, lat)
    text = (
        f"nom;longitude;latitude;X;Y\nWGS84;{lon:.6f};{lat:.6f};;\n".replace(".", ",")
        + f"Inversé;{lat:.6f};{lon:.6f};;\n"
        + f"Lambert;;;{x:.1f};{y:.1f}\n"
        + "Paris;2,3488;48,8534;;\n"
        + "Nulle part;-70;12;;\n"
    )
    result = _import(_write_csv(tmp_path, text), lookup, membership)
    located = {p.line: p for p in result.problems}
    assert "inversées" in located[3].message and not located[3].is_error
    assert "hors des Hauts-de-France" in located[5].message and located[5].is_error
    assert "système inconnu" in located[6].message
    # The three good rows are all in Denain, placed by their coordinates.
    good = _import(_write_csv(tmp_path, "\n".join(text.splitlines()[:4]) + "\n", name="bons.csv"), lookup, membership)
    assert good.accepted, good.summary()
    assert set(good.rows["insee_com"]) == {"59172"}
    assert set(good.rows["localisation"]) == {"coordonnées"}
    assert good.rows.geometry.x.round(4).tolist() == [round(lon, 4)] * 3


def test_declared_lambert93_refuses_degrees(tmp_path, lookup, membership):
    path = _write_csv(tmp_path, "nom;x;y\nA;3,39;50,33\n")
    result = _import(path, lookup, membership, declared_crs="EPSG:2154")
    assert "attendu : Lambert-93" in result.errors[0].message


def test_commune_names_departements_and_former_communes(tmp_path, lookup, membership):
    text = (
        "nom;commune;département;insee\n"
        "Ambigu;Bazancourt;;\n"
        "Marne;Bazancourt;51;\n"
        "Accents;HENIN BEAUMONT;;\n"
        "Ancienne;;;02026\n"
        "Faute;Valencienes;59;\n"
    )
    result = _import(_write_csv(tmp_path, text), lookup, membership)
    problems = {p.line: p for p in result.problems}
    assert "ambigu" in problems[2].message and "Bazancourt (51, 51043)" in problems[2].message
    assert "Bazancourt (60, 60049)" in problems[2].message
    assert "rattachée à la commune actuelle 02458" in problems[5].message and not problems[5].is_error
    assert "vouliez-vous dire : Valenciennes (59)" in problems[6].message
    rows = result.rows.set_index("name")
    assert rows.loc["Marne", "insee_com"] == "51043"
    assert rows.loc["Accents", "insee_com"] == "62427"
    assert rows.loc["Ancienne", "insee_com"] == "02458"


def test_xlsx_with_numbers_as_excel_stores_them(tmp_path, lookup, membership):
    workbook = Workbook()
    workbook.active.append(["Projet", "Code commune", "Investissement (Md€)", "Emplois"])
    workbook.active.append(["Gigafactory", 2691, 1.6, 1200])
    workbook.active.append(["Texte", "59172", "12,5 M€", "1 200"])
    path = tmp_path / "projets.xlsx"
    workbook.save(path)
    result = _import(path, lookup, membership)
    assert result.accepted, result.summary()
    assert result.rows["investment_eur"].tolist() == [1_600_000_000, 12_500_000]
    assert result.warnings[0].column_ref == "B"


def test_geojson_projects(tmp_path, lookup, membership):
    lon, lat = _point_in(lookup, "62427")
    document = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"nom": "<script>alert(1)</script>", "emplois": 40},
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            }
        ],
    }
    path = tmp_path / "projets.geojson"
    path.write_text(json.dumps(document), encoding="utf-8")
    result = _import(path, lookup, membership)
    assert result.accepted
    assert result.rows.loc[0, "insee_com"] == "62427"
    # Text is kept as written; it is escaped where it is displayed (layers/).
    assert result.rows.loc[0, "name"] == "<script>alert(1)</script>"


def test_status_and_sector_groupings():
    assert status_category("abandoned (end 2024)") == "abandonné ou fermé"
    assert status_category("annoncé en 2024") == "annoncé"
    assert status_category(None) == "non renseigné"
    assert sector_family("recyclage de batteries") == "batteries"
    assert sector_family("logistique (non industriel)") == "non industriel"


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_cli_rejected_import_leaves_the_store_byte_identical(tmp_path, store_copy, capsys):
    before = _digest(store_copy.path)
    path = _write_csv(tmp_path, "nom;insee\nBon;59172\nMauvais;99999\n")
    assert main(["import", "projets", str(path), "--store", str(store_copy.path)]) == 1
    captured = capsys.readouterr()
    assert "ligne 3" in captured.out and "Import refusé" in captured.err
    assert _digest(store_copy.path) == before


def test_cli_dry_run_changes_nothing_and_apply_upserts(tmp_path, store_copy, capsys):
    before, count = _digest(store_copy.path), len(store_copy.read("projets"))
    path = _write_csv(tmp_path, "id;nom;insee;emplois\nP001;Verkor corrigé;59094;1500\nN1;Nouveau;59172;10\n")
    assert main(["import", "projets", str(path), "--dry-run", "--store", str(store_copy.path)]) == 0
    assert _digest(store_copy.path) == before
    assert main(["import", "projets", str(path), "--store", str(store_copy.path)]) == 1  # no account: refused
    assert "connectez-vous avec un compte éditeur" in capsys.readouterr().err
    assert len(store_copy.read("projets")) == count
    store_copy.accounts().add("service", role="editeur", password=None, display_name="Service", email="s@region.fr")
    assert main(["import", "projets", str(path), "--store", str(store_copy.path), "--compte", "service"]) == 0
    projets = store_copy.read("projets").set_index("project_id")
    assert len(projets) == count + 1  # P001 replaced, N1 added
    assert projets.loc["P001", "name"] == "Verkor corrigé" and projets.loc["P001", "jobs_announced"] == 1500
    assert projets.loc["N1", "origin"] == "projets.csv"
    assert f"Import appliqué : 2 projets ; {count + 1} projets" in capsys.readouterr().out


def test_a_source_that_is_not_a_web_address_is_refused_in_french(tmp_path, lookup, membership):
    text = (
        "nom,insee,source\n"
        "Bon,59172,https://www.example.org/a\n"
        "Script,59172,javascript:alert(1)\n"
        'Données,59172,"data:text/html;base64,PHNjcmlwdD4="\n'
        "Sans source,59172,\n"
    )
    result = _import(_write_csv(tmp_path, text), lookup, membership)
    where = {(p.line, p.column): p.message for p in result.errors}
    assert set(where) == {(3, "source"), (4, "source")}
    assert where[(3, "source")] == (
        "« javascript:alert(1) » n'est pas une adresse web : seules les adresses http:// ou https:// sont acceptées"
    )
