"""Industrial projects: the curated dataset and the user's own files, one schema, one pipeline.

One row is one **site** (a multi-site programme has one row per site, grouped by ``programme``).
Every figure keeps its note and source; an empty cell stays empty (unknown), never zero.
The schema (documented column by column in ``data/README.md``):

- jobs: ``jobs_announced`` = permanent direct jobs announced at the site; ``jobs_construction``
  = construction peak; ``jobs_lost`` = jobs cut (closures, job-cut plans). Never mixed.
- amounts: ``investment_eur`` and ``public_funding_eur`` each with a scope (``site`` or
  ``programme``); funding with its ``funder`` and ``funding_programme``. A programme-level
  amount covers more than the site it is written on: :func:`typed_projects` moves it to
  ``*_programme_eur`` so that no total adds it as if it were the site's.
- status as written, its category, and ``status_date``: the date at which it is known to hold.
- source: ``source_url``, ``source_publisher``, ``source_date`` (« non datée » when the page is
  not), ``source_quality`` (officielle / entreprise / presse) and ``checked_date``.

Statuses and sectors a user's file states in free text are grouped into categories and families
by the keyword rules below; the curated file states them explicitly.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO

import geopandas as gpd
import pandas as pd

from geo.imports.columns import LOCATION_FIELDS, Field, Kind
from geo.imports.locate import CommuneLookup
from geo.imports.pipeline import ImportResult, refuse_non_web_sources, run_import
from geo.imports.schema import ImportContext, ImportSchema
from geo.settings import DATA_DIR
from geo.vocabulary import MEASURES  # noqa: F401 — re-exported: pages and layers import it from here

CURATED_PATH = DATA_DIR / "projets.csv"

PROJECT_FIELDS: tuple[Field, ...] = (
    Field("project_id", "identifiant", Kind.TEXT, ("id", "identifiant", "id projet", "code projet", "reference")),
    Field("name", "nom du projet", Kind.TEXT, ("nom", "projet", "nom projet", "intitule", "libelle", "name")),
    Field("company", "entreprise", Kind.TEXT, ("entreprise", "societe", "porteur", "industriel", "groupe")),
    *LOCATION_FIELDS,
    Field("sector", "secteur", Kind.TEXT, ("secteur", "filiere", "activite", "secteur activite")),
    Field("sector_family", "famille de secteur", Kind.TEXT, ("famille secteur", "famille")),
    Field(
        "investment_eur",
        "investissement (€)",
        Kind.AMOUNT,
        ("investissement", "investissements", "montant", "montant investi", "investissement annonce", "capex"),
    ),
    Field("investment_scope", "portée de l'investissement", Kind.TEXT, ("portee investissement",)),
    Field("investment_perimeter", "périmètre de l'investissement", Kind.TEXT, ("perimetre investissement",)),
    Field("investment_note", "note investissement", Kind.TEXT, ("note investissement", "commentaire investissement")),
    Field("programme", "programme", Kind.TEXT, ("programme", "programme multi sites")),
    Field("kind", "nature du projet", Kind.TEXT, ("nature", "type projet", "nature projet", "type")),
    Field(
        "jobs_announced",
        "emplois permanents annoncés",
        Kind.COUNT,
        (
            "emplois",
            "emplois annonces",
            "emplois permanents",
            "nombre emplois",
            "creations emplois",
            "jobs",
            "nb emplois",
            "jobs permanent",
        ),
    ),
    Field("jobs_construction", "emplois de chantier (pic)", Kind.COUNT, ("emplois chantier", "pic chantier")),
    Field(
        "jobs_lost", "emplois supprimés", Kind.COUNT, ("emplois supprimes", "suppressions emplois", "postes supprimes")
    ),
    Field("jobs_note", "note emplois", Kind.TEXT, ("note emplois", "commentaire emplois")),
    Field("jobs_nature", "nature des emplois", Kind.TEXT, ("nature emplois", "nature des emplois", "type emplois")),
    Field("jobs_perimeter", "périmètre des emplois", Kind.TEXT, ("perimetre emplois", "perimetre des emplois")),
    Field("jobs_horizon", "horizon des emplois", Kind.YEAR, ("horizon emplois", "echeance emplois")),
    Field("jobs_in_place", "emplois en place", Kind.COUNT, ("emplois en place", "effectif actuel")),
    Field("jobs_in_place_date", "date des emplois en place", Kind.TEXT, ("date emplois en place", "date effectif")),
    Field(
        "public_funding_eur",
        "aides publiques (€)",
        Kind.AMOUNT,
        (
            "aides publiques",
            "aide publique",
            "aide",
            "aides",
            "financement public",
            "subvention",
            "subventions",
            "soutien public",
        ),
    ),
    Field("funding_scope", "portée des aides", Kind.TEXT, ("portee aides", "portee aide")),
    Field("funding_kind", "forme de l'aide", Kind.TEXT, ("forme aide", "forme de l aide", "type aide")),
    Field("funding_perimeter", "périmètre des aides", Kind.TEXT, ("perimetre aides", "perimetre aide")),
    Field("funder", "financeur", Kind.TEXT, ("financeur", "financeurs")),
    Field("funding_programme", "dispositif d'aide", Kind.TEXT, ("dispositif", "programme aide", "dispositif aide")),
    Field("public_funding_note", "note aides publiques", Kind.TEXT, ("note aides publiques", "note aides")),
    Field("year_announced", "année d'annonce", Kind.YEAR, ("annee", "annee annonce", "date annonce", "year")),
    Field("status", "statut", Kind.TEXT, ("statut", "etat", "avancement", "etat avancement")),
    Field("status_category", "catégorie de statut", Kind.TEXT, ("categorie statut",)),
    Field("status_date", "date du statut", Kind.TEXT, ("date statut",)),
    Field("status_note", "note statut", Kind.TEXT, ("note statut", "commentaire statut")),
    Field("not_found_date", "introuvable au", Kind.TEXT, ("introuvable au", "introuvable le")),
    Field("source_url", "source", Kind.TEXT, ("source", "url", "lien", "url source", "source principale")),
    Field("source_publisher", "éditeur de la source", Kind.TEXT, ("editeur source", "media")),
    Field("source_date", "date de la source", Kind.TEXT, ("date source",)),
    Field("source_quality", "qualité de la source", Kind.TEXT, ("qualite source",)),
    Field("checked_date", "vérifié le", Kind.TEXT, ("date verification", "verifie le")),
    Field("other_sources", "autres sources", Kind.TEXT, ("autres sources",)),
    Field("confidence", "fiabilité", Kind.TEXT, ("fiabilite", "confiance")),
)

STATUS_CATEGORIES: tuple[str, ...] = (
    "annoncé",
    "en projet",
    "en construction",
    "en service",
    "suspendu ou incertain",
    "abandonné ou fermé",
    "non renseigné",
)
# First rule that matches wins: a project "abandoned" after being "announced" is abandoned.
_STATUS_RULES: tuple[tuple[str, str], ...] = (
    ("abandonné ou fermé", r"abandon|closed|ferm|liquidat|cess"),
    ("suspendu ou incertain", r"on hold|uncertain|suspen|paus|incertain|gel"),
    ("en service", r"in production|operating|production started|completed|inaugur|en service|en production|opening"),
    ("en construction", r"under construction|under way|works|first stone|partly|travaux|construction|chantier"),
    ("en projet", r"planned|permitted|decided|fid|concertation|projet|prévu|autoris"),
    ("annoncé", r"announced|annonc"),
)

SECTOR_FAMILIES: tuple[str, ...] = (
    "batteries",
    "recyclage",
    "agroalimentaire",
    "chimie et pharmacie",
    "énergie et hydrogène",
    "métallurgie et matériaux",
    "automobile et transport",
    "autres industries",
    "non industriel",
)
_SECTOR_RULES: tuple[tuple[str, str], ...] = (
    ("non industriel", r"non industriel"),
    ("batteries", r"batter"),
    ("recyclage", r"recycl"),
    ("agroalimentaire", r"agro|aliment|boisson"),
    ("chimie et pharmacie", r"chimi|pharma|biotech|santé"),
    ("énergie et hydrogène", r"énergie|energie|hydrog|photovolt|nucléaire|éolien|biocombust"),
    ("métallurgie et matériaux", r"sidérurg|métallurg|acier|alumin|fonderie|papier|carton|verre|matériaux"),
    ("automobile et transport", r"automobile|ferroviaire|autobus|véhicule|transport|aéronaut"),
)
KINDS: tuple[str, ...] = ("création", "extension", "modernisation", "décarbonation", "reprise", "fermeture", "abandon")
SOURCE_QUALITIES: tuple[str, ...] = ("officielle", "entreprise", "presse")
SCOPES: tuple[str, ...] = ("site", "programme")
JOBS_CREATED = "créés"
JOBS_NATURES: tuple[str, ...] = (JOBS_CREATED, "maintenus", "transférés", "directs et indirects", "non précisé")
"""What an announced jobs figure counts: created (a new plant, new hirings), kept (a takeover, a safeguard), moved
from another site of the firm, direct and indirect together, or not said. Only created jobs enter the default
« emplois créés » totals; the others are shown apart."""
PERIMETERS: tuple[str, ...] = ("phase", "projet")
"""What part of the project on its site a figure covers: this phase (block, first stage) or the whole project.
A row's jobs, investment and funding are read together only when they share it."""
FUNDING_KINDS: tuple[str, ...] = (
    "subvention",
    "avance remboursable",
    "prêt",
    "aide R&D ou PIIEC",
    "mesure fiscale",
    "certificats d'économies d'énergie",
    "plusieurs formes",
    "non précisée",
)
"""The form of a public funding figure: money given, lent or forgone are not the same public effort."""
NOT_DATED = "non datée"
"""What ``source_date`` / ``status_date`` say when the source shows no date (explicit, never an empty cell)."""


