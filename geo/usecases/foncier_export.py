"""The Foncier page's export (CSV, XLSX): French headers with their units, rounded distances, territory names,
and the quality reasons of each site, as a chef de projet hands it to a prospect."""

from __future__ import annotations

import numbers
from collections.abc import Mapping

import pandas as pd

from geo.analysis.foncier_aptitude import ZONING_KINDS, zoning_kind
from geo.analysis.foncier_quality import quality_flags
from geo.vocabulary import AVAILABLE_STATUSES, UNNAMED_SITE

_TEXT_COLUMNS = {
    "site_id": "Identifiant",
    "nom": "Site",
    "kind": "Type",
    "site_type": "Type de site",
    "statut": "Statut",
}
_DISTANCES = {
    "distance_m": "Distance au centre choisi (m)",
    "distance_rail_m": "Voie ferrée (m)",
    "distance_route_m": "Route (m)",
    "distance_fluvial_m": "Voie d'eau (m)",
    "distance_maritime_m": "Port maritime (m)",
}
_PLACE_COLUMNS = {
    "commune_nom": "Commune",
    "insee_com": "Code INSEE",
    "epci_siren": "EPCI (SIREN)",
    "departement": "Département",
}
_TERRITORIES = {
    "ti_phase2": "Territoire d'industrie 2024-2027",
    "ti_phase1": "Territoire d'industrie 2018-2023",
    "bassins": "Bassins prioritaires",
}
_SOURCE_COLUMNS = {
    "nature": "Origine",
    "source": "Source",
    "date_maj": "Mise à jour de la fiche",
    "date_source": "Instantané de la source",
}


def foncier_export(found: pd.DataFrame, territory_labels: Mapping[str, str]) -> pd.DataFrame:
    """The sites of a search as the export file holds them, in the order of the search.

    ``territory_labels`` maps a territory id (``p2-ti-3207``) to its name; a site in several territories lists
    them all, « ; »-separated.

    >>> sites = pd.DataFrame({"site_id": ["a"], "nom": ["Usine"], "statut": ["friche sans projet"],
    ...     "surface_ha": [12.3456], "zone_urba": ["U"], "distance_rail_m": [812.3456789], "ti_phase2": ["p2-x"],
    ...     "verifie": [True], "insee_com": ["59001"]})
    >>> row = foncier_export(sites, {"p2-x": "Valenciennois"}).iloc[0]
    >>> float(row["Surface (ha)"]), int(row["Voie ferrée (m)"]), row["Territoire d'industrie 2024-2027"]
    (12.35, 810, 'Valenciennois')
    >>> row["Compté (plausible)"], row["Pourquoi non compté"]
    ('oui', '')
    """
    table = pd.DataFrame(index=found.index)
    _copy(table, found, _TEXT_COLUMNS)
    table["Surface (ha)"] = pd.to_numeric(found["surface_ha"], errors="coerce").round(2)
    if "aptitude" in found:
        table["Aptitude (points)"] = found["aptitude"]
        table["Raisons du classement"] = found["raisons_aptitude"]
    table["Zonage"] = zoning_kind(found).map(ZONING_KINDS)
    _copy(
        table,
        found,
        {"zone_urba": "Zonage (code du plan local)", "zone_urba_libelle": "Zonage (libellé du plan local)"},
    )
    _copy(table, found, {"pollution": "Pollution"})
    # Distances to the nearest 10 m: the sources' points are not more precise.
    _copy(table, found, _DISTANCES, lambda v: pd.to_numeric(v, errors="coerce").round(-1).astype("Int64"))
    _copy(table, found, _PLACE_COLUMNS)
    _copy(table, found, _TERRITORIES, lambda ids: ids.map(lambda one: _names(one, territory_labels)))
    verified = found["verifie"].fillna(False).astype(bool) if "verifie" in found else pd.Series(False, found.index)
    table["Vérifié par le Cerema ou clé en main"] = verified.map({True: "oui", False: "non"})
    # Reasons computed over every site (a duplicate's twin may be outside the search), else over the search.
    reasons = found["raisons_qualite"] if "raisons_qualite" in found else quality_flags(found)["raisons_qualite"]
    counted = found["statut"].isin(AVAILABLE_STATUSES) & reasons.fillna("").eq("")
    table["Compté (plausible)"] = counted.map({True: "oui", False: "non"})
    table["Pourquoi non compté"] = reasons.fillna("")
    _copy(table, found, _SOURCE_COLUMNS)
    return table.reset_index(drop=True)


def shortlist_table(chosen: pd.DataFrame, territory_labels: Mapping[str, str]) -> pd.DataFrame:
    """The shortlist side by side: one column per site (« Site — Commune »), one row per export field.

    >>> sites = pd.DataFrame({"site_id": ["a", "b"], "nom": ["Usine", "Usine"], "statut": ["friche sans projet"] * 2,
    ...     "surface_ha": [12.0, 3.0], "commune_nom": ["Denain", "Douai"], "verifie": [True, True]})
    >>> table = shortlist_table(sites, {})
    >>> list(table.columns), table.loc["Surface (ha)"].tolist()
    (['Usine — Denain', 'Usine — Douai'], ['12', '3'])
    """
    table = foncier_export(chosen, territory_labels)
    names = table["Site"].fillna(UNNAMED_SITE).astype(str)
    if "Commune" in table:
        names = names + " — " + table["Commune"].fillna("?").astype(str)
    names = names.where(~names.duplicated(keep=False), names + " (" + table["Identifiant"].astype(str) + ")")
    shown = table.drop(columns=["Site"]).set_axis(names.tolist()).T
    return shown.map(_cell).rename_axis("")


def _cell(value: object) -> str:
    """A cell of the side-by-side table as text (a column mixes numbers and words): no « nan », no « .0 »."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", "\u202f").replace(".", ",")
    if isinstance(value, numbers.Integral) and not isinstance(value, bool):
        return f"{value:,}".replace(",", "\u202f")
    return str(value)


def _copy(table: pd.DataFrame, found: pd.DataFrame, headers: Mapping[str, str], convert=lambda values: values) -> None:
    for column, header in headers.items():
        if column in found:
            table[header] = convert(found[column])


def _names(ids: object, labels: Mapping[str, str]) -> str:
    if ids is None or (isinstance(ids, float) and pd.isna(ids)) or not str(ids).strip():
        return ""
    return " ; ".join(labels.get(part, part) for part in str(ids).split(";") if part)
