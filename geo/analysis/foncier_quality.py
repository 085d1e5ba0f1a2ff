"""Which available foncier a total can count: the quality flags of every site, each with its French reason.

Cartofriches mixes verified brownfields with potential sites drawn from the BASIAS/BASOL inventories, which
the Cerema says must not be used for statistics; the same ground is often listed twice (two source bases,
or one land-unit surface copied onto several records); terrils, quarries and landfills are not industrial
land; a natural (N) or agricultural (A) zoning forbids industry until the plan changes. Measured on the
October 2023 snapshot of the two regions, these records hold most of the hectares « available », so a total
that adds them all cannot be defended.

:func:`quality_flags` gives one boolean column per rule and ``raisons_qualite`` (the French reasons, « ; »
separated); :func:`plausible_available` keeps the available sites with no flag, one record per ground. The
totals of the fiches count those hectares and state the rest apart, by reason.
"""

from __future__ import annotations

import re

import pandas as pd

from geo.vocabulary import AVAILABLE_STATUSES, STATUS_POTENTIAL_BROWNFIELD

NOT_INDUSTRIAL_LAND = re.compile(
    r"\b(?:terrils?|carri[eè]res?|d[eé]charges?|excavations?|crassiers?|d[eé]p[oô]ts? d.ordures|sabli[eè]res?"
    r"|gravi[eè]res?|ballasti[eè]res?)\b|pv au sol|\bsolar\b|solaire|photovolta",
    re.IGNORECASE,
)
"""Names, activities and sources of ground that is not industrial land (or is flagged for ground-mounted solar)."""
ZONINGS_AGAINST_INDUSTRY = ("N", "Nh", "A", "Ah")
"""Natural and agricultural zones of a local plan: industry needs a change of the plan first."""
WHOLE_LAND_UNIT_HA = 50.0
"""Above this, the surface of an unverified potential site is most likely its whole land unit (a refinery's, a
mine's), not the brownfield: 86 such sites held 56 % of the hectares counted available in the 2023 snapshot."""

FLAGS: dict[str, str] = {
    "doublon": "même commune et même surface qu'un autre site : le même terrain recensé deux fois (compté une fois)",
    "non_industriel": "terrain qui n'est pas du foncier industriel (terril, carrière, décharge, dépôt, "
    "candidat au photovoltaïque au sol)",
    "zonage": "zonage naturel (N) ou agricole (A) : l'industrie demande d'abord une modification du plan local",
    "non_verifie": "friche potentielle issue de BASIAS/BASOL, non vérifiée par le Cerema (qui la déconseille "
    "pour les statistiques)",
    "surface_unite_fonciere": f"surface de plus de {WHOLE_LAND_UNIT_HA:.0f} ha pour un site non vérifié : "
    "probablement toute l'unité foncière",
}
"""Each quality rule and the reason a fiche gives in French."""


def quality_flags(sites: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per rule of :data:`FLAGS`, and ``raisons_qualite``, for every row of ``sites``.

    Duplicates are found among the available sites: in each group sharing a commune and an exact surface,
    the first record (verified first, then by id) stands for the ground and the others are flagged.

    >>> sites = pd.DataFrame({"site_id": ["a", "b", "c"], "nom": ["Usine", "Usine bis", "Terril 7"],
    ...     "statut": ["friche sans projet"] * 3, "surface_ha": [12.0, 12.0, 3.0], "insee_com": ["59001"] * 3,
    ...     "zone_urba": ["U", "U", "N"], "verifie": [True, False, True]})
    >>> flags = quality_flags(sites)
    >>> flags["doublon"].tolist(), flags["non_industriel"].tolist(), flags["zonage"].tolist()
    ([False, True, False], [False, False, True], [False, False, True])
    """
    text = _column(sites, "nom") + " " + _column(sites, "activite") + " " + _column(sites, "source")
    verified = sites["verifie"].fillna(False).astype(bool) if "verifie" in sites else pd.Series(False, sites.index)
    unverified_potential = ~verified & sites["statut"].eq(STATUS_POTENTIAL_BROWNFIELD)
    surface = pd.to_numeric(sites["surface_ha"], errors="coerce")
    twin_of = _duplicates(sites, surface, verified)
    flags = pd.DataFrame(
        {
            "doublon": twin_of.ne(""),
            "non_industriel": text.str.contains(NOT_INDUSTRIAL_LAND),
            "zonage": _column(sites, "zone_urba").isin(ZONINGS_AGAINST_INDUSTRY),
            "non_verifie": unverified_potential,
            "surface_unite_fonciere": ~verified & surface.gt(WHOLE_LAND_UNIT_HA),
        },
        index=sites.index,
    )
    reasons = pd.Series("", index=sites.index, dtype=object)
    for name, reason in FLAGS.items():
        separator = reasons.ne("").map({True: " ; ", False: ""})
        # A duplicate names the record it repeats: the fiche of one leads to the other and its source.
        said = reason + (" (même terrain que le site " + twin_of + ")" if name == "doublon" else "")
        reasons = reasons.mask(flags[name], reasons + separator + said)
    flags["doublon_de"] = twin_of
    flags["raisons_qualite"] = reasons.astype(str)
    return flags


def plausible_available(sites: pd.DataFrame, flags: pd.DataFrame | None = None) -> pd.Series:
    """Available sites (:data:`~geo.vocabulary.AVAILABLE_STATUSES`) with no quality flag: the ground a total counts.

    ``flags``: :func:`quality_flags` of ``sites`` when the caller has them already (computed here otherwise).
    """
    if sites.empty:
        return pd.Series(False, index=sites.index, dtype=bool)
    flags = quality_flags(sites) if flags is None else flags
    return sites["statut"].isin(AVAILABLE_STATUSES) & ~flags[list(FLAGS)].any(axis=1)


def set_aside_by_reason(sites: pd.DataFrame, flags: pd.DataFrame | None = None) -> dict[str, float]:
    """Hectares of available sites left out of the totals, by rule (a site with several flags counts in each).

    ``flags``: :func:`quality_flags` of ``sites`` when the caller has them already (computed here otherwise).
    """
    available = sites["statut"].isin(AVAILABLE_STATUSES)
    if not available.any():
        return {name: 0.0 for name in FLAGS}
    flags = quality_flags(sites[available]) if flags is None else flags[available]
    surface = pd.to_numeric(sites.loc[available, "surface_ha"], errors="coerce").fillna(0.0)
    return {name: float(surface[flags[name]].sum()) for name in FLAGS}


def _duplicates(sites: pd.DataFrame, surface: pd.Series, verified: pd.Series) -> pd.Series:
    """The id of the record each duplicate repeats (empty for a site that stands for its ground)."""
    available = sites["statut"].isin(AVAILABLE_STATUSES) & surface.gt(0)
    keys = _column(sites, "insee_com") + "|" + surface.round(4).astype(str)
    order = pd.DataFrame({"key": keys, "unverified": ~verified, "id": _column(sites, "site_id")})[available]
    order = order.sort_values(["key", "unverified", "id"], kind="stable")
    kept = order.groupby("key", sort=False)["id"].transform("first")
    repeats = kept.where(order["key"].duplicated(keep="first"), "")
    return repeats.reindex(sites.index, fill_value="").astype(str)


def _column(sites: pd.DataFrame, name: str) -> pd.Series:
    if name not in sites:
        return pd.Series("", index=sites.index, dtype=str)
    return sites[name].fillna("").astype(str)
