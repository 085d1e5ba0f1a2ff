"""The ``reindus`` command line: an entry point beside ``app.py``, composing ``geo`` and ``layers``.

Only this module knows about argument parsing and the terminal; it calls the same functions
as the app (build, imports, statistics from ``geo``; press maps and offline HTML from ``layers``).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from geo import settings
from geo.analysis import checks, concentration, projects, relance
from geo.analysis.foncier_aptitude import zonings_from_text
from geo.analysis.view import MapView
from geo.assembly import employment
from geo.assembly.pipeline import build
from geo.assembly.sources import download, load_manifest
from geo.errors import ReindusError, UnreadableValueError
from geo.exports import write_csv
from geo.imports.locate import lookup_from_store
from geo.imports.parsing import Parsed, parse_area_ha, parse_distance_m
from geo.imports.tabular import read_table
from geo.publication import publish_tiles
from geo.store import ROLES, GeoPackageStore, PostgisStore, copy_store, open_store
from geo.store.accounts import ROLE_LABELS
from geo.usecases import foncier_search, imports, stats
from geo.usecases.foncier_export import foncier_export
from geo.usecases.places import place_at, place_data_from_store, place_from_search, selection_summary
from geo.usecases.projects_file import projects_file
from geo.vocabulary import MEASURE_TERMS
from layers import press
from layers.formatting import count_fr, robustness_lines, trimmed_fr
from layers.overview import prepare_map_data
from layers.standalone import standalone_html, view_map

MEASURE_OPTIONS = {measure.option: column for column, measure in MEASURE_TERMS.items()}
"""``--measure jobs`` → ``jobs_announced``…"""

ARGPARSE_FR = {
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "affiche cette aide et quitte",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "one of the arguments %s is required": "l'un de ces arguments est obligatoire : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (au choix : %(choices)s)",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "expected one argument": "une valeur est attendue",
    "expected at most one argument": "une valeur au plus est attendue",
    "expected at least one argument": "une valeur au moins est attendue",
    "not allowed with argument %s": "impossible avec l'argument %s",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut être %(matches)s",
    "ignored explicit argument %r": "argument explicite ignoré : %r",
    "unexpected option string: %s": "option inattendue : %s",
}
"""argparse's own words in French: Python ships no French catalogue for them (they go through ``gettext``)."""


def _french_argparse() -> None:
    """Make argparse speak French: its messages go through the module's ``_`` and ``ngettext`` (gettext's), looked
    up when a parser is built or a message written, so replacing them before the parser is built is enough."""
    argparse._ = lambda message: ARGPARSE_FR.get(message, message)  # argparse has no public hook for its words
    argparse.ngettext = _argparse_plural


def _argparse_plural(singular: str, plural: str, count: int) -> str:
    if singular == "expected %s argument":
        return "%s valeur attendue" if count == 1 else "%s valeurs attendues"
    return singular if count == 1 else plural


def _number_option(parse: Callable[[str], Parsed], *, unit: float = 1.0, whole: bool = False) -> Callable[[str], float]:
    """An argparse ``type`` reading a number the French way (« 2,5 », « 1 200 », « 1,5 km » for a distance) with
    ``parse`` (:mod:`geo.imports.parsing`), divided by ``unit`` (1000: metres read, kilometres given), and saying in
    French what it could not read."""

    def read(text: str) -> float:
        try:
            value = parse(text).value
        except UnreadableValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from None
        if value is None:
            raise argparse.ArgumentTypeError(f"valeur vide « {text} »")
        return round(value / unit) if whole else value / unit

    return read


