"""The vector-tile archive published for the app's static server, at build time only.

Streamlit serves ``static/`` (beside ``app.py``) at ``/app/static/``, with HTTP Range requests, which the
map's PMTiles reader needs. It refuses a file whose real path leaves that folder, so a symbolic link to
the data directory is not served: the archive is *published* there as a hard link (a copy when the data
directory is on another file system), named by a digest of its content — a rebuild gets a new URL,
never a browser's stale cache, and copies of one archive (a test's copy of the store) share one name.

Publishing writes into the code tree, so it happens when the archive is written (``reindus build``) or
on demand (``reindus publish-tiles``), never when a page opens: the app only looks the name up
(:func:`published_tiles`), and runs from a read-only installation.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

from geo import settings

PREFIX, SUFFIX = "reindus-", ".pmtiles"
URL_PREFIX = "/app/static/tiles/"


def publish_tiles(archive: Path, *, tiles_dir: Path | None = None) -> Path:
    """Publish ``archive`` into ``tiles_dir`` (default :data:`geo.settings.PUBLISHED_TILES_DIR`); return the file.

    Published archives nothing else links to any more (their archive was rebuilt or deleted) are removed,
    so the folder does not grow with every build. The trade-off: an archive *copied* there (data on
    another file system) has no other link either, and goes when another archive is published.
    """
    tiles_dir = tiles_dir or settings.PUBLISHED_TILES_DIR
    target = tiles_dir / published_name(archive)
    if not target.is_file():
        tiles_dir.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(f"{target.name}.{os.getpid()}.partial")
        try:
            os.link(archive, partial)
        except OSError:  # another file system: a copy
            shutil.copyfile(archive, partial)
        os.replace(partial, target)  # appears whole or not at all
    for older in tiles_dir.glob(f"{PREFIX}*{SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):  # another build may be cleaning up at the same time
            if older != target and older.stat().st_nlink == 1:
                older.unlink(missing_ok=True)
    return target


def published_tiles(archive: Path, *, tiles_dir: Path | None = None) -> str | None:
    """The URL ``archive`` is served at, or None when it has not been published (read-only)."""
    tiles_dir = tiles_dir or settings.PUBLISHED_TILES_DIR
    name = published_name(archive)
    return URL_PREFIX + name if (tiles_dir / name).is_file() else None


def published_name(archive: Path) -> str:
    """The file name an archive is published under: a digest of its content (reads the whole file)."""
    with archive.open("rb") as handle:
        digest = hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=8)).hexdigest()
    return f"{PREFIX}{digest}{SUFFIX}"
