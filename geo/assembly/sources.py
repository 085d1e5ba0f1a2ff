"""The sources manifest (``data/sources.yaml``) and the download of online copies.

The build never reads a raw file by a hard-coded path: it asks this module for the
path of a manifest key inside the configured sources directory, so the shared raw
folder, a user's own folder and the download cache are interchangeable.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from geo.errors import DownloadError, SourceMissingError
from geo.settings import DATA_DIR

MANIFEST_PATH = DATA_DIR / "sources.yaml"
DOWNLOAD_TIMEOUT_S = 60
PROGRESS_MIN_BYTES = 50 << 20
"""Files from this size on (50 Mio) have their download's progress told, every tenth."""
SEVEN_ZIP_SIGNATURE = b"7z\xbc\xaf\x27\x1c"
_USER_AGENT = "reindus (carte de la réindustrialisation; +https://www.data.gouv.fr)"


@dataclass(frozen=True)
class Source:
    """One raw input of the build, as declared in the manifest."""

    key: str
    path: str
    title: str
    producer: str
    vintage: str
    licence: str
    attribution: str
    url: str = ""
    online_path: str = ""
    """Where ``url``'s file goes when the official online copy has another layout than ``path`` (the national
    Cartofriches export instead of the two regions' snapshot): the build reads it when present, ``path`` else."""
    optional: bool = False
    """A source the build uses when it is there (an official file that replaces an aggregate): a failed download
    is reported and the build goes on without it."""
    files: tuple[tuple[str, str], ...] = ()
    """For a folder source: (département code, file name) pairs."""

    def local_path(self, sources_dir: Path) -> Path:
        """Where this source (a file, or a folder for a per-département source) lives: its online copy when it
        was downloaded (:attr:`online_path`), else :attr:`path`."""
        if self.online_path and (sources_dir / self.online_path).is_file():
            return sources_dir / self.online_path
        return sources_dir / self.path

    def local_file(self, sources_dir: Path, departement: str) -> Path:
        """The file of one département of a folder source."""
        return self.local_path(sources_dir) / dict(self.files)[departement]

    def parts(self, *, online: bool = True) -> list[tuple[str, str]]:
        """The (relative path, url) of each file: one for a file source, one per département otherwise.

        ``online``: the official copy's path (:attr:`online_path`) when it has one; a mirror serves the sources
        directory's own layout (``online=False``)."""
        if not self.files:
            return [((self.online_path if online else "") or self.path, self.url)]
        return [(f"{self.path}/{name}", self.url.format(departement=dep)) for dep, name in self.files]


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, Source]:
    """Read the manifest and return the sources by key."""
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle)
    sources = []
    for entry in raw["sources"]:
        files = tuple((str(dep), str(name)) for dep, name in (entry.pop("files", None) or {}).items())
        optional = bool(entry.pop("optional", False))
        sources.append(Source(**{k: str(v or "") for k, v in entry.items()}, files=files, optional=optional))
    return {source.key: source for source in sources}


def require(sources_dir: Path, keys: Iterable[str], manifest: dict[str, Source] | None = None) -> dict[str, Path]:
    """Return the local path of each key, or raise listing every missing file at once.

    Raises
    ------
    SourceMissingError
        With a French message naming each missing file and how to get it.
    """
    manifest = manifest or load_manifest()
    paths = {key: manifest[key].local_path(sources_dir) for key in keys}
    missing = [
        f"  - {sources_dir / manifest[key].path} ({manifest[key].title})"
        for key in keys
        if not manifest[key].files and not paths[key].is_file()
    ] + [
        f"  - {sources_dir / relative} ({manifest[key].title})"
        for key in keys
        if manifest[key].files
        for relative, _ in manifest[key].parts()
        if not (sources_dir / relative).is_file()
    ]
    if missing:
        raise SourceMissingError(
            f"Sources introuvables dans {sources_dir} :\n"
            + "\n".join(missing)
            + "\nIndiquez le bon dossier avec --sources DOSSIER (ou REINDUS_SOURCES), "
            "ou téléchargez-les avec `reindus build --download`."
        )
    return paths


