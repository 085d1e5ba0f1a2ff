"""The Foncier export a chef de projet hands on (geo.usecases.foncier_export), on real rows of the build."""

from __future__ import annotations

from geo.analysis.foncier import FoncierQuery, search_sites
from geo.analysis.foncier_quality import quality_flags
from geo.exports import csv_bytes
from geo.usecases.foncier_export import foncier_export
from geo.vocabulary import AVAILABLE_STATUSES


def test_the_export_has_french_headers_rounded_distances_territory_names_and_quality(store):
    sites = store.read("foncier")
    sites = sites.assign(raisons_qualite=quality_flags(sites)["raisons_qualite"])
    found = search_sites(sites, FoncierQuery(min_surface_ha=1.0, statuts=AVAILABLE_STATUSES))
    territories = store.read("territoires")
    table = foncier_export(found, dict(zip(territories["territory_id"], territories["label"], strict=True)))
    assert len(table) == len(found)
    assert not [c for c in table.columns if "_" in c]  # no internal column name left
    rail = table["Voie ferrée (m)"].dropna()
    assert len(rail) and (rail % 10 == 0).all()
    named = table["Territoire d'industrie 2018-2023"][table["Territoire d'industrie 2018-2023"].ne("")]
    assert len(named) and not named.str.contains(r"p1-ti-\d").any()
    terril = table[table["Site"].eq("TERRIL") & table["Commune"].eq("Bruay-sur-l'Escaut")].iloc[0]
    assert terril["Compté (plausible)"] == "non" and "non vérifiée par le Cerema" in terril["Pourquoi non compté"]
    assert set(table["Compté (plausible)"]) == {"oui", "non"}
    header = csv_bytes(table).decode("utf-8-sig").splitlines()[0]
    assert header.startswith(
        "Identifiant;Site;Type;Type de site;Statut;Surface (ha);Aptitude (points);Raisons du classement;Zonage;"
        "Zonage (code du plan local);Zonage (libellé du plan local)"
    )
