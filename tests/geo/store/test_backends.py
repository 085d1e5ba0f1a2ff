"""The same cases against both stores: the embedded GeoPackage and a real PostGIS on 127.0.0.1.

Search by each criterion on sites read back from the store, distances against pyproj's
geodesic, add / correct / mark taken / undo with their audit rows, the concurrent-edit
conflict, all-or-nothing imports and revisions; the same audited rows for projects, a store
written before projects were audited, and a rebuild that keeps the editors' work.
"""

from __future__ import annotations

import json
import sqlite3
from datetime import datetime

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import sqlalchemy
from pyproj import Geod, Transformer
from shapely.geometry import Point

from geo.analysis.foncier import FoncierQuery, distances_m, search_sites
from geo.analysis.sites import new_site_row as build_new_site_row
from geo.assembly.pipeline import keep_edits
from geo.crs import WGS84
from geo.errors import EditConflictError
from geo.imports.locate import CommuneLookup
from geo.store import Account, GeoPackageStore, Store, WriteRefused
from geo.store.edits import (
    ADD,
    CORRECT,
    PROJECTS,
    TAKEN,
    UNDO,
    WITHDRAWN,
    ProjectChange,
    SiteChange,
    changed_fields,
)
from geo.vocabulary import AVAILABLE_STATUSES
from tests.small_data import CRITERIA_CASES, small_communes, small_layers, small_projects

TO_L93 = Transformer.from_crs("EPSG:4326", "EPSG:2154", always_xy=True)


@pytest.fixture
def store(any_store: Store) -> Store:
    """This module's cases run on both backends (:func:`tests.geo.store.conftest.any_store`)."""
    return any_store


@pytest.fixture
def editors(store) -> dict[str, Account]:
    """Two editor accounts in the store (the audit trail names accounts, not typed names)."""
    accounts = store.accounts()
    return {name: accounts.add(name, role="editeur", password=f"{name}-mot-de-passe-long") for name in ("alice", "bob")}


def _site(store: Store, site_id: str) -> pd.Series:
    sites = store.read("foncier")
    return sites.set_index("site_id").loc[site_id]


def test_round_trip_keeps_values_types_and_crs(store):
    sites = store.read("foncier")
    assert sites.crs.to_string() == WGS84
    expected = small_layers()["foncier"]
    assert sites["site_id"].tolist() == expected["site_id"].tolist()
    assert sites["insee_com"].tolist() == ["59172", "59172", "59183", "59094"]
    assert sites["verifie"].astype(bool).tolist() == [True, True, False, True]
    assert np.allclose(sites.geometry.x, expected.geometry.x) and np.allclose(sites.geometry.y, expected.geometry.y)
    assert pd.isna(sites["surface_ha"].iloc[2])
    assert store.read("communes")["code"].tolist() == ["59172", "02691"]


@pytest.mark.parametrize(("query", "expected"), CRITERIA_CASES)
def test_search_by_each_criterion_on_sites_read_from_the_store(store, query, expected):
    assert search_sites(store.read("foncier"), query)["site_id"].tolist() == expected


def test_distances_from_the_store_match_geodesic_within_half_a_percent(store):
    sites = store.read("foncier")
    origin_lon, origin_lat = 4.03, 49.26  # Reims
    ours = distances_m(sites, TO_L93.transform(origin_lon, origin_lat))
    _, _, geodesic = Geod(ellps="GRS80").inv(
        [origin_lon] * len(sites), [origin_lat] * len(sites), sites.geometry.x, sites.geometry.y
    )
    assert (np.abs(ours.to_numpy() - geodesic) / geodesic).max() < 0.005


