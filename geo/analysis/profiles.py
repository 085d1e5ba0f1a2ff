"""Everything about one EPCI, territory or commune at once: the data behind the fiches."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.crs import LAMBERT93


@dataclass(frozen=True)
class EpciProfile:
    """An EPCI with its communes and the territories it belongs to.

    ``territories`` has one row per territory touching the EPCI: ``territory_id, kind,
    label, n_communes_in`` and ``share`` (share of the EPCI's communes inside it, 0–1).
    """

    siren: str
    nom: str
    type: str
    population: int
    area_km2: float
    communes: pd.DataFrame
    territories: pd.DataFrame

    def territories_of_kind(self, kind: str) -> pd.DataFrame:
        """The territories of one kind (``ti_phase2``…), largest share first."""
        return self.territories[self.territories["kind"] == kind]


NEARBY_FONCIER_RADIUS_M = 5_000.0
"""The commune fiche lists the foncier sites within this distance of the commune (Lambert-93, metres)."""


@dataclass(frozen=True)
class CommuneProfile:
    """A commune with its EPCI, the territories it belongs to and the foncier in and around it.

    ``territories``: ``territory_id, kind, label``. ``foncier_nearby``: the sites within
    :data:`NEARBY_FONCIER_RADIUS_M` of the commune, with ``distance_m`` (0 inside), nearest first.
    """

    code: str
    nom: str
    population: int
    area_km2: float
    departement: str
    epci_siren: str | None
    epci_nom: str | None
    territories: pd.DataFrame
    foncier_nearby: pd.DataFrame


def commune_profile(
    code: str,
    *,
    communes: gpd.GeoDataFrame,
    epci: pd.DataFrame,
    territories: pd.DataFrame,
    territory_communes: pd.DataFrame,
    foncier: gpd.GeoDataFrame,
    radius_m: float = NEARBY_FONCIER_RADIUS_M,
) -> CommuneProfile:
    """Gather the profile of commune ``code`` (INSEE, COG 2026); distances in Lambert-93.

    Raises
    ------
    KeyError
        If ``code`` is not in ``communes`` (French message).
    """
    rows = communes[communes["code"] == code]
    if rows.empty:
        raise KeyError(f"Commune inconnue : {code}")
    row = rows.iloc[0]
    siren = None if pd.isna(row["epci_siren"]) else str(row["epci_siren"])
    names = epci.loc[epci["siren"] == siren, "nom"]
    member_of = territory_communes.loc[territory_communes["code"] == code, ["territory_id"]]
    linked = member_of.merge(territories[["territory_id", "kind", "label"]], on="territory_id")
    return CommuneProfile(
        code=code,
        nom=str(row["nom"]),
        population=int(row["population"]),
        area_km2=float(row["area_km2"]),
        departement=str(row["departement"]),
        epci_siren=siren,
        epci_nom=str(names.iloc[0]) if len(names) else None,
        territories=linked.sort_values(["kind", "label"], ignore_index=True),
        foncier_nearby=_sites_near(rows, foncier, radius_m),
    )


def _sites_near(commune: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, radius_m: float) -> pd.DataFrame:
    outline_l93 = commune.to_crs(LAMBERT93).geometry.iloc[0]
    sites_l93 = sites.to_crs(LAMBERT93)
    near = sites_l93.iloc[sites_l93.sindex.query(outline_l93, predicate="dwithin", distance=radius_m)]
    near = near.assign(distance_m=near.distance(outline_l93))
    return pd.DataFrame(near.drop(columns="geometry")).sort_values("distance_m", kind="stable", ignore_index=True)


def epci_profile(
    siren: str,
    *,
    epci: pd.DataFrame,
    communes: pd.DataFrame,
    territories: pd.DataFrame,
    territory_communes: pd.DataFrame,
) -> EpciProfile:
    """Gather the profile of EPCI ``siren``.

    Raises
    ------
    KeyError
        If ``siren`` is not in ``epci`` (French message).
    """
    rows = epci[epci["siren"] == siren]
    if rows.empty:
        raise KeyError(f"EPCI inconnu : {siren}")
    row = rows.iloc[0]
    members = communes.loc[communes["epci_siren"] == siren, ["code", "nom", "population"]].sort_values("nom")
    inside = territory_communes[territory_communes["code"].isin(members["code"])]
    counts = inside.groupby("territory_id").size().rename("n_communes_in").reset_index()
    linked = counts.merge(territories[["territory_id", "kind", "label"]], on="territory_id")
    linked["share"] = linked["n_communes_in"] / len(members)
    linked = linked.sort_values(["kind", "share", "label"], ascending=[True, False, True], ignore_index=True)
    return EpciProfile(
        siren=siren,
        nom=str(row["nom"]),
        type=str(row["type"]),
        population=int(row["population"]),
        area_km2=float(row["area_km2"]),
        communes=members.reset_index(drop=True),
        territories=linked[["territory_id", "kind", "label", "n_communes_in", "share"]],
    )


@dataclass(frozen=True)
class TerritoryProfile:
    """A Territoire d'industrie, bassin or zoning with its member EPCI and communes.

    ``epci`` has one row per EPCI with communes inside: ``siren, nom, n_communes_in,
    n_communes`` (communes of the EPCI) and ``share`` (0–1).
    """

    territory_id: str
    kind: str
    label: str
    population: int
    area_km2: float
    n_communes: int
    source: str
    vintage: str
    commune_codes: frozenset[str]
    epci: pd.DataFrame
    basis: str = ""
    approximation: str = ""
    regions: frozenset[str] = frozenset()


def territory_profile(
    territory_id: str,
    *,
    territories: pd.DataFrame,
    territory_communes: pd.DataFrame,
    communes: pd.DataFrame,
    epci: pd.DataFrame,
) -> TerritoryProfile:
    """Gather the profile of territory ``territory_id`` (members by commune, as the build defines them).

    Raises
    ------
    KeyError
        If ``territory_id`` is not in ``territories`` (French message).
    """
    rows = territories[territories["territory_id"] == territory_id]
    if rows.empty:
        raise KeyError(f"Territoire inconnu : {territory_id}")
    row = rows.iloc[0]
    codes = set(territory_communes.loc[territory_communes["territory_id"] == territory_id, "code"])
    sizes = communes.groupby("epci_siren").size().rename("n_communes")
    inside = communes[communes["code"].isin(codes)].groupby("epci_siren").size().rename("n_communes_in")
    members = (
        pd.concat([inside, sizes], axis=1, join="inner")
        .rename_axis("siren")
        .reset_index()
        .merge(epci[["siren", "nom"]], on="siren", how="left")
    )
    members["share"] = members["n_communes_in"] / members["n_communes"]
    members = members.sort_values(["share", "nom"], ascending=[False, True], ignore_index=True)
    return TerritoryProfile(
        territory_id=territory_id,
        kind=str(row["kind"]),
        label=str(row["label"]),
        population=int(row["population"]),
        area_km2=float(row["area_km2"]),
        n_communes=len(codes),
        source=str(row["source"]),
        vintage=str(row["vintage"]),
        commune_codes=frozenset(codes),
        epci=members[["siren", "nom", "n_communes_in", "n_communes", "share"]],
        basis=_text(row.get("basis")),
        approximation=_text(row.get("approximation")),
        regions=frozenset(communes.loc[communes["code"].isin(codes), "region"].dropna().astype(str)),
    )


@dataclass(frozen=True)
class ContextNote:
    """A sourced note shown beside a kind of territory (``data/contexte.yaml``)."""

    title: str
    text: str
    sources: tuple[str, ...]


def context_notes(notes: list[dict], *, kind: str, regions: frozenset[str]) -> list[ContextNote]:
    """The notes of ``data/contexte.yaml`` that apply to a territory of ``kind`` in ``regions``.

    >>> notes = [{"applies_to": {"kind": "ti_phase1", "region": "44"}, "title": "T", "text": "x", "sources": ["s"]}]
    >>> [n.title for n in context_notes(notes, kind="ti_phase1", regions=frozenset({"44"}))]
    ['T']
    >>> context_notes(notes, kind="ti_phase1", regions=frozenset({"32"}))
    []
    """
    chosen = []
    for note in notes:
        rule = note.get("applies_to", {})
        if rule.get("kind") == kind and ("region" not in rule or str(rule["region"]) in regions):
            chosen.append(ContextNote(str(note["title"]), " ".join(str(note["text"]).split()), tuple(note["sources"])))
    return chosen


def _text(value: object) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()
