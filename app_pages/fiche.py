"""The « fiches » of a commune, an EPCI and a Territoire d'industrie or bassin, linked to each other.

The profiles (:mod:`geo.analysis.profiles`) read one :class:`~geo.analysis.places.PlaceData` and
carry their totals; this page only draws them. Links to another fiche are the current view with
another place selected (:meth:`~geo.analysis.view.MapView.link`).
"""

from __future__ import annotations

import html
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd
import streamlit as st

from app_pages.data_access import context_notes_file, layer, layer_names, place_data
from geo.analysis.profiles import (
    NEARBY_FONCIER_RADIUS_M,
    FoncierTotals,
    ProjectTotals,
    commune_profile,
    context_notes,
    epci_profile,
    territory_profile,
)
from geo.analysis.projects import status_with_date
from geo.analysis.view import MapView
from geo.errors import PlaceNotFoundError
from geo.text import web_address
from geo.vocabulary import TERRITORY_KINDS, ZE_PREFIX
from layers.admin import EPCI_TYPES_FR
from layers.charts import private_jobs_chart
from layers.formatting import (
    area_km2_fr,
    count_fr,
    euros_short_fr,
    french_table,
    inhabitants_fr,
    markdown_code,
    markdown_escaped,
    number_fr,
)

ECHO_MAX_CHARS = 80
"""How much of a value read from the address a message repeats."""


def show_selected_fiche(view: MapView) -> bool:
    """Render the fiche of the place ``view`` selects; False when nothing is selected."""
    match view.selection:
        case ("territoire", territory_id):
            show_territory_fiche(territory_id, view)
        case ("commune", code):
            show_commune_fiche(code, view)
        case ("epci", siren):
            show_epci_fiche(siren, view)
        case _:
            return False
    return True


def show_epci_fiche(siren: str, view: MapView) -> None:
    """Render the fiche of EPCI ``siren``, linked from ``view``; a French warning if it is unknown."""
    try:
        profile = epci_profile(siren, place_data())
    except PlaceNotFoundError:
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
            f"[{_md(row.label)}]({_link(view.select_territory(row.territory_id))})"
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
    _projects_section(profile.projects, profile.project_totals)
    _employment_section(profile.territories_of_kind("zonage"))
    _epci_jobs_section(siren)
    _foncier_section(profile.foncier_totals)


def _epci_jobs_section(siren: str) -> None:
    """The EPCI's own figures: share of industry in its jobs (census 2022) and its private jobs 2014-2024 (URSSAF)."""
    if "emploi_epci" not in layer_names():
        return
    table = layer("emploi_epci").set_index("siren")
    if siren not in table.index:
        return
    row = table.loc[siren]
    years = [int(column.rsplit("_", 1)[1]) for column in table.columns if column.startswith("emploi_prive_")]
    series = pd.Series([row[f"emploi_prive_{year}"] for year in years], index=years).dropna()
    share = row["part_industrie_2022"]
    said = (
        f"l'industrie fait **{number_fr(share, decimals=1)} %** de ses emplois (recensement 2022, tous emplois)"
        if pd.notna(share)
        else "la part de l'industrie dans ses emplois n'est pas donnée par la source (EPCI interrégional)"
    )
    if len(series) >= 2:
        first, last = series.index[0], series.index[-1]
        change = (series.iloc[-1] / series.iloc[0] - 1) * 100
        said += (
            f" ; emploi salarié privé, tous secteurs : {number_fr(series.iloc[0])} en {first}, "
            f"{number_fr(series.iloc[-1])} en {last} ({'+' if change > 0 else ''}{number_fr(change, decimals=1)} %)"
        )
    st.markdown(f"**Emploi dans l'EPCI** : {said}.")
    if len(series) >= 2:
        st.altair_chart(
            private_jobs_chart(
                series,
                title="Emploi salarié privé de l'EPCI, tous secteurs, au 31 décembre",
                source="URSSAF, communes de l'EPCI au COG 2026 (série d'un observatoire tiers, à vérifier)",
            ),
            width="stretch",
        )