def test_correct_mark_taken_and_undo_keep_an_audit_trail(store, editors):
    layers_revision, edits_revision = store.revision()
    assert edits_revision == 0
    first = store.apply_site_change(
        SiteChange(CORRECT, "a", "alice", 1, {"surface_ha": 14.5, "nom": "Friche Usinor"}), account=editors["alice"]
    )
    taken = store.apply_site_change(SiteChange(TAKEN, "a", "bob", 2), account=editors["bob"])
    site = _site(store, "a")
    assert (site["surface_ha"], site["nom"], site["statut"], site["version"]) == (14.5, "Friche Usinor", "site pris", 3)
    assert store.revision() == (layers_revision, 2)  # an edit does not invalidate the other layers
    # a site taken leaves the default search for available land
    available = search_sites(store.read("foncier"), FoncierQuery(statuts=AVAILABLE_STATUSES))
    assert "a" not in available["site_id"].tolist()

    undo = store.undo_site_change(taken["change_id"], account=editors["alice"])
    site = _site(store, "a")
    assert (site["statut"], site["surface_ha"], site["version"]) == ("friche sans projet", 14.5, 4)

    audit = store.read("foncier_audit").sort_values("change_id")
    assert audit["change_id"].tolist() == [1, 2, 3]
    assert audit["action"].tolist() == [CORRECT, TAKEN, UNDO]
    assert audit["author"].tolist() == ["alice", "bob", "alice"]
    assert audit["undone_by"].tolist()[1] == undo["change_id"] and audit["undoes"].tolist()[2] == taken["change_id"]
    assert changed_fields(audit.iloc[0]) == {"nom": ("Site a", "Friche Usinor"), "surface_ha": (12.0, 14.5)}
    assert datetime.fromisoformat(audit["at"].iloc[0]).tzinfo is not None
    assert first["change_id"] == 1


def test_an_undo_never_drops_a_later_change(store, editors):
    first = store.apply_site_change(SiteChange(CORRECT, "b", "alice", 1, {"surface_ha": 4.0}), account=editors["alice"])
    store.apply_site_change(SiteChange(WITHDRAWN, "b", "bob", 2), account=editors["bob"])
    with pytest.raises(EditConflictError, match="modifié depuis"):
        store.undo_site_change(first["change_id"], account=editors["alice"])
    assert _site(store, "b")["statut"] == "site retiré"


def test_second_writer_on_the_same_version_gets_a_french_conflict_and_nothing_is_lost(store, editors):
    version_seen_by_both = int(_site(store, "c")["version"])
    store.apply_site_change(
        SiteChange(CORRECT, "c", "alice", version_seen_by_both, {"surface_ha": 7.0}), account=editors["alice"]
    )
    with pytest.raises(EditConflictError, match="modifié par quelqu'un d'autre.*Rien n'a été enregistré"):
        store.apply_site_change(
            SiteChange(CORRECT, "c", "bob", version_seen_by_both, {"surface_ha": 9.0}), account=editors["bob"]
        )
    assert _site(store, "c")["surface_ha"] == 7.0
    assert store.read("foncier_audit")["author"].tolist() == ["alice"]


def test_add_a_site_at_a_point_joins_its_places_and_undo_removes_it(store, editors):
    lookup = CommuneLookup(
        pd.DataFrame(columns=["code", "nom", "type", "departement", "region", "chef_lieu"]), small_communes()
    )
    row = build_new_site_row(
        {"nom": "Parc d'activités", "surface_ha": 22.0},
        Point(3.40, 50.32),
        lookup=lookup,
        territoire_communes=small_layers()["territoire_communes"],
        author="alice",
        today="2026-11-23",
    )
    entry = store.apply_site_change(
        SiteChange(ADD, "u-1", "alice", values={**row, "geometry": Point(3.40, 50.32)}), account=editors["alice"]
    )
    site = _site(store, "u-1")
    assert (site["insee_com"], site["epci_siren"], site["ti_phase2"]) == ("59172", "200042190", "p2-ti-3207")
    assert (site["nom"], site["surface_ha"], site["version"], site["kind"]) == (
        "Parc d'activités",
        22.0,
        1,
        "site saisi",
    )
    assert site.geometry.equals_exact(Point(3.40, 50.32), 1e-9)
    with pytest.raises(EditConflictError, match="existe déjà"):
        store.apply_site_change(SiteChange(ADD, "u-1", "bob", values=row), account=editors["bob"])
    store.undo_site_change(entry["change_id"], account=editors["alice"])
    assert "u-1" not in store.read("foncier")["site_id"].tolist()
    with pytest.raises(ValueError, match="hors des communes"):
        build_new_site_row(
            {},
            Point(7.0, 48.0),
            lookup=lookup,
            territoire_communes=small_layers()["territoire_communes"],
            author="a",
            today="x",
        )