def download(
    sources: Iterable[Source],
    cache_dir: Path,
    *,
    mirror: str | None = None,
    refresh: bool = False,
    progress: Callable[[str], None] = lambda message: None,
) -> list[Path]:
    """Fetch each source into ``cache_dir`` (same relative layout as the sources directory).

    Files already in the cache are kept unless ``refresh``. Each file is written to a
    temporary name and renamed once complete and checked, so an interrupted download
    never leaves a truncated file behind.

    Parameters
    ----------
    sources : iterable of Source
        What to fetch.
    cache_dir : Path
        Destination root.
    mirror : str, optional
        Base URL serving the sources directory layout (``MIRROR/<path>``); replaces the
        official URLs. Needed for the sources that have no same-shape official copy.
    refresh : bool
        Download again even when the file is cached.
    progress : callable
        Receives one French line per file.

    Returns
    -------
    list of Path
        The local files, in the order given (one per département for folder sources).
    """
    parts = [(source, relative, url) for source in sources for relative, url in source.parts(online=mirror is None)]
    fetched = []
    for index, (source, relative, official_url) in enumerate(parts, start=1):
        target = cache_dir / relative
        fetched.append(target)
        if target.is_file() and not refresh:
            progress(f"[{index}/{len(parts)}] déjà en cache : {relative}")
            continue
        url = _url_for(source, relative, official_url, mirror)
        progress(f"[{index}/{len(parts)}] téléchargement : {url}")
        try:
            _fetch_atomically(url, target, progress)
        except DownloadError as error:
            if not source.optional:
                raise
            progress(f"[{index}/{len(parts)}] facultatif, non téléchargé ({error}) : la construction s'en passe")
            fetched.remove(target)
    return fetched


def _url_for(source: Source, relative: str, official_url: str, mirror: str | None) -> str:
    if mirror:
        return mirror.rstrip("/") + "/" + urllib.parse.quote(relative)
    if not official_url:
        raise DownloadError(
            f"« {source.title} » ({source.path}) n'a pas d'équivalent officiel en ligne au même format : "
            "indiquez un miroir avec --mirror URL, ou placez le fichier dans le dossier des sources."
        )
    return official_url


def _fetch_atomically(url: str, target: Path, progress: Callable[[str], None] = lambda message: None) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    handle, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out, urllib.request.urlopen(request, timeout=DOWNLOAD_TIMEOUT_S) as response:
            expected = int(response.headers.get("Content-Length") or 0)
            received, told = 0, 0
            while chunk := response.read(1 << 20):
                out.write(chunk)
                received += len(chunk)
                # A large file (the ADMIN EXPRESS archive of all France) says how far it is, every tenth.
                if expected >= PROGRESS_MIN_BYTES and received * 10 // expected > told:
                    told = received * 10 // expected
                    progress(f"    {received >> 20} Mo sur {expected >> 20} Mo ({told * 10} %)")
        _check_payload(Path(tmp_name), target, url)
        os.replace(tmp_name, target)
    except urllib.error.HTTPError as error:
        raise DownloadError(f"Échec du téléchargement de {url} : HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, TimeoutError, ConnectionError) as error:
        raise DownloadError(f"Échec du téléchargement de {url} : {error}") from error
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)


def _check_payload(path: Path, target: Path, url: str) -> None:
    """Refuse an empty file, a JSON file that does not parse or a 7-Zip archive without its signature (an HTML error
    page, a cut transfer)."""
    if path.stat().st_size == 0:
        raise DownloadError(f"Fichier vide reçu de {url}")
    if target.suffix in {".json", ".geojson"}:
        try:
            with path.open(encoding="utf-8") as handle:
                json.load(handle)
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise DownloadError(f"Contenu JSON invalide reçu de {url} : {error}") from error
    if target.suffix == ".7z":
        with path.open("rb") as handle:
            if handle.read(len(SEVEN_ZIP_SIGNATURE)) != SEVEN_ZIP_SIGNATURE:
                raise DownloadError(f"Ce qui a été reçu de {url} n'est pas une archive 7-Zip (une page d'erreur ?)")