def _employment_section(zonings: pd.DataFrame) -> None:
    """The measured industrial jobs (URSSAF) of the place's zone d'emploi (for an EPCI, the one holding most of its
    communes)."""
    zones = zonings[zonings["territory_id"].astype(str).str.startswith(ZE_PREFIX)]
    if zones.empty or "emploi_industriel_ze" not in layer_names():
        return
    zone = (zones.sort_values("share", ascending=False) if "share" in zones else zones).iloc[0]
    code = str(zone["territory_id"]).removeprefix(ZE_PREFIX)
    jobs = layer("emploi_industriel_ze").set_index("code_ze")
    if code not in jobs.index:
        return
    row = jobs.loc[code]
    sectors = layer("emploi_industriel_secteurs")
    top = sectors[sectors["code_ze"] == code].nlargest(3, "emploi_2024")
    named = " ; ".join(f"{_md(r.secteur)} ({number_fr(r.emploi_2024)})" for r in top.itertuples())
    change = row["evolution_2019_2024"]
    sign = "+" if change > 0 else ""
    before, after = number_fr(row["emploi_industriel_2019"]), number_fr(row["emploi_industriel_2024"])
    share = number_fr(row["part_emploi_prive_2024"], decimals=1)
    st.markdown(
        f"**Emploi industriel mesuré**, zone d'emploi de {_md(row['nom'])} : {before} salariés en 2019, {after} en "
        f"2024 ({sign}{number_fr(change, decimals=1)} %), {share} % de l'emploi salarié privé. "
        f"Premiers secteurs : {named}."
    )
    st.caption(
        "Emplois salariés des employeurs privés du régime général (sans employeurs publics ni emplois agricoles), au "
        "lieu de travail, au 31 décembre ; industrie = sections B à E. Source : URSSAF, agrégé par zone d'emploi par "
        "un observatoire tiers (réutilisation à vérifier). Des emplois mesurés, à ne pas additionner aux emplois "
        "annoncés des projets."
    )


def show_commune_fiche(code: str, view: MapView) -> None:
    """Render the fiche of commune ``code``: its EPCI, territories, projects and the foncier in and around it."""
    try:
        profile = commune_profile(code, place_data())
    except PlaceNotFoundError:
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
        link = _link(view.select_epci(profile.epci_siren))
        st.markdown(f"**EPCI** : {_md(profile.epci_nom or profile.epci_siren)} — [Voir la fiche de l'EPCI]({link})")
    else:
        st.markdown("**EPCI** : non renseigné.")
    for kind, title in TERRITORY_KINDS.items():
        rows = profile.territories[profile.territories["kind"] == kind]
        if not rows.empty:
            items = [
                f"[{_md(row.label)}]({_link(view.select_territory(row.territory_id))})" for row in rows.itertuples()
            ]
            st.markdown(f"**{title}** : " + " ; ".join(items))
    _projects_section(profile.projects, profile.project_totals)
    _employment_section(profile.territories[profile.territories["kind"] == "zonage"])
    if profile.epci_siren:
        _epci_jobs_section(profile.epci_siren)
    _nearby_foncier_section(profile.foncier_nearby)


def _nearby_foncier_section(available: pd.DataFrame) -> None:
    """Available land in the commune and within the fiche's radius, nearest first."""
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


