"""Per-import copies of the configuration, so any two imports can be compared later.

A copy holds, per kind, the compared columns of every row (everything but ``raw``, the
timestamps, which change with every edit and say nothing by themselves, and the derived folder
depth) as zlib-compressed JSON, plus the findings at that time (kind ``"findings"``). The
importer writes import N's copy just before a later import replaces N's configuration
(``explorer.importers.import_run.copy_replaced_import``): the latest configuration is the live
tables, which ``read_current_kind`` reads in the same shape.
"""

from __future__ import annotations

import json
import sqlite3
import zlib
from dataclasses import dataclass
from typing import Any

from explorer.kinds import KINDS
from explorer.store.schema import CONFIG_TABLES

NOT_COMPARED = frozenset({"raw", "create_time", "update_time", "depth"})
FINDINGS_KIND = "findings"


@dataclass
class KindCopy:
    columns: list[str]
    rows: dict[int, dict[str, Any]]


def compared_columns(table: str) -> list[str]:
    return [c for c in CONFIG_TABLES[table][0] if c not in NOT_COMPARED]


def _pack(payload: Any) -> bytes:
    return zlib.compress(json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
                         .encode("utf-8"), 1)


def _unpack(blob: bytes) -> Any:
    return json.loads(zlib.decompress(blob).decode("utf-8"))


def write_import_copy(conn: sqlite3.Connection, import_id: int) -> None:
    """Store the current configuration as import ``import_id``'s snapshot (caller's transaction)."""
    for kind in KINDS.values():
        columns = compared_columns(kind.table)
        rows = conn.execute(f"SELECT {', '.join(columns)} FROM {kind.table} ORDER BY id")
        payload = {"columns": columns, "rows": [list(r) for r in rows]}
        conn.execute("INSERT OR REPLACE INTO import_snapshots(import_id, kind, data) "
                     "VALUES (?, ?, ?)", (import_id, kind.name, _pack(payload)))
    findings = conn.execute(
        "SELECT check_id, severity, object_kind, object_id, message FROM findings "
        "ORDER BY check_id, object_kind, object_id").fetchall()
    conn.execute("INSERT OR REPLACE INTO import_snapshots(import_id, kind, data) VALUES (?, ?, ?)",
                 (import_id, FINDINGS_KIND, _pack([list(f) for f in findings])))


def has_import_copy(conn: sqlite3.Connection, import_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM import_snapshots WHERE import_id = ? LIMIT 1",
                       (import_id,)).fetchone()
    return row is not None


def read_kind(conn: sqlite3.Connection, import_id: int, kind: str) -> KindCopy:
    row = conn.execute("SELECT data FROM import_snapshots WHERE import_id = ? AND kind = ?",
                       (import_id, kind)).fetchone()
    if row is None:
        return KindCopy(compared_columns(KINDS[kind].table), {})
    payload = _unpack(row[0])
    columns = payload["columns"]
    return KindCopy(columns, {r[0]: dict(zip(columns, r, strict=True))
                                  for r in payload["rows"]})


def read_current_kind(conn: sqlite3.Connection, kind: str) -> KindCopy:
    """The live configuration in the same shape (for workspaces imported before snapshots)."""
    columns = compared_columns(KINDS[kind].table)
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM {KINDS[kind].table}")
    return KindCopy(columns, {r[0]: dict(zip(columns, r, strict=True)) for r in rows})


def read_findings(conn: sqlite3.Connection, import_id: int | None) -> list[dict[str, Any]]:
    keys = ("check", "severity", "object_kind", "object_id", "message")
    if import_id is None:
        rows = conn.execute("SELECT check_id, severity, object_kind, object_id, message "
                            "FROM findings").fetchall()
        return [dict(zip(keys, r, strict=True)) for r in rows]
    row = conn.execute("SELECT data FROM import_snapshots WHERE import_id = ? AND kind = ?",
                       (import_id, FINDINGS_KIND)).fetchone()
    return [] if row is None else [dict(zip(keys, r, strict=True)) for r in _unpack(row[0])]
