"""The « fiche territoire » of an EPCI, shown under the map (shared by pages)."""

from __future__ import annotations

import streamlit as st

from app_pages.data_access import layer, projects
from geo.profiles import epci_profile
from geo.territories import TERRITORY_KINDS
from layers.admin import EPCI_TYPES_FR
from layers.formatting import area_km2_fr, euros_short_fr, inhabitants_fr, number_fr


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
        st.warning(f"Aucun EPCI de SIREN {siren} dans les données.")
        return
    st.subheader(f"Fiche : {profile.nom}")
    cols = st.columns(4)
    cols[0].metric("Type", EPCI_TYPES_FR.get(profile.type, profile.type))
    cols[1].metric("Population (COG 2026)", inhabitants_fr(profile.population))
    cols[2].metric("Superficie", area_km2_fr(profile.area_km2))
    cols[3].metric("Communes", len(profile.communes))
    st.caption(f"SIREN {profile.siren}")
    for kind, title in TERRITORY_KINDS.items():
        rows = profile.territories_of_kind(kind)
        if kind == "zonage" or rows.empty:
            continue
        items = [
            f"{row.label}" + ("" if row.share == 1 else f" ({row.n_communes_in} communes sur {len(profile.communes)})")
            for row in rows.itertuples()
        ]
        st.markdown(f"**{title}** : " + " ; ".join(items))
    missing = [t for k, t in TERRITORY_KINDS.items() if k != "zonage" and profile.territories_of_kind(k).empty]
    if missing:
        st.caption("Hors de : " + " ; ".join(missing))
    with st.expander(f"Les {len(profile.communes)} communes"):
        st.dataframe(
            profile.communes.rename(columns={"code": "Code INSEE", "nom": "Commune", "population": "Population"}),
            hide_index=True,
            width="stretch",
        )
    _projects_section(projects()[lambda p: p["epci_siren"] == siren])


def _projects_section(in_epci) -> None:
    """Projects located in the territory, with totals that say what is not stated."""
    if in_epci.empty:
        st.markdown("**Projets industriels** : aucun projet recensé.")
        return
    jobs, investment = in_epci["jobs_announced"], in_epci["investment_eur"]
    st.markdown(
        f"**Projets industriels** : {len(in_epci)} — {number_fr(jobs.sum())} emplois annoncés"
        f" ({int(jobs.isna().sum())} non renseignés), {euros_short_fr(investment.sum())} d'investissement annoncé"
        f" ({int(investment.isna().sum())} non renseignés)"
    )
    st.dataframe(
        in_epci[["name", "commune_nom", "status_category", "jobs_announced", "investment_eur", "source_url"]].rename(
            columns={
                "name": "Projet",
                "commune_nom": "Commune",
                "status_category": "Statut",
                "jobs_announced": "Emplois",
                "investment_eur": "Investissement (€)",
                "source_url": "Source",
            }
        ),
        hide_index=True,
        width="stretch",
        column_config={"Source": st.column_config.LinkColumn("Source")},
    )