_hectares_option = _number_option(parse_area_ha)
_metres_option = _number_option(parse_distance_m, whole=True)
# A bare number is in kilometres here (« 20 », « 12,5 »); « 800 m » or « 12,5 km » say their unit.
_kilometres_option = _number_option(lambda text: parse_distance_m(text, unit=1000.0), unit=1000.0)


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
    _french_argparse()
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

    publish_cmd = commands.add_parser(
        "publish-tiles",
        help="publie l'archive des tuiles vectorielles dans static/tiles/ pour l'application",
        description="Publie l'archive des tuiles (faite par `reindus build`) là où l'application la sert, sans "
        "reconstruire : après une mise à jour, ou une archive construite ailleurs. L'application ne fait que lire.",
    )
    publish_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage dont l'archive est à côté")
    publish_cmd.set_defaults(handler=_publish_tiles)

    import_cmd = commands.add_parser(
        "import",
        help="importe un fichier de projets ou de sites fonciers (CSV, XLSX, GeoJSON)",
        description=(
            "Lit, vérifie et localise chaque ligne, puis l'ajoute aux données (une ligne de même identifiant est "
            "remplacée). Au moindre problème bloquant, rien n'est modifié, sauf avec --valid-rows-only : les lignes "
            "valides sont importées et les lignes rejetées écrites, avec leurs motifs, dans un CSV. Code de sortie : "
            "0 appliqué (ou vérification réussie avec --dry-run), 1 refusé."
        ),
    )
    import_cmd.add_argument("dataset", choices=list(imports.IMPORT_TABLES), help="jeu de données à compléter")
    import_cmd.add_argument("file", metavar="FICHIER", help="fichier CSV, XLSX ou GeoJSON")
    import_cmd.add_argument("--dry-run", action="store_true", help="vérifie sans rien modifier")
    import_cmd.add_argument(
        "--valid-rows-only",
        action="store_true",
        help="importe seulement les lignes valides, même si d'autres sont rejetées (une erreur qui concerne tout le "
        "fichier, comme une colonne de nom absente, bloque toujours l'import)",
    )
    import_cmd.add_argument(
        "--rejected",
        metavar="FICHIER.csv",
        help="avec --valid-rows-only : CSV des lignes rejetées, avec ligne, colonne et motif "
        "(défaut : <nom>-rejets.csv à côté du fichier importé)",
    )
    import_cmd.add_argument(
        "--crs",
        choices=list(imports.DECLARED_CRS),
        help="système des coordonnées X/Y (2154 = Lambert-93, 4326 = WGS84) ; détecté sinon",
    )
    import_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage à modifier")
    import_cmd.add_argument(
        "--compte",
        metavar="IDENTIFIANT",
        help="compte éditeur (ou administrateur) inscrit dans l'historique ; obligatoire sauf avec --dry-run",
    )
    import_cmd.set_defaults(handler=_import)

    _users_parser(commands)

    copy_cmd = commands.add_parser(
        "copy-store",
        help="copie toutes les couches du GeoPackage dans une base PostGIS",
        description="Publie les données construites dans PostGIS (une transaction) pour plusieurs processus de l'app.",
    )
    copy_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage source (défaut : data/build/reindus.gpkg)")
    copy_cmd.add_argument(
        "--to", metavar="URL", default=None, help="base cible (défaut : REINDUS_DATABASE_URL), ex. postgresql://…"
    )
    copy_cmd.set_defaults(handler=_copy_store)

    export_cmd = commands.add_parser(
        "export",
        help="exporte une carte prête à publier (PNG, PDF, SVG, HTML interactif)",
        description=(
            "Carte statique avec titre, légende, échelle, flèche du nord, carton de situation et sources. "
            "Sans --view ni --permalink : la vue par défaut de la page Carte (Territoires d'industrie 2024-2027 "
            "et projets)."
        ),
    )
    export_cmd.add_argument(
        "table",
        nargs="?",
        choices=["projets"],
        help="projets : la table des projets (livrée, corrigée dans l'application, importée) au format de "
        "data/projets.csv, pour reporter une correction dans le fichier livré",
    )
    export_cmd.add_argument("--list-views", action="store_true", help="liste les vues prêtes à l'emploi")
    chosen = export_cmd.add_mutually_exclusive_group()
    chosen.add_argument("--view", metavar="VUE", help="vue prête à l'emploi (voir --list-views)")
    chosen.add_argument("--permalink", metavar="URL", help="adresse d'une vue de la page Carte (copiée du navigateur)")
    chosen.add_argument(
        "--dossier",
        action="store_true",
        help="dossier de presse (ZIP) : toutes les vues en PNG 300 dpi et PDF, leurs chiffres (CSV, XLSX) et la note "
        "de méthode",
    )
    export_cmd.add_argument(
        "--format", choices=["png", "pdf", "svg", "html"], default="png", help="html : carte interactive hors ligne"
    )
    export_cmd.add_argument("--layout", choices=["16:9", "a4", "a4-paysage"], default="16:9", help="mise en page")
    export_cmd.add_argument("--title", metavar="TITRE", help="remplace le titre de la vue")
    export_cmd.add_argument("--subtitle", metavar="SOUS-TITRE", help="remplace le sous-titre de la vue")
    export_cmd.add_argument("--out", metavar="FICHIER", help="fichier à écrire")
    export_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage à lire")
    export_cmd.set_defaults(handler=_export)

    stats_cmd = commands.add_parser(
        "stats",
        help="totaux d'emplois, d'investissement et d'aides par territoire",
        description="Les chiffres de la page Concentration : totaux par territoire, pour 1 000 habitants, classés.",
    )
    stats_cmd.add_argument(
        "--by",
        choices=list(concentration.UNIT_KINDS) + ["territoire", "zone-emploi"],
        default="epci",
        help="niveau (défaut epci ; zone-emploi avec --measure emploi-industriel)",
    )
    stats_cmd.add_argument(
        "--measure",
        choices=[*MEASURE_OPTIONS, "relance", "emploi-industriel"],
        default="jobs",
        help="mesure de classement : jobs (emplois créés annoncés), jobs-all (emplois annoncés, toutes natures), "
        "construction (emplois de chantier au pic), investment, funding ; relance (entreprises industrielles aidées "
        "par France Relance, avec --by departement) ; emploi-industriel (emplois industriels mesurés par l'URSSAF, "
        "avec --by zone-emploi, ou sa part par EPCI avec --by epci)",
    )
    stats_cmd.add_argument(
        "--annee",
        type=int,
        choices=list(stats.INDUSTRIAL_JOBS_YEARS),
        default=2024,
        help="année de l'emploi industriel mesuré (au 31 décembre ; défaut 2024)",
    )
    stats_cmd.add_argument(
        "--robustesse",
        action="store_true",
        help="écrit la robustesse du total (complétude, plus gros projet, médiane, montants de programme) au lieu "
        "du tableau",
    )
    stats_cmd.add_argument("--format", choices=["csv", "json"], default="csv")
    stats_cmd.add_argument("--sans-non-industriels", action="store_true", help="exclut data centres et logistique")
    stats_cmd.add_argument(
        "--statut", action="append", choices=projects.STATUS_CATEGORIES, help="garde ces statuts (répétable)"
    )
    stats_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage à lire")
    stats_cmd.set_defaults(handler=_stats)
    foncier_cmd = commands.add_parser(
        "foncier",
        help="cherche du foncier disponible autour d'une commune (même classement que la page Foncier)",
        description="Sites disponibles (friches sans projet, friches potentielles, sites clés en main) autour d'une "
        "commune, classés par aptitude (zonage, vérification, surface, voie ferrée, pollution…) puis par distance, "
        "avec les raisons du classement ; les sites écartés des totaux sont cachés sauf avec --afficher-ecartes.",
    )
    foncier_cmd.add_argument("--autour", metavar="COMMUNE", required=True, help="nom ou code INSEE de la commune")
    foncier_cmd.add_argument(
        "--rayon", metavar="KM", type=_kilometres_option, default=20.0, help="rayon en km (défaut 20 ; ex. 12,5)"
    )
    foncier_cmd.add_argument(
        "--surface-min", metavar="HA", type=_hectares_option, default=1.0, help="surface minimale (défaut 1 ; ex. 2,5)"
    )
    foncier_cmd.add_argument("--surface-max", metavar="HA", type=_hectares_option, help="surface maximale")
    foncier_cmd.add_argument(
        "--rail", metavar="M", type=_metres_option, help="voie ferrée à moins de M mètres (ex. 2 000 ou 1,5 km)"
    )
    foncier_cmd.add_argument(
        "--zonage",
        metavar="ZONAGES",
        help="zonages gardés, séparés par des virgules : activites, urbaine, a_urbaniser, agricole, naturelle, "
        "inconnu, ou les lettres du plan U, AU, A, N (U et AU comprennent leurs zones d'activités)",
    )
    foncier_cmd.add_argument(
        "--afficher-ecartes",
        action="store_true",
        help="montre aussi les sites écartés des totaux (doublons, terrils, zonage N ou A, non vérifiés…)",
    )
    foncier_cmd.add_argument("--premiers", metavar="N", type=int, help="seulement les N premiers sites")
    foncier_cmd.add_argument("--format", choices=["csv", "json"], default="csv")
    foncier_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage à lire")
    foncier_cmd.set_defaults(handler=_foncier)
    place_cmd = commands.add_parser(
        "lieu",
        help="le lieu qu'un clic ou une recherche de la page Carte sélectionne, et le lien de sa fiche",
        description="Sélectionne un lieu comme la page Carte : au point donné (une commune de près, un EPCI de "
        "loin) ou par une recherche (le premier résultat), et donne ce que sa fiche montre et son lien.",
    )
    where = place_cmd.add_mutually_exclusive_group(required=True)
    where.add_argument("--point", metavar="LON,LAT", help="un point en degrés WGS84, par exemple 3.39,50.33")
    where.add_argument("--recherche", metavar="TEXTE", help="un nom ou un code (commune, EPCI, territoire)")
    place_cmd.add_argument(
        "--zoom", type=int, default=12, help="le zoom de la carte au clic (11 et plus : la commune ; défaut 12)"
    )
    place_cmd.add_argument("--store", metavar="FICHIER", help="GeoPackage à lire")
    place_cmd.set_defaults(handler=_place)
    check_cmd = commands.add_parser(
        "check-data",
        help="vérifie un fichier de projets (par défaut les données du projet, data/projets.csv)",
        description="Sources et dates, date des statuts, portée des montants, valeurs des listes, doublons : "
        "rapport en français par ligne ; code de sortie 1 au moindre problème bloquant.",
    )
    check_cmd.add_argument("file", nargs="?", metavar="FICHIER", help="CSV, XLSX ou GeoJSON de projets")
    check_cmd.set_defaults(handler=_check_data)
    return parser


