"""Build-time conversion of the foncier sources (Cartofriches, sites clés en main) into the foncier schema."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.assembly.foncier_sources import sites_from_cartofriches, sites_from_cles_en_main
from geo.crs import WGS84
from geo.imports.locate import CommuneLookup
from geo.vocabulary import DISTANCE_COLUMNS, KIND_CLES_EN_MAIN, KIND_FRICHE, UNVERIFIED_NATURE


def _cartofriches() -> pd.DataFrame:
    """Two rows of the 2023 snapshot as read by the build (every cell a string, empty ones NaN)."""
    return pd.DataFrame(
        {
            "site_id": ["59172_1234", "02691_99"],
            "site_nom": ["Friche Cail", "Ancienne sucrerie"],
            "site_type": ["friche industrielle", "friche agricole"],
            "site_statut": ["friche sans projet", "friche potentielle"],
            "site_surface_ha": ["12.5", None],
            "sol_pollution_existe": ["pollution avérée", "inconnu"],
            "urba_zone_type": ["U", None],
            "desserte_distance_route": [None, None],
            "desserte_distance_ferroviaire": ["850", None],
            "desserte_distance_fluvial": [None, None],
            "desserte_distance_maritime": [None, None],
            "activite_libelle": ["construction ferroviaire", None],
            "site_projet": [None, "logements"],
            "nature": ["Friche vérifiée", UNVERIFIED_NATURE],
            "source_nom": ["Observatoire local", None],
            "site_url": ["https://cartofriches.cerema.fr/site/1234", None],
            "site_actu_date": ["2023-05-02", None],
            "comm_insee": ["59172", "2691"],
            "Long": ["3.40", "3.28"],
            "Lat": ["50.33", "49.85"],
        }
    )


def test_cartofriches_rows_in_the_foncier_schema_with_cerema_s_caveat():
    sites = sites_from_cartofriches(_cartofriches(), source_date="2023")
    assert sites.crs.to_string() == WGS84
    assert sites["site_id"].tolist() == ["cf-59172_1234", "cf-02691_99"]
    assert sites["kind"].eq(KIND_FRICHE).all()
    assert sites["insee_com"].tolist() == ["59172", "02691"]  # the leading zero restored
    assert sites["surface_ha"].iloc[0] == 12.5 and pd.isna(sites["surface_ha"].iloc[1])
    assert sites["distance_rail_m"].iloc[0] == 850 and sites["distance_route_m"].isna().all()
    assert sites["verifie"].tolist() == [True, False]  # « MTE non vérifié »: only a potential brownfield
    assert sites["source"].tolist() == ["Cerema – Cartofriches ; Observatoire local", "Cerema – Cartofriches ; "]
    assert sites["date_source"].eq("2023").all()
    assert (sites.geometry.x.tolist(), sites.geometry.y.tolist()) == ([3.40, 3.28], [50.33, 49.85])
    assert set(DISTANCE_COLUMNS) <= set(sites.columns)


def test_sites_cles_en_main_at_their_commune_s_point_and_a_warning_for_those_without_one():
    communes = gpd.GeoDataFrame(
        {"code": ["59172"], "nom": ["Denain"], "departement": ["59"], "region": ["32"], "epci_siren": ["200042190"]},
        geometry=[box(3.35, 50.30, 3.45, 50.36)],
        crs=WGS84,
    )
    lookup = CommuneLookup(
        pd.DataFrame(columns=["code", "nom", "type", "departement", "region", "chef_lieu"]), communes
    )
    table = pd.DataFrame(
        {
            "site_name": ["Parc Lavoisier", "Zone sans commune"],
            "departement": ["59", "57"],
            "insee_com": ["59172", None],
            "surface_ha": ["40", "12"],
            "note": ["label 2023", None],
            "label_wave": ["2023", "2021"],
            "source_url": ["https://www.entreprises.gouv.fr/sites-cles-en-main", None],
        }
    )
    sites, warnings = sites_from_cles_en_main(table, lookup, source_date="2024")
    assert warnings == ["Site clé en main « Zone sans commune » (57) sans commune connue : non cartographié"]
    (site,) = sites.itertuples()
    assert (site.site_id, site.nom, site.kind, site.surface_ha) == ("scm-01", "Parc Lavoisier", KIND_CLES_EN_MAIN, 40)
    assert (site.nature, site.date_source, site.verifie) == ("label 2023", "2024", True)
    assert site.geometry.equals(lookup.points["59172"])
    assert sites.crs.to_string() == WGS84 and sites["zone_urba"].dtype == "string"
    assert pytest.approx(site.geometry.x, abs=0.06) == 3.40


# The national export's fifty columns, in the published order (data.gouv.fr « Sites référencés dans Cartofriches »).
CNIG_HEADER = (
    "site_id;site_nom;site_type;site_adresse;site_identif_date;site_actu_date;site_url;site_ademe_url;site_securite;"
    "site_occupation;site_statut;site_projet_url;site_reconv_annee;site_reconv_type;activite_libelle;activite_code;"
    "activite_fin_annee;comm_nom;comm_insee;bati_type;bati_nombre;bati_surface;bati_pollution;bati_vacance;"
    "bati_patrimoine;bati_etat;local_ancien_annee;local_recent_annee;proprio_type;proprio_personne;proprio_nom;"
    "sol_pollution_annee;sol_pollution_existe;sol_pollution_origine;sol_pollution_commentaire;sol_depollution_fiche;"
    "unite_fonciere_surface;unite_fonciere_refcad;urba_zone_type;urba_zone_lib;urba_zone_formdomi;urba_doc_type;"
    "desserte_distance;desserte_commentaire;source_nom;source_url;source_producteur;source_contact;geompoint;geomsurf"
).split(";")


def _cnig_row(**values: str) -> list[str]:
    return [values.get(column, "NA") for column in CNIG_HEADER]


def _write_cnig_export(path) -> None:
    """Four sites as Cerema publishes them: ``NA`` cells, a backslash-escaped quote, WGS84 and Lambert-93 points,
    a site given by its polygon only, and one outside the two regions."""
    rows = [
        _cnig_row(  # Denain, a point in WGS84 and its polygon (100 m × 200 m in Lambert-93: 2 ha)
            site_id="59172_1",
            site_nom='"Usine \\"Cail\\""',
            site_statut="friche sans projet",
            comm_insee="59172",
            site_actu_date="2026-03-02",
            unite_fonciere_surface="250000",
            urba_zone_type="U",
            urba_zone_lib='"UE - Zone d\'activités"',
            source_nom="Observatoire local",
            source_producteur="EPF",
            geompoint="POINT(3.39 50.33)",
            geomsurf="POLYGON((725000 7025000,725100 7025000,725100 7025200,725000 7025200,725000 7025000))",
        ),
        _cnig_row(  # Metz, a Lambert-93 point and no polygon: the land unit's surface
            site_id="57463_2",
            site_nom="Ancien dépôt",
            site_statut="friche potentielle",
            comm_insee="57463",
            unite_fonciere_surface="31000",
            geompoint="POINT(931000 6895000)",
        ),
        _cnig_row(  # Saint-Quentin (02): the leading zero dropped by a spreadsheet, the polygon only
            site_id="02691_3",
            site_nom="Sucrerie",
            site_statut="friche avec projet",
            comm_insee="2691",
            geomsurf="POLYGON((3.28 49.85,3.29 49.85,3.29 49.86,3.28 49.86,3.28 49.85))",
        ),
        _cnig_row(
            site_id="75056_4",
            site_nom="Paris",
            site_statut="friche sans projet",
            comm_insee="75056",
            geompoint="POINT(2.35 48.85)",
        ),
    ]
    lines = [";".join(CNIG_HEADER), *(";".join(row) for row in rows)]
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def test_the_national_export_downloads_from_its_official_address_and_reads_in_the_foncier_schema(tmp_path, serve):
    import dataclasses

    from geo.assembly.foncier_sources import is_cnig_export, read_cnig_export, sites_from_cnig_export
    from geo.assembly.pipeline import _cartofriches
    from geo.assembly.sources import download, load_manifest

    published = tmp_path / "published" / "resources" / "sites-references-dans-cartofriches" / "20260429-124852"
    published.mkdir(parents=True)
    _write_cnig_export(published / "friches-standard-2026-04-15.csv")
    manifest = load_manifest()
    official = manifest["cartofriches"]
    assert official.url.startswith("https://static.data.gouv.fr/resources/sites-references-dans-cartofriches/")
    base = serve(tmp_path / "published")
    local = dataclasses.replace(official, url=base + official.url.split("static.data.gouv.fr", 1)[1])
    (downloaded,) = download([local], tmp_path / "cache")
    assert downloaded == tmp_path / "cache" / "foncier" / "friches-standard.csv"
    assert local.local_path(tmp_path / "cache") == downloaded  # the online copy is read when present

    table = read_cnig_export(downloaded)
    assert is_cnig_export(table.columns) and len(table.columns) == 50
    sites = sites_from_cnig_export(table, source_date="2026-04-15", departements={"02", "57", "59"})
    by_id = sites.set_index("site_id")
    assert list(by_id.index) == ["cf-59172_1", "cf-57463_2", "cf-02691_3"]  # Paris is not in the two regions
    assert by_id.loc["cf-59172_1", "nom"] == 'Usine "Cail"'
    assert by_id.loc["cf-59172_1", "surface_ha"] == pytest.approx(2.0)  # the polygon, not the 25 ha land unit
    assert by_id.loc["cf-57463_2", "surface_ha"] == pytest.approx(3.1)  # no polygon: the land unit
    assert by_id.loc["cf-59172_1", "zone_urba_libelle"] == "UE - Zone d'activités"
    assert by_id.loc["cf-59172_1", "verifie"] and not by_id.loc["cf-57463_2", "verifie"]
    assert pd.isna(by_id.loc["cf-57463_2", "activite"]) and by_id.loc["cf-57463_2", "pollution"] == "inconnu"
    assert by_id.loc["cf-02691_3", "insee_com"] == "02691"
    metz = by_id.loc["cf-57463_2", "geometry"]  # the Lambert-93 point, brought to WGS84
    assert metz.x == pytest.approx(6.18, abs=0.05) and metz.y == pytest.approx(49.12, abs=0.05)
    assert by_id.loc["cf-02691_3", "geometry"].x == pytest.approx(3.285)  # the polygon's centre
    assert sites[list(DISTANCE_COLUMNS)].isna().all().all()  # one undifferentiated distance: never guessed

    # The build reads the export in place of the snapshot and dates every figure with the export's date.
    build_manifest = {**manifest, "cartofriches": local}
    built = _cartofriches(build_manifest, downloaded, departements={"02", "57", "59"})
    assert len(built) == 3 and set(built["date_source"]) == {"2026-04-15"}
    assert build_manifest["cartofriches"].attribution == "Cerema – Cartofriches (export national du 2026-04-15)"


def test_reindus_complement_to_the_sites_cles_en_main_is_sourced_and_never_counts_a_whole_zone():
    from geo.assembly.foncier_sources import complete_cles_en_main
    from geo.assembly.pipeline import CLES_EN_MAIN_PATH
    from geo.errors import BuildIntegrityError

    curated = pd.read_csv(CLES_EN_MAIN_PATH, dtype=str)
    assert curated["source_url"].str.startswith("https://").all() and curated["checked_date"].notna().all()
    listed = pd.DataFrame(
        {
            "label_wave": ["2020-01"],
            "site_name": ["Axioparc"],
            "commune_as_given": [None],
            "insee_com": [None],
            "departement": ["67"],
            "region_code": ["44"],
            "surface_ha": [None],
            "note": ["liste de janvier 2020"],
            "source_url": ["https://example.org/liste"],
            "confidence": ["high"],
        }
    )
    completed = complete_cles_en_main(
        listed, curated[curated["completes"].isna() | curated["completes"].eq("Axioparc")]
    )
    axioparc = completed.set_index("site_name").loc["Axioparc"]
    assert axioparc["insee_com"] == "67106" and pd.isna(axioparc["surface_ha"])  # 120 ha is the zone's
    assert "toute la zone : 120 ha (pas la surface libre)" in axioparc["note"]
    assert axioparc["source_url"].startswith("https://example.org/liste ; https://")
    assert len(completed) == 1 + curated["completes"].isna().sum()
    with pytest.raises(BuildIntegrityError, match="Europôle Sarreguemines"):
        complete_cles_en_main(listed, curated[curated["completes"] == "Europôle Sarreguemines"])
