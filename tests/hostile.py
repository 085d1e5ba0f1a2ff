"""A copy of the built store whose names carry HTML, JavaScript and Markdown, for the escaping tests.

Names come from users' files (imports, editors, curated CSV): wherever one is shown — tooltip, popup,
fiche, table, press map, standalone HTML — it must read as the literal text below and run nothing.
The payload sets ``window.__pwned`` in every way it could run (an ``onerror`` attribute, a ``<script>``
after breaking out of an attribute, a JavaScript template literal, a ``javascript:`` link), so a test
only has to check that the variable stays undefined in every frame.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from geo.store import GeoPackageStore
from geo.vocabulary import AVAILABLE_STATUSES
from tests.conftest import copy_store

PAYLOAD = (
    '<img src=x onerror=window.__pwned=1>"><script>window.__pwned=2</script>'
    "${window.__pwned=3}'[lien](javascript:window.__pwned=4)"
    " [Cliquez ici](https://evil.example/) ![x](http://127.0.0.1:9/b.png) :red[ALERTE] $x$ :material/home:"
)
"""Markup a name must show as text: HTML, attribute break-out, template literal, Markdown link, and Streamlit's
Markdown (a link, an image the browser would fetch from port 9, a colour, LaTeX, an icon)."""

IMAGE_HOST = "127.0.0.1:9"
"""Where the payload's Markdown image points: no request may go there."""

FORMULA = '=HYPERLINK("http://127.0.0.1:9/formule","Cliquez")'
"""A name a spreadsheet would run as a formula: every CSV and XLSX export must write it as text."""

FORMULA_EPCI = "245900428"
"""The EPCI named :data:`FORMULA` (CU de Dunkerque: the most projects, so in every EPCI table)."""

PORTE_DU_HAINAUT = "200042190"
"""The EPCI whose names are replaced (CA de la Porte du Hainaut: projects, foncier, a Territoire d'industrie)."""


@dataclass(frozen=True)
class HostileNames:
    """The hostile names written into the copy, and where to find them."""

    epci: str
    territory: str
    project: str
    company: str
    commune: str
    site: str
    territory_id: str
    project_id: str
    site_id: str


def hostile_store(source: GeoPackageStore, target: Path) -> tuple[GeoPackageStore, HostileNames]:
    """Copy ``source`` to ``target`` and give one EPCI, its Territoire d'industrie 2024-2027, one of its
    shown projects (with its commune) and one of its available sites names made of :data:`PAYLOAD`; another
    EPCI is named :data:`FORMULA`."""
    copy_store(source, target)
    store = GeoPackageStore(target)
    layers = {name: store.read(name) for name in ("epci", "epci_web", "territoires", "territoires_web")}
    layers |= {name: store.read(name) for name in ("projets", "foncier", "communes")}
    codes = store.read("territoire_communes")
    in_epci = set(layers["communes"].loc[layers["communes"]["epci_siren"] == PORTE_DU_HAINAUT, "code"])
    territory_id = codes.loc[(codes["kind"] == "ti_phase2") & codes["code"].isin(in_epci), "territory_id"].iloc[0]
    projects = layers["projets"]
    shown = projects[
        (projects["epci_siren"] == PORTE_DU_HAINAUT)
        & (projects["status_category"] != "abandonné ou fermé")
        & (projects["sector_family"] != "non industriel")
    ]
    project = shown.iloc[0]
    sites = layers["foncier"]
    site = sites[
        (sites["epci_siren"] == PORTE_DU_HAINAUT)
        & sites["statut"].isin(AVAILABLE_STATUSES)
        & (sites["surface_ha"] >= 5)
    ].iloc[0]
    names = HostileNames(
        epci=f"EPCI {PAYLOAD}",
        territory=f"Territoire {PAYLOAD}",
        project=f"Projet {PAYLOAD}",
        company=f"Entreprise {PAYLOAD}",
        commune=f"Commune {PAYLOAD}",
        site=f"Site {PAYLOAD}",
        territory_id=str(territory_id),
        project_id=str(project["project_id"]),
        site_id=str(site["site_id"]),
    )
    for name in ("epci", "epci_web"):
        frame = layers[name]
        frame.loc[frame["siren"] == PORTE_DU_HAINAUT, "nom"] = names.epci
        frame.loc[frame["siren"] == FORMULA_EPCI, "nom"] = FORMULA
    for name in ("territoires", "territoires_web"):
        frame = layers[name]
        chosen = frame["territory_id"] == territory_id
        frame.loc[chosen, "label"] = names.territory
        frame.loc[chosen, ["basis", "approximation"]] = f"Note {PAYLOAD}"
    chosen = projects["project_id"] == project["project_id"]
    projects.loc[chosen, ["name", "company", "commune_nom"]] = [names.project, names.company, names.commune]
    projects.loc[chosen, ["jobs_note", "status_note", "funder"]] = f"Note {PAYLOAD}"
    projects.loc[chosen, "source_url"] = "javascript:window.__pwned=5"
    communes = layers["communes"]
    communes.loc[communes["code"] == project["insee_com"], "nom"] = names.commune
    sites.loc[sites["site_id"] == site["site_id"], "nom"] = names.site
    store.replace_layers(layers)
    return store, names
