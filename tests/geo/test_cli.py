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
