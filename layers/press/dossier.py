"""The dossier de presse in one ZIP: every ready-made view as PNG 300 dpi and PDF, the figures behind each
map (CSV, and one XLSX workbook), and a one-page method note generated from the store's metadata.

Nothing here is written per release: sources, vintages, approximations and counts come from the data.
"""

from __future__ import annotations

import io
import textwrap
import zipfile
from collections.abc import Callable
from datetime import date

import matplotlib
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from geo.analysis.overlays import overlay_territories
from geo.analysis.projects import created_jobs
from geo.exports import csv_bytes, xlsx_bytes
from layers.formatting import date_fr, number_fr
from layers.press import typography
from layers.press.render import render, to_bytes
from layers.press.views import MEASURE_LABELS, VIEWS, PressData, PressView, press_data
from layers.territories import OVERLAYS

Progress = Callable[[float, str], None]

DEFINITIONS = (
    "Emplois permanents annoncés : les emplois durables qu'une entreprise ou une autorité annonce pour le site "
    "(cible à terme, pas des emplois constatés). Les emplois de chantier au pic et les emplois supprimés sont "
    "comptés à part et jamais ajoutés aux emplois permanents.",
    "Emplois créés annoncés : parmi eux, ceux que la source présente comme des créations. Les emplois maintenus "
    "lors d'une reprise, transférés d'un autre site de l'entreprise, comptés avec les emplois indirects ou dont la "
    "source ne dit pas la nature sont dans les tableaux (colonne « nature des emplois ») mais pas dans les totaux "
    "d'emplois créés. Le périmètre (cette phase ou tout le projet) et l'horizon visé sont dans les tableaux.",
    "Aides publiques : montants donnés par une source, jamais calculés (ni moitié d'un total, ni somme de deux "
    "aides) ; leur forme (subvention, avance remboursable, prêt, aide R&D ou PIIEC, mesure fiscale…) est dans "
    "les tableaux : un prêt n'est pas une subvention.",
    "Montants : l'investissement et les aides publiques portent sur le site, ou sur un programme de plusieurs "
    "sites ; les montants de programme ne sont jamais ajoutés aux totaux par territoire.",
    "Sélection des cartes : projets industriels (hors centres de données et logistique), hors projets abandonnés "
    "ou fermés. Un chiffre inconnu reste « non renseigné » : il n'est jamais compté comme zéro.",
    "Chaque projet cite sa source (éditeur, date de publication) et la date de sa dernière vérification ; "
    "ces colonnes figurent dans les tableaux du dossier.",
)


def build_dossier(
    read: Callable[[str], pd.DataFrame],
    projects: pd.DataFrame,
    *,
    layout: str = "16:9",
    progress: Progress | None = None,
    today: date | None = None,
) -> bytes:
    """The ZIP of the dossier, in memory: ``read`` is ``store.read`` (or the app's cached accessor), ``projects``
    the projects to draw (the caller's selection); ``progress(fraction, message)`` is told each step."""
    report = progress or (lambda fraction, message: None)
    today = today or date.today()
    buffer = io.BytesIO()
    sheets: dict[str, pd.DataFrame] = {}
    sources: list[str] = []
    caveats: list[tuple[str, str]] = []
    build_date = ""
    foncier_drawn: pd.DataFrame | None = None
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for number, (key, view) in enumerate(VIEWS.items()):
            report(number / (len(VIEWS) + 1), f"Carte {number + 1} sur {len(VIEWS)} : {view.title}")
            data = press_data(read, view, projects=projects)
            press_map = render(view, data, layout=layout)
            stem = f"{number + 1:02d}-{key}"
            archive.writestr(f"cartes/{stem}.png", to_bytes(press_map, "png"))
            archive.writestr(f"cartes/{stem}.pdf", to_bytes(press_map, "pdf"))
            for suffix, table in figures_of(view, data).items():
                archive.writestr(f"chiffres/{stem}-{suffix}.csv", csv_bytes(table))
                sheets[f"{number + 1:02d} {suffix}"[:31]] = table
            sources += [line for line in data.sources if line not in sources]
            caveats += [caveat for caveat in data.caveats if caveat not in caveats]
            build_date = data.build_date
            foncier_drawn = data.foncier if view.foncier else foncier_drawn
        report(len(VIEWS) / (len(VIEWS) + 1), "Tableaux et note de méthode")
        archive.writestr("chiffres/reindus-chiffres.xlsx", xlsx_bytes(sheets))
        note = method_note(
            sources=sources,
            caveats=caveats,
            build_date=build_date,
            projects=projects,
            files=sorted(archive.namelist()) + ["note-methode.pdf", "note-methode.md"],
            today=today,
            foncier=foncier_drawn,
        )
        archive.writestr("note-methode.md", note_markdown(note))
        archive.writestr("note-methode.pdf", note_pdf(note))
    report(1.0, "Dossier prêt")
    return buffer.getvalue()