def show_territory_fiche(territory_id: str, view: MapView) -> None:
    """Render the fiche of a Territoire d'industrie, bassin or zoning, with links to its EPCI."""
    try:
        profile = territory_profile(territory_id, place_data())
    except PlaceNotFoundError:
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
        f"[{_md(row.nom)}]({_link(view.select_epci(row.siren))})"
        + ("" if row.share == 1 else f" ({row.n_communes_in} communes sur {row.n_communes})")
        for row in profile.epci.itertuples()
    ]
    st.markdown(f"**{len(items)} EPCI** : " + " ; ".join(items))
    _caveats(profile)
    _projects_section(profile.projects, profile.project_totals)
    _foncier_section(profile.foncier_totals)


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
    # Text rather than metrics: the fiche sits in a column beside the map, where a metric cut « Communauté
    # d'agglomération » to « C… ».
    st.subheader(f"Fiche : {markdown_escaped(name)}")
    figures = [f"**{inhabitants_fr(population)}** (COG 2026)", f"**{area_km2_fr(area_km2)}**"]
    if n_communes is not None:
        figures.append(f"**{number_fr(n_communes)}** commune{'s' if n_communes > 1 else ''}")
    st.markdown(f"{markdown_escaped(kind)} · {caption}  \n" + " · ".join(figures))


def copy_link_button(view: MapView) -> None:
    """« Copier le lien »: the full address of this fiche and its map, to send to a colleague or paste in a note
    (copied by ``static/js/reindus-page.js``; the address is also in the browser's bar)."""
    page = urlsplit(st.context.url or "")
    address = urlunsplit((page.scheme, page.netloc, page.path, urlencode(view.link()), ""))
    st.html(
        f"<button class='reindus-copy' data-reindus-copy='{html.escape(address, quote=True)}' "
        "style='border:1px solid #1f4e79;color:#1f4e79;background:#fff;border-radius:0.5rem;padding:0.25rem 0.75rem;"
        "cursor:pointer'>Copier le lien</button>"
    )


def _link(view: MapView) -> str:
    """A relative link to the Carte showing ``view`` (a fiche's link to another fiche)."""
    return "?" + urlencode(view.link())


def _md(text: object) -> str:
    """Text from the data shown literally in Markdown (names may come from users' files)."""
    return markdown_escaped(text)


_SET_ASIDE_WORDS = {
    "non_verifie": "de friches potentielles non vérifiées",
    "zonage": "en zone naturelle ou agricole",
    "non_industriel": "de terrils, carrières, décharges ou candidats au solaire au sol",
    "surface_unite_fonciere": "de surfaces d'unité foncière (plus de 50 ha, non vérifiées)",
    "doublon": "de doublons",
}
"""How the fiche names each quality rule's hectares (a site with several flags counts in each)."""


def _foncier_section(totals: FoncierTotals) -> None:
    """Available land (brownfields without project, sites clés en main) in the territory."""
    if not totals.n_sites:
        st.markdown("**Foncier disponible** : aucun site recensé.")
        return
    set_aside = "; ".join(
        f"{number_fr(hectares, decimals=1)} ha {_SET_ASIDE_WORDS[name]}"
        for name, hectares in totals.set_aside_ha.items()
        if hectares
    )
    st.markdown(
        f"**Foncier disponible** : **{number_fr(totals.plausible_ha, decimals=1)} ha plausibles** sur "
        f"{totals.n_plausible} sites (vérifiés ou clés en main, zonage non naturel ni agricole, hors terrils, "
        f"carrières et décharges, chaque terrain compté une fois). Recensés au total : {totals.n_sites} sites, "
        f"{number_fr(totals.surface_ha, decimals=1)} ha ({totals.n_surface_unknown} de surface inconnue)"
        + (f", dont écartés des totaux : {set_aside}" if set_aside else "")
        + " — détail sur la page [Foncier](foncier)."
    )


_CLOSED_WORDS = ("fermeture ou abandon", "fermetures ou abandons")


