"""The ``reindus`` command line: build the data, inspect the store.

Only this module knows about argument parsing and the terminal; it calls the same
functions as the app.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from geo import settings
from geo.build import build
from geo.errors import ReindusError
from geo.sources import download, load_manifest
from geo.store import GeoPackageStore


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; return the process exit status (0 success, 1 reported error, 2 usage)."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except ReindusError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="reindus",
        description="reindus — carte de la réindustrialisation (Hauts-de-France, Grand Est).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")

    build_cmd = commands.add_parser(
        "build",
        help="construit le GeoPackage à partir des sources brutes",
        description="Construit data/build/reindus.gpkg (COG 2026) à partir du dossier des sources.",
    )
    build_cmd.add_argument(
        "--sources",
        metavar="DOSSIER",
        help="dossier des sources brutes (défaut : REINDUS_SOURCES ou ../shared/data/raw)",
    )
    build_cmd.add_argument(
        "--out", metavar="FICHIER", help="GeoPackage à écrire (défaut : REINDUS_STORE ou data/build/reindus.gpkg)"
    )
    build_cmd.add_argument(
        "--download", action="store_true", help="télécharge d'abord les sources en ligne dans le cache (data/cache)"
    )
    build_cmd.add_argument(
        "--mirror", metavar="URL", help="avec --download : miroir servant l'arborescence des sources (URL/chemin)"
    )
    build_cmd.add_argument(
        "--refresh", action="store_true", help="avec --download : télécharge à nouveau les fichiers déjà en cache"
    )
    build_cmd.set_defaults(handler=_build)

    layers_cmd = commands.add_parser("layers", help="liste les couches du GeoPackage et leurs effectifs")
    layers_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage à lire")
    layers_cmd.set_defaults(handler=_layers)
    return parser


def _build(args: argparse.Namespace) -> int:
    if args.download:
        cache_dir = settings.sources_dir(args.sources) if args.sources else settings.CACHE_DIR
        print(f"Téléchargement des sources dans {cache_dir}")
        download(load_manifest().values(), cache_dir, mirror=args.mirror, refresh=args.refresh, progress=print)
        sources_dir = cache_dir
    else:
        sources_dir = settings.sources_dir(args.sources)
    store = GeoPackageStore(settings.store_path(args.out))
    report = build(sources_dir, store, progress=print)
    print(report.as_text())
    return 0


def _layers(args: argparse.Namespace) -> int:
    store = GeoPackageStore(settings.store_path(args.store))
    for name in store.layer_names():
        print(f"{name:<22} {len(store.read(name)):>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