def test_import_is_all_or_nothing(store, editors):
    imported = gpd.GeoDataFrame(
        {"site_id": ["new-1", "a", "new-2"], "nom": ["N1", "A corrigé", "N2"], "surface_ha": [1.0, 99.0, 2.0]},
        geometry=[Point(3.4, 50.33), Point(3.39, 50.33), Point(3.41, 50.34)],
        crs=WGS84,
    )
    before_sites, before_audit = store.read("foncier"), store.read("foncier_audit")
    broken = imported.assign(nom=["N1", "A corrigé", object()])  # the third row cannot be written
    with pytest.raises(Exception):  # noqa: B017 — each backend raises its own error; the point is the rollback
        store.import_sites(broken, account=editors["alice"])
    pd.testing.assert_frame_equal(store.read("foncier_audit"), before_audit)
    assert store.read("foncier")["site_id"].tolist() == before_sites["site_id"].tolist()

    entries = store.import_sites(imported, account=editors["alice"])
    assert [e["action"] for e in entries] == [ADD, CORRECT, ADD]
    assert _site(store, "a")["surface_ha"] == 99.0 and int(_site(store, "a")["version"]) == 2
    assert sorted(store.read("foncier")["site_id"]) == ["a", "b", "c", "d", "new-1", "new-2"]


def test_whole_layer_writes_change_the_layers_revision(store):
    layers_revision, _ = store.revision()
    store.replace_layers({"communes": small_communes()})
    assert store.revision()[0] != layers_revision
    assert store.read("foncier")["site_id"].tolist() == ["a", "b", "c", "d"]  # other layers kept


def _project(store: Store, project_id: str) -> pd.Series:
    return store.read("projets").set_index("project_id").loc[project_id]


def test_a_project_change_is_audited_undoable_and_reloads_the_layers(store, editors):
    layers_revision, edits_revision = store.revision()
    entry = store.apply_project_change(
        ProjectChange(CORRECT, "P1", "typed", 1, {"jobs_announced": 120, "name": "Usine A2"}), account=editors["alice"]
    )
    project = _project(store, "P1")
    assert (project["jobs_announced"], project["name"], project["version"]) == (120, "Usine A2", 2)
    # every page draws the projects: their write changes the layers revision (the foncier history's stays)
    assert store.revision()[0] != layers_revision and store.revision()[1] == edits_revision
    undo = store.undo_project_change(entry["change_id"], account=editors["bob"])
    project = _project(store, "P1")
    assert (project["jobs_announced"], project["name"], project["version"]) == (100, "Usine A", 3)

    audit = store.read("projets_audit").sort_values("change_id")
    assert audit["change_id"].tolist() == [1, 2] and audit["project_id"].tolist() == ["P1", "P1"]
    assert audit["action"].tolist() == [CORRECT, UNDO]
    assert audit["author"].tolist() == ["alice", "bob"]  # the accounts' signatures, not the typed name
    assert audit["undone_by"].tolist()[0] == undo["change_id"] and audit["undoes"].tolist()[1] == entry["change_id"]
    assert changed_fields(audit.iloc[0]) == {"jobs_announced": (100, 120), "name": ("Usine A", "Usine A2")}
    assert datetime.fromisoformat(audit["at"].iloc[0]).tzinfo is not None
    assert store.read("foncier_audit").empty  # each table keeps its own history


def test_a_stale_project_version_is_refused_and_a_reader_cannot_write(store, editors):
    store.apply_project_change(ProjectChange(CORRECT, "P2", "a", 1, {"jobs_announced": 60}), account=editors["alice"])
    with pytest.raises(EditConflictError, match="Le projet « P2 » a été modifié par quelqu'un d'autre") as refused:
        store.apply_project_change(ProjectChange(CORRECT, "P2", "b", 1, {"jobs_announced": 70}), account=editors["bob"])
    assert (refused.value.record_id, refused.value.seen_version, refused.value.current_version) == ("P2", 1, 2)
    reader = store.accounts().add("lea", role="lecteur", password="lea-mot-de-passe-long")
    with pytest.raises(WriteRefused, match="lecture seule"):
        store.apply_project_change(ProjectChange(CORRECT, "P2", "lea", 2, {"jobs_announced": 0}), account=reader)
    with pytest.raises(WriteRefused, match="lecture seule"):
        store.import_projects(small_projects(), account=reader)
    with pytest.raises(TypeError, match="projets"):  # a site change never reaches the projects
        store.apply_project_change(SiteChange(CORRECT, "a", "x", 1, {"nom": "x"}), account=editors["alice"])
    assert _project(store, "P2")["jobs_announced"] == 60
    assert store.read("projets_audit")["author"].tolist() == ["alice"]


