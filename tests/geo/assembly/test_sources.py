"""Sources manifest and download, against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import filecmp

import pytest

from geo.assembly import sources
from geo.assembly.sources import Source, download, load_manifest, require
from geo.errors import DownloadError, SourceMissingError
from tests.conftest import CountingHandler


def test_manifest_declares_every_source_with_licence_and_vintage():
    manifest = load_manifest()
    assert {"cog2026_communes", "cog2026_epci", "communes_geometry", "ti_phase1", "ti_phase2"} <= set(manifest)
    for source in manifest.values():
        assert source.attribution and source.vintage and source.licence, source.key


def test_require_lists_every_missing_file_in_french(tmp_path):
    with pytest.raises(SourceMissingError) as caught:
        require(tmp_path, ["cog2026_communes", "ti_phase2"])
    message = str(caught.value)
    assert "Sources introuvables" in message
    assert "communes.json" in message and "ti_phase2_epci_hdf_grandest.csv" in message
    assert "--sources" in message


def test_download_through_mirror_gives_a_sources_directory_the_build_accepts(tmp_path, raw_sources, serve):
    base = serve(raw_sources)
    cache = tmp_path / "cache"
    lines: list[str] = []
    files = download(load_manifest().values(), cache, mirror=base, progress=lines.append)
    # The official URSSAF file is optional and not in the shared folder: asked for, missing, reported, skipped.
    optional = [s.path for s in load_manifest().values() if s.optional]
    assert len(files) == len(CountingHandler.requests) - len(optional) >= 25
    for path in files:
        relative = path.relative_to(cache)
        assert filecmp.cmp(path, raw_sources / relative, shallow=False), relative
    assert all("téléchargement" in line or "facultatif, non téléchargé" in line for line in lines)
    assert sum("facultatif" in line for line in lines) == len(optional)

    # Second call: everything is cached, nothing is fetched but the optional file still missing.
    CountingHandler.requests.clear()
    download(load_manifest().values(), cache, mirror=base, progress=lines.append)
    assert [request.lstrip("/") for request in CountingHandler.requests] == optional

    # The cache is a sources directory the build accepts: every file it needs is there, byte for byte the shared
    # folder's (compared above), so it builds the same map (a whole build from it took 24 s of the suite).
    manifest = load_manifest()
    keys = [key for key, source in manifest.items() if not source.optional]
    needed = require(cache, keys, manifest)
    assert sorted(needed) == sorted(keys) and all(path.is_relative_to(cache) for path in needed.values())


def test_official_url_templates_per_departement(tmp_path, raw_sources, serve):
    base = serve(raw_sources)
    source = _ign_source(
        "communes_2018",
        "communes-2018",
        base + "/communes-2018/{departement}-x.geojson",
        files=(("02", "02-aisne.geojson"),),
    )
    with pytest.raises(DownloadError, match="HTTP 404"):
        download([source], tmp_path)
    assert CountingHandler.requests == ["/communes-2018/02-x.geojson"]
    assert list(tmp_path.rglob("*")) == [tmp_path / "communes-2018"]  # no partial file left


def test_html_error_page_is_not_taken_for_json(tmp_path, serve):
    served = tmp_path / "served"
    (served / "decoupage-administratif-2026").mkdir(parents=True)
    (served / "decoupage-administratif-2026" / "communes.json").write_text("<html>Maintenance</html>")
    cache = tmp_path / "cache"
    with pytest.raises(DownloadError, match="JSON invalide"):
        download([load_manifest()["cog2026_communes"]], cache, mirror=serve(served))
    assert not any(path.is_file() for path in cache.rglob("*"))


def test_source_without_official_copy_needs_a_mirror(tmp_path):
    with pytest.raises(DownloadError, match="--mirror"):
        download([load_manifest()["communes_geometry"]], tmp_path)


def test_a_large_download_tells_its_progress_every_tenth(tmp_path, serve, monkeypatch):
    published = tmp_path / "published"
    published.mkdir()
    (published / "gros.7z").write_bytes(sources.SEVEN_ZIP_SIGNATURE + bytes(10 * (1 << 20) - 6))  # 10 Mio
    monkeypatch.setattr(sources, "PROGRESS_MIN_BYTES", 1 << 20)  # 50 Mio in the app: scaled down
    source = _ign_source("gros", "gros/gros.7z", serve(published) + "/gros.7z")
    lines: list[str] = []
    download([source], tmp_path / "cache", progress=lines.append)
    told = [line.strip() for line in lines[1:]]
    assert told == [f"{tenth} Mo sur 10 Mo ({tenth * 10} %)" for tenth in range(1, 11)], lines
    assert (tmp_path / "cache" / "gros" / "gros.7z").stat().st_size == 10 << 20


def _ign_source(key: str, path: str, url: str, **more) -> Source:
    """A source of the manifest's shape, for one test."""
    return Source(
        key=key,
        path=path,
        title=key,
        producer="IGN",
        vintage="2025",
        licence="Licence Ouverte",
        attribution="IGN",
        url=url,
        **more,
    )
