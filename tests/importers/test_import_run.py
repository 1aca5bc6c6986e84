"""The importer on good exports: counts, stored columns, shapes (paged, flat, zip, CSV), tenants."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest

from explorer.importers import ImportRefused, import_export
from explorer.importers.sources import list_files
from explorer.store.search_index import object_of_rowid, search_rowid
from explorer.store.workspace import Workspace
from tests.helpers.paths import DATA_DIR

DATA = DATA_DIR
EXPORTS = DATA / "exports"
SAMPLE_COUNTS = {
    "data_sources": 5, "trait_folders": 11, "segment_folders": 4, "merge_rules": 4,
    "algo_models": 0, "traits": 7, "segments": 5, "destinations": 3,
    "destination_mappings": 4, "derived_signals": 0,
}


def table_counts(ws_path: Path) -> dict[str, int]:
    with Workspace.open(ws_path, readonly=True) as ws:
        return ws.counts()


def rows(ws_path: Path, sql: str, params: tuple = ()) -> list[tuple]:
    conn = sqlite3.connect(ws_path)
    try:
        return [tuple(r) for r in conn.execute(sql, params).fetchall()]
    finally:
        conn.close()


def test_sample_tenant_counts_tenant_and_export_date(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "acme.aamws"
    report = import_export(sample_tenant, ws)
    assert table_counts(ws) == SAMPLE_COUNTS
    assert {k: report.counts[k] for k in SAMPLE_COUNTS} == SAMPLE_COUNTS
    assert report.partner_id == 7315
    assert report.export_date == "2023-08-18"  # the newest updateTime in the export
    assert report.warnings == [] and report.errors == []
    assert report.new_workspace
    kinds = {f.name: f.kind for f in report.files}
    assert kinds == {
        "datasources.json": "data-source", "destinations.json": "destination",
        "merge-rules.json": "merge-rule", "segment-folders.json": "segment-folder",
        "segments.json": "segment", "trait-folders.json": "trait-folder",
        "traits.json": "trait",
    }
    with Workspace.open(ws, readonly=True) as opened:
        last = opened.latest_import()
    assert last is not None and last.id == report.import_id
    assert last.partner_id == 7315 and last.counts["traits"] == 7
    assert last.report["files"][0]["name"] == "datasources.json"


def test_folders_get_parent_null_at_top_and_depth(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "acme.aamws"
    import_export(sample_tenant, ws)
    found = rows(ws, "SELECT id, parent_id, depth, name FROM trait_folders")
    folders = {r[0]: r[1:] for r in found}
    assert folders[540130] == (None, 1, "Site Browsing")
    assert folders[540131] == (540130, 2, "Holiday Types")
    assert folders[540132] == (540131, 3, "Beach")
    assert folders[540102][:2] == (540101, 2)
    raw = json.loads(rows(ws, "SELECT raw FROM trait_folders WHERE id = 540130")[0][0])
    assert "subFolders" not in raw and raw["folderCount"] == 2


TRAIT_TYPED_KEYS = ["sid", "pid", "name", "description", "integrationCode", "traitType", "type",
                    "dataSourceId", "folderId", "ttl", "status", "createTime", "updateTime",
                    "traitRule", "traitRuleVersion", "algoModelId"]


def test_typed_columns_raw_json_and_names(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "acme.aamws"
    import_export(sample_tenant, ws)
    trait = rows(ws, "SELECT name, trait_type, event_type, data_source_id, folder_id, rule, "
                     "rule_version, ttl, raw FROM traits WHERE id = 3100002")[0]
    assert trait[:8] == ("Luxury Caribbean Searchers", "RULE_BASED_TRAIT", 2, 471201, 540132,
                         '(c_region == "caribbean") AND (c_budget >= 3000)', 3, 120)
    source = next(t for t in json.loads((sample_tenant / "traits.json").read_text())
                  if t["sid"] == 3100002)
    # the view rebuilds the whole record: the fields no typed column holds in the export's
    # order, then those the typed columns gave back
    assert json.loads(trait[8]) == source
    assert list(json.loads(trait[8])) == [
        *(key for key in source if key not in TRAIT_TYPED_KEYS),
        *(key for key in TRAIT_TYPED_KEYS if key in source)]
    assert json.loads(trait[8])["backfillStatus"] == "NONE"  # unknown fields are kept
    mappings = dict(rows(ws, "SELECT id, name FROM destination_mappings"))
    assert mappings[820001] == "Repeat Beach Browsers"
    assert rows(ws, "SELECT destination_id, segment_id FROM destination_mappings "
                    "WHERE id = 820001") == [(8101, 3200002)]
    merge = rows(ws, "SELECT name, is_default, external FROM merge_rules WHERE id = 471212")
    assert merge == [("External Merge Policy", 0, 1)]


def test_segment_traits_and_search_index(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "acme.aamws"
    report = import_export(sample_tenant, ws)
    refs = rows(ws, "SELECT segment_id, trait_id, in_frequency, negated FROM segment_traits "
                    "ORDER BY segment_id, trait_id")
    assert (3200002, 3100001, 1, 0) in refs and (3200002, 3100002, 1, 0) in refs
    assert (3200003, 3100004, 0, 1) in refs and (3200003, 3100005, 0, 0) in refs
    assert report.counts["segment_traits"] == len(refs) == 9
    total = sum(SAMPLE_COUNTS.values())
    assert rows(ws, "SELECT count(*) FROM search_index") == [(total,)]
    hit = rows(ws, "SELECT rowid FROM search_index WHERE search_index MATCH 'luxury'")
    assert [object_of_rowid(rowid) for (rowid,) in hit] == [("trait", 3100002)]
    by_code = rows(ws, "SELECT rowid FROM search_index "
                       "WHERE search_index MATCH 'integration_code:bluefin_crm'")
    assert [object_of_rowid(rowid) for (rowid,) in by_code] == [("data-source", 471202)]


def test_paged_wrapper_pages_are_merged(tmp_path: Path) -> None:
    ws = tmp_path / "paged.aamws"
    report = import_export(EXPORTS / "paged", ws)
    assert report.counts["traits"] == 7 and report.counts["data_sources"] == 5
    assert [f.records for f in report.files if f.kind == "trait"] == [4, 3]
    assert rows(ws, "SELECT count(DISTINCT id) FROM traits") == [(7,)]


def test_flat_folder_lists_decided_by_the_ids_in_use(tmp_path: Path) -> None:
    ws = tmp_path / "flat.aamws"
    report = import_export(EXPORTS / "flat-folders", ws)
    kinds = {f.name: f.kind for f in report.files}
    assert kinds["folders-a.json"] == "trait-folder"
    assert kinds["folders-b.json"] == "segment-folder"
    assert table_counts(ws)["trait_folders"] == 11
    assert rows(ws, "SELECT parent_id, depth FROM trait_folders WHERE id = 540132") == [
        (540131, 3)]


def test_zip_input_and_files_list(sample_tenant: Path, tmp_path: Path) -> None:
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sample_tenant.iterdir():
            zf.write(path, f"acme-export/{path.name}")
        zf.writestr("__MACOSX/acme-export/._traits.json", b"\x00\x05\x16\x07")
    ws = tmp_path / "zip.aamws"
    report = import_export(archive, ws)
    assert table_counts(ws) == SAMPLE_COUNTS
    assert "acme-export/traits.json" in {f.name for f in report.files}
    assert report.warnings == []
    # a list of single files works too
    single = import_export([sample_tenant / "traits.json", sample_tenant / "segments.json"],
                           tmp_path / "two.aamws")
    assert single.counts["traits"] == 7 and single.counts["segments"] == 5


def test_natural_order_of_page_files(tmp_path: Path) -> None:
    for n in (10, 2, 1):
        (tmp_path / f"traits-page-{n}.json").write_text("[]")
    assert [f.name for f in list_files(tmp_path)] == [
        "traits-page-1.json", "traits-page-2.json", "traits-page-10.json"]


def test_bulk_management_csv_sheets(tmp_path: Path) -> None:
    ws = tmp_path / "csv.aamws"
    report = import_export(EXPORTS / "baaam-csv", ws)
    assert report.warnings == []
    counts = table_counts(ws)
    assert counts["traits"] == 7 and counts["segments"] == 5 and counts["data_sources"] == 5
    assert counts["trait_folders"] == 11 and counts["destination_mappings"] == 4
    trait = rows(ws, "SELECT create_time, update_time, event_type, raw FROM traits "
                     "WHERE id = 3100001")[0]
    assert trait[:3] == (1685424000000, 1686288000000, 2)  # exponent-form timestamps
    raw = json.loads(trait[3])
    assert raw["createTime"] == 1685424000000 and raw["type"] == 2
    assert raw["integrationCode"] == "web_beach_view" and raw["REQUEST_STATUS"] == "SUCCESS"
    crm = json.loads(rows(ws, "SELECT raw FROM data_sources WHERE id = 471202")[0][0])
    assert crm["dataExportRestrictions"] == ["ONSITE_PERSONALIZATION"]
    assert crm["inboundS2S"] is True
    assert report.export_date == "2023-08-18"


def test_extras_derived_signals_models_and_mapping_files(tmp_path: Path) -> None:
    ws = tmp_path / "extras.aamws"
    report = import_export(EXPORTS / "extras", ws)
    assert report.counts["derived_signals"] == 2 and report.counts["algo_models"] == 1
    names = dict(rows(ws, "SELECT id, name FROM derived_signals"))
    assert names[9001] == "c_zip=10001 → c_city=New York"
    assert dict(rows(ws, "SELECT id, name FROM destination_mappings"))[620002] == "Segment 3200004"
    assert rows(ws, "SELECT name, status FROM algo_models") == [("Platinum look-alikes", "ACTIVE")]


def test_bom_prefixed_json_is_accepted(sample_tenant: Path, tmp_path: Path) -> None:
    traits = sample_tenant / "traits.json"
    traits.write_bytes(b"\xef\xbb\xbf" + traits.read_bytes())
    report = import_export(sample_tenant, tmp_path / "bom.aamws")
    assert report.counts["traits"] == 7 and report.warnings == []


def test_export_date_override_is_recorded(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "dated.aamws"
    report = import_export(sample_tenant, ws, export_date="2024-03-01")
    assert report.export_date == "2024-03-01" and report.export_date_overridden
    assert rows(ws, "SELECT export_date, export_date_overridden FROM imports") == [
        ("2024-03-01", 1)]
    with pytest.raises(ImportRefused, match="YYYY-MM-DD"):
        import_export(sample_tenant, tmp_path / "x.aamws", export_date="01/03/2024")
    assert not (tmp_path / "x.aamws").exists()


def _newer_export(sample_tenant: Path, target: Path) -> Path:
    shutil.copytree(sample_tenant, target)
    traits = json.loads((target / "traits.json").read_text())
    traits = [t for t in traits if t["sid"] != 3100003]
    traits[0]["name"] = "Viewed Beach Holidays (renamed)"
    traits[0]["updateTime"] = 1700000000000
    (target / "traits.json").write_text(json.dumps(traits))
    return target


def test_reimport_replaces_config_and_keeps_user_tables(sample_tenant: Path,
                                                        tmp_path: Path) -> None:
    ws_path = tmp_path / "acme.aamws"
    import_export(sample_tenant, ws_path)
    with Workspace.open(ws_path) as ws:
        conn = ws.conn
        conn.execute("INSERT INTO annotations (kind, object_id, note, created, updated) "
                     "VALUES ('trait', 3100003, 'check this', 'x', 'x')")
        ws.set_setting("masking", True)
        conn.execute("INSERT INTO usage_days (day, series, value) VALUES ('2022-06-01', "
                     "'target', 1234)")
        conn.execute("INSERT INTO setting_events (date, setting, value) VALUES "
                     "('2022-06-01', 'data collection', 'Real-Time')")
        conn.execute("INSERT INTO finding_acceptances (check_id, object_kind, object_id, "
                     "accepted_at) VALUES ('some-check', 'trait', 3100001, 'x')")
    newer = _newer_export(sample_tenant, tmp_path / "newer")
    report = import_export(newer, ws_path)
    assert not report.new_workspace
    assert report.export_date == "2023-11-14"
    counts = table_counts(ws_path)
    assert counts["traits"] == 6 and counts["segments"] == 5
    assert rows(ws_path, "SELECT name FROM traits WHERE id = 3100001") == [
        ("Viewed Beach Holidays (renamed)",)]
    assert rows(ws_path, "SELECT count(*) FROM search_index WHERE rowid = ?",
                (search_rowid("trait", 3100003),)) == [(0,)]
    renamed = rows(ws_path, "SELECT rowid FROM search_index WHERE search_index MATCH 'renamed'")
    assert [object_of_rowid(rowid) for (rowid,) in renamed] == [("trait", 3100001)]
    assert rows(ws_path, "SELECT note FROM annotations") == [("check this",)]
    assert rows(ws_path, "SELECT value FROM settings WHERE key = 'masking'") == [("true",)]
    assert rows(ws_path, "SELECT value FROM usage_days") == [(1234.0,)]
    assert rows(ws_path, "SELECT value FROM setting_events") == [("Real-Time",)]
    assert rows(ws_path, "SELECT check_id FROM finding_acceptances") == [("some-check",)]
    assert rows(ws_path, "SELECT count(*) FROM imports") == [(2,)]


def test_foreign_tenant_is_refused_unless_forced(sample_tenant: Path, tmp_path: Path) -> None:
    ws_path = tmp_path / "acme.aamws"
    import_export(sample_tenant, ws_path)
    other = tmp_path / "other"
    other.mkdir()
    traits = json.loads((sample_tenant / "traits.json").read_text())
    for trait in traits:
        trait["pid"] = 5555
    (other / "traits.json").write_text(json.dumps(traits))
    with pytest.raises(ImportRefused) as refused:
        import_export(other, ws_path)
    assert "partner 5555" in str(refused.value) and "partner 7315" in str(refused.value)
    assert table_counts(ws_path) == SAMPLE_COUNTS
    report = import_export(other, ws_path, force=True)
    assert report.partner_id == 5555
    assert table_counts(ws_path)["traits"] == 7 and table_counts(ws_path)["segments"] == 0


def test_usage_files_are_loaded_by_the_usage_importer(sample_tenant: Path,
                                                      tmp_path: Path) -> None:
    pytest.importorskip("explorer.importers.usage")
    (sample_tenant / "activity-usage.csv").write_text(
        "Date,Target,Analytics,Other,Total\n2022-06-01,1000,200,30,1230\n"
        "2022-06-02,1100,210,31,1341\n")
    (sample_tenant / "target-settings.csv").write_text(
        "date,setting,value\n2022-06-02,data collection,Once Per Session\n")
    ws = tmp_path / "usage.aamws"
    report = import_export(sample_tenant, ws)
    kinds = {f.name: f.kind for f in report.files}
    assert kinds["activity-usage.csv"] == "usage"
    assert kinds["target-settings.csv"] == "setting-events"
    assert rows(ws, "SELECT value FROM usage_days WHERE day = '2022-06-02' "
                    "AND series = 'target'") == [(1100.0,)]
    assert rows(ws, "SELECT count(*) FROM setting_events") == [(1,)]
    # a usage-only import adds history and leaves the configuration alone
    only_usage = tmp_path / "more-usage"
    only_usage.mkdir()
    (only_usage / "usage.csv").write_text("Date,Target\n2022-06-03,900\n")
    again = import_export(only_usage, ws)
    assert again.partner_id is None
    assert table_counts(ws) == SAMPLE_COUNTS
    assert rows(ws, "SELECT count(*) FROM usage_days WHERE series = 'target'") == [(3,)]


def test_findings_are_refreshed_inside_the_import(sample_tenant: Path, tmp_path: Path) -> None:
    findings = pytest.importorskip("explorer.analysis.findings")
    if not hasattr(findings, "refresh_findings"):
        pytest.skip("findings engine not available yet")
    segments = json.loads((sample_tenant / "segments.json").read_text())
    segments[0]["segmentRule"] = "(9999999T) AND (3100004T)"  # a trait the export lacks
    (sample_tenant / "segments.json").write_text(json.dumps(segments))
    ws = tmp_path / "acme.aamws"
    report = import_export(sample_tenant, ws)
    # a reference to a missing object is a finding, not an import problem: the row is kept
    assert report.warnings == [] and report.counts["segments"] == 5
    assert ("segment-missing-trait", "segment", 3200001) in rows(
        ws, "SELECT check_id, object_kind, object_id FROM findings")
    assert (3200001, 9999999) in rows(ws, "SELECT segment_id, trait_id FROM segment_traits")


def test_reimport_keeps_a_snapshot_of_the_replaced_import(sample_tenant: Path,
                                                          tmp_path: Path) -> None:
    diff = pytest.importorskip("explorer.analysis.diff")
    from explorer.store.import_copies import has_import_copy

    ws_path = tmp_path / "acme.aamws"
    first = import_export(sample_tenant, ws_path)
    with Workspace.open(ws_path) as ws:
        assert not has_import_copy(ws.conn, first.import_id)  # the live tables are its state
    second = import_export(_newer_export(sample_tenant, tmp_path / "newer"), ws_path)
    with Workspace.open(ws_path) as ws:
        assert has_import_copy(ws.conn, first.import_id)
        assert not has_import_copy(ws.conn, second.import_id)
        result = diff.diff_imports(ws)
    assert [(e["kind"], e["id"]) for e in result.removed] == [("trait", 3100003)]
    assert ("trait", 3100001) in {(e["kind"], e["id"]) for e in result.changed}


def test_folder_tree_under_the_all_traits_root(sample_tenant: Path, tmp_path: Path) -> None:
    tree = json.loads((sample_tenant / "trait-folders.json").read_text())
    root = {"folderId": 0, "parentFolderId": 0, "name": "All Traits", "subFolders": tree}
    (sample_tenant / "trait-folders.json").write_text(json.dumps(root))
    ws = tmp_path / "root.aamws"
    report = import_export(sample_tenant, ws)
    assert report.warnings == [] and table_counts(ws)["trait_folders"] == 11
    assert rows(ws, "SELECT parent_id, depth FROM trait_folders WHERE id = 540130") == [(None, 1)]


def test_progress_reports_every_stage_in_order(sample_tenant: Path, tmp_path: Path) -> None:
    from explorer.importers import STAGES

    seen: list[str] = []
    import_export(sample_tenant, tmp_path / "p.aamws",
                  progress=lambda step: seen.append(step.stage) or None)
    assert list(dict.fromkeys(seen)) == list(STAGES)