def projects_from_file(
    source: str | Path | IO[bytes],
    *,
    lookup: CommuneLookup,
    territoire_communes: pd.DataFrame,
    name: str | None = None,
    declared_crs: str | None = None,
) -> ImportResult:
    """Read, check and locate a file of projects; nothing is written.

    Parameters
    ----------
    source : path or binary file object
        CSV (comma/semicolon, UTF-8/Windows-1252, BOM or not), XLSX or GeoJSON.
    lookup : CommuneLookup
        The COG codes and the map's communes, from the store.
    territoire_communes : DataFrame
        Territory membership from the store.
    name : str, optional
        The file's name as the user knows it (an upload's); a path's own name otherwise.
    declared_crs : str, optional
        ``EPSG:2154`` or ``EPSG:4326`` to declare the coordinates' system instead of
        detecting it.

    Returns
    -------
    ImportResult
        Valid rows joined to commune, EPCI and territories, and every problem found
        (:func:`geo.imports.pipeline.run_import` with :data:`PROJECT_IMPORT`).
    """
    context = ImportContext(lookup, territoire_communes, declared_crs=declared_crs)
    return run_import(source, PROJECT_IMPORT, context, name=name)


def status_category(status: str | None) -> str:
    """Group a free-text status (French or English) into one of :data:`STATUS_CATEGORIES`."""
    return _first_rule(status, _STATUS_RULES, default="non renseigné")


