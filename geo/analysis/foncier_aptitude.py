"""How apt a site is for an industrial project: the zoning in words, and a score whose every point has a reason.

A chef de projet answering an investor asks: can industry build there without changing the plan, has anyone
checked the site, does it fit the surface asked, how far is the railway, is the soil known to be polluted,
was it an industrial site, is the information recent. :func:`aptitude` answers each question with a few
points and a French reason, and the sum ranks the Foncier page, ``reindus foncier`` and their exports.

The points (see :data:`POINTS`) are deliberately coarse and all shown: the ranking is a reading aid, not a
valuation. The 2023 Cartofriches snapshot gives the railway distance for most sites but no distance to a
road, a waterway or a port; those count only where a site gives them (a user's import, an edited site).

Zoning in words (:func:`zoning_kind`): the source's zone type (U, AUc, AUs, A, Ah, N, Nh) says urban, to be
urbanised, agricultural or natural; whether an urban zone is an *activity* zone is read from the plan's own
label (« UE - Zone d'activités diversifiées », « UXa - Zone industrielle ») or its code's usual letters (UX,
UY, 1AUX). Sites clés en main count as activity zones: the State's label requires a plan that already
allows industry. The plan's code and label stay on the site's fiche.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from geo.analysis.foncier_quality import FLAGS, quality_flags
from geo.errors import UnreadableValueError
from geo.vocabulary import KIND_CLES_EN_MAIN, STATUS_POTENTIAL_BROWNFIELD

ZONING_ACTIVITY, ZONING_URBAN, ZONING_TO_URBANISE = "activites", "urbaine", "a_urbaniser"
ZONING_AGRICULTURAL, ZONING_NATURAL, ZONING_UNKNOWN = "agricole", "naturelle", "inconnu"
ZONING_KINDS: dict[str, str] = {
    ZONING_ACTIVITY: "zone d'activités",
    ZONING_URBAN: "zone urbaine (autre)",
    ZONING_TO_URBANISE: "zone à urbaniser",
    ZONING_AGRICULTURAL: "zone agricole",
    ZONING_NATURAL: "zone naturelle",
    ZONING_UNKNOWN: "zonage inconnu",
}
"""The zoning a user asks for, in words (keys go in addresses and on the command line)."""

ZONING_CODES: dict[str, tuple[str, ...]] = {
    "U": (ZONING_ACTIVITY, ZONING_URBAN),
    "AU": (ZONING_ACTIVITY, ZONING_TO_URBANISE),
    "A": (ZONING_AGRICULTURAL,),
    "N": (ZONING_NATURAL,),
}
"""The plan's zone letters a user may type instead of words: U and AU include their activity zones."""

_ZONE_TYPES = {"U": ZONING_URBAN, "AUc": ZONING_TO_URBANISE, "AUs": ZONING_TO_URBANISE, "AU": ZONING_TO_URBANISE}
_ZONE_TYPES |= {"A": ZONING_AGRICULTURAL, "Ah": ZONING_AGRICULTURAL, "N": ZONING_NATURAL, "Nh": ZONING_NATURAL}
_ACTIVITY_WORDS = re.compile(
    r"zones? d.activit|vocation d.activit|activit[ée]s? (?:[ée]conomique|industriel|artisan|mixte|diversifi)"
    r"|industri|[ée]conomi|artisan|portuaire|entrep[oô]t|logisti",
    re.IGNORECASE,
)
_HOUSING_WORDS = re.compile(
    r"r[ée]sidentiel|habitat|habitation|centre|centralit|loisir|touris|[ée]quipements? (?:d.int|publics?|collectif)",
    re.IGNORECASE,
)
_ACTIVITY_CODE = re.compile(r"^(?:[12]?AU|U)[XY]", re.IGNORECASE)