def figures_of(view: PressView, data: PressData) -> dict[str, pd.DataFrame]:
    """The tables behind a map, French headers, one row per drawn item: ``{suffix: table}``."""
    tables: dict[str, pd.DataFrame] = {}
    if view.overlays:
        tables["territoires"] = _territory_table(view, data)
    if view.projects_measure:
        tables["projets"] = _project_table(data.projects)
    if view.epci_measure:
        tables["epci"] = _epci_table(view, data)
    if view.phases and data.phases is not None:
        tables["epci"] = data.phases.rename(
            columns={
                "siren": "SIREN EPCI",
                "nom": "EPCI",
                "regions": "régions (code)",
                "categorie": "parcours",
                "ti_phase1": "Territoire d'industrie 2018-2023",
                "ti_phase2": "Territoire d'industrie 2024-2027",
            }
        )
    if view.foncier:
        tables["foncier"] = _foncier_table(data)
    if view.employment and data.zone_jobs is not None:
        tables["emploi"] = _employment_table(data.zone_jobs)
    return tables


def method_note(
    *,
    sources: list[str],
    caveats: list[tuple[str, str]],
    build_date: str,
    projects: pd.DataFrame,
    files: list[str],
    today: date,
    foncier: pd.DataFrame | None = None,
) -> list[tuple[str, list[str]]]:
    """The note as ``(heading, paragraphs)``: what the dossier holds, definitions, sources, approximations."""
    jobs = pd.to_numeric(projects["jobs_announced"], errors="coerce")
    created = pd.to_numeric(created_jobs(projects), errors="coerce")
    checked = pd.to_datetime(projects["checked_date"], errors="coerce").dropna()
    counts = [
        f"{number_fr(len(projects))} projets industriels cartographiés, dont {number_fr(jobs.notna().sum())} avec "
        f"un nombre d'emplois permanents annoncé ({number_fr(jobs.isna().sum())} projets sans chiffre connu). "
        f"Emplois créés annoncés : {number_fr(created.sum())} sur {number_fr(created.notna().sum())} projets ; "
        f"{number_fr(jobs.where(created.isna()).sum())} autres emplois annoncés (maintenus lors d'une reprise, "
        "transférés, directs et indirects ou de nature non précisée) ne sont pas additionnés aux créations.",
    ]
    if foncier is not None:
        surface = pd.to_numeric(foncier["surface_ha"], errors="coerce")
        counts.append(
            f"Foncier : {number_fr(len(foncier))} sites dessinés, {number_fr(surface.sum(), decimals=1)} ha connus : "
            "friches sans projet vérifiées de 2 ha et plus et sites clés en main, dans un Territoire d'industrie "
            "2024-2027. Ne sont ni dessinés ni comptés : les friches potentielles non vérifiées (le Cerema les "
            "déconseille pour les statistiques), les doublons, les terrils, carrières et décharges, les zonages "
            "naturels ou agricoles."
        )
    if len(checked):
        when = (
            f"le {checked.min():%d/%m/%Y}"
            if checked.min() == checked.max()
            else f"entre le {checked.min():%d/%m/%Y} et le {checked.max():%d/%m/%Y}"
        )
        counts.append(
            f"Sources des projets vérifiées {when} ; données construites le {date_fr(build_date)}, "
            f"dossier généré le {today:%d/%m/%Y}."
        )
    return [
        (
            "Contenu",
            [
                f"{len(VIEWS)} cartes (PNG 300 dpi et PDF vectoriel), les chiffres de chacune (CSV séparés par des "
                "points-virgules et un classeur XLSX), cette note.",
                *counts,
            ],
        ),
        ("Définitions", list(DEFINITIONS)),
        (
            "Périmètres approchés",
            [f"{label} : {how}" for label, how in caveats]
            or ["Aucun périmètre dessiné n'est approché : tous suivent des listes officielles."],
        ),
        (
            "Sources et millésimes",
            [*sources, "Licence Ouverte 2.0 : réutilisation libre en citant la source et sa date."],
        ),
        (
            "Fichiers",
            [
                "cartes/ : "
                + ", ".join(sorted({_stem(name) for name in files if name.startswith("cartes/")}))
                + " (chacune en PNG et en PDF)",
                "chiffres/ : "
                + ", ".join(_stem(name) for name in files if name.startswith("chiffres/") and name.endswith(".csv"))
                + " (CSV) ; reindus-chiffres.xlsx (les mêmes tableaux, un onglet chacun)",
            ],
        ),
    ]


