"""Territories: Territoires d'industrie, priority bassins and zonings, as member lists and shapes.

Each territory is defined by its members (EPCI SIREN or commune INSEE codes, COG 2026)
and its geometry is dissolved from theirs, so territories follow the EPCI and commune
borders of the map exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.assembly.boundaries import dissolved_by
from geo.cog import current_codes
from geo.crs import LAMBERT93, check_crs
from geo.geometry import repaired

MEMBER_COLUMNS = ["territory_id", "kind", "label", "member_level", "member_code"]
DESCRIPTION_COLUMNS = ["territory_id", "basis", "source", "vintage", "approximation"]


@dataclass(frozen=True)
class TerritoryMembers:
    """Members of a set of territories, one row per (territory, member), plus a description row each."""

    members: pd.DataFrame
    descriptions: pd.DataFrame
    warnings: tuple[str, ...] = ()


def ti_members(table: pd.DataFrame, *, phase: int, attribution: str, vintage: str) -> TerritoryMembers:
    """Territoires d'industrie of one phase from an ANCT member table (one row per TI × EPCI).

    Parameters
    ----------
    table : DataFrame
        ``id_ti, lib_ti`` and the member SIREN column (``siren_epci`` in phase 1,
        ``siren_groupement`` in phase 2).
    phase : {1, 2}
    attribution, vintage : str
        Source and date shown with the layer.
    """
    if phase not in (1, 2):
        raise ValueError(f"phase must be 1 or 2, got {phase!r}")
    siren_column = "siren_epci" if phase == 1 else "siren_groupement"
    # ANCT labels carry stray (non-breaking) spaces in some releases.
    labels = table["lib_ti"].astype("string").str.replace("\u00a0", " ").str.strip()
    # ANCT reuses ids across phases (ti-3201 names different territories in phase 1 and 2).
    members = pd.DataFrame(
        {
            "territory_id": f"p{phase}-" + table["id_ti"].astype("string").str.strip(),
            "kind": f"ti_phase{phase}",
            "label": labels,
            "member_level": "epci",
            "member_code": table[siren_column].astype("string").str.strip(),
        }
    ).drop_duplicates(["territory_id", "member_code"])
    period = "2018-2023" if phase == 1 else "2024-2027"
    descriptions = pd.DataFrame(
        {
            "territory_id": members["territory_id"].unique(),
            "basis": f"Liste ANCT des EPCI membres du Territoire d'industrie (phase {phase}, {period})",
            "source": attribution,
            "vintage": vintage,
            "approximation": "",
        }
    )
    return TerritoryMembers(members[MEMBER_COLUMNS], descriptions)


def curated_members(
    definitions: list[dict[str, Any]],
    tables: dict[str, pd.DataFrame],
    cog_communes: pd.DataFrame,
    *,
    absorbed: dict[str, str],
) -> TerritoryMembers:
    """Bassins and zonings from the curated definitions (``data/bassins.yaml``).

    Commune lists read from a source of another vintage are brought to the COG 2026;
    codes that cannot be resolved are reported in ``warnings``, never dropped silently.

    Parameters
    ----------
    definitions : list of dict
        Entries of the curated file.
    tables : dict of DataFrame
        Raw commune tables by manifest key (``ze2020_communes``, ``bud_communes``…).
    cog_communes : DataFrame
        COG 2026 entries (:func:`geo.cog.communes_from_cog`).
    absorbed : dict
        Absorbed commune codes to their current commune (:func:`geo.cog.absorbed_codes`).
    """
    member_frames, description_rows, warnings = [], [], []
    expanded = [
        (definition, territory_id, label, codes)
        for definition in definitions
        for territory_id, label, codes in _expand_definition(definition, tables)
    ]
    # Every commune list looked up at once (the COG's index is built once, not once per territory), then taken
    # apart in the same order.
    lists = [codes for definition, _, _, codes in expanded if definition["member_level"] == "commune"]
    mapped = current_codes(
        pd.Series([code for codes in lists for code in codes], dtype="string"), cog_communes, absorbed=absorbed
    )
    offset = 0
    for definition, territory_id, label, codes in expanded:
        if definition["member_level"] == "commune":
            part = mapped.iloc[offset : offset + len(codes)]
            offset += len(codes)
            unresolved = part.loc[part["current_code"].isna(), "code"].tolist()
            if unresolved:
                warnings.append(f"{label} : codes communes non résolus en COG 2026 : {', '.join(unresolved)}")
            codes = part["current_code"].dropna().unique().tolist()
        member_frames.append(
            pd.DataFrame(
                {
                    "territory_id": territory_id,
                    "kind": definition["kind"],
                    "label": label,
                    "member_level": definition["member_level"],
                    "member_code": pd.Series(codes, dtype="string"),
                }
            )
        )
        description_rows.append(
            {"territory_id": territory_id} | {c: definition.get(c, "") for c in DESCRIPTION_COLUMNS[1:]}
        )
    members = pd.concat(member_frames, ignore_index=True).drop_duplicates(["territory_id", "member_code"])
    return TerritoryMembers(members[MEMBER_COLUMNS], pd.DataFrame(description_rows), tuple(warnings))


def territories_from_members(
    territory_members: TerritoryMembers,
    communes_l93: gpd.GeoDataFrame,
    epci_l93: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Dissolve every territory from its members and describe it.

    The outline is the union of the territory's communes, a whole EPCI taken as its outline
    (:func:`geo.assembly.boundaries.dissolved_by`).

    Returns
    -------
    territories : GeoDataFrame
        One row per territory: ``territory_id, kind, label, member_level, members,
        n_members, n_communes, population, area_km2, basis, source, vintage,
        approximation, geometry`` (Lambert-93). ``population`` is the sum of the member
        communes' COG 2026 population.
    territory_communes : DataFrame
        ``territory_id, kind, code``: the communes of each territory.
    """
    check_crs(communes_l93, LAMBERT93, name="communes_l93")
    members = territory_members.members
    by_epci = members[members["member_level"] == "epci"].merge(
        communes_l93[["epci_siren", "code"]], left_on="member_code", right_on="epci_siren", how="inner"
    )
    by_commune = members[members["member_level"] == "commune"].assign(code=lambda m: m["member_code"])
    links = pd.concat([by_epci, by_commune], ignore_index=True)[["territory_id", "kind", "code"]]
    links = links[links["code"].isin(communes_l93["code"])].drop_duplicates()

    in_territories = links.merge(communes_l93[["code", "epci_siren", "population", "geometry"]], on="code")
    counts = in_territories.groupby("territory_id").agg(n_communes=("code", "count"), population=("population", "sum"))
    outlines = dissolved_by(
        gpd.GeoDataFrame(in_territories, geometry="geometry", crs=LAMBERT93), epci_l93, "territory_id"
    )
    shapes = counts.join(outlines[["geometry"]], how="left").reset_index()
    listed = members.groupby("territory_id").agg(
        kind=("kind", "first"),
        label=("label", "first"),
        member_level=("member_level", "first"),
        members=("member_code", lambda s: ";".join(sorted(s))),
        n_members=("member_code", "size"),
    )
    table = listed.reset_index().merge(shapes, on="territory_id", how="left", validate="1:1")
    table = table.merge(territory_members.descriptions, on="territory_id", how="left", validate="1:1")
    territories = repaired(gpd.GeoDataFrame(table, geometry="geometry", crs=LAMBERT93))
    territories["area_km2"] = territories.area / 1e6
    territories["population"] = territories["population"].astype("Int64")
    columns = ["territory_id", "kind", "label", "member_level", "members", "n_members", "n_communes", "population"]
    ordered = territories[[*columns, "area_km2", *DESCRIPTION_COLUMNS[1:], "geometry"]]
    return ordered.sort_values(["kind", "territory_id"], ignore_index=True), links.sort_values(
        ["territory_id", "code"], ignore_index=True
    )


