"""The description of each edited table (geo.store.edits): kept in step with what imports write."""

from __future__ import annotations

import io

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from geo.analysis.projects import PROJECT_FIELDS, projects_from_file
from geo.crs import WGS84
from geo.imports.locate import CommuneLookup
from geo.store.edits import (
    CHANGE_TYPES,
    CORRECT,
    EDITED_TABLES,
    FONCIER,
    PROJECTS,
    TAKEN,
    ProjectChange,
    SiteChange,
)


def test_each_edited_table_names_its_layer_key_audit_and_change_type():
    assert [(t.layer, t.key, t.audit) for t in EDITED_TABLES] == [
        ("foncier", "site_id", "foncier_audit"),
        ("projets", "project_id", "projets_audit"),
    ]
    assert CHANGE_TYPES == {"foncier": SiteChange, "projets": ProjectChange}
    assert PROJECTS.audit_columns[1] == "project_id" and list(PROJECTS.empty_audit().columns) == list(
        PROJECTS.audit_columns
    )
    assert SiteChange(TAKEN, "a", "x", 1).site_id == "a" and FONCIER.status_of_action[TAKEN] == "site pris"


def test_project_labels_are_the_import_s_labels():
    labels = {f.key: f.label for f in PROJECT_FIELDS}
    for key, label in PROJECTS.editable.items():
        assert label == labels[key][0].upper() + labels[key][1:], key


def test_a_correction_by_import_may_set_every_column_an_import_of_projects_writes():
    commune = gpd.GeoDataFrame(
        {"code": ["59172"], "nom": ["Denain"], "departement": ["59"], "region": ["32"], "epci_siren": ["200042190"]},
        geometry=[box(3.35, 50.30, 3.45, 50.36)],
        crs=WGS84,
    )
    lookup = CommuneLookup(pd.DataFrame(columns=["code", "nom", "type", "departement", "region", "chef_lieu"]), commune)
    membership = pd.DataFrame({"territory_id": ["t"], "kind": ["ti_phase2"], "code": ["59172"]})
    result = projects_from_file(
        io.BytesIO(b"nom;lon;lat\nUsine;3.40;50.33\n"), lookup=lookup, territoire_communes=membership, name="p.csv"
    )
    assert result.accepted, result.summary()
    assert set(result.rows.columns) - PROJECTS.correctable == {"project_id"}


def test_a_project_change_is_checked_against_the_projects():
    with pytest.raises(ValueError, match="unknown action 'pris' for projets"):
        ProjectChange(TAKEN, "P1", "alice", 1)
    with pytest.raises(ValueError, match=r"not editable: \['surface_ha'\]"):
        ProjectChange(CORRECT, "P1", "alice", 1, {"surface_ha": 3.0})
    assert ProjectChange(CORRECT, "P1", "alice", 1, {"jobs_announced": 3}).project_id == "P1"
