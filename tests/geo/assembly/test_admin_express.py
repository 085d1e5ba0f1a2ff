"""The full-precision ADMIN EXPRESS COG: an archive in the Géoplateforme's layout, served on 127.0.0.1, downloaded,
its commune layer read for the départements asked, and its outlines drawing the communes they fit."""

from __future__ import annotations

import dataclasses

import geopandas as gpd
import pandas as pd
import py7zr
import pytest
import shapely

from geo import cog
from geo.assembly import admin_express, boundaries
from geo.assembly.pipeline import ADMIN_EXPRESS_KEY, _read_commune_tables, commune_outlines, metadata_table
from geo.assembly.sources import download, load_manifest, require
from geo.crs import LAMBERT93, WGS84
from geo.errors import DownloadError, SourceMissingError

EDITION = "ADMIN-EXPRESS-COG_3-2__SHP_WGS84G_FRA_2025-04-02"
LAYERS = f"{EDITION}/ADMIN-EXPRESS-COG/1_DONNEES_LIVRAISON_2025-04-00000/ADECOG_3-2_SHP_WGS84G_FRA-ED2025-04-02"
VALENCIENNES, ANZIN, ARRAS = "59606", "59014", "62041"


@pytest.fixture(scope="module")
def outlines_2018(raw_sources) -> gpd.GeoDataFrame:
    """Three communes' 2018 outlines (WGS84), with a vertex every 20 m or less: finer than any the build has."""
    frames = [
        gpd.read_file(raw_sources / "communes-2018" / name) for name in ("59-nord.geojson", "62-pas-de-calais.geojson")
    ]
    communes = pd.concat(frames, ignore_index=True)
    communes = communes[communes["code"].isin([VALENCIENNES, ANZIN, ARRAS])].to_crs(LAMBERT93)
    communes["geometry"] = shapely.segmentize(communes.geometry.to_numpy(), 20.0)
    return communes.to_crs(WGS84)


@pytest.fixture(scope="module")
def archive(outlines_2018, tmp_path_factory):
    """An archive laid out as the IGN's: the communes, their town halls (``CHFLIEU_COMMUNE``) and an EPCI layer."""
    folder = tmp_path_factory.mktemp("admin-express")
    layers = folder / LAYERS
    layers.mkdir(parents=True)
    communes = gpd.GeoDataFrame(
        {
            "INSEE_COM": outlines_2018["code"].to_numpy(),
            "INSEE_DEP": outlines_2018["code"].str[:2].to_numpy(),
            "NOM": outlines_2018["nom"].to_numpy(),
        },
        geometry=outlines_2018.geometry.to_numpy(),
        crs=WGS84,
    )
    communes.to_file(layers / "COMMUNE.shp", encoding="utf-8")
    town_halls = communes.assign(geometry=communes.geometry.representative_point())
    town_halls.to_file(layers / "CHFLIEU_COMMUNE.shp", encoding="utf-8")
    communes.dissolve().to_file(layers / "EPCI.shp", encoding="utf-8")
    path = folder / f"{EDITION}.7z"
    with py7zr.SevenZipFile(path, "w") as seven_zip:
        seven_zip.writeall(folder / EDITION, EDITION)
    return path


def test_the_archive_is_downloaded_and_its_communes_read_for_the_departements_asked(archive, serve, tmp_path):
    source = load_manifest()[ADMIN_EXPRESS_KEY]
    assert source.optional and source.url.startswith("https://data.geopf.fr/telechargement/download/ADMIN-EXPRESS-COG/")
    assert source.url.endswith(f"/{EDITION}.7z") and source.path.endswith(f"/{EDITION}.7z")
    (path,) = download([dataclasses.replace(source, url=serve(archive.parent) + f"/{archive.name}")], tmp_path)
    assert path == tmp_path / source.path and path.read_bytes() == archive.read_bytes()

    nord = admin_express.read_communes(path, ["59"])
    assert sorted(nord["code"]) == [ANZIN, VALENCIENNES]  # the town halls and the EPCI are other layers
    assert nord.crs == LAMBERT93
    assert nord.set_index("code").area[VALENCIENNES] == pytest.approx(13.84e6, rel=0.05)  # COG: 13,84 km²
    assert sorted(admin_express.read_communes(path, ["59", "62"])["code"]) == [ANZIN, VALENCIENNES, ARRAS]


def test_a_page_in_place_of_the_archive_is_refused_in_french(serve, tmp_path):
    published = tmp_path / "published"
    published.mkdir()
    (published / "archive.7z").write_text("<html><body>Service indisponible</body></html>", encoding="utf-8")
    source = dataclasses.replace(load_manifest()[ADMIN_EXPRESS_KEY], url=serve(published) + "/archive.7z")
    with pytest.raises(DownloadError, match="n'est pas une archive 7-Zip"):
        download([dataclasses.replace(source, optional=False)], tmp_path / "cache")
    assert not (tmp_path / "cache" / source.path).exists()  # nothing half-written is left for the build


def test_an_archive_without_a_commune_layer_is_said_in_french(tmp_path):
    path = tmp_path / "autre.7z"
    with py7zr.SevenZipFile(path, "w") as seven_zip:
        seven_zip.writestr("rien d'utile", "LISEZMOI.txt")
    with pytest.raises(SourceMissingError, match=r"ne contient pas une couche des communes \(COMMUNE\.shp\)"):
        admin_express.read_communes(path, ["59"])


def test_its_outlines_draw_the_communes_they_fit_and_are_cited(archive, outlines_2018, raw_sources, tmp_path, store):
    sources = tmp_path / "sources"
    sources.mkdir()
    for entry in raw_sources.iterdir():
        (sources / entry.name).symlink_to(entry)
    manifest = load_manifest()
    (sources / manifest[ADMIN_EXPRESS_KEY].path).parent.mkdir()
    (sources / manifest[ADMIN_EXPRESS_KEY].path).symlink_to(archive)
    paths = require(sources, [key for key, source in manifest.items() if not source.optional], manifest)
    cog_communes = cog.communes_from_cog(paths["cog2026_communes"])
    scope = boundaries.communes_in_scope(cog_communes, cog.epci_from_cog(paths["cog2026_epci"])[1])

    outlines = commune_outlines(manifest, paths, sources, scope, cog_communes, _read_commune_tables(paths))

    drawn = outlines.communes_l93.set_index("code").geometry
    finest = outlines_2018.set_index("code").to_crs(LAMBERT93).geometry
    for code in (VALENCIENNES, ANZIN):
        assert drawn[code].symmetric_difference(finest[code]).area < 1.0  # m²: the archive's outline, as read
        assert shapely.get_num_coordinates(drawn[code]) > 2 * shapely.get_num_coordinates(
            store.read("communes").set_index("code").geometry[code]
        )
    assert any("IGN – ADMIN EXPRESS COG 2025 (pleine précision)" in note for note in outlines.notes)

    cited = metadata_table(manifest, sources_dir=sources, projets=store.read("projets")).set_index("key")
    assert "communes" in cited.loc[ADMIN_EXPRESS_KEY, "layers"].split(";")
    not_downloaded = metadata_table(manifest, sources_dir=raw_sources, projets=store.read("projets")).set_index("key")
    assert not_downloaded.loc[ADMIN_EXPRESS_KEY, "layers"] == ""  # listed, but cited by no layer
