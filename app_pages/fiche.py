"""The « fiches » of a commune, an EPCI and a Territoire d'industrie or bassin, linked to each other."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from app_pages.data_access import context_notes_file, foncier_sites, layer, projects
from app_pages.url_state import linked_view_params
from geo.analysis.profiles import (
    NEARBY_FONCIER_RADIUS_M,
    commune_profile,
    context_notes,
    epci_profile,
    territory_profile,
)
from geo.analysis.projects import status_with_date
from geo.text import web_address
from geo.vocabulary import AVAILABLE_STATUSES, TERRITORY_KINDS
from layers.admin import EPCI_TYPES_FR
from layers.formatting import (
    area_km2_fr,
    euros_short_fr,
    french_table,
    inhabitants_fr,
    markdown_code,
    markdown_escaped,
    number_fr,
)

ECHO_MAX_CHARS = 80
"""How much of a value read from the address a message repeats."""


def show_epci_fiche(siren: str) -> None:
    """Render the fiche of EPCI ``siren``; a French warning if it is unknown."""
    try:
        profile = epci_profile(
            siren,
            epci=layer("epci"),
            communes=layer("communes"),
            territories=layer("territoires"),
            territory_communes=layer("territoire_communes"),
        )
    except KeyError:
        st.warning(f"Aucun EPCI de SIREN {markdown_code(siren, max_chars=ECHO_MAX_CHARS)} dans les données.")
        return
    _header(
        profile.nom,
        EPCI_TYPES_FR.get(profile.type, profile.type),
        profile.population,
        profile.area_km2,
        len(profile.communes),
        caption=f"SIREN {_md(profile.siren)}",
    )
    for kind, title in TERRITORY_KINDS.items():
        rows = profile.territories_of_kind(kind)
        if kind == "zonage" or rows.empty:
            continue
        items = [
            f"[{_md(row.label)}]({fiche_link(territoire=row.territory_id)})"
            + ("" if row.share == 1 else f" ({row.n_communes_in} communes sur {len(profile.communes)})")
            for row in rows.itertuples()
        ]
        st.markdown(f"**{title}** : " + " ; ".join(items))
    missing = [t for k, t in TERRITORY_KINDS.items() if k != "zonage" and profile.territories_of_kind(k).empty]
    if missing:
        st.caption("Hors de : " + " ; ".join(missing))
    with st.expander(f"Les {len(profile.communes)} communes"):
        st.dataframe(
            french_table(
                profile.communes.rename(columns={"code": "Code INSEE", "nom": "Commune", "population": "Population"})
            ),
            hide_index=True,
            width="stretch",
        )
    _projects_section(projects()[lambda p: p["epci_siren"] == siren])
    _foncier_section(foncier_sites()[lambda f: f["epci_siren"] == siren])


def show_commune_fiche(code: str) -> None:
    """Render the fiche of commune ``code``: its EPCI, territories, projects and the foncier in and around it."""
    try:
        profile = commune_profile(
            code,
            communes=layer("communes"),
            epci=layer("epci"),
            territories=layer("territoires"),
            territory_communes=layer("territoire_communes"),
            foncier=foncier_sites(),
        )
    except KeyError:
        st.warning(f"Aucune commune de code {markdown_code(code, max_chars=ECHO_MAX_CHARS)} dans les données.")
        return
    _header(
        profile.nom,
        "Commune",
        profile.population,
        profile.area_km2,
        None,
        caption=f"Code INSEE {_md(profile.code)} · département {_md(profile.departement)}",
    )
    if profile.epci_siren:
        link = fiche_link(epci=profile.epci_siren, commune=None)
        st.markdown(f"**EPCI** : {_md(profile.epci_nom or profile.epci_siren)} — [Voir la fiche de l'EPCI]({link})")
    else:
        st.markdown("**EPCI** : non renseigné.")
    for kind, title in TERRITORY_KINDS.items():
        rows = profile.territories[profile.territories["kind"] == kind]
        if not rows.empty:
            items = [f"[{_md(row.label)}]({fiche_link(territoire=row.territory_id)})" for row in rows.itertuples()]
            st.markdown(f"**{title}** : " + " ; ".join(items))
    _projects_section(projects()[lambda p: p["insee_com"] == code])
    _nearby_foncier_section(profile.foncier_nearby)


def _nearby_foncier_section(sites: pd.DataFrame) -> None:
    """Available land in the commune and within the fiche's radius, nearest first."""
    available = sites[sites["statut"].isin(AVAILABLE_STATUSES)]
    radius = number_fr(NEARBY_FONCIER_RADIUS_M / 1000)
    if available.empty:
        st.markdown(f"**Foncier disponible à moins de {radius} km** : aucun site recensé.")
        return
    st.markdown(f"**Foncier disponible dans la commune et à moins de {radius} km** : {len(available)} sites.")
    table = pd.DataFrame(
        {
            "Site": available["nom"],
            "Commune": available["commune_nom"],
            "Statut": available["statut"],
            "Surface (ha)": available["surface_ha"],
            "Distance": [
                "dans la commune" if d == 0 else f"{number_fr(d / 1000, decimals=1)} km"
                for d in available["distance_m"]
            ],
        }
    )
    st.dataframe(french_table(table), hide_index=True, width="stretch")


