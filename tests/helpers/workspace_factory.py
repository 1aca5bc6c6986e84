"""Test helpers that build workspaces: the sample tenant, and synthetic ones by plain SQL.

The synthetic builder writes rows straight into the schema tables so UI tests do not depend
on the importer; the sample loader uses the real importer when it is available.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explorer.kinds import AEP_DATA_SOURCE_NAME
from explorer.store.db import transaction
from explorer.store.workspace import Workspace

DAY_MS = 86_400_000
BASE_TIME = 1_650_000_000_000  # 2022-04-15


def open_sample_workspace(export_dir: Path, path: Path) -> Workspace:
    """A workspace holding the sample tenant (real importer if present, else a mini loader)."""
    try:
        from explorer.importers import import_export
    except ImportError:
        ws = Workspace.open(path, create=True)
        _load_sample_json(ws, export_dir)
        return ws
    import_export(export_dir, path)
    return Workspace.open(path)


def _insert(conn: Any, table: str, row: dict[str, Any]) -> None:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    conn.execute(f"INSERT OR REPLACE INTO {table} ({cols}) VALUES ({marks})", tuple(row.values()))


def _flatten_folders(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for item in items:
        out.append(item)
        out.extend(_flatten_folders(item.get("subFolders") or []))
    return out


def _load_sample_json(ws: Workspace, export_dir: Path) -> None:
    def read(name: str) -> list[dict[str, Any]]:
        return json.loads((export_dir / name).read_text(encoding="utf-8"))

    with transaction(ws.conn) as conn:
        for d in read("datasources.json"):
            _insert(conn, "data_sources", {
                "id": d["dataSourceId"], "name": d["name"], "type": d.get("type"),
                "status": d.get("status"), "integration_code": d.get("integrationCode"),
                "update_time": d.get("updateTime"), "raw": json.dumps(d)})
        for file, table in (("trait-folders.json", "trait_folders"),
                            ("segment-folders.json", "segment_folders")):
            for f in _flatten_folders(read(file)):
                _insert(conn, table, {
                    "id": f["folderId"], "parent_id": f.get("parentFolderId") or None,
                    "name": f["name"], "path": f.get("path"), "raw": json.dumps(f)})
        for m in read("merge-rules.json"):
            _insert(conn, "merge_rules", {
                "id": m["mergeRuleDataSourceId"], "name": m["name"],
                "cross_device_option": m.get("crossDeviceOption"),
                "external": int(m["name"] == "External Merge Policy"), "raw": json.dumps(m)})
        for t in read("traits.json"):
            _insert(conn, "traits", {
                "id": t["sid"], "name": t["name"], "trait_type": t.get("traitType"),
                "data_source_id": t.get("dataSourceId"), "folder_id": t.get("folderId"),
                "status": t.get("status"), "integration_code": t.get("integrationCode"),
                "rule": t.get("traitRule"), "create_time": t.get("createTime"),
                "update_time": t.get("updateTime"), "raw": json.dumps(t)})
        for s in read("segments.json"):
            _insert(conn, "segments", {
                "id": s["sid"], "name": s["name"], "data_source_id": s.get("dataSourceId"),
                "merge_rule_id": s.get("mergeRuleDataSourceId"), "folder_id": s.get("folderId"),
                "status": s.get("status"), "integration_code": s.get("integrationCode"),
                "rule": s.get("segmentRule"), "create_time": s.get("createTime"),
                "update_time": s.get("updateTime"), "raw": json.dumps(s)})
        for d in read("destinations.json"):
            _insert(conn, "destinations", {
                "id": d["destinationId"], "name": d["name"],
                "destination_type": d.get("destinationType"),
                "data_source_id": d.get("dataSourceId"), "status": d.get("status"),
                "update_time": d.get("updateTime"), "raw": json.dumps(d)})
            for m in d.get("mappings") or []:
                _insert(conn, "destination_mappings", {
                    "id": m["destinationMappingId"], "destination_id": d["destinationId"],
                    "segment_id": m.get("sid"), "name": m.get("elementName"),
                    "trait_type": m.get("traitType"), "raw": json.dumps(m)})


def build_synthetic_workspace(
    path: Path,
    *,
    depth: int = 3,
    breadth: int = 3,
    traits_per_folder: int = 4,
    segments_per_folder: int = 3,
    wide_folder: int = 0,
    missing_folder_traits: int = 2,
) -> Workspace:
    """A workspace with a `breadth`-ary trait folder tree of `depth` levels (and a segment tree
    one level shallower), objects in every folder, an optional folder "Wide" holding
    `wide_folder` traits, traits in a folder missing from the export, an AEP data source,
    merge rules and destinations with mappings."""
    ws = Workspace.open(path, create=True)
    with transaction(ws.conn) as conn:
        _add_sources(conn)
        next_id = [1_000_000]

        def new_id() -> int:
            next_id[0] += 1
            return next_id[0]

        trait_folders = _add_folder_tree(conn, "trait_folders", 100_000, depth, breadth)
        segment_folders = _add_folder_tree(conn, "segment_folders", 300_000, depth - 1, breadth)
        types = ("RULE_BASED_TRAIT", "ON_BOARDED_TRAIT", "ALGO_TRAIT", "WEIRD_TRAIT")
        for n, folder_id in enumerate(trait_folders):
            for i in range(traits_per_folder):
                _add_trait(conn, new_id(), f"Trait {folder_id}-{i}", folder_id,
                           types[(n + i) % len(types)], 1 if i % 2 else 2, n + i)
        for n, folder_id in enumerate(segment_folders):
            for i in range(segments_per_folder):
                _add_segment(conn, new_id(), f"Segment {folder_id}-{i}", folder_id,
                             10 if i % 2 else 11, n + i)
        if wide_folder:
            _insert(conn, "trait_folders", {"id": 199_999, "parent_id": None, "name": "Wide",
                                            "depth": 1, "raw": "{}"})
            for i in range(wide_folder):
                _add_trait(conn, new_id(), f"Wide {i:05d}", 199_999, "RULE_BASED_TRAIT", 1, i)
        for i in range(missing_folder_traits):
            _add_trait(conn, new_id(), f"Orphan {i}", 777_777, "RULE_BASED_TRAIT", 1, i)
        _add_trait(conn, new_id(), "AEP audience", trait_folders[0], "ON_BOARDED_TRAIT", 3, 0)
        _add_destinations(conn, segment_folders)
    return ws


def _add_sources(conn: Any) -> None:
    for ds_id, name in ((1, "Web"), (2, "CRM"), (3, AEP_DATA_SOURCE_NAME)):
        _insert(conn, "data_sources", {"id": ds_id, "name": name, "status": "ACTIVE",
                                       "type": "GENERAL", "raw": "{}"})
    for mr_id, name, external in ((10, "Device only", 0), (11, "External Merge Policy", 1)):
        _insert(conn, "merge_rules", {"id": mr_id, "name": name, "external": external,
                                      "raw": "{}"})


def _add_folder_tree(conn: Any, table: str, first_id: int, depth: int, breadth: int
                     ) -> list[int]:
    ids: list[int] = []
    level: list[int | None] = [None]
    next_id = first_id
    for d in range(1, depth + 1):
        new_level: list[int | None] = []
        for parent in level:
            for b in range(breadth):
                next_id += 1
                _insert(conn, table, {"id": next_id, "parent_id": parent,
                                      "name": f"F{d}.{b} ({next_id})", "depth": d,
                                      "raw": "{}"})
                ids.append(next_id)
                new_level.append(next_id)
        level = new_level
    return ids


def _add_trait(conn: Any, trait_id: int, name: str, folder_id: int, trait_type: str,
               ds_id: int, day: int) -> None:
    _insert(conn, "traits", {
        "id": trait_id, "name": name, "folder_id": folder_id, "trait_type": trait_type,
        "data_source_id": ds_id, "status": "ACTIVE" if day % 3 else "INACTIVE",
        "integration_code": f"ic_{trait_id}", "create_time": BASE_TIME,
        "update_time": BASE_TIME + day * DAY_MS, "raw": "{}"})


def _add_segment(conn: Any, segment_id: int, name: str, folder_id: int, merge_rule: int,
                 day: int) -> None:
    _insert(conn, "segments", {
        "id": segment_id, "name": name, "folder_id": folder_id, "data_source_id": 1,
        "merge_rule_id": merge_rule, "status": "ACTIVE", "integration_code": "",
        "create_time": BASE_TIME, "update_time": BASE_TIME + day * DAY_MS, "raw": "{}"})


def _add_destinations(conn: Any, segment_folders: list[int]) -> None:
    segment_ids = [r[0] for r in conn.execute("SELECT id FROM segments ORDER BY id LIMIT 6")]
    for dest_id in (5001, 5002):
        _insert(conn, "destinations", {"id": dest_id, "name": f"Destination {dest_id}",
                                       "destination_type": "PUSH", "status": "ACTIVE",
                                       "raw": "{}"})
    for n, seg_id in enumerate(segment_ids):
        _insert(conn, "destination_mappings", {
            "id": 600_000 + n, "destination_id": 5001 if n < 4 else 5002,
            "segment_id": seg_id, "name": f"mapping {n}", "trait_type": "SEGMENT",
            "raw": "{}"})


def add_marks(ws: Workspace, *, findings: tuple[tuple[str, int], ...] = (),
              accepted: tuple[tuple[str, int], ...] = (),
              annotations: tuple[tuple[str, int], ...] = ()) -> None:
    """Give (kind, id) objects an open finding, an accepted finding, or an annotation."""
    with transaction(ws.conn) as conn:
        for check_id, refs in (("test-open", findings), ("test-accepted", accepted)):
            conn.executemany(
                "INSERT INTO findings(check_id, severity, object_kind, object_id, message) "
                "VALUES (?, 'warning', ?, ?, 'test finding')",
                [(check_id, kind, object_id) for kind, object_id in refs])
        conn.executemany(
            "INSERT INTO finding_acceptances(check_id, object_kind, object_id, accepted_at) "
            "VALUES ('test-accepted', ?, ?, 'now')", list(accepted))
        conn.executemany(
            "INSERT OR REPLACE INTO annotations(kind, object_id, note, created, updated) "
            "VALUES (?, ?, 'test note', 'now', 'now')", list(annotations))


def accept_findings(ws: Workspace, refs: tuple[tuple[str, int], ...]) -> None:
    """Accept every finding of these (kind, id) objects."""
    with transaction(ws.conn) as conn:
        conn.executemany(
            "INSERT OR IGNORE INTO finding_acceptances(check_id, object_kind, object_id, "
            "accepted_at) SELECT check_id, object_kind, object_id, 'now' FROM findings "
            "WHERE object_kind = ? AND object_id = ?", list(refs))