def _active_totals(totals: ProjectTotals, n_active: int) -> str:
    """The active projects' sums, each with how many projects do not state it; a sum over no stated figure is said
    so (« aucun chiffre »), never written 0."""
    created_stated = n_active - totals.n_jobs_unknown - totals.n_jobs_other
    jobs = (
        f"{number_fr(totals.jobs_created)} emplois permanents créés annoncés"
        if created_stated
        else "aucun chiffre d'emplois permanents créés"
    )
    investment = (
        f"{euros_short_fr(totals.investment_eur)} d'investissement sur site"
        if totals.n_investment_unknown < n_active
        else "aucun montant d'investissement sur site"
    )
    funding = (
        f"{euros_short_fr(totals.public_funding_eur)} d'aides publiques annoncées"
        if totals.n_funding_unknown < n_active
        else "aucun montant d'aides publiques"
    )
    return (
        f"Projets actifs : {jobs} ({count_fr(totals.n_jobs_unknown, 'projet')} sans chiffre d'emplois), "
        f"{investment} ({count_fr(totals.n_investment_unknown, 'non renseigné')}), {funding}, toutes formes "
        f"(subventions, avances, prêts, aides fiscales ; {totals.n_funding_unknown} sans montant)."
    )


def _projects_section(in_territory: pd.DataFrame, totals: ProjectTotals) -> None:
    """Projects located in the territory: totals of active projects (site amounts only, saying what is
    not stated), closures and abandonments apart, programme-level amounts apart."""
    if not totals.n_projects:
        st.markdown("**Projets industriels** : aucun projet recensé.")
        return
    n_active = totals.n_projects - totals.n_closed
    lines = [
        f"**Projets industriels** : {totals.n_projects}, dont {count_fr(totals.n_closed, *_CLOSED_WORDS)}. "
        + (_active_totals(totals, n_active) if n_active else "Aucun projet actif.")
    ]
    if totals.n_closed or totals.n_non_industrial:
        lines.append(
            "La page Concentration compte par défaut les projets industriels actifs : ici figurent aussi "
            f"{count_fr(totals.n_closed, *_CLOSED_WORDS)} et "
            f"{count_fr(totals.n_non_industrial, 'projet non industriel', 'projets non industriels')} "
            "(centres de données, logistique)."
        )
    if totals.n_jobs_other:
        lines.append(
            f"Autres emplois annoncés, non additionnés aux créations (maintenus lors d'une reprise, transférés "
            f"d'un autre site, directs et indirects ou de nature non précisée) : {number_fr(totals.jobs_other)} "
            f"sur {count_fr(totals.n_jobs_other, 'projet')}."
        )
    if totals.n_programme:
        lines.append(
            f"Montants de programme (plusieurs sites, non ventilés, non additionnés) : "
            f"{euros_short_fr(totals.programme_eur)} sur {count_fr(totals.n_programme, 'projet')}."
        )
    if totals.n_jobs_lost:
        lines.append(
            "Emplois supprimés (fermetures, plans sociaux) ou non repris lors d'une reprise : "
            f"{number_fr(totals.jobs_lost)} sur {count_fr(totals.n_jobs_lost, 'site')}."
        )
    st.markdown("  \n".join(lines))
    table = pd.DataFrame(
        {  # the figures first: the table is read from the left, and the page may be narrow
            "Projet": in_territory["name"],
            "Emplois annoncés": in_territory["jobs_announced"],
            "Nature des emplois": in_territory.get("jobs_nature", pd.Series(pd.NA, index=in_territory.index)),
            "Investissement": [
                euros_short_fr(site) if not pd.isna(site) else _programme_amount(whole)
                for site, whole in zip(
                    in_territory["investment_eur"], in_territory["investment_eur_programme"], strict=True
                )
            ],
            "Aides publiques": in_territory["public_funding_eur"].map(
                lambda amount: "" if pd.isna(amount) else euros_short_fr(amount)
            ),
            "Statut": [
                status_with_date(status, date)
                for status, date in zip(in_territory["status"], in_territory["status_date"], strict=True)
            ],
            "Commune": in_territory["commune_nom"],
            "Emplois supprimés ou non repris": in_territory["jobs_lost"],
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
