"""Excel workbooks: each sheet read like a CSV file (Adobe's Bulk Management workbook, the
aaudience report workbook with its repeated folder sheet); messages name workbook, sheet, row."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from explorer.domain.gaps import ExportPart
from explorer.importers import ImportRefused, import_export
from tests.helpers.export_forms import PID, T0, sheet_rows, stored_rows, tenant, write_workbook


def _baaam_request_traits() -> list[list[Any]]:
    """The Request sheet after "Traits": fixed leading columns, then every other key; every
    cell text, arrays as [a,b], times in exponent form (as Excel shows 15 digits)."""
    header = ["pid", "sid", "name", "description", "dataSourceId", "status",
              "integrationCode", "folderId", "traitRule", "traitType", "ttl", "createTime",
              "updateTime", "dataExportLabels"]
    rows: list[list[Any]] = [header]
    for trait in tenant()["trait"]:
        rows.append([str(PID), str(trait["sid"]), trait["name"], trait["description"],
                     "163001", "ACTIVE", trait["integrationCode"], str(trait["folderId"]),
                     trait["traitRule"], "RULE_BASED_TRAIT", "120", "1.650864E+12",
                     "1.650864E+12", "[PII,ONSITE_PERSONALIZATION]"])
    return rows


def _baaam_workbook(path: Path) -> Path:
    return write_workbook(path, {
        "Config": [["Client ID", ""], ["API host", "api.demdex.com"]],
        "Request": _baaam_request_traits(),
        "Create": [["name", "dataSourceId", "folderId", "traitRule", "traitType"]],
        "Update": [],
        "Delete": [["sid"]],
        "Headers": [["Create a Trait", "name", "dataSourceId", "folderId", "traitRule",
                     "traitType"],
                    ["Create a Segment", "name", "dataSourceId", "folderId", "segmentRule"]],
    })


def test_a_bulk_management_workbook_request_sheet(tmp_path: Path) -> None:
    workbook = _baaam_workbook(tmp_path / "BAAAM_V2_20210609.xlsm")
    ws = tmp_path / "ws.aamws"
    report = import_export(workbook, ws)
    assert report.warnings == []
    assert [(f.name, f.kind, f.records, f.skipped) for f in report.files] == [
        ("BAAAM_V2_20210609.xlsm: sheet 'Request'", "trait", 4, 0)]
    assert report.counts["traits"] == 4
    assert stored_rows(ws, "SELECT id, pid, folder_id, ttl, create_time FROM traits") == [
        (1000001 + i, PID, 700002 if i % 2 else 700001, 120, T0) for i in range(4)]
    assert stored_rows(ws, "SELECT json_extract(raw, '$.dataExportLabels') FROM traits")[0] == (
        '["PII","ONSITE_PERSONALIZATION"]',)
    assert report.notes == [
        "BAAAM_V2_20210609.xlsm: sheets 'Config', 'Create', 'Update', 'Delete', 'Headers': "
        "Bulk Management input (requests to send, not exported data); ignored"]
    assert {g.part for g in report.gaps} == {ExportPart.METRICS, ExportPart.FOLDERS,
                                             ExportPart.DATA_SOURCES}


def test_a_bad_row_is_named_by_workbook_sheet_and_row(tmp_path: Path) -> None:
    rows = _baaam_request_traits()
    rows[3][7] = "Products"  # folderId of the third trait, on the sheet's 4th row
    workbook = write_workbook(tmp_path / "bulk.xlsx", {"Request": rows})
    report = import_export(workbook, tmp_path / "ws.aamws")
    assert [str(w) for w in report.warnings] == [
        "bulk.xlsx: sheet 'Request': row 4 (sid 1000003): field 'folderId': Input should be a "
        "valid integer, unable to parse string as an integer (got 'Products')"]
    assert report.counts["traits"] == 3


def _aaudience_workbook(path: Path) -> Path:
    """report_aam_<partner>_<MM>_<DD>.xlsx: its exact sheets and columns, with the script's
    defect: segmentFolders repeats the trait folders."""
    data = tenant()
    trait_columns = ["sid", "name", "description", "integrationCode", "dataSourceId", "pid",
                     "folderId", "status", "traitRule", "traitRuleVersion", "traitType",
                     "updateTime", "createTime", "url"]
    traits = [{c: t.get(c) for c in trait_columns} for t in data["trait"]]
    for trait in traits:
        trait["url"] = f"https://example.invalid/trait/{trait['sid']}"
    segment_columns = ["sid", "name", "description", "segmentRule", "folderId",
                       "integrationCode", "status", "updateTime", "createTime", "dataSourceId",
                       "traitDataSourceIds", "pid", "instantUniques7Day"]
    segments = [{c: s.get(c) for c in segment_columns} for s in data["segment"]]
    for segment in segments:
        segment["traitDataSourceIds"] = [163001]
    folders = [{"folderId": f["folderId"], "name": f["name"],
                "parentFolderId": f["parentFolderId"]} for f in data["trait-folder"]]
    sources = [{k: d.get(k) for k in ("dataSourceId", "name", "description", "pid",
                                      "integrationCode", "status", "dataExportRestrictions",
                                      "inboundS2S", "outboundS2S")}
               for d in data["data-source"]]
    destinations = [{k: v for k, v in d.items() if k != "mappings"}
                    for d in data["destination"]]
    return write_workbook(path, {
        "traits": sheet_rows(traits), "traitsFolders": sheet_rows(folders),
        "segments": sheet_rows(segments), "segmentFolders": sheet_rows(folders),
        "datasources": sheet_rows(sources), "destinations": sheet_rows(destinations)})


def test_an_aaudience_workbook_and_its_repeated_folder_sheet(tmp_path: Path) -> None:
    workbook = _aaudience_workbook(tmp_path / "report_aam_Acme_03_14.xlsx")
    ws = tmp_path / "ws.aamws"
    report = import_export(workbook, ws)
    book = "report_aam_Acme_03_14.xlsx"
    assert [str(w) for w in report.warnings] == [
        f"{book}: sheet 'segmentFolders': repeats sheet 'traitsFolders' row for row (a known "
        "defect of the aaudience workbook script, which writes the trait folders twice): "
        "these are not segment folders; ignored"]
    assert [(f.name, f.kind, f.records, f.skipped) for f in report.files] == [
        (f"{book}: sheet 'traits'", "trait", 4, 0),
        (f"{book}: sheet 'traitsFolders'", "trait-folder", 2, 0),
        (f"{book}: sheet 'segments'", "segment", 2, 0),
        (f"{book}: sheet 'segmentFolders'", "ignored", 0, 0),
        (f"{book}: sheet 'datasources'", "data-source", 2, 0),
        (f"{book}: sheet 'destinations'", "destination", 1, 0)]
    assert {k: v for k, v in report.counts.items() if v} == {
        "data_sources": 2, "trait_folders": 2, "traits": 4, "segments": 2, "destinations": 1,
        "segment_traits": 4}
    assert stored_rows(ws, "SELECT id, name, path FROM trait_folders") == [
        (700001, "Web", None), (700002, "Products", None)]
    assert [(g.part, g.what) for g in report.gaps] == [
        (ExportPart.FOLDERS,
         "no segment folders: the segments' folders are not in the export"),
        (ExportPart.MERGE_RULES, "no merge rules: segments name their merge rule by id only"),
        (ExportPart.MAPPINGS, "no destination mappings: which segment goes to which "
                              "destination is not in the export")]


def test_a_workbook_that_is_not_one_is_refused_by_name(tmp_path: Path) -> None:
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "report.xlsx").write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(ImportRefused) as refused:
        import_export(tmp_path / "export", tmp_path / "ws.aamws")
    assert [str(p) for p in refused.value.report.errors] == [
        "report.xlsx: not a readable Excel workbook (BadZipFile); remove it from the export "
        "or fix it, then import again"]