def show_territory_fiche(territory_id: str) -> None:
    """Render the fiche of a Territoire d'industrie, bassin or zoning, with links to its EPCI."""
    try:
        profile = territory_profile(
            territory_id,
            territories=layer("territoires"),
            territory_communes=layer("territoire_communes"),
            communes=layer("communes"),
            epci=layer("epci"),
        )
    except KeyError:
        st.warning(f"Aucun territoire {markdown_code(territory_id, max_chars=ECHO_MAX_CHARS)} dans les données.")
        return
    _header(
        profile.label,
        TERRITORY_KINDS.get(profile.kind, profile.kind),
        profile.population,
        profile.area_km2,
        profile.n_communes,
        caption=f"Source : {markdown_escaped(profile.source)} ({markdown_escaped(profile.vintage)})",
    )
    items = [
        f"[{_md(row.nom)}]({fiche_link(epci=row.siren)})"
        + ("" if row.share == 1 else f" ({row.n_communes_in} communes sur {row.n_communes})")
        for row in profile.epci.itertuples()
    ]
    st.markdown(f"**{len(items)} EPCI** : " + " ; ".join(items))
    _caveats(profile)
    _projects_section(projects()[lambda p: p["insee_com"].isin(profile.commune_codes)])
    _foncier_section(foncier_sites()[lambda f: f["insee_com"].isin(profile.commune_codes)])


def _caveats(profile) -> None:
    """How the perimeter is drawn, what is approximated, and the sourced context of this kind of territory."""
    if profile.basis:
        st.markdown(f"**Périmètre** : {_md(profile.basis)}")
    if profile.approximation:
        st.warning(f"**Approximation** : {_md(profile.approximation)}", icon=":material/info:")
    for note in context_notes(context_notes_file(), kind=profile.kind, regions=profile.regions):
        with st.expander(_md(note.title)):
            st.markdown(_md(note.text))
            st.caption("Sources : " + " ; ".join(_md(source) for source in note.sources))


def _header(name: str, kind: str, population: int, area_km2: float, n_communes: int | None, *, caption: str) -> None:
    st.subheader(f"Fiche : {markdown_escaped(name)}")
    cols = st.columns(4)
    cols[0].metric("Type", kind)
    cols[1].metric("Population (COG 2026)", inhabitants_fr(population))
    cols[2].metric("Superficie", area_km2_fr(area_km2))
    if n_communes is not None:
        cols[3].metric("Communes", number_fr(n_communes))
    st.caption(caption)


def fiche_link(**changes: str | None) -> str:
    """A relative link to the Carte with ``changes`` in the URL (the other view parameters kept)."""
    params = linked_view_params()
    params.pop("epci" if "territoire" in changes else "territoire", None)
    if "territoire" in changes or "epci" in changes:
        params.pop("commune", None)  # a territory's or an EPCI's fiche replaces the commune's
    params.update({key: value for key, value in changes.items() if value is not None})
    return "?" + urlencode(params)


def _md(text: object) -> str:
    """Text from the data shown literally in Markdown (names may come from users' files)."""
    return markdown_escaped(text)


def _foncier_section(sites: pd.DataFrame) -> None:
    """Available land (brownfields without project, sites clés en main) in the territory."""
    available = sites[sites["statut"].isin(AVAILABLE_STATUSES)]
    if available.empty:
        st.markdown("**Foncier disponible** : aucun site recensé.")
        return
    surface = available["surface_ha"]
    verified = available[available["verifie"].astype(bool)]
    st.markdown(
        f"**Foncier disponible** : {len(available)} sites, {number_fr(surface.sum(), decimals=1)} ha "
        f"({int(surface.isna().sum())} de surface inconnue), dont {len(verified)} vérifiés — "
        "détail sur la page [Foncier](foncier)."
    )


def _projects_section(in_territory) -> None:
    """Projects located in the territory: totals of active projects (site amounts only, saying what is
    not stated), closures and abandonments apart, programme-level amounts apart."""
    if in_territory.empty:
        st.markdown("**Projets industriels** : aucun projet recensé.")
        return
    closed = in_territory["status_category"].eq("abandonné ou fermé")
    active = in_territory[~closed]
    jobs, investment = active["jobs_announced"], active["investment_eur"]
    lines = [
        f"**Projets industriels** : {len(in_territory)}, dont {int(closed.sum())} fermetures ou abandons. "
        f"Projets actifs : {number_fr(jobs.sum())} emplois permanents annoncés ({int(jobs.isna().sum())} non "
        f"renseignés), {euros_short_fr(investment.sum())} d'investissement sur site ({int(investment.isna().sum())} "
        "non renseignés)."
    ]
    programme = active["investment_eur_programme"].dropna()
    if len(programme):
        lines.append(
            f"Montants de programme (plusieurs sites, non ventilés, non additionnés) : "
            f"{euros_short_fr(programme.sum())} sur {len(programme)} projet(s)."
        )
    lost = in_territory["jobs_lost"].dropna()
    if len(lost):
        lines.append(
            f"Emplois supprimés (fermetures, plans sociaux) : {number_fr(lost.sum())} sur {len(lost)} site(s)."
        )
    st.markdown("  \n".join(lines))
    table = pd.DataFrame(
        {
            "Projet": in_territory["name"],
            "Commune": in_territory["commune_nom"],
            "Statut": [
                status_with_date(status, date)
                for status, date in zip(in_territory["status"], in_territory["status_date"], strict=True)
            ],
            "Emplois permanents": in_territory["jobs_announced"],
            "Emplois supprimés": in_territory["jobs_lost"],
            "Investissement": [
                euros_short_fr(site) if not pd.isna(site) else _programme_amount(whole)
                for site, whole in zip(
                    in_territory["investment_eur"], in_territory["investment_eur_programme"], strict=True
                )
            ],
            "Source": in_territory["source_url"].map(web_address),  # only web addresses become links
        }
    )
    st.dataframe(
        french_table(table),
        hide_index=True,
        width="stretch",
        column_config={"Source": st.column_config.LinkColumn("Source")},
    )


def _programme_amount(value: object) -> str:
    return "" if value is None or pd.isna(value) else f"{euros_short_fr(value)} (programme)"