def _stem(path: str) -> str:
    return path.rsplit("/", 1)[-1].rsplit(".", 1)[0]


def note_markdown(note: list[tuple[str, list[str]]]) -> str:
    lines = ["# Note de méthode — dossier de presse reindus", ""]
    for heading, paragraphs in note:
        lines += [f"## {heading}", "", *(f"- {paragraph}" for paragraph in paragraphs), ""]
    return "\n".join(lines)


def note_pdf(note: list[tuple[str, list[str]]]) -> bytes:
    """The note on one A4 page, set in the press maps' type; a long note is set smaller to stay on the page."""
    title = "Note de méthode — dossier de presse reindus"
    with matplotlib.rc_context({**typography.rc(), "pdf.fonttype": 42}):
        for size in (7.5, 7, 6.5, 6):
            figure, bottom = _note_page(title, note, size)
            if bottom >= _NOTE_MARGIN_IN / 11.69:
                break
        buffer = io.BytesIO()
        figure.savefig(buffer, format="pdf", metadata={"Title": title})
    return buffer.getvalue()


def _note_page(title: str, note: list[tuple[str, list[str]]], size: float) -> tuple[Figure, float]:
    """The page with the body in ``size`` points, and how far down it went (fraction of the page height)."""
    figure = Figure(figsize=(8.27, 11.69), dpi=100)
    FigureCanvasAgg(figure)
    renderer = figure.canvas.get_renderer()
    top = 1 - _NOTE_MARGIN_IN / 11.69

    def write(text: str, gap_in: float, **style) -> float:
        artist = figure.text(0.08, top, text, va="top", **style)
        return top - artist.get_window_extent(renderer).height / figure.bbox.height - gap_in / 11.69

    top = write(title, 0.2, **{**typography.TITLE, "fontsize": 16})
    width = int(_NOTE_CHARS_PER_LINE * 7.5 / size)
    for heading, paragraphs in note:
        top = write(heading, 0.06, fontsize=size + 3, fontweight="bold", color="#111111")
        for paragraph in paragraphs:
            wrapped = textwrap.fill(paragraph, width=width, initial_indent="• ", subsequent_indent="  ")
            top = write(wrapped, 0.03, linespacing=1.3, **{**typography.NOTE, "fontsize": size})
        top -= 0.06 / 11.69
    return figure, top


