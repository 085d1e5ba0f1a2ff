"""Import of the user's own site lists: same formats, location rules and French reports as projects; audited."""

from __future__ import annotations

import hashlib

import pytest
from pyproj import Transformer

from cli import main
from geo.analysis.foncier import sites_from_file
from geo.store import GeoPackageStore

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


@pytest.fixture
def store_copy(store, tmp_path):
    copy = tmp_path / "copie.gpkg"
    copy.write_bytes(store.path.read_bytes())
    return GeoPackageStore(copy)


def _csv(tmp_path, text, name="sites.csv", encoding="cp1252"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_french_site_list_with_units_codes_and_lambert93(tmp_path, lookup, store):
    x, y = TO_L93.transform(*lookup.points["59172"].coords[0])  # Denain, in Lambert-93
    path = _csv(
        tmp_path,
        "Nom du site;Code INSEE;X;Y;Surface (m²);Zonage;Distance voie ferrée (km)\n"
        f"Friche Cail;;{x:.1f};{y:.1f};8 000;UX;1,2\n"
        "Ancienne sucrerie;2691;;;12,5 ha;AU;\n",
    )
    result = sites_from_file(
        path, lookup=lookup, territoire_communes=store.read("territoire_communes"), today="2026-11-23"
    )
    assert result.accepted, result.summary()
    rows = result.rows.set_index("nom")
    assert rows.loc["Friche Cail", "insee_com"] == "59172"
    assert rows.loc["Friche Cail", "surface_ha"] == pytest.approx(0.8)
    assert rows.loc["Friche Cail", "distance_rail_m"] == pytest.approx(1200)
    assert rows.loc["Ancienne sucrerie", "insee_com"] == "02691"  # leading zero restored, with a warning
    assert rows.loc["Ancienne sucrerie", "surface_ha"] == 12.5
    assert rows.loc["Ancienne sucrerie", "kind"] == "site importé"
    assert rows.loc["Ancienne sucrerie", "ti_phase2"]  # joined to its territories
    assert any("02691" in p.message for p in result.warnings)
    assert "« Surface (m²) » → surface (ha) (en m², convertis en hectares)" in result.columns


def test_bad_cells_are_reported_with_line_and_column(tmp_path, lookup, store):
    path = _csv(tmp_path, "nom;insee;surface\nA;59172;-3\nB;99999;2\n;59172;1\n")
    result = sites_from_file(
        path, lookup=lookup, territoire_communes=store.read("territoire_communes"), today="2026-11-23"
    )
    assert not result.accepted
    found = {(p.line, p.column): p.message for p in result.errors}
    assert "négative" in found[(2, "surface")]
    assert (3, "insee") in found
    assert "nom du site manquant" in found[(4, "nom")]


def test_cli_rejected_import_leaves_the_store_byte_identical(tmp_path, store_copy, capsys):
    before = _digest(store_copy.path)
    path = _csv(tmp_path, "nom;insee;surface\nBon;59172;2\nMauvais;59172;beaucoup\n")
    assert main(["import", "foncier", str(path), "--store", str(store_copy.path)]) == 1
    captured = capsys.readouterr()
    assert "ligne 3" in captured.out and "surface illisible" in captured.out and "Import refusé" in captured.err
    assert _digest(store_copy.path) == before


def test_cli_dry_run_then_apply_is_audited_and_reimport_updates(tmp_path, store_copy, capsys):
    before = _digest(store_copy.path)
    path = _csv(tmp_path, "id;nom;insee;surface\nS1;Terrain nord;59172;4\nS2;Terrain sud;59094;6\n")
    assert main(["import", "foncier", str(path), "--dry-run", "--store", str(store_copy.path)]) == 0
    assert _digest(store_copy.path) == before
    n_before = len(store_copy.read("foncier"))
    # Applying needs an editor account: none given, or a reader's, and nothing changes.
    assert main(["import", "foncier", str(path), "--store", str(store_copy.path)]) == 1
    assert "connectez-vous avec un compte éditeur" in capsys.readouterr().err
    accounts = store_copy.accounts()
    accounts.add("service", role="editeur", password=None, display_name="Service foncier", email="foncier@region.fr")
    accounts.add("lea", role="lecteur", password="un mot de passe assez long")
    assert main(["import", "foncier", str(path), "--store", str(store_copy.path), "--compte", "lea"]) == 1
    assert "lecture seule" in capsys.readouterr().err
    assert _digest(store_copy.path) != before  # the accounts were written…
    assert len(store_copy.read("foncier_audit")) == 0  # …but no site
    assert main(["import", "foncier", str(path), "--store", str(store_copy.path), "--compte", "service"]) == 0
    assert "2 sites ajoutés, 0 corrigés" in capsys.readouterr().out
    path = _csv(tmp_path, "id;nom;insee;surface\nS1;Terrain nord;59172;5\n", name="maj.csv")
    assert main(["import", "foncier", str(path), "--store", str(store_copy.path), "--compte", "service"]) == 0
    sites = store_copy.read("foncier").set_index("site_id")
    assert len(sites) == n_before + 2
    assert (sites.loc["S1", "surface_ha"], sites.loc["S1", "version"]) == (5.0, 2)
    audit = store_copy.read("foncier_audit")
    assert audit["action"].tolist() == ["ajout", "ajout", "correction"]
    assert set(audit["author"]) == {"Service foncier (service)"}


def test_a_site_source_that_is_not_a_web_address_is_refused(tmp_path, lookup, store):
    path = _csv(tmp_path, "nom;insee;lien\nA;59172;https://www.example.org\nB;59172;JavaScript:alert(1)\n")
    result = sites_from_file(
        path, lookup=lookup, territoire_communes=store.read("territoire_communes"), today="2026-11-23"
    )
    assert [(p.line, p.column) for p in result.errors] == [(3, "lien")]
    assert "n'est pas une adresse web" in result.errors[0].message
