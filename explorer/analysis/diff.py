"""Compare two imports of one tenant: added, removed, changed and moved objects, and findings.

Objects are matched by AAM id, never by position. Placement fields (folder, data source, parent
folder) are reported as moves; every other compared field as a change. A moved object whose
other fields changed too appears in both lists.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from explorer.kinds import KINDS
from explorer.store import snapshots
from explorer.store.snapshots import KindSnapshot

PLACEMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "trait": ("folder_id", "data_source_id"),
    "segment": ("folder_id", "data_source_id"),
    "trait-folder": ("parent_id",),
    "segment-folder": ("parent_id",),
}
_FOLDER_KIND = {"trait": "trait-folder", "segment": "segment-folder",
                "trait-folder": "trait-folder", "segment-folder": "segment-folder"}


class DiffError(ValueError):
    """Two things that cannot be compared; the message is meant for the user."""


@dataclass
class Side:
    """One side of a comparison: a snapshot per kind plus its findings."""

    label: str
    kinds: dict[str, KindSnapshot]
    findings: list[dict[str, Any]]


@dataclass
class Diff:
    added: list[dict[str, Any]] = field(default_factory=list)
    removed: list[dict[str, Any]] = field(default_factory=list)
    changed: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    new_findings: list[dict[str, Any]] = field(default_factory=list)
    resolved_findings: list[dict[str, Any]] = field(default_factory=list)
    from_label: str = ""
    to_label: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.from_label, "to": self.to_label,
            "added": self.added, "removed": self.removed, "changed": self.changed,
            "moved": self.moved,
            "findings": {"new": self.new_findings, "resolved": self.resolved_findings},
        }

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved
                    or self.new_findings or self.resolved_findings)

    def changed_refs(self) -> set[tuple[str, int]]:
        """Objects to mark in the tree: added, changed or moved."""
        return {(e["kind"], e["id"]) for e in (*self.added, *self.changed, *self.moved)}


def side_from_import(conn: sqlite3.Connection, import_id: int) -> Side:
    if not snapshots.has_snapshot(conn, import_id):
        raise DiffError(f"import {import_id} has no stored snapshot to compare")
    kinds = {k: snapshots.read_kind(conn, import_id, k) for k in KINDS}
    return Side(f"import {import_id}", kinds, snapshots.read_findings(conn, import_id))


def side_from_current(conn: sqlite3.Connection, label: str) -> Side:
    kinds = {k: snapshots.read_current_kind(conn, k) for k in KINDS}
    return Side(label, kinds, snapshots.read_findings(conn, None))


def compare(old: Side, new: Side) -> Diff:
    diff = Diff(from_label=old.label, to_label=new.label)
    for kind in KINDS:
        _compare_kind(kind, old, new, diff)
    _compare_findings(old.findings, new.findings, diff)
    return diff


def _compare_kind(kind: str, old: Side, new: Side, diff: Diff) -> None:
    before, after = old.kinds[kind].rows, new.kinds[kind].rows
    placement = PLACEMENT_FIELDS.get(kind, ())
    for object_id in sorted(after.keys() - before.keys()):
        diff.added.append(_entry(kind, after[object_id]))
    for object_id in sorted(before.keys() - after.keys()):
        diff.removed.append(_entry(kind, before[object_id]))
    for object_id in sorted(before.keys() & after.keys()):
        old_row, new_row = before[object_id], after[object_id]
        if old_row == new_row:
            continue
        fields = {c: [old_row.get(c), new_row.get(c)] for c in new_row
                  if c != "id" and c not in placement and old_row.get(c) != new_row.get(c)}
        if fields:
            diff.changed.append({**_entry(kind, new_row), "fields": fields})
        moved = [c for c in placement if old_row.get(c) != new_row.get(c)]
        if moved:
            diff.moved.append({
                **_entry(kind, new_row),
                "from": _placement(kind, old_row, moved, old),
                "to": _placement(kind, new_row, moved, new),
            })


def _entry(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    return {"kind": kind, "id": row["id"], "name": row.get("name")}


def _placement(kind: str, row: dict[str, Any], moved: list[str], side: Side) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for column in moved:
        value = row.get(column)
        result[column] = value
        if column in ("folder_id", "parent_id"):
            result["folder_path"] = folder_path(side, _FOLDER_KIND[kind], value)
        elif column == "data_source_id":
            source = side.kinds["data-source"].rows.get(value)
            result["data_source"] = source.get("name") if source else None
    return result


def folder_path(side: Side, folder_kind: str, folder_id: int | None) -> str:
    """The folder's path as ``/Top/Child`` in that side's snapshot (``/`` for the root)."""
    folders = side.kinds[folder_kind].rows
    names: list[str] = []
    seen: set[int] = set()
    while folder_id and folder_id not in seen:
        seen.add(folder_id)
        folder = folders.get(folder_id)
        if folder is None:
            names.append(f"(missing folder {folder_id})")
            break
        names.append(folder.get("name") or str(folder_id))
        folder_id = folder.get("parent_id")
    return "/" + "/".join(reversed(names))


def _finding_key(finding: dict[str, Any]) -> tuple[str, str, int | None]:
    return (finding["check"], finding["object_kind"], finding["object_id"])


def _compare_findings(old: list[dict[str, Any]], new: list[dict[str, Any]], diff: Diff) -> None:
    old_keys = {_finding_key(f) for f in old}
    new_keys = {_finding_key(f) for f in new}
    diff.new_findings = [f for f in new if _finding_key(f) not in old_keys]
    diff.resolved_findings = [f for f in old if _finding_key(f) not in new_keys]


_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def rule_diff(old: str | None, new: str | None) -> str:
    """A readable word-level diff of two rules: ``[-removed-]`` and ``{+added+}``."""
    old_tokens = _TOKEN.findall(old or "")
    new_tokens = _TOKEN.findall(new or "")
    parts: list[str] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
        if op == "equal":
            parts.append(removed)
            continue
        if removed:
            parts.append(f"[-{removed}-]")
        if added:
            parts.append(f"{{+{added}+}}")
    return "".join(parts)