def communes_within(
    communes_l93: gpd.GeoDataFrame, contour_l93: gpd.GeoDataFrame, *, min_share: float = 0.5
) -> pd.DataFrame:
    """The communes lying inside a contour: ``CODGEO`` (current code) and ``share`` of their area inside.

    A published contour that is a union of communes (the Mission Bassin Minier's) gives shares
    of 1 or 0 up to drawing differences; ``min_share`` decides the few in between.
    Areas are computed in Lambert-93.
    """
    check_crs(communes_l93, LAMBERT93, name="communes_l93")
    check_crs(contour_l93, LAMBERT93, name="contour_l93")
    outline = contour_l93.union_all()
    inside = communes_l93.geometry.intersection(outline).area / communes_l93.area
    chosen = communes_l93.assign(share=inside)[inside >= min_share]
    return pd.DataFrame({"CODGEO": chosen["code"].astype("string").to_numpy(), "share": chosen["share"].to_numpy()})


def _expand_definition(definition: dict[str, Any], tables: dict[str, pd.DataFrame]):
    """Yield ``(territory_id, label, member codes)`` for one curated definition."""
    if "members" in definition:
        yield definition["id"], definition["label"], [str(code) for code in definition["members"]]
        return
    rule = definition["members_from"]
    table = tables[rule["source"]]
    code_column = "CODGEO" if "CODGEO" in table.columns else "insee_com_cog2018"
    if "each" in rule:
        for zone, rows in table.groupby(rule["each"], sort=True):
            name = rows[rule["name"]].iloc[0]
            label = definition["label"].format(name=name)
            yield f"{definition['id']}-{zone}", label, rows[code_column].tolist()
        return
    if "column" in rule:
        table = table[table[rule["column"]] == str(rule["value"])]
    yield definition["id"], definition["label"], table[code_column].tolist()
