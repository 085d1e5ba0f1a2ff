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
    assert "usage" in out and len(out) > 80


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
