"""The checks on real export files: the sample tenant imported as is, and edited to trigger each.

Each case copies the sample tenant's JSON files to tmp_path, changes one thing, imports the
folder with ``explorer.importers.import_export`` (which runs ``refresh_findings``) and looks at
that check's findings. The untouched sample tenant (whose AEP objects are correct and whose
empty integration codes must not count as duplicates) has no findings at all.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from explorer.analysis.findings import CHECKS, list_findings, refresh_findings
from explorer.importers import import_export
from explorer.store.db import transaction
from explorer.store.workspace import Workspace
from tests.helpers.paths import DATA_DIR

SAMPLE = DATA_DIR / "sample-tenant"
SMALL_EXPORTS = DATA_DIR / "findings"

Export = dict[str, Any]


def _load(folder: Path) -> Export:
    return {p.name: json.loads(p.read_text(encoding="utf-8")) for p in folder.glob("*.json")}


def _write(export: Export, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, data in export.items():
        (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return folder


def _by_id(records: list[dict[str, Any]], key: str, value: int) -> dict[str, Any]:
    return next(r for r in records if r[key] == value)


def _trait(e: Export, sid: int) -> dict[str, Any]:
    return _by_id(e["traits.json"], "sid", sid)


def _segment(e: Export, sid: int) -> dict[str, Any]:
    return _by_id(e["segments.json"], "sid", sid)


def _import(tmp_path: Path, export: Export, *, export_date: str | None = None,
            extra_files: dict[str, str] | None = None) -> Workspace:
    folder = _write(export, tmp_path / "export")
    for name, text in (extra_files or {}).items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path / "t.aamws"
    import_export(folder, path, export_date=export_date)
    return Workspace.open(path)


def test_sample_tenant_has_no_findings(tmp_path: Path) -> None:
    ws = _import(tmp_path, _load(SAMPLE))
    try:
        assert list_findings(ws.conn) == []
        assert ws.conn.execute("SELECT count(*) FROM traits").fetchone()[0] == 7
    finally:
        ws.close()


def _nest_folders(e: Export) -> None:
    """Six levels under /Loyalty Program: level 6 is one too deep."""
    crm = _by_id(e["trait-folders.json"], "folderId", 540140)
    parent = crm
    for level in range(2, 7):
        child = {"folderId": 200900 + level, "parentFolderId": parent["folderId"], "pid": 7315,
                 "name": f"Level {level}", "subFolders": []}
        parent.setdefault("subFolders", []).append(child)
        parent = child


def _add_algo_traits(e: Export) -> None:
    for i in range(45):
        e["traits.json"].append({"sid": 1100000 + i, "name": f"Algo {i}", "pid": 7315,
                                 "traitType": "ALGO_TRAIT", "dataSourceId": 471201,
                                 "folderId": 540142, "algoModelId": 1})


CASES: list[tuple[str, Callable[[Export], None], set[tuple[str, int]]]] = [
    ("segment-missing-trait",
     lambda e: _segment(e, 3200001).update(segmentRule="(3100001T) AND (1999999T)"),
     {("segment", 3200001)}),
    ("segment-missing-merge-rule",
     lambda e: _segment(e, 3200002).update(mergeRuleDataSourceId=999),
     {("segment", 3200002)}),
    ("mapping-missing-object",
     lambda e: _by_id(e["destinations.json"], "destinationId", 8102)["mappings"][0].update(
         sid=2999999),
     {("destination-mapping", 820002)}),
    ("destination-no-active-mapping",
     lambda e: _by_id(e["destinations.json"], "destinationId", 8102).update(mappings=[]),
     {("destination", 8102)}),
    ("segment-only-target",
     lambda e: _by_id(e["destinations.json"], "destinationId", 8102).update(mappings=[]),
     {("segment", 3200001)}),
    ("object-missing-folder", lambda e: _trait(e, 3100001).update(folderId=999999),
     {("trait", 3100001)}),
    ("object-missing-data-source", lambda e: _segment(e, 3200002).update(dataSourceId=12345),
     {("segment", 3200002)}),
    ("aep-trait-not-onboarded",
     lambda e: _trait(e, 3100006).update(traitType="RULE_BASED_TRAIT"), {("trait", 3100006)}),
    ("aep-trait-expression-mismatch",
     lambda e: _trait(e, 3100006).update(traitRule='segid == "another-id"'),
     {("trait", 3100006)}),
    ("aep-trait-without-segment",
     lambda e: _segment(e, 3100007).update(segmentRule="(3100001T)"), {("trait", 3100006)}),
    ("aep-segment-integration-code-mismatch",
     lambda e: _segment(e, 3100007).update(integrationCode="not-the-aep-id"),
     {("segment", 3100007)}),
    ("aep-segment-merge-rule",
     lambda e: _segment(e, 3100007).update(mergeRuleDataSourceId=471210),
     {("segment", 3100007)}),
    ("aep-segment-rule",
     lambda e: _segment(e, 3100007).update(segmentRule="(3100006T) OR (3100001T)"),
     {("segment", 3100007)}),
    ("aep-object-outside-folder", lambda e: _trait(e, 3100006).update(folderId=540130),
     {("trait", 3100006)}),
    ("target-cookie-destination",
     lambda e: _by_id(e["destinations.json"], "destinationId", 8102).update(
         name="Adobe Target profile cookie"),
     {("destination", 8102)}),
    ("duplicate-integration-code",
     lambda e: _trait(e, 3100002).update(integrationCode="web_beach_view"),
     {("trait", 3100001), ("trait", 3100002)}),
    ("paused-segment-mapped", lambda e: _segment(e, 3200002).update(status="INACTIVE"),
     {("segment", 3200002)}),
    ("rule-window-beyond-ttl",
     lambda e: (_trait(e, 3100001).update(ttl=14),
                _segment(e, 3200001).update(segmentRule="frequency([3100001T] <= 30D) >= 2")),
     {("segment", 3200001)}),
    ("trait-unused",
     lambda e: e["traits.json"].append({"sid": 1000099, "name": "Nobody uses me", "pid": 7315,
                                        "traitType": "RULE_BASED_TRAIT", "dataSourceId": 471201,
                                        "folderId": 540133, "traitRule": 'c_x == "1"'}),
     {("trait", 1000099)}),
    ("folder-too-deep", _nest_folders, {("trait-folder", 200906)}),
    ("limit-near", _add_algo_traits, {("tenant", 0)}),
]


@pytest.mark.parametrize(("check", "edit", "expected"), CASES, ids=[c[0] for c in CASES])
def test_edited_sample_triggers_check(tmp_path: Path, check: str,
                                      edit: Callable[[Export], None],
                                      expected: set[tuple[str, int]]) -> None:
    export = _load(SAMPLE)
    edit(export)
    ws = _import(tmp_path, export)
    try:
        found = list_findings(ws.conn, check=check)
        assert {(f.object_kind, f.object_id) for f in found} == expected
        assert all(f.doc == CHECKS[check].doc and f.explanation and f.fix for f in found)
    finally:
        ws.close()


def test_duplicate_codes_are_errors_where_the_source_demands_unique_codes(tmp_path: Path
                                                                         ) -> None:
    export = _load(SAMPLE)
    _trait(export, 3100002).update(integrationCode="web_beach_view")  # Bluefin Web: unique codes
    ws = _import(tmp_path, export)
    try:
        assert {f.severity for f in list_findings(ws.conn, check="duplicate-integration-code")
                } == {"error"}
    finally:
        ws.close()


def test_mapping_expired_relative_to_export_date(tmp_path: Path) -> None:
    # mapping 820003 ends 2024-02-04; the sample export is from 2023-08-18
    ws = _import(tmp_path, _load(SAMPLE), export_date="2024-03-01")
    try:
        # the importer may run the checks before it records this import's date: refresh again
        with transaction(ws.conn):
            refresh_findings(ws.conn)
        found = list_findings(ws.conn, check="mapping-expired")
        assert {(f.object_kind, f.object_id) for f in found} == {("destination-mapping", 820003)}
        assert "2024-02-04" in found[0].message
    finally:
        ws.close()


def test_target_calls_from_usage_and_settings_files(tmp_path: Path) -> None:
    ws = _import(tmp_path, _load(SAMPLE), extra_files={
        "usage.csv": (SMALL_EXPORTS / "target-usage.csv").read_text(encoding="utf-8"),
        "settings.csv": (SMALL_EXPORTS / "target-settings.csv").read_text(encoding="utf-8"),
    })
    try:
        found = list_findings(ws.conn, check="target-calls-real-time")
        assert [(f.object_kind, f.object_id) for f in found] == [("tenant", 0)]
        assert found[0].numbers["observed_reduction_pct"] == 60.0
    finally:
        ws.close()


def test_once_per_session_tenant_has_no_target_call_finding(tmp_path: Path) -> None:
    settings = "date,setting,value\n2022-06-01,data collection,Once Per Session\n"
    ws = _import(tmp_path, _load(SAMPLE), extra_files={
        "usage.csv": (SMALL_EXPORTS / "target-usage.csv").read_text(encoding="utf-8"),
        "settings.csv": settings,
    })
    try:
        assert list_findings(ws.conn, check="target-calls-real-time") == []
    finally:
        ws.close()


def test_acceptance_survives_reimport(tmp_path: Path) -> None:
    from explorer.analysis.findings import accept_finding

    export = _load(SAMPLE)
    _trait(export, 3100006).update(folderId=540130)
    ws = _import(tmp_path, export)
    try:
        accept_finding(ws.conn, "aep-object-outside-folder", "trait", 3100006, "moved on purpose")
        ws.close()
        import_export(tmp_path / "export", ws.path)
        ws = Workspace.open(ws.path)
        found = list_findings(ws.conn, check="aep-object-outside-folder")
        assert found and found[0].accepted and found[0].accepted_reason == "moved on purpose"
        assert list_findings(ws.conn, check="aep-object-outside-folder",
                             include_accepted=False) == []
    finally:
        ws.close()
