"""The loader reads a tenant the same whatever form it came in: raw API JSON, CSV files as
pandas writes them, or an Excel workbook; and pandas' own quirks are read as what they mean."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from explorer.importers import import_export
from tests.helpers.export_forms import (
    pandas_csv,
    stored_rows,
    tenant,
    write_json,
    write_pandas_csvs,
    write_tenant_workbook,
)

EXPECTED_COUNTS = {"data_sources": 2, "trait_folders": 2, "segment_folders": 2,
                   "merge_rules": 1, "algo_models": 0, "traits": 4, "segments": 2,
                   "destinations": 1, "destination_mappings": 2, "derived_signals": 1,
                   "segment_traits": 4}



def _what_a_user_sees(ws: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "trait folders": stored_rows(
            ws, "SELECT id, parent_id, name, path, depth FROM trait_folders"),
        "segment folders": stored_rows(
            ws, "SELECT id, parent_id, name, path, depth FROM segment_folders"),
        "references": stored_rows(
            ws, "SELECT segment_id, trait_id, in_frequency, negated FROM segment_traits"),
        "traits": stored_rows(
            ws, "SELECT id, name, integration_code, trait_type, folder_id, rule, ttl, status, "
                "create_time, update_time FROM traits"),
        "segments": stored_rows(
            ws, "SELECT id, name, merge_rule_id, folder_id, rule, status FROM segments"),
        "mappings": stored_rows(
            ws, "SELECT id, destination_id, segment_id, element_status, start_date, end_date, "
                "trait_alias FROM destination_mappings"),
        "data sources": stored_rows(
            ws, "SELECT id, name, integration_code, status FROM data_sources"),
        "restrictions": stored_rows(
            ws, "SELECT id, json_extract(raw, '$.dataExportRestrictions') FROM data_sources"),
    }


def test_the_same_tenant_from_json_pandas_csv_and_a_workbook(tmp_path: Path) -> None:
    sources = {"json": write_json(tmp_path / "json"),
               "csv": write_pandas_csvs(tmp_path / "csv"),
               "workbook": write_tenant_workbook(tmp_path / "tenant.xlsx")}
    seen: dict[str, dict[str, list[tuple[Any, ...]]]] = {}
    for form, source in sources.items():
        ws = tmp_path / f"{form}.aamws"
        report = import_export(source, ws)
        assert report.counts == EXPECTED_COUNTS, form
        assert report.warnings == [], form
        assert report.gaps == [], form  # complete in every form
        assert all(f.skipped == 0 for f in report.files), form
        held = sum(len(records) for records in tenant().values())
        assert sum(f.records for f in report.files) == held, form  # nothing the files hold
        seen[form] = _what_a_user_sees(ws)
    assert seen["csv"] == seen["json"]
    assert seen["workbook"] == seen["json"]
    assert seen["json"]["trait folders"] == [(700001, None, "Web", "/Web", 1),
                                             (700002, 700001, "Products", "/Web/Products", 2)]
    assert seen["json"]["references"] == [(2000001, 1000001, 0, 0), (2000001, 1000002, 0, 0),
                                          (2000002, 1000003, 1, 0), (2000002, 1000004, 0, 1)]
    assert seen["json"]["restrictions"] == [(163001, '["PII"]'), (163002, "[]")]


def test_pandas_quirks_are_read_as_what_they_mean(tmp_path: Path) -> None:
    """Python literals in cells (read with ast.literal_eval), 29769.0 ids, True/False, the
    index column, date-time strings, singular file names."""
    folder = tmp_path / "export"
    folder.mkdir()
    data = tenant()
    sources = data["data-source"]
    sources.append({"dataSourceId": 29769, "name": "No pid", "status": "ACTIVE",
                    "inboundS2S": False})  # a gap in the pid column: pandas writes floats
    pandas_csv(folder / "datasources.csv", sources, index=True)
    pandas_csv(folder / "destinations.csv", data["destination"], index=True)
    pandas_csv(folder / "segment.csv", data["segment"])
    pandas_csv(folder / "trait.csv", data["trait"], times_as_dates=True)
    text = (folder / "datasources.csv").read_text()
    assert text.startswith(",dataSourceId,pid,") and "4321.0" in text and "['PII']" in text
    assert "[{'destinationMappingId': 640001" in (folder / "destinations.csv").read_text()
    ws = tmp_path / "ws.aamws"
    report = import_export(folder, ws)
    assert report.warnings == []
    assert [(f.name, f.kind, f.records, f.skipped) for f in report.files] == [
        ("datasources.csv", "data-source", 3, 0), ("destinations.csv", "destination", 1, 0),
        ("segment.csv", "segment", 2, 0), ("trait.csv", "trait", 4, 0)]
    assert report.counts["destination_mappings"] == 2
    assert stored_rows(ws, "SELECT id, pid FROM data_sources") == [
        (29769, None), (163001, 4321), (163002, 4321)]
    assert stored_rows(ws, "SELECT id, json_extract(raw, '$.inboundS2S'), "
                     "json_extract(raw, '$.dataExportRestrictions') FROM data_sources") == [
        (29769, 0, None), (163001, 1, '["PII"]'), (163002, 1, "[]")]
    assert stored_rows(ws, "SELECT id, create_time FROM traits") == [
        (1000001 + i, 1_650_864_000_000 + i * 60_000) for i in range(4)]
    raw = json.loads(
        stored_rows(ws, "SELECT raw FROM destination_mappings WHERE id = 640001")[0][0])
    assert raw["endDate"] is None and raw["traitAlias"] == "fans"


def test_folder_table_without_names_takes_them_from_the_path(tmp_path: Path) -> None:
    """adobe_aam's folder table: folderId, parentFolderId, path and two computed columns."""
    folder = tmp_path / "export"
    folder.mkdir()
    pandas_csv(folder / "traitFolders.csv", [
        {"folderId": 700001, "parentFolderId": 0, "path": "/Web", "parent_folders": 0,
         "child_folders": 1},
        {"folderId": 700002, "parentFolderId": 700001, "path": "/Web/Products/",
         "parent_folders": 1, "child_folders": 0}], index=True)
    pandas_csv(folder / "traits.csv", tenant()["trait"])
    ws = tmp_path / "ws.aamws"
    report = import_export(folder, ws)
    assert report.warnings == []
    assert stored_rows(ws, "SELECT id, name, path FROM trait_folders") == [
        (700001, "Web", "/Web"), (700002, "Products", "/Web/Products/")]


