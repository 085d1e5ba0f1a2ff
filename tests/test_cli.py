"""The reindus command line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cli import _parser, main


def _subcommands():
    parser = _parser()
    action = next(a for a in parser._actions if a.dest == "command")
    return sorted(action.choices)


@pytest.mark.parametrize("command", _subcommands())
def test_every_command_has_french_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : reindus") and "affiche cette aide et quitte" in out and len(out) > 80
    assert not any(word in out for word in ("usage:", "positional arguments", "show this help"))


def test_numbers_are_read_the_french_way_and_mistakes_said_in_french(store, capsys):
    common = ["foncier", "--autour", "Denain", "--store", str(store.path), "--premiers", "3"]
    assert main([*common, "--rayon", "12,5", "--surface-min", "2,5", "--rail", "1,5 km"]) == 0
    french = capsys.readouterr()
    assert main([*common, "--rayon", "12.5", "--surface-min", "2.5", "--rail", "1500"]) == 0
    assert capsys.readouterr() == french  # the same search, written either way
    assert "à moins de 12,5 km de Denain" in french.err

    for wrong, said in (
        (["--surface-min", "deux"], "argument --surface-min : surface illisible « deux »"),
        (["--rail", "1.500"], "argument --rail : nombre ambigu « 1.500 »"),
        (["--format", "pdf"], "argument --format : choix invalide : 'pdf' (au choix : 'csv', 'json')"),
    ):
        with pytest.raises(SystemExit) as exit_info:
            main([*common, *wrong])
        assert exit_info.value.code == 2
        err = capsys.readouterr().err
        assert f"reindus foncier : erreur : {said}" in err and "utilisation : reindus foncier" in err, err


def test_build_with_missing_sources_fails_with_french_message(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "cli", "build", "--sources", str(tmp_path), "--out", str(tmp_path / "x.gpkg")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "Erreur : Sources introuvables" in result.stderr
    assert not (tmp_path / "x.gpkg").exists()


def test_layers_lists_counts(store, capsys):
    assert main(["layers", "--store", str(store.path)]) == 0
    out = capsys.readouterr().out
    assert "epci " in out and " 242" in out


def test_publish_tiles_publishes_the_store_archive_and_says_when_it_is_missing(tmp_path, capsys, monkeypatch):
    from geo import settings

    monkeypatch.setattr(settings, "PUBLISHED_TILES_DIR", tmp_path / "static" / "tiles")
    monkeypatch.delenv("REINDUS_TILES", raising=False)
    monkeypatch.delenv("REINDUS_DATABASE_URL", raising=False)
    assert main(["publish-tiles", "--store", str(tmp_path / "reindus.gpkg")]) == 1
    assert "Archive des tuiles absente" in capsys.readouterr().err
    (tmp_path / "reindus.pmtiles").write_bytes(b"PMTiles")
    assert main(["publish-tiles", "--store", str(tmp_path / "reindus.gpkg")]) == 0
    (published,) = (tmp_path / "static" / "tiles").iterdir()
    assert str(published) in capsys.readouterr().out


def test_users_are_managed_from_the_cli_with_the_password_never_in_an_argument(tmp_path, capsys, monkeypatch):
    import io

    from geo.store import GeoPackageStore
    from tests.small_data import small_layers

    path = tmp_path / "comptes.gpkg"
    GeoPackageStore(path).replace_all(small_layers())
    monkeypatch.setattr("sys.stdin", io.StringIO("mot de passe de l'admin\n"))  # not a terminal: one line read
    assert main(["users", "add", "Anne", "--role", "admin", "--nom", "Anne Admin", "--store", str(path)]) == 0
    assert "Compte « anne » créé (administrateur)" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO("court\n"))
    assert main(["users", "add", "bob", "--role", "editeur", "--store", str(path)]) == 1
    assert "trop court" in capsys.readouterr().err
    assert main(["users", "add", "sso", "--role", "editeur", "--sans-mot-de-passe", "--store", str(path)]) == 1
    assert "adresse e-mail" in capsys.readouterr().err
    assert main(["users", "set-role", "anne", "editeur", "--store", str(path)]) == 0
    assert main(["users", "disable", "anne", "--store", str(path)]) == 0
    capsys.readouterr()
    assert main(["users", "list", "--store", str(path)]) == 0
    listing = capsys.readouterr().out
    assert "Anne Admin" in listing and "éditeur" in listing and " non " in listing
    assert "argon2" not in listing and "mot de passe de l'admin" not in listing
    with pytest.raises(SystemExit):  # no argument takes a password
        main(["users", "add", "carl", "--role", "editeur", "--password", "x", "--store", str(path)])


def test_export_projets_writes_the_curated_schema_with_the_editors_corrections(store, tmp_path, capsys):
    import pandas as pd

    from geo.analysis.projects import CURATED_PATH
    from geo.usecases.project_edits import EditSource, SeenProject, update_status
    from tests.conftest import copy_store

    shipped = pd.read_csv(CURATED_PATH, dtype=str, keep_default_na=False)
    copy = copy_store(store, tmp_path / "copie.gpkg")
    editor = copy.accounts().add("camille", role="editeur", password="mot-de-passe-de-test")
    row = copy.read("projets").set_index("project_id", drop=False).loc["P001"]
    source = EditSource("https://example.org/verkor-2026", "2026-11-15")
    update_status(copy, SeenProject.from_row(row.to_dict()), "en service, 2e ligne lancée", source, account=editor)
    out = tmp_path / "projets.csv"
    assert main(["export", "projets", "--out", str(out), "--store", str(copy.path)]) == 0
    assert "au format de data/projets.csv" in capsys.readouterr().out
    exported = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(exported.columns) == list(shipped.columns)
    by_id = exported.set_index("project_id")
    assert (
        by_id.at["P001", "status"] == "en service, 2e ligne lancée" and by_id.at["P001", "status_date"] == "2026-11-15"
    )
    untouched = shipped.set_index("project_id").drop(index="P001")
    assert by_id.drop(index="P001").loc[untouched.index].equals(untouched)  # every other cell as shipped
    assert subprocess.run([sys.executable, "cli.py", "check-data", str(out)], capture_output=True).returncode == 0


def test_stats_by_zone_emploi_gives_the_measured_industrial_jobs(store, capsys):
    import io

    import pandas as pd

    args = ["stats", "--by", "zone-emploi", "--measure", "emploi-industriel", "--annee", "2024"]
    assert main([*args, "--store", str(store.path)]) == 0
    captured = capsys.readouterr()
    table = pd.read_csv(io.StringIO(captured.out), dtype={"code": str}).set_index("nom")
    assert (table.at["Valenciennes", "emploi_industriel"], table.at["Dunkerque", "emploi_industriel"]) == (
        27_100,
        22_265,
    )
    assert "sans employeurs publics ni emplois agricoles" in captured.err
    # By EPCI the sources give the share of industry and the private jobs, not industrial job counts: said so.
    assert main(["stats", "--by", "epci", "--measure", "emploi-industriel", "--store", str(store.path)]) == 0
    captured = capsys.readouterr()
    by_siren = pd.read_csv(io.StringIO(captured.out), dtype={"code": str}).set_index("code")
    assert by_siren.loc["200042190", "part_industrie_2022_pct"] == pytest.approx(20.9, abs=0.05)
    assert by_siren.loc["200042190", "emploi_prive"] == 31_189
    assert "pas le nombre d'emplois industriels" in captured.err
    assert main(["stats", "--by", "departement", "--measure", "emploi-industriel", "--store", str(store.path)]) == 2