def _build(args: argparse.Namespace) -> int:
    if args.download:
        cache_dir = settings.sources_dir(args.sources) if args.sources else settings.CACHE_DIR
        print(f"Téléchargement des sources dans {cache_dir}")
        download(load_manifest().values(), cache_dir, mirror=args.mirror, refresh=args.refresh, progress=print)
        sources_dir = cache_dir
    else:
        sources_dir = settings.sources_dir(args.sources)
    store = open_store(args.out)
    report = build(sources_dir, store, progress=print)
    print(report.as_text())
    return 0


def _publish_tiles(args: argparse.Namespace) -> int:
    archive = settings.tiles_path(settings.store_path(args.store))
    if not archive.is_file():
        raise ReindusError(f"Archive des tuiles absente : {archive} (lancez `reindus build`).")
    print(f"Tuiles vectorielles publiées : {publish_tiles(archive)}")
    return 0


def _layers(args: argparse.Namespace) -> int:
    store = open_store(args.store)
    for name in store.layer_names():
        print(f"{name:<22} {len(store.read(name)):>6}")
    return 0


def _users_parser(commands) -> None:
    users_cmd = commands.add_parser(
        "users",
        help="comptes des personnes qui modifient les données (lecteur, editeur, admin)",
        description=(
            "Chaque modification est signée par un compte. Le mot de passe est demandé au terminal, ou lu sur une "
            "ligne de l'entrée standard quand elle n'est pas un terminal ; jamais en argument. Premier "
            "administrateur : `reindus users add IDENTIFIANT --role admin`."
        ),
    )
    actions = users_cmd.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="crée un compte")
    add.add_argument("login", metavar="IDENTIFIANT")
    add.add_argument("--role", choices=ROLES, required=True, help="lecteur, editeur ou admin")
    add.add_argument("--nom", default="", help="nom affiché et inscrit dans l'historique (défaut : l'identifiant)")
    add.add_argument("--email", help="adresse e-mail : la connexion unique de l'organisation s'y rattache")
    add.add_argument(
        "--sans-mot-de-passe", action="store_true", help="compte de connexion unique seulement (--email requis)"
    )
    actions.add_parser("list", help="liste les comptes (jamais les empreintes de mot de passe)")
    for name, text in (
        ("disable", "désactive un compte et ferme ses sessions"),
        ("enable", "réactive un compte"),
        ("set-password", "change le mot de passe (ferme les sessions ouvertes)"),
    ):
        actions.add_parser(name, help=text).add_argument("login", metavar="IDENTIFIANT")
    set_role = actions.add_parser("set-role", help="change le rôle (ferme les sessions ouvertes)")
    set_role.add_argument("login", metavar="IDENTIFIANT")
    set_role.add_argument("role", choices=ROLES)
    for action in actions.choices.values():
        action.add_argument("--store", metavar="FICHIER", help="GeoPackage (défaut : celui de l'application)")
    users_cmd.set_defaults(handler=_users)