@pytest.mark.parametrize("name", ["folders.csv", "data.csv"])
def test_a_folder_table_of_unknown_kind_asks(name: str, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    pandas_csv(folder / name, [{"folderId": 1, "parentFolderId": 0, "name": "A"}])
    pandas_csv(folder / "traits.csv", tenant()["trait"])
    report = import_export(folder, tmp_path / "ws.aamws")
    assert [str(w) for w in report.warnings] == [
        f"{name}: folders, but neither the file name nor the traits and segments tell whether "
        "they are trait or segment folders; ignored (name the file trait-folders or "
        "segment-folders and import again)"]


def test_a_folder_table_is_decided_by_the_objects_that_use_it(tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    pandas_csv(folder / "folders.csv", tenant()["segment-folder"])
    pandas_csv(folder / "segments.csv", tenant()["segment"])
    report = import_export(folder, tmp_path / "ws.aamws")
    assert [(f.name, f.kind) for f in report.files] == [
        ("folders.csv", "segment-folder"), ("segments.csv", "segment")]


def test_an_id_too_large_for_the_search_index_is_noted_and_found_by_id(
        sample_tenant: Path, tmp_path: Path) -> None:
    from explorer.store.queries import search
    from explorer.store.search_index import MAX_INDEXED_ID
    from explorer.store.workspace import Workspace

    huge = MAX_INDEXED_ID + 1
    traits = json.loads((sample_tenant / "traits.json").read_text(encoding="utf-8"))
    traits.append({**traits[0], "sid": huge, "name": "Zyzzyva shoppers"})
    (sample_tenant / "traits.json").write_text(json.dumps(traits), encoding="utf-8")
    report = import_export(sample_tenant, tmp_path / "w.aamws")
    assert report.counts["traits"] == len(traits)
    assert (f"1 object(s) have an id above {MAX_INDEXED_ID}: search finds them by their exact "
            "id, not by the words of their text") in report.notes
    with Workspace.open(tmp_path / "w.aamws", readonly=True) as ws:
        assert [(h["kind"], h["id"]) for h in search(ws.conn, str(huge))] == [("trait", huge)]
        assert search(ws.conn, "zyzzyva") == []
