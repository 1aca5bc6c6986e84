"""What an export lacks is recorded with the import as gaps, exactly, and nothing it holds is
skipped: raw API JSON with Adobe's key variants and numeric codes, a partial paged kind,
mixed partner ids, an export without details, an export date earlier than other evidence."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from explorer.domain.gaps import ExportPart, Gap
from explorer.importers import import_export
from explorer.store.gaps import read_gaps
from explorer.store.workspace import Workspace
from tests.helpers.export_forms import PID, T0, stored_rows, tenant, write_json


def _write(folder: Path, name: str, value: Any) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(json.dumps(value))



def _stored_gaps(ws: Path) -> list[Gap] | None:
    with Workspace.open(ws, readonly=True) as workspace:
        return read_gaps(workspace.conn)


def test_raw_api_json_with_key_variants_and_numeric_codes(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    destinations = tenant()["destination"]
    destinations[0].pop("mappings")
    destinations[0]["status"] = 1
    destinations.append({"destinationId": 620002, "pid": PID, "name": "Cookie",
                         "destinationType": "ADS", "status": "active"})
    _write(export, "destinations.json", destinations)
    # Adobe's published mapping bodies: three id keys, orderId, elementStatus 1, and the same
    # mapping twice (once per id key: one object).
    mappings = [
        {"mappingId": 640001, "destinationId": 620001, "sid": 2000001, "traitType": "SEGMENT",
         "traitAlias": "fans", "elementStatus": "active", "startDate": "2022-05-01"},
        {"traitToDataOrderId": 640002, "orderId": 620001, "sid": 2000002,
         "traitType": "SEGMENT", "traitAlias": "laptop", "elementStatus": 1,
         "startDate": "2022-05-01"},
        {"destinationMappingId": 640002, "destinationId": 620001, "sid": 2000002,
         "traitType": "SEGMENT", "traitAlias": "laptop", "elementStatus": "ACTIVE",
         "startDate": "2022-05-01"},
        {"destinationMappingId": 640003, "destinationId": 620002, "sid": 2000001,
         "traitType": "SEGMENT", "traitAlias": "k", "elementStatus": 0,
         "startDate": "2022-05-01"},
    ]
    _write(export, "destination-mappings.json", mappings)
    traits = tenant()["trait"]
    traits[0]["traitType"] = 3
    traits[1]["status"] = "active"
    _write(export, "traits.json", traits)
    signals = tenant()["derived-signal"]
    signals.append({"DerivedSignalId": 900002, "pid": PID, "sourceKey": "a",
                    "sourceValue": "1", "targetKey": "b", "targetValue": "2"})
    _write(export, "derivedSignals.json", signals)
    ws = tmp_path / "ws.aamws"
    report = import_export(export, ws)
    assert report.warnings == []
    summary = {f.name: (f.kind, f.records, f.skipped, f.duplicates) for f in report.files}
    assert summary["destination-mappings.json"] == ("destination-mapping", 3, 0, 1)
    assert summary["derivedSignals.json"] == ("derived-signal", 2, 0, 0)
    assert report.counts["destination_mappings"] == 3
    assert stored_rows(ws, "SELECT id, destination_id, segment_id, element_status "
                     "FROM destination_mappings") == [
        (640001, 620001, 2000001, "active"), (640002, 620001, 2000002, "active"),
        (640003, 620002, 2000001, "inactive")]
    assert stored_rows(ws, "SELECT id, status FROM destinations") == [
        (620001, "ACTIVE"), (620002, "ACTIVE")]
    assert stored_rows(ws, "SELECT id, trait_type, status FROM traits WHERE id < 1000003") == [
        (1000001, "code 3", "ACTIVE"), (1000002, "RULE_BASED_TRAIT", "ACTIVE")]
    assert report.notes == ["1 trait with traitType 3, a code no Adobe document names: "
                            "shown as 'code 3'"]
    assert report.gaps == []


def test_differing_copies_of_one_object_name_both_files_and_the_fields(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    copy_of_two = copy.deepcopy(tenant()["trait"][:2])
    copy_of_two[1]["name"] = "Tablets (renamed)"
    copy_of_two[1]["ttl"] = 30
    _write(export, "traits_more.json", copy_of_two)
    report = import_export(export, tmp_path / "ws.aamws")
    assert [str(w) for w in report.warnings] == [
        "traits_more.json: record 2 (sid 1000002): field 'sid': trait 1000002 also in "
        "traits.json, differing in name, ttl; the first copy is kept, this one skipped"]
    more = next(f for f in report.files if f.name == "traits_more.json")
    assert (more.records, more.skipped, more.duplicates) == (0, 1, 1)
    assert report.counts["traits"] == 4


def test_a_partial_paged_kind_is_a_gap_naming_its_files(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    (export / "traits.json").unlink()
    traits = tenant()["trait"]
    _write(export, "traits_page_0.json",
           {"total": 18, "page": 0, "pageSize": 2, "list": traits[:2]})
    _write(export, "traits_page_1.json",
           {"total": 18, "page": 1, "pageSize": 2, "list": traits[2:]})
    # a complete paged kind (all pages present) is no gap
    _write(export, "datasources.json", {"total": 2, "page": 0, "pageSize": 10,
                                        "list": tenant()["data-source"]})
    ws = tmp_path / "ws.aamws"
    report = import_export(export, ws)
    assert report.warnings == [] and report.counts["traits"] == 4
    expected = [Gap(ExportPart.PAGES, "traits_page_0.json, traits_page_1.json: 4 of 18 traits; "
                    "the other pages are not in the export", ("trait",),
                    ("traits_page_0.json", "traits_page_1.json"))]
    assert report.gaps == expected
    assert _stored_gaps(ws) == expected


def test_mapping_pages_are_counted_per_destination(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    destinations = tenant()["destination"]
    mappings = destinations[0].pop("mappings")
    _write(export, "destinations.json", destinations)
    _write(export, "mappings-620001.json",
           {"total": 354, "page": 0, "pageSize": 2, "list": mappings})
    report = import_export(export, tmp_path / "ws.aamws")
    assert [g.what for g in report.gaps] == [
        "mappings-620001.json: 2 of 354 destination mappings; the other pages are not in "
        "the export"]


def test_other_partner_ids_are_imported_and_named_in_one_gap_each(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    traits = tenant()["trait"]
    for trait in traits[:2]:
        trait["pid"] = 1234
    traits[2]["pid"] = 1
    _write(export, "traits.json", traits)
    ws = tmp_path / "ws.aamws"
    report = import_export(export, ws)
    assert report.partner_id == PID and report.counts["traits"] == 4
    assert report.warnings == []
    assert report.gaps == [
        Gap(ExportPart.OTHER_PARTNERS,
            f"partner 1: 1 trait (imported; the tenant is partner {PID})", ("trait",)),
        Gap(ExportPart.OTHER_PARTNERS,
            f"partner 1234: 2 traits (imported; the tenant is partner {PID})", ("trait",))]


def test_an_export_without_details_metrics_folders_merge_rules_or_mappings(
        tmp_path: Path) -> None:
    """What pitchmuc's getTraits/getSegments save by default: no rules, no metrics."""
    data = tenant()
    for trait in data["trait"]:
        for key in ("traitRule", "integrationCode", "comments", "uniques7Day", "count7Day"):
            trait.pop(key, None)
    for segment in data["segment"]:
        segment.pop("instantUniques7Day")
    data["destination"][0].pop("mappings")
    for kind in ("trait-folder", "segment-folder", "merge-rule"):
        del data[kind]
    export = write_json(tmp_path / "export", data)
    ws = tmp_path / "ws.aamws"
    report = import_export(export, ws)
    assert report.warnings == []
    assert all(f.skipped == 0 for f in report.files)
    assert report.counts["traits"] == 4 and report.counts["segments"] == 2
    assert [(g.part, g.what) for g in report.gaps] == [
        (ExportPart.DETAILS, "traits.json: 4 of 4 traits have no rule or integration code "
                             "(exported without includeDetails=true)"),
        (ExportPart.METRICS, "no metrics: no trait or segment carries uniques or counts "
                             "(exported without includeMetrics=true)"),
        (ExportPart.FOLDERS, "no trait folders: the traits' folders are not in the export"),
        (ExportPart.FOLDERS,
         "no segment folders: the segments' folders are not in the export"),
        (ExportPart.MERGE_RULES, "no merge rules: segments name their merge rule by id only"),
        (ExportPart.MAPPINGS, "no destination mappings: which segment goes to which "
                              "destination is not in the export"),
    ]
    assert _stored_gaps(ws) == report.gaps