def _users(args: argparse.Namespace) -> int:
    accounts = open_store(args.store).accounts()
    if args.action == "list":
        return _print_accounts(accounts.list())
    if args.action == "add":
        password = None if args.sans_mot_de_passe else _read_password(confirm=True)
        account = accounts.add(args.login, role=args.role, password=password, display_name=args.nom, email=args.email)
        print(f"Compte « {account.login} » créé ({ROLE_LABELS[account.role]}).")
    elif args.action in ("disable", "enable"):
        accounts.set_enabled(args.login, args.action == "enable")
        print(f"Compte « {args.login} » {'réactivé' if args.action == 'enable' else 'désactivé, sessions fermées'}.")
    elif args.action == "set-password":
        accounts.set_password(args.login, _read_password(confirm=True))
        print(f"Mot de passe de « {args.login} » changé ; ses sessions ouvertes sont fermées.")
    else:
        accounts.set_role(args.login, args.role)
        print(f"Rôle de « {args.login} » : {ROLE_LABELS[args.role]} ; ses sessions ouvertes sont fermées.")
    return 0


def _read_password(*, confirm: bool) -> str:
    """At a prompt (typed twice), or one line of standard input when it is not a terminal (scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    password = getpass.getpass("Mot de passe : ")
    if confirm and getpass.getpass("Mot de passe (encore) : ") != password:
        raise ReindusError("Les deux saisies diffèrent : rien n'a été modifié.")
    return password


def _print_accounts(rows: list[dict]) -> int:
    headers = ("identifiant", "nom", "rôle", "e-mail", "actif", "mot de passe", "créé le", "dernière connexion")
    table = [
        (
            row["login"],
            row["display_name"],
            ROLE_LABELS[row["role"]],
            row["email"] or "",
            "oui" if row["enabled"] else "non",
            "oui" if row["has_password"] else "non (connexion unique)",
            row["created_at"][:10],
            (row["last_sign_in_at"] or "jamais")[:16].replace("T", " "),
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *table, strict=True)]
    for line in (headers, *table):
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip())
    return 0


def _import(args: argparse.Namespace) -> int:
    if args.rejected and not args.valid_rows_only:
        print("Erreur : --rejected s'utilise avec --valid-rows-only.", file=sys.stderr)
        return 2
    if args.rejected:  # a wrong argument is said before anything is read
        _check_rejected_target(Path(args.rejected), source=Path(args.file))
    store = open_store(args.store)
    checked = imports.check_import(
        args.dataset,
        args.file,
        lookup=lookup_from_store(store),
        territoire_communes=store.read("territoire_communes"),
        crs=args.crs,
        valid_rows_only=args.valid_rows_only,
    )
    print(checked.result.summary())
    rejected = imports.rejected_rows_file(checked)
    if args.valid_rows_only and rejected:
        source = Path(args.file)
        out = Path(args.rejected) if args.rejected else source.with_name(rejected.file_name)
        _write_rejected(rejected, out, source=source)
    if not checked.applicable:
        hint = " (voir --valid-rows-only)" if checked.valid_rows_would_apply and not args.valid_rows_only else ""
        print(f"Import refusé : aucune donnée n'a été modifiée{hint}.", file=sys.stderr)
        return 1
    if args.dry_run:
        rows, noun = len(checked.result.rows), checked.schema.noun
        print(f"Vérification réussie (--dry-run) : {rows} {noun} seraient importés ; rien n'est modifié.")
        return 0
    account = store.accounts().get(args.compte) if args.compte else None
    print(imports.apply_import(store, checked, account=account).summary())
    return 0


def _check_rejected_target(out: Path, *, source: Path) -> None:
    if out.resolve() == source.resolve() or out.suffix.lower() != ".csv":
        raise ReindusError(f"{out} : le fichier des rejets doit être un nouveau fichier .csv.")


def _write_rejected(rejected: imports.RejectedRowsFile, out: Path, *, source: Path) -> None:
    _check_rejected_target(out, source=source)
    _write_atomically(out, rejected.content)
    print(f"{rejected.rows} ligne(s) rejetée(s) écrite(s) avec leurs motifs dans {out}.")


def _copy_store(args: argparse.Namespace) -> int:
    url = args.to or settings.database_url()
    if not url:
        print("Erreur : indiquez la base cible avec --to ou REINDUS_DATABASE_URL.", file=sys.stderr)
        return 2
    source, target = GeoPackageStore(settings.store_path(args.store)), PostgisStore(url)
    copy_store(source, target)
    print(f"Données copiées de {source.describe()} vers {target.describe()} ({len(target.layer_names())} tables).")
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.table == "projets":
        if not args.out:
            print("Erreur : indiquez le fichier à écrire avec --out.", file=sys.stderr)
            return 2
        content = projects_file(open_store(args.store))
        _write_atomically(Path(args.out), content)
        print(f"Projets écrits au format de data/projets.csv dans {args.out} ({len(content) // 1024} Ko).")
        return 0
    if args.list_views:
        for key, view in press.VIEWS.items():
            print(f"{key:<18} {view.title}")
        print(f"{'--permalink URL':<18} la vue de la page Carte décrite par son adresse (couches, taille, filtres)")
        return 0
    if args.view and args.view not in press.VIEWS:
        print(f"Erreur : vue inconnue « {args.view} » ; voir `reindus export --list-views`.", file=sys.stderr)
        return 2
    if not args.out:
        print("Erreur : indiquez le fichier à écrire avec --out.", file=sys.stderr)
        return 2
    press.register_fonts(settings.FONTS_DIR.glob("*.ttf"))
    store = open_store(args.store)
    typed = projects.typed_projects(store.read("projets"))
    out = Path(args.out)
    if args.dossier:
        content = press.export_dossier(store.read, typed, layout=args.layout, progress=_print_progress)
        _write_atomically(out, content)
        print(f"Dossier de presse écrit dans {out} ({len(content) // 1024} Ko).")
        return 0
    if args.format == "html":
        view, map_view = press.chosen_view(args.view, args.permalink or "")
        data = press.view_data(store.read, typed, view, map_view.filters)
        content, dropped = _standalone_html(store, view, data, title=args.title, subtitle=args.subtitle), []
    else:
        export = press.export_view(
            store.read,
            typed,
            view_key=args.view,
            permalink=args.permalink or "",
            fmt=args.format,
            layout=args.layout,
            title=args.title,
            subtitle=args.subtitle,
        )
        view, content, dropped = export.view, export.content, export.dropped_labels
    _write_atomically(out, content)
    layout = "" if args.format == "html" else f"{args.layout}, "
    print(
        f"Carte « {args.title or view.title} » ({layout}{args.format.upper()}) écrite dans {out} "
        f"({len(content) // 1024} Ko)."
    )
    if dropped:
        print(f"{len(dropped)} étiquettes omises faute de place : {' ; '.join(dropped)}")
    return 0


def _print_progress(fraction: float, message: str) -> None:
    print(f"[{fraction:4.0%}] {message}", file=sys.stderr)


def _write_atomically(out: Path, content: bytes) -> None:
    """Never a half-written file under the final name."""
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_bytes(content)
    tmp.replace(out)


def _standalone_html(store, view, data, *, title: str | None, subtitle: str | None) -> bytes:
    """The interactive map in one offline HTML file (Leaflet read from the app's vendored copy)."""
    vendor = settings.VENDOR_DIR / "leaflet"
    if not (vendor / "leaflet.js").is_file():
        raise ReindusError(f"Leaflet est introuvable dans {vendor} : lancez `make install`.")
    map_data = prepare_map_data(
        store.read("epci_web"), store.read("departements_web"), store.read("regions_web"), store.read("territoires_web")
    )
    fmap = view_map(view, map_data, data, title=title, subtitle=subtitle)
    page = standalone_html(
        fmap,
        leaflet_js=(vendor / "leaflet.js").read_text(encoding="utf-8"),
        leaflet_css=(vendor / "leaflet.css").read_text(encoding="utf-8"),
        css_images={path.name: path.read_bytes() for path in (vendor / "images").glob("*.png")},
    )
    return page.encode("utf-8")


def _stats(args: argparse.Namespace) -> int:
    store = open_store(args.store)
    if args.measure == "relance":
        return _relance_stats(store, args)
    if args.measure == "emploi-industriel" or args.by == "zone-emploi":
        return _industrial_jobs_stats(store, args)
    kind = "ti2" if args.by == "territoire" else args.by
    chosen = projects.filter_projects(
        projects.typed_projects(store.read("projets")),
        include_non_industrial=not args.sans_non_industriels,
        status_categories=args.statut,
    )
    figures = stats.concentration_stats(
        chosen, kind=kind, measure=MEASURE_OPTIONS[args.measure], units=stats.units_from_store(store.read, kind)
    )
    if args.robustesse:
        return _print_records(figures.robustness_record(), pd.DataFrame([figures.robustness_record()]), args.format)
    print("\n".join(robustness_lines(figures.robustness)), file=sys.stderr)
    return _print_records(figures.table.to_dict(orient="records"), figures.table, args.format)


def _industrial_jobs_stats(store, args: argparse.Namespace) -> int:
    if args.measure == "emploi-industriel" and args.by == "epci":
        table = stats.epci_employment_stats(store.read, year=args.annee)
        print(
            "Par EPCI, les sources donnent la part de l'industrie dans l'emploi (recensement 2022, tous emplois) et "
            "l'emploi salarié privé total (URSSAF, communes de l'EPCI au COG 2026), pas le nombre d'emplois "
            "industriels (seul le fichier URSSAF commune × APE permettrait de le calculer).",
            file=sys.stderr,
        )
        return _print_records(table.to_dict(orient="records"), table, args.format)
    if (args.by, args.measure) != ("zone-emploi", "emploi-industriel"):
        print(
            "Erreur : l'emploi industriel mesuré existe par zone d'emploi (--by zone-emploi) et, pour la part de "
            "l'industrie, par EPCI (--by epci), avec --measure emploi-industriel.",
            file=sys.stderr,
        )
        return 2
    table = stats.industrial_jobs_stats(store.read, year=args.annee)
    print(f"{employment.WHAT_IS_COUNTED} Total des zones : {int(table['emploi_industriel'].sum())}.", file=sys.stderr)
    return _print_records(table.to_dict(orient="records"), table, args.format)


def _foncier(args: argparse.Namespace) -> int:
    store = open_store(args.store)
    try:
        zonages = zonings_from_text(args.zonage or "")
    except UnreadableValueError as error:
        print(f"Erreur : {error}", file=sys.stderr)
        return 2
    search = foncier_search.FoncierSearch(
        autour=args.autour,
        rayon_km=args.rayon,
        surface_min_ha=args.surface_min,
        surface_max_ha=args.surface_max,
        zonages=zonages,
        rail_max_m=int(args.rail) if args.rail else None,
        montrer_ecartes=args.afficher_ecartes,
    )
    result = foncier_search.run_search(store.read("foncier"), search, place_data_from_store(store).index)
    if result.origin is None:
        print(f"Erreur : aucune commune trouvée pour « {args.autour[:80]} ».", file=sys.stderr)
        return 2
    territories = store.read("territoires")
    table = foncier_export(result.sites, dict(zip(territories["territory_id"], territories["label"], strict=True)))
    if args.premiers:
        table = table.head(args.premiers)
    set_aside = len(result.set_aside)
    set_aside_words = count_fr(set_aside, "site écarté", "sites écartés")
    hidden = "" if args.afficher_ecartes else f" ; {set_aside_words} des totaux non montrés"
    radius = trimmed_fr(args.rayon, max_decimals=2)
    print(
        f"{count_fr(len(result.sites), 'site disponible', 'sites disponibles')} à moins de {radius} km de "
        f"{result.origin.label} "
        f"({result.origin.detail}), classés par aptitude puis par distance{hidden} ; « Classement » en donne "
        "les raisons.",
        file=sys.stderr,
    )
    return _print_records(table.to_dict(orient="records"), table, args.format)


def _place(args: argparse.Namespace) -> int:
    data = place_data_from_store(open_store(args.store))
    if args.point:
        try:
            lon, lat = (float(part) for part in args.point.split(","))
        except ValueError:
            print(f"Erreur : --point attend « longitude,latitude », pas « {args.point[:80]} ».", file=sys.stderr)
            return 2
        view = place_at((lon, lat), args.zoom, MapView(), data)
    else:
        view, _ = place_from_search(args.recherche, MapView(), data)
    summary = selection_summary(view, data)
    if summary is None:
        print("Aucun lieu : le point est hors des deux régions, ou la recherche ne trouve rien.", file=sys.stderr)
        return 1
    print(json.dumps(summary, ensure_ascii=False, indent=1, default=_json_default))
    return 0


def _relance_stats(store, args: argparse.Namespace) -> int:
    if args.by != "departement":
        print("Erreur : la mesure relance n'existe que par département (--by departement).", file=sys.stderr)
        return 2
    figures = stats.relance_stats(store.read)
    regions = ", ".join(f"{count} en {name}" for name, count in figures.by_region)
    print(
        f"{relance.WHAT_IS_COUNTED} Au {figures.as_of} : {regions}, {figures.totals['total']} au total.",
        file=sys.stderr,
    )
    records = {"departements": figures.table.to_dict(orient="records"), "totaux": figures.totals}
    return _print_records(records, figures.table, args.format)


def _print_records(document: object, table: pd.DataFrame, fmt: str) -> int:
    """``document`` as JSON, or ``table`` as CSV (text cells neutralised)."""
    if fmt == "json":
        print(json.dumps(document, ensure_ascii=False, indent=1, default=_json_default))
    else:
        write_csv(table, sys.stdout)
    return 0


def _check_data(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else projects.CURATED_PATH
    table = read_table(path).cells
    findings = checks.check_projects(table, curated=args.file is None, today=date.today())
    print(checks.report(findings, rows=len(table), name=str(path)))
    return 1 if any(finding.blocking for finding in findings) else 0


def _json_default(value: object) -> object:
    """NaN and pandas NA become null; numpy numbers become plain numbers."""
    if hasattr(value, "item"):
        return value.item()  # type: ignore[attr-defined]
    return None


if __name__ == "__main__":
    sys.exit(main())
