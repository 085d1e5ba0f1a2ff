"""Acceptance invariants of the real build (COG 2026, two regions)."""

from __future__ import annotations

import csv

import geopandas as gpd
import pytest
import shapely

from geo.crs import LAMBERT93, WGS84
from geo.store import SPATIAL_LAYERS, TABLES

SCOPE_DEPARTEMENTS = {"02", "59", "60", "62", "80", "08", "10", "51", "52", "54", "55", "57", "67", "68", "88"}


def test_store_holds_every_layer(store):
    assert set(store.layer_names()) == set(SPATIAL_LAYERS) | set(TABLES)


def test_communes_of_the_15_departements_and_straddling_members(store):
    communes = store.read("communes")
    inside = communes[communes["in_regions"]]
    assert len(inside) == 8897
    assert set(inside["departement"]) == SCOPE_DEPARTEMENTS
    assert communes["code"].is_unique
    outside = communes[~communes["in_regions"]]
    # The three interregional EPCI: 49 Seine-Maritime members and 3 Haute-Saône members.
    assert set(outside["epci_siren"]) == {"200069722", "247600588", "200070332"}
    assert set(outside["departement"]) == {"76", "70"}
    assert communes["epci_siren"].notna().all()


def test_insee_codes_and_siren_are_strings(store):
    communes = store.read("communes")
    aisne = communes[communes["departement"] == "02"]
    assert aisne["code"].str.startswith("02").all()
    assert communes["code"].str.fullmatch(r"\d[\dAB]\d{3}").all()
    assert store.read("epci")["siren"].str.fullmatch(r"\d{9}").all()


def test_242_epci_with_cog_2026_population(store, cog_epci):
    epci = store.read("epci")
    assert len(epci) == 242
    expected = {siren: cog_epci[siren]["populationTotale"] for siren in epci["siren"]}
    assert dict(zip(epci["siren"], epci["population"], strict=True)) == expected
    counts = {siren: len(cog_epci[siren]["membres"]) for siren in epci["siren"]}
    assert dict(zip(epci["siren"], epci["n_communes"], strict=True)) == counts
    assert set(epci["type"]) <= {"CC", "CA", "CU", "METRO"}


@pytest.mark.parametrize(
    ("insee", "siren", "epci_name"),
    [
        ("59172", "200042190", "CA de la Porte du Hainaut"),  # Denain
        ("02738", "200071785", "CA Chauny Tergnier La Fère"),  # Tergnier
        ("59512", "200093201", "Métropole Européenne de Lille"),  # Roubaix
        ("57289", "200070746", "CA Sarreguemines Confluences"),  # Hambach, per COG 2026
    ],
)
def test_known_memberships(store, insee, siren, epci_name):
    communes = store.read("communes").set_index("code")
    epci = store.read("epci").set_index("siren")
    assert communes.loc[insee, "epci_siren"] == siren
    assert epci.loc[siren, "nom"] == epci_name


def test_union_of_epci_equals_union_of_communes(store):
    communes_area = store.read("communes").to_crs(LAMBERT93).union_all().area
    epci_area = store.read("epci").to_crs(LAMBERT93).union_all().area
    assert abs(communes_area - epci_area) / communes_area < 1e-3


@pytest.mark.parametrize("layer", ["epci", "epci_web"])
def test_no_overlap_between_epci(store, layer):
    epci = store.read(layer).to_crs(LAMBERT93)
    pairs = gpd.sjoin(epci[["siren", "geometry"]], epci[["siren", "geometry"]], predicate="intersects")
    pairs = pairs[pairs["siren_left"] < pairs["siren_right"]]
    shapes = epci.set_index("siren").geometry
    overlaps_km2 = [
        shapes[a].intersection(shapes[b]).area / 1e6
        for a, b in zip(pairs["siren_left"], pairs["siren_right"], strict=True)
    ]
    assert len(overlaps_km2) > 500  # neighbours do touch: the check is not vacuous
    assert max(overlaps_km2) < 0.01


def test_epci_area_is_lambert93_area_of_its_geometry(store):
    epci = store.read("epci")
    recomputed = epci.to_crs(LAMBERT93).area / 1e6
    assert ((epci["area_km2"] - recomputed).abs() / recomputed).max() < 1e-3
    # MEL is about 650 km² (IGN); a degree-based area would be ~0.08.
    assert 600 < epci.set_index("siren").loc["200093201", "area_km2"] < 700


@pytest.mark.parametrize("layer", SPATIAL_LAYERS)
def test_geometries_valid_and_wgs84(store, layer):
    frame = store.read(layer)
    assert frame.crs.to_string() == WGS84
    assert frame.is_valid.all()
    assert not frame.is_empty.any()


def test_web_layers_are_rounded_to_about_a_metre(store):
    coords = store.read("epci_web").get_coordinates()
    scaled = coords * 1e5
    assert ((scaled - scaled.round()).abs() < 1e-6).all().all()


