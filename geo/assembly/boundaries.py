"""Administrative boundaries on the COG 2026: communes, EPCI, départements, régions.

Communes carry the geometry; EPCI, départements and régions are dissolved from them, so
every layer shares the same borders and the union of EPCI is the union of communes.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.cog import CURRENT, SCOPE_REGIONS
from geo.crs import LAMBERT93, check_crs
from geo.errors import BuildIntegrityError
from geo.geometry import repaired


def communes_in_scope(
    cog_communes: pd.DataFrame,
    membership: pd.DataFrame,
    *,
    regions: tuple[str, ...] = SCOPE_REGIONS,
) -> pd.DataFrame:
    """Current communes of ``regions`` plus every other member of the EPCI they belong to.

    Three EPCI straddle the border of the two regions (with Seine-Maritime and
    Haute-Saône): their out-of-region members are kept so that each EPCI is whole.

    Returns
    -------
    DataFrame
        ``code, nom, departement, region, population, epci_siren, in_regions``.
    """
    current = cog_communes[cog_communes["type"] == CURRENT]
    in_regions = current[current["region"].isin(regions)]
    touching = membership.loc[membership["code"].isin(in_regions["code"]), "siren"].unique()
    codes = set(in_regions["code"]) | set(membership.loc[membership["siren"].isin(touching), "code"])
    communes = current[current["code"].isin(codes)].merge(
        membership.rename(columns={"siren": "epci_siren"}), on="code", how="left", validate="one_to_one"
    )
    communes["in_regions"] = communes["region"].isin(regions)
    columns = ["code", "nom", "departement", "region", "population", "epci_siren", "in_regions"]
    return communes[columns].sort_values("code", ignore_index=True)


def attach_geometry(
    communes: pd.DataFrame,
    primary_l93: gpd.GeoDataFrame,
    fallback_l93: gpd.GeoDataFrame,
) -> gpd.GeoDataFrame:
    """Give each commune its polygon: from ``primary_l93``, else from ``fallback_l93``.

    The fallback (older, differently simplified outlines for the out-of-region members)
    is cut by the primary coverage so that no two communes overlap.

    Parameters
    ----------
    communes : DataFrame
        Output of :func:`communes_in_scope`.
    primary_l93, fallback_l93 : GeoDataFrame
        ``code, geometry`` in Lambert-93, codes already on the COG 2026.

    Raises
    ------
    BuildIntegrityError
        If a commune has no geometry in either source (no commune is dropped silently).
    """
    check_crs(primary_l93, LAMBERT93, name="primary_l93")
    check_crs(fallback_l93, LAMBERT93, name="fallback_l93")
    primary = primary_l93[primary_l93["code"].isin(communes["code"])][["code", "geometry"]]
    missing = communes.loc[~communes["code"].isin(primary["code"]), "code"]
    fallback = fallback_l93[fallback_l93["code"].isin(missing)][["code", "geometry"]]
    if not fallback.empty:
        neighbours = primary[primary.intersects(fallback.union_all())]
        fallback = fallback.assign(geometry=fallback.difference(neighbours.union_all()))
    unresolved = sorted(set(missing) - set(fallback["code"]))
    if unresolved:
        raise BuildIntegrityError(f"Communes sans contour dans les sources : {', '.join(unresolved)}")
    shapes = pd.concat([primary, fallback], ignore_index=True)
    shapes["geometry_source"] = ["primary"] * len(primary) + ["fallback"] * len(fallback)
    merged = communes.merge(shapes, on="code", how="left", validate="one_to_one")
    return repaired(gpd.GeoDataFrame(merged, geometry="geometry", crs=LAMBERT93))


def epci_from_communes(communes_l93: gpd.GeoDataFrame, epci: pd.DataFrame) -> gpd.GeoDataFrame:
    """Dissolve communes into their EPCI and describe each one.

    Returns
    -------
    GeoDataFrame
        ``siren, nom, type, population, population_municipale, regions, departements,
        n_communes, area_km2, geometry`` in Lambert-93. ``population`` is the COG 2026
        population totale of the EPCI; ``regions``/``departements`` are ``;``-joined codes.
    """
    check_crs(communes_l93, LAMBERT93, name="communes_l93")
    grouped = communes_l93.groupby("epci_siren", sort=True)
    described = pd.DataFrame(
        {
            "n_communes": grouped.size(),
            "regions": grouped["region"].agg(lambda s: ";".join(sorted(set(s)))),
            "departements": grouped["departement"].agg(lambda s: ";".join(sorted(set(s)))),
        }
    )
    shapes = repaired(communes_l93[["epci_siren", "geometry"]].dissolve(by="epci_siren"))
    table = described.join(shapes).reset_index(names="siren").merge(epci, on="siren", how="left", validate="1:1")
    out = gpd.GeoDataFrame(table, geometry="geometry", crs=LAMBERT93)
    out["area_km2"] = out.area / 1e6
    columns = ["siren", "nom", "type", "population", "population_municipale", "regions", "departements"]
    return out[[*columns, "n_communes", "area_km2", "geometry"]]


def dissolved_by(communes_l93: gpd.GeoDataFrame, epci_l93: gpd.GeoDataFrame, by: str) -> gpd.GeoDataFrame:
    """The communes dissolved by their column ``by``, indexed by it (Lambert-93).

    Where a group holds every commune of an EPCI, the EPCI's outline (the union of its communes, from
    :func:`epci_from_communes`) stands for them: the same union from a few pieces instead of hundreds (the
    two-region build's départements, régions and territories took 8 s from their communes alone).

    Parameters
    ----------
    communes_l93 : GeoDataFrame
        Communes with ``by`` and ``epci_siren`` columns; a commune may appear once in each of several groups.
    epci_l93 : GeoDataFrame
        ``siren, n_communes, geometry`` of the EPCI.
    by : str
        The column to dissolve by.
    """
    check_crs(communes_l93, LAMBERT93, name="communes_l93")
    check_crs(epci_l93, LAMBERT93, name="epci_l93")
    in_group = communes_l93.groupby([by, "epci_siren"])["geometry"].transform("size").to_numpy()
    whole = in_group == communes_l93["epci_siren"].map(epci_l93.set_index("siren")["n_communes"]).to_numpy()
    epci_pieces = (
        communes_l93.loc[whole, [by, "epci_siren"]]
        .drop_duplicates()
        .merge(epci_l93[["siren", "geometry"]], left_on="epci_siren", right_on="siren")
    )
    pieces = pd.concat([epci_pieces[[by, "geometry"]], communes_l93.loc[~whole, [by, "geometry"]]], ignore_index=True)
    return gpd.GeoDataFrame(pieces, geometry="geometry", crs=LAMBERT93).dissolve(by=by)


def admin_units_from_communes(
    communes_l93: gpd.GeoDataFrame,
    epci_l93: gpd.GeoDataFrame,
    context_l93: gpd.GeoDataFrame,
    names: pd.DataFrame,
    *,
    level: str,
) -> gpd.GeoDataFrame:
    """Départements or régions: in-scope units dissolved from communes (:func:`dissolved_by`), the rest as context.

    Context units (neighbours, the rest of mainland France, from an older and coarser
    source) are cut by the in-scope units so that the map never draws them on top.

    Parameters
    ----------
    communes_l93 : GeoDataFrame
        Communes with ``departement``/``region``, ``epci_siren`` and ``in_regions`` columns.
    epci_l93 : GeoDataFrame
        The EPCI of those communes (:func:`epci_from_communes`).
    context_l93 : GeoDataFrame
        ``code, geometry`` of every unit of that level.
    names : DataFrame
        COG 2026 ``code, nom`` of that level.
    level : {"departement", "region"}
    """
    if level not in {"departement", "region"}:
        raise ValueError(f"level must be 'departement' or 'region', got {level!r}")
    check_crs(context_l93, LAMBERT93, name="context_l93")
    inside = repaired(dissolved_by(communes_l93[communes_l93["in_regions"]], epci_l93, level).reset_index())
    inside = inside.rename(columns={level: "code"}).assign(in_scope=True)
    scope = inside.union_all()
    context = context_l93[~context_l93["code"].isin(inside["code"])][["code", "geometry"]].copy()
    context["geometry"] = context.difference(scope)
    context = context[~context.is_empty].assign(in_scope=False)
    units = pd.concat([inside, context], ignore_index=True)
    units = units.merge(names[["code", "nom"]], on="code", how="left")
    units["area_km2"] = units.area / 1e6
    return repaired(gpd.GeoDataFrame(units[["code", "nom", "in_scope", "area_km2", "geometry"]], crs=LAMBERT93))


FINER_OUTLINE_AREA_TOLERANCE = 0.05
"""A finer outline is kept when its area is within 5 % of the commune's reference surface (or closer to it than the
coarse outline): the 2018 outlines of a commune whose limits moved since (a scission, a transfer of land) are off by
10 to 40 %; the others by 0.7 % at the median."""


def finer_outlines(
    coarse_l93: gpd.GeoDataFrame,
    fine_l93: gpd.GeoDataFrame,
    reference_area_m2: pd.Series,
    *,
    tolerance: float = FINER_OUTLINE_AREA_TOLERANCE,
) -> gpd.GeoDataFrame:
    """Current communes drawn with the finer outlines where they still fit, as one coverage.

    The finer outlines are older (IGN 2018, regrouped on today's codes): a commune whose limits moved since no
    longer matches them. Such a commune keeps its coarse (current) outline, cut to the part of the finer coverage
    its group of changed communes covers, so that no two communes overlap and no gap opens beside a fitting
    neighbour; a piece of that part no coarse outline reaches goes to the changed commune it borders most.

    Parameters
    ----------
    coarse_l93 : GeoDataFrame
        ``code, geometry``, Lambert-93: every current commune, coarse but current.
    fine_l93 : GeoDataFrame
        ``code, geometry``, Lambert-93: finer outlines already regrouped on current codes.
    reference_area_m2 : Series
        The reference surface of each commune (m²), indexed by code.

    Returns
    -------
    GeoDataFrame
        ``code, geometry, outline`` (``fine`` or ``coarse``), one row per code of ``coarse_l93``.
    """
    check_crs(coarse_l93, LAMBERT93, name="coarse_l93")
    check_crs(fine_l93, LAMBERT93, name="fine_l93")
    coarse = coarse_l93.set_index("code").geometry
    fine = fine_l93.set_index("code").geometry.reindex(coarse.index)
    reference = reference_area_m2.reindex(coarse.index).astype(float)
    fine_error = (fine.area / reference - 1).abs()
    coarse_error = (coarse.area / reference - 1).abs()
    fits = fine.notna() & ~fine.is_empty & ((fine_error <= tolerance) | (fine_error <= coarse_error))
    fits &= reference.notna()
    changed = coarse.index[~fits]
    shapes = fine.where(fits)
    if len(changed):
        shapes.loc[changed] = _changed_communes_in(coarse.loc[changed], fine.loc[changed].dropna())
    return gpd.GeoDataFrame(
        {"code": coarse.index, "outline": ["fine" if fit else "coarse" for fit in fits]},
        geometry=shapes.to_numpy(),
        crs=LAMBERT93,
    )


def _changed_communes_in(coarse: gpd.GeoSeries, fine: gpd.GeoSeries) -> gpd.GeoSeries:
    """The changed communes' coarse outlines, fitted into the area their finer outlines cover together."""
    if fine.empty:
        return coarse
    area = fine.union_all()
    pieces = coarse.intersection(area)
    leftover = gpd.GeoSeries([area.difference(pieces.union_all())], crs=LAMBERT93).explode(ignore_index=True)
    leftover = leftover[leftover.area > 0]
    for part in leftover:
        borders = pieces.boundary.intersection(part.boundary).length
        owner = borders.idxmax() if borders.max() > 0 else pieces.distance(part).idxmin()
        pieces.loc[owner] = pieces.loc[owner].union(part)
    # A changed commune the finer coverage does not reach at all (say, out of its départements) keeps its outline.
    return pieces.where(~pieces.is_empty, coarse)