def test_projects_import_is_audited_row_by_row_and_all_or_nothing(store, editors):
    imported = gpd.GeoDataFrame(
        {"project_id": ["P9", "P1"], "name": ["Usine neuve", "Usine A corrigée"], "jobs_announced": [30, 140]},
        geometry=[Point(3.41, 50.34), Point(3.39, 50.33)],
        crs=WGS84,
    )
    before_projects, before_audit = store.read("projets"), store.read("projets_audit")
    broken = imported.assign(name=["Usine neuve", object()])  # the second row cannot be written
    with pytest.raises(Exception):  # noqa: B017 — each backend raises its own error; the point is the rollback
        store.import_projects(broken, account=editors["alice"])
    pd.testing.assert_frame_equal(store.read("projets_audit"), before_audit)
    pd.testing.assert_frame_equal(store.read("projets"), before_projects)

    entries = store.import_projects(imported, account=editors["alice"])
    assert [(e["action"], e["project_id"], e["author"]) for e in entries] == [
        (ADD, "P9", "alice"),
        (CORRECT, "P1", "alice"),
    ]
    assert (_project(store, "P1")["name"], int(_project(store, "P1")["version"])) == ("Usine A corrigée", 2)
    assert (_project(store, "P9")["jobs_announced"], int(_project(store, "P9")["version"])) == (30, 1)
    assert sorted(store.read("projets")["project_id"]) == ["P1", "P2", "P9"]
    assert store.read("projets_audit")["action"].tolist() == [ADD, CORRECT]


def test_an_import_written_in_bulk_ends_as_if_each_row_was_applied_in_turn(store, editors):
    """The rows are read, written and audited in bulk: an id twice in the file is added then corrected, a known id
    corrected twice, each change with its own entry, numbered in the file's order after the changes before."""
    store.apply_project_change(ProjectChange(CORRECT, "P2", "a", 1, {"jobs_announced": 61}), account=editors["alice"])
    imported = gpd.GeoDataFrame(
        {
            "project_id": ["P9", "P1", "P9", "P1"],
            "name": ["Usine neuve", "Usine A corrigée", "Usine neuve, nom corrigé", "Usine A corrigée deux fois"],
            "jobs_announced": [30, 140, 35, 150],
        },
        geometry=[Point(3.41, 50.34), Point(3.39, 50.33), Point(3.42, 50.35), Point(3.38, 50.32)],
        crs=WGS84,
    )
    entries = store.import_projects(imported, account=editors["bob"])
    assert [(e["change_id"], e["action"], e["project_id"]) for e in entries] == [
        (2, ADD, "P9"),
        (3, CORRECT, "P1"),
        (4, CORRECT, "P9"),
        (5, CORRECT, "P1"),
    ]
    p9, p1 = _project(store, "P9"), _project(store, "P1")
    assert (p9["name"], p9["jobs_announced"], int(p9["version"])) == ("Usine neuve, nom corrigé", 35, 2)
    assert (p1["name"], p1["jobs_announced"], int(p1["version"])) == ("Usine A corrigée deux fois", 150, 3)
    assert (p9.geometry.x, p1.geometry.x) == (pytest.approx(3.42), pytest.approx(3.38))
    audit = store.read("projets_audit").set_index("change_id")
    assert json.loads(audit.loc[4, "before"])["name"] == "Usine neuve"  # the second P9 row saw the first
    assert json.loads(audit.loc[5, "before"])["version"] == 2
    # the history still applies row by row: the last change of P1 undone gives its first correction back
    store.undo_project_change(5, account=editors["bob"])
    assert _project(store, "P1")["name"] == "Usine A corrigée"


