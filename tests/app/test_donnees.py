"""AppTest of the Données page: a visitor gets an explanation and no upload box (so no file is read for
them); a signed-in editor gets the box."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.app.conftest import PASSWORD
from tests.conftest import ROOT


def _donnees_page() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.run()
    app.switch_page("app_pages/donnees.py").run()
    assert not app.exception, app.exception
    return app


def test_a_visitor_gets_no_upload_box_and_an_editor_does(with_accounts):
    app = _donnees_page()
    assert app.get("file_uploader") == []
    assert any("Le dépôt de fichiers est réservé aux éditeurs" in info.value for info in app.info)
    assert not [m.value for m in app.markdown if "Session key" in m.value]  # no Streamlit "magic" writing a docstring

    app.text_input(key="identifiant").set_value("lea")  # a reader: still no box
    app.text_input(key="mot_de_passe").set_value(PASSWORD)
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception
    assert app.get("file_uploader") == []

    app.sidebar.button(key="deconnexion").click().run()
    app.text_input(key="identifiant").set_value("camille")
    app.text_input(key="mot_de_passe").set_value(PASSWORD)
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception
    assert len(app.get("file_uploader")) == 1
    assert not app.info or all("réservé aux éditeurs" not in info.value for info in app.info)


PROJECTS_CSV = b"nom;insee;emplois\nAtelier A;59172;12\nAtelier B;59350;3\n"


def _spy_use_cases(monkeypatch) -> dict[str, list]:
    """Record every check and apply of an import, and every file read, while letting them run."""
    from geo.imports import pipeline
    from geo.usecases import imports

    calls: dict[str, list] = {"check": [], "apply": [], "read": []}
    real_check, real_apply, real_read = imports.check_import, imports.apply_import, pipeline.read_table

    def check(table, source, **kwargs):
        calls["check"].append(table)
        report = real_check(table, source, **kwargs)
        calls["check"][-1] = (table, report)
        return report

    def apply(store, checked, *, account):
        calls["apply"].append(checked)
        return real_apply(store, checked, account=account)

    def read(source, **kwargs):
        calls["read"].append(kwargs.get("name"))
        return real_read(source, **kwargs)

    monkeypatch.setattr(imports, "check_import", check)
    monkeypatch.setattr(imports, "apply_import", apply)
    monkeypatch.setattr(pipeline, "read_table", read)
    return calls


def _signed_in_editor() -> AppTest:
    app = _donnees_page()
    app.text_input(key="identifiant").set_value("camille")
    app.text_input(key="mot_de_passe").set_value(PASSWORD)
    app.sidebar.button[0].click().run()
    assert not app.exception, app.exception
    return app


def test_the_import_button_applies_the_checked_report_without_reading_the_file_again(with_accounts, monkeypatch):
    calls = _spy_use_cases(monkeypatch)
    before = len(with_accounts.read("projets"))
    app = _signed_in_editor()
    app.file_uploader(key="fichier_projets").set_value(("ateliers.csv", PROJECTS_CSV, "text/csv")).run()
    assert not app.exception, app.exception
    assert calls["read"] == ["ateliers.csv"] and [table for table, _ in calls["check"]] == ["projets"]
    (button,) = [b for b in app.button if b.label == "Importer 2 projets"]
    button.click().run()
    assert not app.exception, app.exception
    assert calls["read"] == ["ateliers.csv"]  # the click's rerun read nothing
    (applied,) = calls["apply"]
    assert applied.result is calls["check"][0][1].result  # exactly the rows the editor was shown
    assert any("Import appliqué : 2 projets" in success.value for success in app.success)
    projets = with_accounts.read("projets").set_index("project_id")
    assert len(projets) == before + 2 and projets.loc["ateliers:3", "insee_com"] == "59350"


def test_the_cli_and_the_page_check_through_the_same_use_case(with_accounts, monkeypatch, tmp_path, capsys):
    from cli import main

    calls = _spy_use_cases(monkeypatch)
    path = tmp_path / "sites.csv"
    path.write_bytes(b"nom;insee;surface\nFriche;59172;2\n")
    assert main(["import", "foncier", str(path), "--crs", "2154", "--dry-run", "--store", str(with_accounts.path)]) == 0
    assert "1 sites seraient importés" in capsys.readouterr().out

    app = _signed_in_editor()
    app.radio(key="jeu").set_value("foncier").run()
    app.radio(key="systeme").set_value("2154").run()
    app.file_uploader(key="fichier_projets").set_value(("sites.csv", path.read_bytes(), "text/csv")).run()
    assert not app.exception, app.exception
    assert [(table, report.schema.noun) for table, report in calls["check"]] == [("foncier", "sites")] * 2
    cli_report, page_report = (report for _, report in calls["check"])
    assert cli_report.result.rows.drop(columns="geometry").equals(page_report.result.rows.drop(columns="geometry"))
    assert cli_report.result.summary() == page_report.result.summary()
    assert [b.label for b in app.button if b.label.startswith("Importer")] == ["Importer 1 sites"]
