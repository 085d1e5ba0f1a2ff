"""Valid rows only, rejected rows handed back, and one ``apply_import`` for the CLI and the page, on both stores."""

from __future__ import annotations

import csv
import hashlib
import io
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from cli import main
from geo.analysis.projects import projects_from_file
from geo.errors import ImportRefusedError
from geo.imports.pipeline import REJECT_COLUMNS, rejected_csv
from geo.imports.tabular import MAX_IMPORT_BYTES, check_size
from geo.store import GeoPackageStore, PostgisStore, Store
from geo.store.accounts import WriteRefused
from geo.usecases.imports import apply_import, check_import
from tests.conftest import ROOT

TODAY = "2026-11-30"


@pytest.fixture(scope="module")
def codes(lookup) -> list[str]:
    """Real commune codes of the two regions, in a stable order."""
    return sorted(lookup.points.index)[:600]


@pytest.fixture(params=["geopackage", "postgis"])
def target(request, store, tmp_path) -> Iterator[Store]:
    """Each backend holding the real projects and the first foncier sites of the build."""
    layers = {
        "projets": store.read("projets"),
        "foncier": store.read("foncier").head(40),
        "foncier_audit": store.read("foncier_audit"),
    }
    if request.param == "geopackage":
        chosen: Store = GeoPackageStore(tmp_path / "cible.gpkg")
    else:
        chosen = PostgisStore(request.getfixturevalue("postgres_server").new_database())
    chosen.replace_all(layers)
    chosen.accounts().add("service", role="editeur", password=None, display_name="Service", email="s@region.fr")
    yield chosen
    chosen.close()


def _editor(store: Store):
    return store.accounts().get("service")


def _messy_projects(codes: list[str], *, rows: int = 500) -> str:
    """Semicolons, French numbers, a unit-suffix header, a blank line; an unknown INSEE code and a bad amount."""
    lines = ["Nom du projet;Code INSEE;investissement_meur;Emplois;Remarque"]
    for i in range(rows):
        code, amount = codes[i], f"{i % 40},5"
        if i == 120:
            code = "99999"  # unknown to the COG 2026
        if i == 301:
            amount = "douze"
        lines.append(f"Projet {i};{code};{amount};1 2{i % 10}0;remarque {i}")
        if i == 199:
            lines.append("")  # a blank line: not data, but it shifts the line numbers after it
    return "\r\n".join(lines) + "\r\n"


