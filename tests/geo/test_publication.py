"""Publishing the tile archive for the static server: at build time, named by content, looked up read-only."""

from __future__ import annotations

import os

from geo.publication import URL_PREFIX, publish_tiles, published_tiles


def test_the_app_only_looks_up_an_archive_the_build_published(tmp_path):
    archive, tiles_dir = tmp_path / "reindus.pmtiles", tmp_path / "static" / "tiles"
    archive.write_bytes(b"PMTiles version 1")
    assert published_tiles(archive, tiles_dir=tiles_dir) is None
    assert not tiles_dir.exists()  # a look-up never writes
    published = publish_tiles(archive, tiles_dir=tiles_dir)
    assert published.read_bytes() == archive.read_bytes() and published.stat().st_ino == archive.stat().st_ino
    assert published_tiles(archive, tiles_dir=tiles_dir) == URL_PREFIX + published.name


def test_a_rebuild_gets_a_new_url_and_the_old_archive_goes(tmp_path):
    archive, tiles_dir = tmp_path / "reindus.pmtiles", tmp_path / "tiles"
    archive.write_bytes(b"PMTiles version 1")
    first = publish_tiles(archive, tiles_dir=tiles_dir)
    copy = tmp_path / "copie.pmtiles"  # a test's copy of the store: the same content, the same URL
    os.link(archive, copy)
    assert published_tiles(copy, tiles_dir=tiles_dir) == URL_PREFIX + first.name
    copy.unlink()

    rebuilt = tmp_path / "reindus.pmtiles.new"
    rebuilt.write_bytes(b"PMTiles version 2")
    os.replace(rebuilt, archive)  # as the build does
    second = publish_tiles(archive, tiles_dir=tiles_dir)
    assert second.name != first.name
    assert sorted(path.name for path in tiles_dir.iterdir()) == [second.name]  # nothing links to the old one


def test_an_archive_another_build_removes_meanwhile_is_no_error(tmp_path):
    # Two test workers (or two builds) publish at once: the archive one lists may be gone when the other looks at it.
    # A dangling link is such a file: listed, but gone when asked for its size.
    tiles_dir = tmp_path / "tiles"
    tiles_dir.mkdir()
    (tiles_dir / "reindus-0000000000000000.pmtiles").symlink_to(tmp_path / "removed-meanwhile.pmtiles")
    archive = tmp_path / "reindus.pmtiles"
    archive.write_bytes(b"PMTiles archive")
    published = publish_tiles(archive, tiles_dir=tiles_dir)
    assert published.read_bytes() == b"PMTiles archive"