OLD_INFORMATION_YEARS = 3
"""Information updated this many years before the source's date or more loses a point: a status may have moved."""
POINTS: dict[str, int] = {
    "zone_activites": 3,
    "zone_urbaine": 2,
    "zone_a_urbaniser": 1,
    "zone_agricole_naturelle": -3,
    "cle_en_main": 3,
    "verifie": 1,
    "non_verifie": -2,
    "surface_demandee": 2,
    "surface_inconnue": -1,
    "rail_1km": 2,
    "rail_3km": 1,
    "route_2km": 1,
    "voie_eau_5km": 1,
    "pollution_inexistante": 1,
    "pollution_averee": -1,
    "ancien_site_industriel": 1,
    "information_ancienne": -1,
    "doublon": -5,
    "non_industriel": -5,
    "surface_unite_fonciere": -3,
}
"""The points of each reason; the page's « Comment le classement est calculé » lists them (:data:`RULES`)."""
RULES: dict[str, str] = {
    "cle_en_main": "site industriel clé en main labellisé par l'État (procédures anticipées)",
    "zone_activites": "zone d'activités du plan local (d'après son code ou son libellé)",
    "zone_urbaine": "autre zone urbaine (U)",
    "zone_a_urbaniser": "zone à urbaniser (AU) : constructible après aménagement",
    "zone_agricole_naturelle": "zone agricole (A) ou naturelle (N) : le plan doit changer",
    "verifie": "site vérifié (observatoire local, appel à projets, Cerema, étude Ademe)",
    "non_verifie": "friche potentielle non vérifiée (BASIAS/BASOL)",
    "surface_demandee": "surface dans la fourchette demandée",
    "surface_inconnue": "surface inconnue",
    "rail_1km": "voie ferrée à 1 km ou moins",
    "rail_3km": "voie ferrée entre 1 et 3 km",
    "route_2km": "route à 2 km ou moins (quand la source le dit)",
    "voie_eau_5km": "voie d'eau ou port à 5 km ou moins (quand la source le dit)",
    "pollution_inexistante": "pollution inexistante",
    "pollution_averee": "pollution avérée : dépollution à prévoir",
    "ancien_site_industriel": "ancien site industriel, logistique, ferroviaire ou agro-industriel",
    "information_ancienne": f"information mise à jour {OLD_INFORMATION_YEARS} ans ou plus avant l'instantané",
    "doublon": "doublon d'un autre site (même commune, même surface)",
    "non_industriel": "terril, carrière, décharge, dépôt ou candidat au photovoltaïque au sol",
    "surface_unite_fonciere": "surface de toute l'unité foncière probable (site non vérifié de plus de 50 ha)",
}
"""What each rule of :data:`POINTS` means, in French (the same order)."""
INDUSTRIAL_SITE_TYPES = (
    "friche industrielle",
    "friche logistique",
    "friche ferroviaire",
    "friche agro-industrielle",
)


def zoning_kind(sites: pd.DataFrame) -> pd.Series:
    """The zoning of each site in words, a key of :data:`ZONING_KINDS`.

    >>> zoning_kind(pd.DataFrame({"zone_urba": ["U", "U", "AUs", "N", None],
    ...     "zone_urba_libelle": ["UE - Zone d'activités diversifiées", "UA - Zone urbaine", "2AUX - 2AUX", None, None],
    ...     "kind": ["friche"] * 5})).tolist()
    ['activites', 'urbaine', 'activites', 'naturelle', 'inconnu']
    """
    if sites.empty:
        return pd.Series(dtype=object, index=sites.index)
    zone_type = _text(sites, "zone_urba")
    label = _text(sites, "zone_urba_libelle")
    parts = label.str.partition(" - ")
    code, words = parts[0].str.strip(), parts[2]
    by_words = words.str.contains(_ACTIVITY_WORDS) & ~words.str.contains(_HOUSING_WORDS)
    by_code = code.str.match(_ACTIVITY_CODE) & ~words.str.contains(_HOUSING_WORDS)
    kind = zone_type.map(_ZONE_TYPES).fillna(ZONING_UNKNOWN)
    activity = kind.isin([ZONING_URBAN, ZONING_TO_URBANISE]) & (by_words | by_code)
    turnkey = _text(sites, "kind").eq(KIND_CLES_EN_MAIN)
    return kind.mask(activity | turnkey, ZONING_ACTIVITY)