def sector_family(sector: str | None) -> str:
    """Group a free-text sector into one of :data:`SECTOR_FAMILIES`."""
    return _first_rule(sector, _SECTOR_RULES, default="autres industries")


def is_industrial(frame: pd.DataFrame) -> pd.Series:
    """Rows that are industry (the Choose France lists also hold data centres and warehouses)."""
    return frame["sector_family"].ne("non industriel")


# --- private helpers -----------------------------------------------------------------------


def _first_rule(text: str | None, rules: tuple[tuple[str, str], ...], *, default: str) -> str:
    if text is None or pd.isna(text) or not str(text).strip():
        return default
    lowered = str(text).lower()
    return next((label for label, pattern in rules if re.search(pattern, lowered)), default)


def _with_categories(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill the status category and sector family the file does not state."""
    missing = pd.Series(pd.NA, index=frame.index, dtype="string")
    status = frame["status"] if "status" in frame else missing
    sector = frame["sector"] if "sector" in frame else missing
    stated_status = frame["status_category"] if "status_category" in frame else missing
    stated_family = frame["sector_family"] if "sector_family" in frame else missing
    frame = frame.assign(
        status_category=stated_status.where(stated_status.isin(STATUS_CATEGORIES), status.map(status_category)),
        sector_family=stated_family.where(stated_family.isin(SECTOR_FAMILIES), sector.map(sector_family)),
    )
    for key in (f.key for f in PROJECT_FIELDS if f.key not in frame and f not in LOCATION_FIELDS):
        kind = next(f.kind for f in PROJECT_FIELDS if f.key == key)
        frame[key] = pd.Series(pd.NA, index=frame.index, dtype=_DTYPES[kind])
    return frame


_DTYPES = {Kind.TEXT: "string", Kind.AMOUNT: "Float64", Kind.COUNT: "Int64", Kind.YEAR: "Int64"}


PROJECT_IMPORT = ImportSchema(
    table="projets",
    layer="projets",
    noun="projets",
    label="projets industriels",
    fields=PROJECT_FIELDS,
    id_key="project_id",
    name_key="name",
    name_column_missing="colonne du nom du projet introuvable (en-tête attendu : « nom » ou « projet »)",
    name_missing="nom du projet manquant",
    row_checks=(refuse_non_web_sources,),
    complete=_with_categories,
    defaults={"origin": "{file}"},  # which file a project came from (the curated one: projets.csv)
)
"""A file of projects, for :func:`projects_from_file`, ``reindus import projets`` and the Données page."""


PROGRAMME_AMOUNTS = {"investment_eur": "investment_scope", "public_funding_eur": "funding_scope"}
"""Amount → its scope column; a ``programme`` amount moves to ``<amount>_programme`` (see :func:`typed_projects`)."""


def typed_projects(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The projects as every page and statistic reads them.

    Restores the nullable dtypes a GeoPackage round trip loses (counts come back as floats),
    and moves programme-level amounts out of the site columns into ``investment_eur_programme``
    and ``public_funding_eur_programme``: a total by territory then adds site amounts only, and
    programme amounts are shown apart.

    >>> rows = pd.DataFrame({"investment_eur": [1e6, 8e8], "investment_scope": ["site", "programme"]})
    >>> typed = typed_projects(rows)
    >>> typed["investment_eur"].tolist(), typed["investment_eur_programme"].tolist()
    ([1000000.0, <NA>], [<NA>, 800000000.0])
    """
    kinds = {f.key: f.kind for f in PROJECT_FIELDS}
    casts = {key: _DTYPES[kind] for key, kind in kinds.items() if key in frame and kind in _DTYPES}
    typed = frame.astype(casts)
    for amount, scope in PROGRAMME_AMOUNTS.items():
        if amount not in typed:
            continue
        values = typed[amount]
        programme = typed[scope].eq("programme").fillna(False).astype(bool) if scope in typed else False
        typed[f"{amount}_programme"] = values.where(programme)
        typed[amount] = values.mask(programme)
    typed["jobs_created"] = created_jobs(typed)
    source = typed["source_url"] if "source_url" in typed else pd.Series(pd.NA, index=typed.index, dtype="string")
    typed["sourced"] = (source.notna() & source.astype("string").str.strip().ne("")).astype(bool)
    return typed


def created_jobs(projects: pd.DataFrame) -> pd.Series:
    """The announced jobs that are created jobs (``jobs_nature`` « créés »); kept, moved, indirect or unsaid: empty.

    >>> rows = pd.DataFrame({"jobs_announced": [100, 50, 20], "jobs_nature": ["créés", "maintenus", None]})
    >>> created_jobs(rows).tolist()
    [100, <NA>, <NA>]
    """
    announced = projects["jobs_announced"].astype("Int64") if "jobs_announced" in projects else None
    if announced is None:
        return pd.Series(pd.NA, index=projects.index, dtype="Int64")
    nature = projects["jobs_nature"] if "jobs_nature" in projects else pd.Series(pd.NA, index=projects.index)
    return announced.where(nature.eq(JOBS_CREATED).fillna(False).astype(bool))


def status_with_date(status: object, status_date: object) -> str:
    """« en service (au 06/2025) »: a status is only true as of a date.

    >>> status_with_date("en service depuis 06/2025", "2025-06")
    'en service depuis 06/2025 (au 06/2025)'
    >>> status_with_date("annoncé", "non datée")
    'annoncé (date non connue)'
    """
    text = "non renseigné" if pd.isna(status) or not str(status).strip() else str(status)
    if pd.isna(status_date) or not str(status_date).strip() or str(status_date) == NOT_DATED:
        return f"{text} (date non connue)"
    year, _, rest = str(status_date).partition("-")
    month = rest[:2]
    return f"{text} (au {month}/{year})" if month else f"{text} (en {year})"


DEFAULT_STATUS_CATEGORIES = tuple(c for c in STATUS_CATEGORIES if c != "abandonné ou fermé")
"""Shown by default: announced jobs of abandoned or closed projects will not exist (one click brings them back)."""

TI_PHASES = {"ti_phase2": "dans un Territoire d'industrie 2024-2027", "ti_phase1": "dans un TI 2018-2023"}
"""Values of the ``ti`` filter (URL parameter ``ti``, see :mod:`geo.analysis.view`) and their French labels."""


def default_selection(projects: pd.DataFrame) -> pd.DataFrame:
    """The projects shown by default (maps, exports): industry only, abandoned or closed ones left out."""
    return filter_projects(projects, include_non_industrial=False, status_categories=list(DEFAULT_STATUS_CATEGORIES))


def filter_projects(
    projects: pd.DataFrame,
    *,
    include_non_industrial: bool = True,
    sector_families: list[str] | None = None,
    status_categories: list[str] | None = None,
    years: tuple[int, int] | None = None,
    regions: list[str] | None = None,
    departements: list[str] | None = None,
    in_territory: str | None = None,
) -> pd.DataFrame:
    """The projects matching every given filter (None = no filter on that criterion).

    A project without a stated year is kept only when no year range is asked.
    ``in_territory`` keeps the projects inside a Territoire d'industrie of a phase:
    ``"ti_phase2"`` (2024-2027) or ``"ti_phase1"`` (2018-2023).
    """
    keep = pd.Series(True, index=projects.index)
    if not include_non_industrial:
        keep &= is_industrial(projects)
    if sector_families is not None:
        keep &= projects["sector_family"].isin(sector_families)
    if status_categories is not None:
        keep &= projects["status_category"].isin(status_categories)
    if years is not None:
        year = pd.to_numeric(projects["year_announced"], errors="coerce")
        keep &= year.between(*years).fillna(False).astype(bool)
    if regions is not None:
        keep &= projects["region"].isin(regions)
    if departements is not None:
        keep &= projects["departement"].isin(departements)
    if in_territory is not None:
        if in_territory not in TI_PHASES:
            raise ValueError(f"in_territory must be one of {list(TI_PHASES)}, got {in_territory!r}")
        keep &= projects[in_territory].fillna("").astype(str).str.len().gt(0)
    return projects[keep]