def test_territoires_d_industrie_members(store, raw_sources):
    territories = store.read("territoires")
    for phase, count in ((1, 29), (2, 39)):
        kind = f"ti_phase{phase}"
        built = territories[territories["kind"] == kind]
        assert len(built) == count
        column = "siren_epci" if phase == 1 else "siren_groupement"
        path = raw_sources / "territoires_industrie" / f"ti_phase{phase}_epci_hdf_grandest.csv"
        expected: dict[str, set[str]] = {}
        with path.open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                expected.setdefault(f"p{phase}-{row['id_ti']}", set()).add(row[column])
        actual = {row.territory_id: set(row.members.split(";")) for row in built.itertuples()}
        assert actual == expected


def test_vallee_de_la_bresle_vimeu_is_a_phase_2_territory(store):
    territories = store.read("territoires").set_index("territory_id")
    bresle = territories.loc["p2-ti-2809"]
    assert bresle["label"] == "Vallée de la Bresle – Vimeu"
    assert set(bresle["members"].split(";")) >= {"200069722", "247600588"}


def test_priority_bassins(store):
    territories = store.read("territoires")
    bassins = territories[territories["kind"] == "bassin_prioritaire"].set_index("territory_id")
    assert set(bassins["label"]) == {
        "Valenciennois",
        "Sambre-Avesnois-Thiérache",
        "Chauny-Tergnier-La Fère",
        "Roubaix-Tourcoing",
        "Bassin minier",
        "Dunkerquois",
        "Amiénois",
    }
    assert bassins.loc["bassin-roubaix-tourcoing", "n_communes"] == 22
    assert bassins.loc["bassin-chauny-tergnier-la-fere", "n_communes"] == 48
    assert bassins.loc["bassin-sambre-avesnois-thierache", "population"] == 291821
    # The Bassin minier is the Mission Bassin Minier's contour; its caveat says how it differs from the figures quoted.
    assert "250" in bassins.loc["bassin-minier", "approximation"]
    assert "227" in bassins.loc["bassin-minier", "approximation"]


def test_every_territory_has_source_and_vintage(store):
    territories = store.read("territoires")
    assert territories["source"].str.strip().ne("").all()
    assert territories["vintage"].str.strip().ne("").all()
    assert (territories["n_communes"] > 0).all()


def test_territory_shapes_follow_their_members(store):
    territories = store.read("territoires").to_crs(LAMBERT93).set_index("territory_id")
    epci = store.read("epci").to_crs(LAMBERT93).set_index("siren")
    chauny = territories.loc["bassin-chauny-tergnier-la-fere", "geometry"]
    assert chauny.symmetric_difference(epci.loc["200071785", "geometry"]).area < 1.0  # m²


def test_commune_outlines_are_the_finer_ones_and_close_to_the_ign_surfaces(store, raw_sources):
    communes = store.read("communes").to_crs(LAMBERT93).set_index("code")
    reference = gpd.read_file(raw_sources / "communes-2025-cogiter" / "communes_hdf_grandest_cog2025_wgs84.geojson")
    reference = reference.set_index("code")
    error = (communes.area.reindex(reference.index) / reference["area_m2_cogiter"] - 1).abs()
    # COGiter's own outlines are 3.3 % off the IGN surfaces at the median, the 2018 outlines 0.7 %.
    assert error.median() < 0.01
    assert (error > 0.1).sum() < 40
    # Valenciennes: 14 vertices in COGiter's outline, 71 in IGN 2018's.
    assert shapely.get_num_coordinates(communes.geometry["59606"]) > 50
    # Still one coverage: the communes' areas add up to the area of their union.
    assert communes.area.sum() == pytest.approx(communes.union_all().area, rel=1e-6)


def test_absorbed_communes_are_attached_not_dropped(built):
    _, report = built
    absorbed = [w for w in report.warnings if "absorbée" in w]
    # 02311 Filain → Pargny-et-Filain; 08300 Le Mont-Dieu → Tannay-le-Mont-Dieu
    assert any("02311" in w and "02589" in w for w in absorbed)
    assert any("08300" in w and "08439" in w for w in absorbed)
    assert not any("non résolus" in w for w in report.warnings)


def test_metadata_lists_every_source_and_the_build(store):
    metadata = store.read("metadata")
    sources = metadata[metadata["kind"] == "source"]
    assert len(sources) >= 10
    assert sources["attribution"].str.len().gt(0).all()
    assert sources["vintage"].str.len().gt(0).all()
    assert sources["licence"].str.contains("Licence Ouverte|ODbL").all()  # URSSAF open data is ODbL
    assert (metadata["kind"] == "build").sum() == 1


def test_build_report(built):
    _, report = built
    text = report.as_text()
    assert "Construction terminée" in text
    assert report.counts["epci"] == 242
    assert report.total_s > 0