def test_a_rebuild_keeps_the_project_edits_and_their_history(store, editors):
    corrected = store.apply_project_change(
        ProjectChange(CORRECT, "P1", "a", 1, {"jobs_announced": 120}), account=editors["alice"]
    )
    added = store.import_projects(small_projects().iloc[[1]].assign(project_id="P9"), account=editors["bob"])[0]
    store.undo_project_change(added["change_id"], account=editors["bob"])  # P9 added then removed: stays removed
    store.import_projects(small_projects().iloc[[1]].assign(project_id="P8", name="Usine C"), account=editors["bob"])

    # what the build does: the projects from the sources again, then the editors' rows carried over; this
    # shipped version also changes P1's name (edited) and P2's (not edited)
    from_sources = small_projects().drop(columns="version")
    from_sources["name"] = from_sources["name"] + " (livraison 2)"
    projects, audit, shipped = keep_edits(store, from_sources, PROJECTS)
    store.replace_all({**small_layers(), "projets": projects, "projets_audit": audit})
    # P1 keeps the editor's row: the shipped name is listed to arbitrate, never applied silently nor dropped unsaid
    assert shipped[["record_id", "field", "shipped_now"]].values.tolist() == [["P1", "name", "Usine A (livraison 2)"]]
    assert _project(store, "P1")["name"] == "Usine A" and _project(store, "P2")["name"].endswith("(livraison 2)")

    assert sorted(store.read("projets")["project_id"]) == ["P1", "P2", "P8"]
    assert (_project(store, "P1")["jobs_announced"], int(_project(store, "P1")["version"])) == (120, 2)
    assert int(_project(store, "P2")["version"]) == 1
    assert len(store.read("projets_audit")) == 4
    store.undo_project_change(corrected["change_id"], account=editors["alice"])  # the history still applies
    assert _project(store, "P1")["jobs_announced"] == 100


def test_a_store_written_before_projects_were_audited_gets_their_version_and_history(store, editors):
    layers = {name: frame for name, frame in small_layers().items() if name != "projets_audit"}
    layers["projets"] = small_projects().drop(columns="version")
    store.replace_all(layers)
    if isinstance(store, GeoPackageStore):  # an older build also gave the projects an R-tree
        pyogrio.write_dataframe(layers["projets"], store.path, layer="projets", driver="GPKG")
    else:  # a whole-store write keeps the audit tables: this database predates them
        with store.engine.begin() as connection:
            connection.execute(sqlalchemy.text('DROP TABLE "projets_audit"'))
    assert "projets_audit" not in store.layer_names()

    store.apply_project_change(
        ProjectChange(CORRECT, "P2", "a", 1, {"geometry": Point(3.30, 49.86)}), account=editors["alice"]
    )
    store.import_projects(small_projects().iloc[[0]].assign(project_id="P7"), account=editors["alice"])
    assert store.read("projets")["version"].tolist() == [1, 2, 1]
    assert store.read("projets_audit")["project_id"].tolist() == ["P2", "P7"]
    if isinstance(store, GeoPackageStore):  # the index follows the moved point
        with sqlite3.connect(store.path) as db:
            bounds = db.execute("SELECT COUNT(*), MIN(minx), MAX(maxx) FROM rtree_projets_geom").fetchone()
        assert (
            bounds[0] == 3 and bounds[1] == pytest.approx(3.30, abs=1e-5) and bounds[2] == pytest.approx(3.40, abs=1e-5)
        )


def test_an_edit_looks_rows_and_changes_up_by_index_not_by_scanning_the_tables(store, editors):
    # Without these indexes every imported row scanned the layer and the history: an import of n rows took
    # time in n², 26 s for 4,000 projects (hours for the 100,000 of `make bench`).
    store.import_projects(small_projects().head(1), account=editors["alice"])
    lookups = {
        "projets": "SELECT * FROM projets WHERE project_id = 'P1'",
        "projets_audit": "SELECT MAX(change_id) FROM projets_audit",
    }
    for table, query in lookups.items():
        if isinstance(store, GeoPackageStore):
            with sqlite3.connect(store.path) as db:
                plan = " ".join(str(row[-1]) for row in db.execute(f"EXPLAIN QUERY PLAN {query}"))
            assert "INDEX" in plan.upper() and "SCAN" not in plan.upper().replace("USING INDEX", ""), (table, plan)
        else:
            with store.engine.connect() as connection:
                connection.execute(sqlalchemy.text("SET enable_seqscan = off"))  # small tables: force the choice
                plan = " ".join(connection.execute(sqlalchemy.text(f"EXPLAIN {query}")).scalars())
            assert "Index" in plan and "Seq Scan" not in plan, (table, plan)