_NOTE_MARGIN_IN = 0.6
_NOTE_CHARS_PER_LINE = 135
"""Characters of 7.5 pt Inter on the note's 7.1 inch line, with a margin."""


def _territory_table(view: PressView, data: PressData) -> pd.DataFrame:
    frames = []
    for key in view.overlays:
        drawn = overlay_territories(data.territories, key)
        frames.append(
            pd.DataFrame(
                {
                    "couche": OVERLAYS[key].name,
                    "territoire": drawn["label"].to_numpy(),
                    "membres": drawn["n_members"].to_numpy(),
                    "communes": drawn["n_communes"].to_numpy(),
                    "population": drawn["population"].to_numpy(),
                    "surface (km²)": drawn["area_km2"].round(1).to_numpy(),
                    "source": (drawn["source"] + " (" + drawn["vintage"] + ")").to_numpy(),
                    "périmètre approché": drawn["approximation"].fillna("").to_numpy(),
                }
            )
        )
    return pd.concat(frames, ignore_index=True)


_PROJECT_COLUMNS = {
    "name": "projet",
    "company": "entreprise",
    "commune_nom": "commune",
    "insee_com": "code INSEE",
    "epci_siren": "SIREN EPCI",
    "sector_family": "famille de secteurs",
    "jobs_created": "emplois créés annoncés",
    "jobs_announced": "emplois annoncés, toutes natures",
    "jobs_nature": "nature des emplois (créés, maintenus…)",
    "jobs_perimeter": "périmètre des emplois",
    "jobs_horizon": "horizon des emplois",
    "jobs_construction": "emplois de chantier au pic",
    "investment_eur": "investissement (€, site)",
    "public_funding_eur": "aides publiques (€, site)",
    "funding_kind": "forme de l'aide",
    "status": "statut",
    "status_date": "date du statut",
    "source_publisher": "source",
    "source_date": "date de la source",
    "source_url": "adresse de la source",
    "checked_date": "vérifié le",
}


def _project_table(projects: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(projects[list(_PROJECT_COLUMNS)]).rename(columns=_PROJECT_COLUMNS)


def _epci_table(view: PressView, data: PressData) -> pd.DataFrame:
    measure = view.epci_measure
    epci = pd.DataFrame(data.epci[["siren", "nom", "population"]]).set_index("siren")
    table = epci.join(data.epci_totals, how="inner").reset_index().sort_values("total", ascending=False, kind="stable")
    return table.rename(
        columns={
            "siren": "SIREN EPCI",
            "nom": "EPCI",
            "population": "population",
            "total": MEASURE_LABELS[measure],
            "projets": "projets",
            "chiffres": "projets avec un chiffre",
        }
    )


def _employment_table(jobs: pd.DataFrame) -> pd.DataFrame:
    columns = {
        "code_ze": "zone d'emploi (code)",
        "nom": "zone d'emploi",
        "emploi_industriel_2019": "emplois industriels au 31/12/2019",
        "emploi_industriel_2024": "emplois industriels au 31/12/2024",
        "evolution_2019_2024": "évolution 2019-2024 (%)",
        "part_emploi_prive_2024": "part de l'emploi salarié privé 2024 (%)",
    }
    return pd.DataFrame(jobs[list(columns)]).rename(columns=columns)


def _foncier_table(data: PressData) -> pd.DataFrame:
    columns = {
        "nom": "site",
        "commune_nom": "commune",
        "insee_com": "code INSEE",
        "statut": "statut",
        "surface_ha": "surface (ha)",
        "ti_phase2": "Territoire d'industrie 2024-2027",
        "source": "source",
        "date_source": "date de la source",
    }
    table = pd.DataFrame(data.foncier[list(columns)]).rename(columns=columns)
    table["surface (ha)"] = table["surface (ha)"].round(2)
    return table