def test_an_export_date_earlier_than_the_name_says_is_a_gap(tmp_path: Path) -> None:
    export = write_json(tmp_path / "aam-export-2026-03-14")
    report = import_export(export, tmp_path / "ws.aamws")
    newest = "2022-04-25"
    assert report.export_date == newest
    assert [(g.part, g.what) for g in report.gaps] == [
        (ExportPart.EXPORT_DATE,
         f"the export date {newest} comes from the newest object time, but the export's name "
         "says 2026-03-14: give the real date with --export-date")]
    given = import_export(export, tmp_path / "given.aamws", export_date="2026-03-14")
    assert given.gaps == []


def test_an_export_date_earlier_than_the_usage_days_is_a_gap(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    (export / "usage.csv").write_text("Date,Target\n2022-06-01,10\n2022-06-02,12\n")
    report = import_export(export, tmp_path / "ws.aamws")
    assert [g.what for g in report.gaps if g.part is ExportPart.EXPORT_DATE] == [
        "the export date 2022-04-25 comes from the newest object time, but the usage days "
        "run to 2022-06-02: give the real date with --export-date"]


def test_a_usage_only_import_keeps_the_configurations_gaps(tmp_path: Path) -> None:
    export = write_json(tmp_path / "export")
    (export / "merge_rules.json").unlink()
    ws = tmp_path / "ws.aamws"
    first = import_export(export, ws)
    usage = tmp_path / "usage.csv"
    usage.write_text("Date,Target\n2022-04-01,10\n")
    import_export(usage, ws)
    assert _stored_gaps(ws) == first.gaps != []


def test_times_as_pandas_float_and_excel_exponent(tmp_path: Path) -> None:
    traits = tenant()["trait"]
    traits[0]["createTime"] = float(T0)
    traits[1]["createTime"] = "1.650864E+12"
    export = write_json(tmp_path / "export")
    _write(export, "traits.json", traits)
    ws = tmp_path / "ws.aamws"
    assert import_export(export, ws).warnings == []
    assert stored_rows(ws, "SELECT create_time FROM traits WHERE id < 1000003") == [(T0,), (T0,)]