def zonings_from_text(text: str) -> tuple[str, ...]:
    """The zonings a comma-separated list asks for, in words or in the plan's letters.

    >>> zonings_from_text("U, AU"), zonings_from_text("activites,naturelle")
    (('activites', 'urbaine', 'a_urbaniser'), ('activites', 'naturelle'))
    >>> zonings_from_text("UX")
    Traceback (most recent call last):
    geo.errors.UnreadableValueError: zonage inconnu : « UX » (attendus : activites, urbaine, ...)
    """
    wanted: list[str] = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        if item in ZONING_KINDS:
            wanted.append(item)
        elif item.upper() in ZONING_CODES:
            wanted.extend(ZONING_CODES[item.upper()])
        else:
            expected = ", ".join([*ZONING_KINDS, *ZONING_CODES])
            raise UnreadableValueError(f"zonage inconnu : « {item[:40]} » (attendus : {expected})")
    return tuple(dict.fromkeys(wanted))


def aptitude(
    sites: pd.DataFrame,
    *,
    surface_range_ha: tuple[float | None, float | None] = (None, None),
    flags: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """``aptitude`` (the sum of :data:`POINTS`) and ``raisons_aptitude`` (« zone d'activités (UE) : +3 ; … »).

    ``surface_range_ha``: the (minimum, maximum) surface asked, either end None; a site inside gets the
    points of a fitting surface only when the request gives a range. ``flags``: :func:`quality_flags` of
    these sites when the caller has them (a duplicate is found among all sites, not only those listed).
    """
    if sites.empty:
        return pd.DataFrame({"aptitude": 0, "raisons_aptitude": ""}, index=sites.index)
    flags = quality_flags(sites) if flags is None else flags.reindex(sites.index, fill_value=False)
    reasons: list[tuple[pd.Series, int, pd.Series]] = []

    def add(rule: str, where: pd.Series, text: str | pd.Series) -> None:
        text = pd.Series(text, index=sites.index) if isinstance(text, str) else text
        reasons.append((where.fillna(False).astype(bool), POINTS[rule], text))

    zoning = zoning_kind(sites)
    code = _text(sites, "zone_urba_libelle").str.partition(" - ")[0].str.strip()
    code = code.where(code.ne(""), _text(sites, "zone_urba"))
    in_code = (" (" + code + ")").where(code.ne(""), "")
    turnkey = _text(sites, "kind").eq(KIND_CLES_EN_MAIN)
    add("cle_en_main", turnkey, "site industriel clé en main labellisé par l'État")
    add("zone_activites", zoning.eq(ZONING_ACTIVITY) & ~turnkey, "zone d'activités" + in_code)
    add("zone_urbaine", zoning.eq(ZONING_URBAN), "zone urbaine" + in_code)
    add("zone_a_urbaniser", zoning.eq(ZONING_TO_URBANISE), "zone à urbaniser" + in_code)
    add(
        "zone_agricole_naturelle",
        zoning.isin([ZONING_AGRICULTURAL, ZONING_NATURAL]),
        zoning.map(ZONING_KINDS) + in_code + " : modification du plan nécessaire",
    )
    verified = sites["verifie"].fillna(False).astype(bool) if "verifie" in sites else pd.Series(False, sites.index)
    potential = _text(sites, "statut").eq(STATUS_POTENTIAL_BROWNFIELD)
    add("verifie", verified & ~turnkey, "site vérifié (" + _text(sites, "nature") + ")")
    add("non_verifie", ~verified & potential, "friche potentielle non vérifiée")

    surface = pd.to_numeric(sites["surface_ha"], errors="coerce")
    low, high = surface_range_ha
    if low is not None or high is not None:
        inside = surface.ge(low if low is not None else -np.inf) & surface.le(high if high is not None else np.inf)
        add("surface_demandee", inside, f"surface dans la fourchette demandée ({_range_text(low, high)})")
    add("surface_inconnue", surface.isna(), "surface inconnue")

    rail = _number(sites, "distance_rail_m")
    add("rail_1km", rail.le(1_000), "voie ferrée à " + _distance_text(rail))
    add("rail_3km", rail.gt(1_000) & rail.le(3_000), "voie ferrée à " + _distance_text(rail))
    add(
        "route_2km",
        _number(sites, "distance_route_m").le(2_000),
        "route à " + _distance_text(_number(sites, "distance_route_m")),
    )
    water = pd.concat([_number(sites, "distance_fluvial_m"), _number(sites, "distance_maritime_m")], axis=1).min(axis=1)
    add("voie_eau_5km", water.le(5_000), "voie d'eau ou port à " + _distance_text(water))

    pollution = _text(sites, "pollution")
    add("pollution_inexistante", pollution.eq("pollution inexistante"), "pollution inexistante")
    add("pollution_averee", pollution.eq("pollution avérée"), "pollution avérée : dépollution à prévoir")
    add("ancien_site_industriel", _text(sites, "site_type").isin(INDUSTRIAL_SITE_TYPES), _text(sites, "site_type"))

    updated = pd.to_numeric(_text(sites, "date_maj").str[:4], errors="coerce")
    of_source = pd.to_numeric(_text(sites, "date_source").str[:4], errors="coerce")
    add(
        "information_ancienne",
        (of_source - updated).ge(OLD_INFORMATION_YEARS),
        "information mise à jour en " + updated.astype("Int64").astype(str),
    )
    for rule in ("doublon", "non_industriel", "surface_unite_fonciere"):
        add(rule, flags[rule], FLAGS[rule].split(" : ")[0].split(" (")[0])

    score = sum((where.astype(int) * points for where, points, _ in reasons), pd.Series(0, index=sites.index))
    words = pd.Series("", index=sites.index, dtype=object)
    for where, points, text in reasons:
        separator = words.ne("").map({True: " ; ", False: ""})
        # Points after the words: a cell starting with « + » or « - » would read as a formula in a spreadsheet.
        words = words.mask(where, words + separator + text.astype(str) + f" : {points:+d}")
    return pd.DataFrame({"aptitude": score.astype(int), "raisons_aptitude": words.astype(str)})


def _range_text(low: float | None, high: float | None) -> str:
    def ha(value: float) -> str:
        return f"{value:g}".replace(".", ",") + " ha"

    if low is not None and high is not None:
        return f"{ha(low)} à {ha(high)}"
    return f"au moins {ha(low)}" if low is not None else f"au plus {ha(high)}"


def _distance_text(metres: pd.Series) -> pd.Series:
    """Metres as the site's card writes them under 1 km (« 914 m », not « 910 m » beside it), else kilometres to
    the hundred metres.

    >>> _distance_text(pd.Series([914.0, 2_349.0, None])).tolist()
    ['914 m', '2,3 km', '']
    """
    return metres.map(
        lambda m: "" if pd.isna(m) else (f"{m / 1000:.1f} km".replace(".", ",") if m >= 1_000 else f"{m:.0f} m")
    )


def _number(sites: pd.DataFrame, name: str) -> pd.Series:
    if name not in sites:
        return pd.Series(np.nan, index=sites.index)
    return pd.to_numeric(sites[name], errors="coerce")


def _text(sites: pd.DataFrame, name: str) -> pd.Series:
    if name not in sites:
        return pd.Series("", index=sites.index, dtype=str)
    return sites[name].astype(object).where(sites[name].notna(), "").astype(str)
