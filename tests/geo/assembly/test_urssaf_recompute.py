"""The official URSSAF commune × APE file, read in its published layout and served on 127.0.0.1: recomputing the
industrial jobs by zone d'emploi from a file cut from the aggregates gives the aggregates back."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from geo.assembly import employment
from geo.assembly.pipeline import _recomputed_industrial_jobs
from geo.assembly.sources import download, load_manifest

GEOGRAPHY = (
    "region;ancienne_region;departement;zone_d_emploi;epci;commune;intitule_commune;grand_secteur_d_activite;"
    "secteur_na17;secteur_na38;secteur_na88;ape;code_region;code_ancienne_region;code_departement;"
    "code_zone_d_emploi;code_epci;code_commune;code_ape"
).split(";")
YEARS = range(2006, 2025)
HEADER = GEOGRAPHY + [f"{kind}_{year}" for year in YEARS for kind in ("nombre_d_etablissements", "effectifs_salaries")]


def _rows_cut_from(aggregates: pd.DataFrame, links: pd.DataFrame) -> list[dict[str, str]]:
    """Per zone d'emploi, its industrial jobs split between two of its communes and two industrial APE codes, and
    the rest of its private jobs of 2024 under a shop's APE code (not industry: left out of the count)."""
    rows = []
    for zone in aggregates.itertuples():
        communes = sorted(links.loc[links["territory_id"] == f"ze2020-{zone.code_ze}", "code"])[:2]
        shares = {"2910Z Construction de véhicules automobiles": 0.6, "1011Z Transformation et conservation": 0.4}
        for (ape, share), commune in zip(shares.items(), [communes[0], communes[-1]], strict=True):
            row = {column: "" for column in HEADER}
            row |= {
                "code_commune": commune,
                "code_ape": ape[:5],
                "ape": ape,
                "grand_secteur_d_activite": "GS1 Industrie",
            }
            for year in employment.YEARS:
                total = int(getattr(zone, f"emploi_industriel_{year}"))
                first = round(total * 0.6)
                row[f"effectifs_salaries_{year}"] = str(first if share == 0.6 else total - first)
            rows.append(row)
        industry = int(zone.emploi_industriel_2024)
        shop = {column: "" for column in HEADER} | {
            "code_commune": communes[0],
            "code_ape": "4711D",
            "ape": "4711D Supermarchés",
            "grand_secteur_d_activite": "GS5 Commerce",
            "effectifs_salaries_2024": str(round(industry * 100 / zone.part_emploi_prive_2024) - industry),
        }
        rows.append(shop)
    return rows


def test_recomputing_a_file_cut_from_the_aggregates_gives_them_back(store, tmp_path, serve):
    aggregates = store.read("emploi_industriel_ze")
    links = store.read("territoire_communes")
    published = tmp_path / "published"
    published.mkdir()
    lines = [";".join(HEADER)] + [
        ";".join(row[column] for column in HEADER) for row in _rows_cut_from(aggregates, links)
    ]
    (published / "exports.csv").write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")

    manifest = load_manifest()
    official = manifest["urssaf_commune_ape"]
    assert official.optional and official.url.startswith("https://open.urssaf.fr/api/explore/v2.1/catalog/datasets/")
    (path,) = download([dataclasses.replace(official, url=serve(published) + "/exports.csv")], tmp_path / "cache")
    table = employment.read_commune_ape(path)
    assert list(table.columns) == HEADER

    recomputed, warnings = _recomputed_industrial_jobs(
        manifest, path, aggregates, links, store.read("cog_communes"), absorbed={}
    )
    columns = [f"emploi_industriel_{year}" for year in employment.YEARS]
    assert (recomputed[columns].astype(int) == aggregates[columns].astype(int)).all().all()
    assert recomputed.set_index("nom").loc["Valenciennes", "emploi_industriel_2024"] == 27_100
    assert recomputed["part_emploi_prive_2024"].to_numpy() == pytest.approx(
        aggregates["part_emploi_prive_2024"].to_numpy(), abs=0.05
    )
    assert all("emploi_industriel_" not in warning for warning in warnings), warnings
    assert manifest["urssaf_industrie_ze"].attribution == official.attribution  # the figures cite the official file


def test_an_optional_source_that_fails_to_download_is_reported_and_skipped(tmp_path, serve):
    official = load_manifest()["urssaf_commune_ape"]
    said = []
    fetched = download(
        [dataclasses.replace(official, url=serve(tmp_path) + "/absent.csv")], tmp_path / "cache", progress=said.append
    )
    assert fetched == [] and "facultatif, non téléchargé" in said[-1]
