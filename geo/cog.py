"""The Code officiel géographique (COG) 2026 lists: communes, EPCI, départements, régions.

INSEE codes and SIREN stay strings everywhere (Aisne is ``02…``). Older code lists
(COG 2018, 2022, 2023) are brought to the COG 2026 with :func:`current_codes`.
"""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from geo.crs import LAMBERT93, check_crs

SCOPE_REGIONS: tuple[str, ...] = ("32", "44")
"""Hauts-de-France (32) and Grand Est (44)."""

CURRENT = "commune-actuelle"


def communes_from_cog(path: Path) -> pd.DataFrame:
    """Every COG entry (current, déléguée, associée communes, arrondissements municipaux).

    Returns columns ``code, nom, type, departement, region, population, chef_lieu``;
    ``chef_lieu`` is the current commune a déléguée/associée belongs to.
    """
    entries = _read_json(path)
    frame = pd.DataFrame(
        {
            "code": [e["code"] for e in entries],
            "nom": [e["nom"] for e in entries],
            "type": [e["type"] for e in entries],
            "departement": [e.get("departement") for e in entries],
            "region": [e.get("region") for e in entries],
            "population": [e.get("population") for e in entries],
            "chef_lieu": [e.get("chefLieu") or e.get("commune") for e in entries],
        }
    )
    return frame.astype({"population": "Int64"})


def epci_from_cog(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The EPCI list and their membership.

    Returns
    -------
    epci : DataFrame
        ``siren, nom, type, population, population_municipale``.
    membership : DataFrame
        ``siren, code`` (one row per member commune).
    """
    entries = _read_json(path)
    epci = pd.DataFrame(
        {
            "siren": [e["code"] for e in entries],
            "nom": [e["nom"] for e in entries],
            "type": [e["type"] for e in entries],
            "population": [e["populationTotale"] for e in entries],
            "population_municipale": [e["populationMunicipale"] for e in entries],
        }
    ).astype({"population": "int64", "population_municipale": "int64"})
    membership = pd.DataFrame(
        [(e["code"], member["code"]) for e in entries for member in e["membres"]], columns=["siren", "code"]
    )
    return epci, membership


def names_from_cog(path: Path) -> pd.DataFrame:
    """A départements or régions list: ``code, nom`` (plus ``region`` for départements)."""
    frame = pd.DataFrame(_read_json(path))
    return frame[[c for c in ("code", "nom", "region") if c in frame.columns]]


def current_codes(
    codes: pd.Series,
    cog_communes: pd.DataFrame,
    *,
    absorbed: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Map commune codes of any vintage to the current (COG 2026) commune.

    A current code maps to itself; a commune déléguée or associée to its chef-lieu; a code
    absent from the COG (absorbed without keeping a status) through ``absorbed``, which
    :func:`absorbed_codes` computes from geometry.

    Returns
    -------
    DataFrame
        ``code`` (as given), ``current_code`` (``<NA>`` when unresolved) and ``how``
        (``actuelle``, ``déléguée/associée``, ``absorbée``, ``inconnue``).
    """
    absorbed = absorbed or {}
    # A commune nouvelle often keeps the code of its chef-lieu, which then appears twice
    # (current and déléguée): the current entry must win.
    by_code = (
        cog_communes.assign(_rank=(cog_communes["type"] != CURRENT).astype(int))
        .sort_values("_rank", kind="stable")
        .drop_duplicates("code")
        .set_index("code")
    )
    given = codes.astype("string").str.strip().str.zfill(5)
    kind = given.map(by_code["type"])
    chef_lieu = given.map(by_code["chef_lieu"])
    current = pd.Series(pd.NA, index=given.index, dtype="string")
    how = pd.Series("inconnue", index=given.index, dtype="string")
    is_current = kind == CURRENT
    current[is_current] = given[is_current]
    how[is_current] = "actuelle"
    is_delegated = kind.isin(["commune-deleguee", "commune-associee"])
    current[is_delegated] = chef_lieu[is_delegated]
    how[is_delegated] = "déléguée/associée"
    is_absorbed = kind.isna() & given.isin(list(absorbed))
    current[is_absorbed] = given[is_absorbed].map(absorbed)
    how[is_absorbed] = "absorbée"
    return pd.DataFrame({"code": given, "current_code": current, "how": how})


def absorbed_codes(old_communes_l93: gpd.GeoDataFrame, current_communes_l93: gpd.GeoDataFrame) -> dict[str, str]:
    """Attach old communes absent from today's COG to the current commune that absorbed them.

    About ten communes merged into a neighbour without keeping a déléguée status; the
    absorbing commune is the current commune holding the largest part of the old
    commune's area (which is also the neighbour it shared its border with).

    Parameters
    ----------
    old_communes_l93 : GeoDataFrame
        The absent communes only, ``code`` column, Lambert-93.
    current_communes_l93 : GeoDataFrame
        Current communes, ``code`` column, Lambert-93.
    """
    check_crs(old_communes_l93, LAMBERT93, name="old_communes_l93")
    check_crs(current_communes_l93, LAMBERT93, name="current_communes_l93")
    if old_communes_l93.empty:
        return {}
    pieces = gpd.overlay(
        old_communes_l93[["code", "geometry"]],
        current_communes_l93[["code", "geometry"]].rename(columns={"code": "current_code"}),
        how="intersection",
        keep_geom_type=True,
    )
    pieces["area_m2"] = pieces.area
    largest = pieces.sort_values("area_m2", ascending=False).drop_duplicates("code")
    return dict(zip(largest["code"], largest["current_code"], strict=True))


def _read_json(path: Path) -> list[dict]:
    with Path(path).open(encoding="utf-8") as handle:
        return json.load(handle)
