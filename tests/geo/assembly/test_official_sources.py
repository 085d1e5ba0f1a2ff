"""The two official sources that replace approximations: the Mission Bassin Minier contour and the
France Relance barometer by département, on the real build."""

from __future__ import annotations

import dataclasses
import json
import shutil

import geopandas as gpd
import pandas as pd
import pytest

from cli import main
from geo.assembly import relance
from geo.assembly.sources import download, load_manifest
from geo.crs import LAMBERT93

MBM = "mission-bassin-minier"


@pytest.fixture(scope="module")
def bassin_minier(store):
    territories = store.read("territoires")
    row = territories[territories["territory_id"] == "bassin-minier"].iloc[0]
    links = store.read("territoire_communes")
    return row, set(links.loc[links["territory_id"] == "bassin-minier", "code"])


def test_bassin_minier_is_the_mission_contour(bassin_minier, raw_sources, store):
    row, members = bassin_minier
    contour = gpd.read_file(raw_sources / MBM / "bassin-minier.geojson").to_crs(LAMBERT93)
    assert row["area_km2"] == pytest.approx(contour.area.sum() / 1e6, rel=0.01)
    # The 250 current communes covering the contour include every commune the Mission's layer lists inside it.
    listed = pd.read_csv(raw_sources / MBM / "communes_mission_bassin_minier.csv", dtype=str)
    assert set(listed.loc[listed["dans_contour_bassin_minier"] == "1", "insee"]) <= members
    assert len(members) == row["n_communes"] == 250
    assert row["population"] == pytest.approx(1_180_000, rel=0.02)
    current = set(store.read("communes")["code"])
    assert members <= current
    assert "227" in row["approximation"] and "BUD" in row["approximation"]


def test_bud_zoning_stays_a_layer_of_its_own(store):
    territories = store.read("territoires")
    bud = territories[territories["territory_id"] == "zonage-bud-bassin-minier"].iloc[0]
    assert bud["n_communes"] == 159 and bud["kind"] == "zonage"


def test_relance_by_departement_from_the_cli(store, capsys):
    assert (
        main(["stats", "--by", "departement", "--measure", "relance", "--format", "json", "--store", str(store.path)])
        == 0
    )
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    by_code = {row["departement"]: row for row in document["departements"]}
    assert by_code["59"]["entreprises"] == 287 and by_code["55"]["entreprises"] == 24
    assert document["totaux"] == {"32": 781, "44": 684, "total": 1465}
    assert by_code["59"]["date"] == "2022-12-31" and len(by_code) == 15
    assert "des entreprises, pas des montants" in captured.err
    assert main(["stats", "--by", "epci", "--measure", "relance", "--store", str(store.path)]) == 2


def test_monthly_series_covers_2020_to_2022(store):
    series = store.read("relance_mensuel")
    assert len(series) == 15 * 36 and series["date"].min() == "2020-01-31" and series["date"].max() == "2022-12-31"
    nord = series[series["departement"] == "59"].sort_values("date")
    assert int(nord["entreprises"].iloc[-1]) == 287


def test_official_barometer_file_downloads_and_reads_the_same(tmp_path, raw_sources, serve):
    """The manifest's URL is the barometer's full synthesis (every indicator, every département): the reader
    keeps the France Relance rows, so the published file and the extract give the same table."""
    published = tmp_path / "published"
    published.mkdir()
    extract = (
        raw_sources / "france-relance-barometre" / "barometre_france_relance_entreprises_beneficiaires_synthese_dep.csv"
    )
    rows = pd.read_csv(extract, dtype=str, keep_default_na=False)
    other = rows.assign(id_indicateur="nb-primes-conversion", valeur_actuelle="17001.0")
    pd.concat([other, rows]).to_csv(published / "barometre-resultats-synthese-departemental.csv", index=False)
    base = serve(published)
    manifest = load_manifest()["relance_synthese"]
    assert manifest.url.endswith("/barometre-resultats-synthese-departemental.csv")
    source = dataclasses.replace(manifest, url=f"{base}/barometre-resultats-synthese-departemental.csv")
    (downloaded,) = download([source], tmp_path / "cache")
    table = relance.latest_by_departement(pd.read_csv(downloaded, dtype=str), ["55", "59"])
    assert table["entreprises"].tolist() == [24, 287]
    shutil.rmtree(published)