def _write(tmp_path: Path, text: str, name: str = "projets.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    return path


def _rows_of(content: bytes) -> list[dict[str, str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # a French Excel opens it as UTF-8
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))


def test_rejected_rows_keep_their_cells_line_column_and_reason(tmp_path, lookup, membership, codes):
    path = _write(tmp_path, _messy_projects(codes))
    result = projects_from_file(path, lookup=lookup, territoire_communes=membership)
    assert not result.accepted and result.valid_rows_applicable
    assert (result.n_read, len(result.rows), len(result.rejected)) == (500, 498, 2)
    assert "« investissement_meur » → investissement (€) (en millions d'euros)" in result.columns
    by_name = result.rows.set_index("name")
    assert by_name.loc["Projet 3", "investment_eur"] == 3_500_000  # "3,5" M€
    assert by_name.loc["Projet 3", "jobs_announced"] == 1230

    rejected = _rows_of(rejected_csv(result))
    assert list(rejected[0])[:3] == list(REJECT_COLUMNS)
    # line 1 is the header; row i is on line i + 2, and one more after the blank line
    assert [r["ligne d'origine"] for r in rejected] == ["122", "304"]
    assert rejected[0]["colonne en cause"] == "Code INSEE" and "99999 inconnu" in rejected[0]["motif du rejet"]
    assert rejected[1]["colonne en cause"] == "investissement_meur"
    assert "montant illisible « douze »" in rejected[1]["motif du rejet"]
    assert rejected[1]["Nom du projet"] == "Projet 301" and rejected[1]["Remarque"] == "remarque 301"
    # the id the row would have received: importing the corrected file later updates, never duplicates
    assert [r["identifiant"] for r in rejected] == ["projets:122", "projets:304"]


def test_corrected_rejects_come_back_with_the_ids_of_the_original_file(tmp_path, lookup, membership, codes):
    text = _messy_projects(codes, rows=130)
    result = projects_from_file(_write(tmp_path, text), lookup=lookup, territoire_communes=membership)
    rejects = tmp_path / "projets-rejets.csv"
    rejects.write_bytes(rejected_csv(result).replace(b";99999;", f";{codes[120]};".encode()))
    again = projects_from_file(rejects, lookup=lookup, territoire_communes=membership)
    assert again.accepted, again.summary()
    assert again.rows["project_id"].tolist() == ["projets:122"]
    assert "« ligne d'origine » ignorée (non reconnue)" in again.columns


def test_apply_without_the_option_changes_nothing_on_either_store(target, tmp_path, lookup, membership, codes):
    before = target.read("projets")
    path = _write(tmp_path, _messy_projects(codes))
    checked = check_import("projets", path, lookup=lookup, territoire_communes=membership)
    with pytest.raises(ImportRefusedError, match="import refusé \\(2 erreur"):
        apply_import(target, checked, account=_editor(target))
    with pytest.raises(WriteRefused, match="compte éditeur"):  # valid rows only, but nobody signed in
        apply_import(target, checked.choosing_valid_rows_only(True), account=None)
    pd.testing.assert_frame_equal(target.read("projets"), before)


def test_valid_rows_only_writes_the_same_projects_on_both_stores(target, tmp_path, lookup, membership, codes):
    before = target.read("projets")
    path = _write(tmp_path, _messy_projects(codes))
    checked = check_import("projets", path, lookup=lookup, territoire_communes=membership, valid_rows_only=True)
    applied = apply_import(target, checked, account=_editor(target))
    after = target.read("projets")
    assert (applied.added, applied.updated, applied.rejected, applied.total) == (498, 0, 2, len(before) + 498)
    assert len(after) == len(before) + 498
    assert set(before["project_id"]) <= set(after["project_id"])
    imported = after[after["origin"] == "projets.csv"].set_index("project_id")
    assert "projets:122" not in imported.index and "projets:304" not in imported.index
    assert imported.loc["projets:5", "investment_eur"] == 3_500_000  # line 5 = row 3
    assert imported.loc["projets:5", "insee_com"] == codes[3]
    assert "498 projets ; " in applied.summary() and "2 ligne(s) rejetée(s)" in applied.summary()
    # the same file again: every row replaced, none duplicated
    again = apply_import(target, checked, account=_editor(target))
    assert (again.added, again.updated, len(target.read("projets"))) == (0, 498, len(before) + 498)


def test_valid_rows_only_sites_are_audited_on_both_stores(target, tmp_path, lookup, membership, codes):
    text = "nom;insee;surface_m2\nTerrain A;" + codes[0] + ";8 000\nTerrain B;99999;2\nTerrain C;" + codes[1] + ";5\n"
    path = _write(tmp_path, text, "sites.csv")
    checked = check_import(
        "foncier", path, lookup=lookup, territoire_communes=membership, today=TODAY, valid_rows_only=True
    )
    assert [p.line for p in checked.result.errors] == [3]
    applied = apply_import(target, checked, account=_editor(target))
    assert (applied.added, applied.updated, applied.rejected, applied.total) == (2, 0, 1, 42)
    sites = target.read("foncier").set_index("site_id")
    assert sites.loc["sites:2", "surface_ha"] == pytest.approx(0.8)
    assert "sites:3" not in sites.index
    audit = target.read("foncier_audit")
    assert audit["site_id"].tolist() == ["sites:2", "sites:4"] and set(audit["author"]) == {"Service (service)"}
    assert "2 sites ajoutés, 0 corrigés" in applied.summary()


def test_an_error_about_the_whole_file_blocks_even_the_valid_rows(tmp_path, lookup, membership, codes, store):
    path = _write(tmp_path, f"commune_code;emplois\n{codes[0]};3\n")
    checked = check_import("projets", path, lookup=lookup, territoire_communes=membership, valid_rows_only=True)
    assert not checked.result.valid_rows_applicable and not checked.applicable
    with pytest.raises(ImportRefusedError, match="aucune ligne ne peut être importée .*nom du projet introuvable"):
        apply_import(store, checked, account=None)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store_copy(store, tmp_path):
    copy = tmp_path / "copie.gpkg"
    copy.write_bytes(store.path.read_bytes())
    copied = GeoPackageStore(copy)
    copied.accounts().add("service", role="editeur", password=None, display_name="Service", email="s@region.fr")
    return copied


def test_cli_valid_rows_only_writes_the_rejects_beside_the_file(tmp_path, store_copy, codes, capsys):
    path = _write(tmp_path, _messy_projects(codes))
    before, count = _digest(store_copy.path), len(store_copy.read("projets"))
    assert main(["import", "projets", str(path), "--compte", "service", "--store", str(store_copy.path)]) == 1
    assert "voir --valid-rows-only" in capsys.readouterr().err
    assert _digest(store_copy.path) == before and not (tmp_path / "projets-rejets.csv").exists()

    args = ["import", "projets", str(path), "--valid-rows-only", "--compte", "service"]
    assert main([*args, "--store", str(store_copy.path)]) == 0
    out = capsys.readouterr().out
    assert f"2 ligne(s) rejetée(s) écrite(s) avec leurs motifs dans {tmp_path / 'projets-rejets.csv'}" in out
    assert f"Import appliqué : 498 projets ; {count + 498} projets dans les données" in out
    assert [r["ligne d'origine"] for r in _rows_of((tmp_path / "projets-rejets.csv").read_bytes())] == ["122", "304"]
    assert len(store_copy.read("projets")) == count + 498


def test_cli_rejected_option_and_dry_run(tmp_path, store_copy, capsys):
    path = _write(tmp_path, "id;nom;insee;surface\nS1;Bon;59172;2\nS2;Mauvais;59172;beaucoup\n", "sites.csv")
    out = tmp_path / "a-corriger.csv"
    before = _digest(store_copy.path)
    args = ["import", "foncier", str(path), "--valid-rows-only", "--rejected", str(out), "--dry-run"]
    assert main([*args, "--store", str(store_copy.path)]) == 0
    assert "1 sites seraient importés" in capsys.readouterr().out
    assert _digest(store_copy.path) == before
    rejected = _rows_of(out.read_bytes())
    assert [(r["ligne d'origine"], r["id"], r["colonne en cause"]) for r in rejected] == [("3", "S2", "surface")]
    assert main(["import", "foncier", str(path), "--rejected", str(out), "--store", str(store_copy.path)]) == 2
    assert "--rejected s'utilise avec --valid-rows-only" in capsys.readouterr().err
    assert main(["import", "foncier", str(path), "--valid-rows-only", "--rejected", str(path)]) == 1
    assert "doit être un nouveau fichier .csv" in capsys.readouterr().err
    assert path.read_bytes().startswith(b"\xef\xbb\xbfid;nom")  # the input was not overwritten


def test_upload_limit_is_50_mo_in_the_check_and_streamlit_s_box_lets_the_page_say_it_in_french():
    check_size(MAX_IMPORT_BYTES, "juste.csv")  # exactly at the limit: accepted
    with pytest.raises(ImportRefusedError) as error:
        check_size(MAX_IMPORT_BYTES + 300 * 1024, "gros.csv")
    assert str(error.value) == (
        "gros.csv : fichier trop volumineux (50,3 Mo) ; la limite est de 50 Mo. Découpez-le en plusieurs fichiers."
    )
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    # Streamlit (counting in MiB) refuses bigger files in the browser, in English: up to twice the limit,
    # the file reaches the page, whose check_size answers in French.
    assert config["server"]["maxUploadSize"] * 1024**2 == 2 * MAX_IMPORT_BYTES
