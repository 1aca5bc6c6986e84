"""Compare two imports of one tenant: added, removed, changed and moved objects, and findings.

Objects are matched by (kind, AAM id), never by position in a file. Placement fields (folder,
data source, parent folder) are reported as moves; every other compared field as a change. A
moved object whose other fields changed too appears in both lists.

Stable API (the CLI, the GUI and the annotated snapshot report use it)::

    side = side_from_import(conn, import_id)        # or side_from_current(conn, label)
    diff = compare(old_side, new_side)               # -> Diff
    diff.to_json()                                   # the `aam-explorer diff --json` document
    diff_imports(workspace, from_id=None, to_id=None)   # defaults: see default_import_pair
    diff_workspaces(workspace_a, workspace_b, force=False)

``Diff.to_json()`` is::

    {"from": LABEL, "to": LABEL,
     "added":   [{"kind", "id", "name", "aep"}],      # sorted by kind (KINDS order), then id
     "removed": [{"kind", "id", "name", "aep"}],
     "changed": [{"kind", "id", "name", "fields": {FIELD: [OLD, NEW]}}],
     "moved":   [{"kind", "id", "name", "from": PLACE, "to": PLACE}],
     "findings": {"new": [FINDING], "resolved": [FINDING]}}

where ``aep`` is true for objects shared by Adobe Experience Platform (their data source is
"Adobe Experience Platform Audience Sharing", or they are that data source), PLACE holds the
placement columns that changed (``folder_id`` + ``folder_path``, ``data_source_id`` +
``data_source``, ``parent_id`` + ``folder_path``), and FINDING is ``{"check", "severity",
"object_kind", "object_id", "message"}``. FIELD names are workspace column names (``name``,
``rule``, ``integration_code``...); ``name`` in an entry is the newer name.
"""

from __future__ import annotations

import difflib
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from explorer.kinds import AEP_DATA_SOURCE_NAME, KINDS, folder_kind
from explorer.store import import_copies
from explorer.store.import_copies import KindCopy
from explorer.store.schema import CONFIG_TABLES

if TYPE_CHECKING:
    from explorer.store.workspace import ImportRecord, Workspace

PLACEMENT_FIELDS: dict[str, tuple[str, ...]] = {
    "trait": ("folder_id", "data_source_id"),
    "segment": ("folder_id", "data_source_id"),
    "trait-folder": ("parent_id",),
    "segment-folder": ("parent_id",),
}
# A folder's path follows from its name and its parents': a rename or a move would otherwise
# report every folder below it as changed.
DERIVED_FIELDS: dict[str, frozenset[str]] = {
    "trait-folder": frozenset({"path"}),
    "segment-folder": frozenset({"path"}),
}
RULE_FIELDS = frozenset({"rule"})
# How people call the compared columns (CLI, Changes panel, inspector).
FIELD_LABELS: dict[str, str] = {"name": "Name", "rule": "Rule", "description": "Description",
                "integration_code": "Integration code", "status": "Status", "ttl": "TTL",
                "trait_type": "Trait type", "event_type": "Event type",
                "rule_version": "Rule version", "merge_rule_id": "Merge rule", "pid": "Partner",
                "comments": "Comments", "algo_model_id": "Algorithmic model",
                "destination_type": "Destination type", "cookie_name": "Cookie name",
                "segment_id": "Segment", "destination_id": "Destination",
                "start_date": "Start date", "end_date": "End date",
                "element_status": "Element status", "trait_alias": "Trait alias",
                "unique_trait_ics": "Unique trait integration codes",
                "unique_segment_ics": "Unique segment integration codes",
                "id_type": "ID type", "is_default": "Default",
                "cross_device_option": "Cross-device option", "device_option": "Device option",
                "external": "External"}


class DiffError(ValueError):
    """Two things that cannot be compared; the message is meant for the user."""


@dataclass
class Side:
    """One side of a comparison: a snapshot per kind plus its findings."""

    label: str
    kinds: dict[str, KindCopy]
    findings: list[dict[str, Any]]
    partner_id: int | None = None


@dataclass
class ObjectChange:
    """Everything the diff says about one object (the inspector's "Changed since" section)."""

    kind: str
    id: int
    status: str  # "added", "removed" or "changed" (changed covers moved-only objects too)
    fields: dict[str, list[Any]] = field(default_factory=dict)
    moved_from: dict[str, Any] | None = None
    moved_to: dict[str, Any] | None = None


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
    # Not in the JSON: each listed trait's type (newest known), for icons in the GUI.
    trait_types: dict[int, str | None] = field(default_factory=dict)
    # Not in the JSON: the name (newest known) of each object a new or resolved finding is
    # about, so the GUI can say which object without a query per row.
    finding_object_names: dict[tuple[str, int], str] = field(default_factory=dict)

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

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed),
                "changed": len(self.changed), "moved": len(self.moved),
                "new_findings": len(self.new_findings),
                "resolved_findings": len(self.resolved_findings)}

    def changed_refs(self) -> set[tuple[str, int]]:
        """Objects to mark in the tree: added, changed or moved (removed ones are gone)."""
        return {(e["kind"], e["id"]) for e in (*self.added, *self.changed, *self.moved)}

    def object_changes(self) -> dict[tuple[str, int], ObjectChange]:
        """What changed per object, keyed by (kind, id)."""
        result: dict[tuple[str, int], ObjectChange] = {}
        for status, entries in (("added", self.added), ("removed", self.removed)):
            for entry in entries:
                result[(entry["kind"], entry["id"])] = ObjectChange(
                    entry["kind"], entry["id"], status)
        for entry in self.changed:
            change = _change_for(result, entry)
            change.fields = entry["fields"]
        for entry in self.moved:
            change = _change_for(result, entry)
            change.moved_from, change.moved_to = entry["from"], entry["to"]
        return result


def _change_for(result: dict[tuple[str, int], ObjectChange], entry: dict[str, Any]
                ) -> ObjectChange:
    key = (entry["kind"], entry["id"])
    if key not in result:
        result[key] = ObjectChange(entry["kind"], entry["id"], "changed")
    return result[key]


# --- sides --------------------------------------------------------------------------------------

def side_from_import(conn: sqlite3.Connection, import_id: int, label: str | None = None
                     ) -> Side:
    """The configuration and findings as import ``import_id`` left them."""
    if not import_copies.has_import_copy(conn, import_id):
        raise DiffError(f"import {import_id} has no stored snapshot to compare")
    kinds = {k: import_copies.read_kind(conn, import_id, k) for k in KINDS}
    row = conn.execute("SELECT partner_id FROM imports WHERE id = ?", (import_id,)).fetchone()
    return Side(label or f"import {import_id}", kinds, import_copies.read_findings(conn, import_id),
                row[0] if row else None)


def side_from_current(conn: sqlite3.Connection, label: str) -> Side:
    """The live configuration (a workspace imported before snapshots existed)."""
    kinds = {k: import_copies.read_current_kind(conn, k) for k in KINDS}
    return Side(label, kinds, import_copies.read_findings(conn, None), _tenant(conn))


def _tenant(conn: sqlite3.Connection) -> int | None:
    row = conn.execute("SELECT partner_id FROM imports WHERE partner_id IS NOT NULL "
                       "ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None


# --- which imports ------------------------------------------------------------------------------

def loads_configuration(record: ImportRecord) -> bool:
    """Did this import replace the configuration? (Usage-only imports do not.)

    The importer records each file's recognised kind in ``report["files"]``: usage and
    settings files are "usage"/"setting-events", configuration files a KIND word.
    """
    files = record.report.get("files")
    if isinstance(files, list) and files:
        return any(isinstance(f, dict) and f.get("kind") in KINDS for f in files)
    return any(record.counts.get(table, 0) for table in CONFIG_TABLES)


def default_import_pair(imports: list[ImportRecord], from_id: int | None = None,
                        to_id: int | None = None) -> tuple[int, int]:
    """(from, to) import ids: ``to`` defaults to the latest import that loaded configuration,
    ``from`` to the one before it (usage-only imports are skipped on both sides)."""
    ids = [r.id for r in imports]
    if not ids:
        raise DiffError("nothing imported yet")
    if to_id is None:
        loaded = [r.id for r in imports if loads_configuration(r)]
        to_id = loaded[-1] if loaded else ids[-1]
    for wanted in (from_id, to_id):
        if wanted is not None and wanted not in ids:
            raise DiffError(f"no import {wanted} (imports: {', '.join(map(str, ids))})")
    if from_id is not None:
        return from_id, to_id
    config_ids = [r.id for r in imports if r.id <= to_id and loads_configuration(r)]
    if len(config_ids) < 2:
        raise DiffError(f"no earlier configuration to compare import {to_id} with: re-import "
                        "a newer export of this tenant first")
    return config_ids[-2], to_id


def import_label(record: ImportRecord) -> str:
    """``import 3 (export 2022-07-14)``: how sides and the compare dialog name an import."""
    return f"import {record.id}" + (f" (export {record.export_date})" if record.export_date
                                    else "")


def diff_imports(workspace: Workspace, from_id: int | None = None, to_id: int | None = None
                 ) -> Diff:
    """Compare two imports of ``workspace`` (defaults: ``default_import_pair``)."""
    imports = workspace.imports()
    from_id, to_id = default_import_pair(imports, from_id, to_id)
    by_id = {r.id: r for r in imports}
    return compare(import_side(workspace, by_id[from_id], imports),
                   import_side(workspace, by_id[to_id], imports))


def import_side(workspace: Workspace, record: ImportRecord,
                imports: list[ImportRecord] | None = None) -> Side:
    """The configuration an import left: its own snapshot, else that of the import that loaded
    the configuration it shows (a usage-only import shows the one before it), else the live
    tables when that is the latest configuration (the importer snapshots an import lazily,
    just before a later import replaces its configuration)."""
    conn = workspace.conn
    label = import_label(record)
    if import_copies.has_import_copy(conn, record.id):
        return side_from_import(conn, record.id, label)
    imports = workspace.imports() if imports is None else imports
    config_ids = [r.id for r in imports if loads_configuration(r)]
    shown = [i for i in config_ids if i <= record.id]
    if not shown:
        raise DiffError(f"import {record.id} holds no configuration")
    if import_copies.has_import_copy(conn, shown[-1]):
        side = side_from_import(conn, shown[-1], label)
    elif shown[-1] == config_ids[-1]:
        side = side_from_current(conn, label)
    else:
        raise DiffError(f"import {shown[-1]} has no stored snapshot to compare (it was "
                        "replaced by a version of this app that kept none)")
    side.partner_id = record.partner_id if record.partner_id is not None else side.partner_id
    return side


def latest_side(workspace: Workspace, label: str | None = None) -> Side:
    """The newest state of a workspace (for comparing two workspaces)."""
    imports = workspace.imports()
    if not imports:
        raise DiffError(f"{workspace.path}: nothing imported yet")
    side = import_side(workspace, imports[-1], imports)
    side.label = label or workspace.path.name
    side.partner_id = _tenant(workspace.conn)
    return side


def diff_workspaces(old: Workspace, new: Workspace, *, force: bool = False) -> Diff:
    """Compare the latest state of two workspaces; refuses different tenants unless forced."""
    old_side, new_side = latest_side(old), latest_side(new)
    if old_side.label == new_side.label:  # same file name in two folders: say which is which
        old_side.label, new_side.label = str(old.path), str(new.path)
    if old_side.partner_id != new_side.partner_id and not force:
        raise DiffError(f"{old.path.name} is partner {old_side.partner_id}, {new.path.name} is "
                        f"partner {new_side.partner_id}: different tenants (use --force to "
                        "compare anyway)")
    return compare(old_side, new_side)


# --- the comparison -----------------------------------------------------------------------------

def compare(old: Side, new: Side) -> Diff:
    """Everything that differs between two sides, in a stable order (KINDS order, then id)."""
    diff = Diff(from_label=old.label, to_label=new.label)
    old_aep, new_aep = _aep_data_sources(old), _aep_data_sources(new)
    for kind in KINDS:
        _compare_kind(kind, old, new, diff, (old_aep, new_aep))
    _note_trait_types(diff, old, new)
    _compare_findings(old.findings, new.findings, diff)
    _note_finding_object_names(diff, old, new)
    return diff


def _note_trait_types(diff: Diff, old: Side, new: Side) -> None:
    before, after = old.kinds["trait"].rows, new.kinds["trait"].rows
    for entry in (*diff.added, *diff.removed, *diff.changed, *diff.moved):
        if entry["kind"] == "trait":
            row = after.get(entry["id"]) or before.get(entry["id"]) or {}
            diff.trait_types[entry["id"]] = row.get("trait_type")


def _note_finding_object_names(diff: Diff, old: Side, new: Side) -> None:
    for finding in (*diff.new_findings, *diff.resolved_findings):
        kind, object_id = finding.get("object_kind"), finding.get("object_id")
        if kind not in KINDS or object_id is None:
            continue
        for side in (new, old):
            snapshot = side.kinds.get(kind)
            row = snapshot.rows.get(int(object_id)) if snapshot is not None else None
            if row is not None and row.get("name"):
                diff.finding_object_names[(kind, int(object_id))] = str(row["name"])
                break


def _aep_data_sources(side: Side) -> frozenset[int]:
    rows = side.kinds["data-source"].rows
    return frozenset(i for i, r in rows.items() if r.get("name") == AEP_DATA_SOURCE_NAME)


def _is_aep(kind: str, row: dict[str, Any], aep_sources: frozenset[int]) -> bool:
    if kind == "data-source":
        return row["id"] in aep_sources
    return row.get("data_source_id") in aep_sources


def _compare_kind(kind: str, old: Side, new: Side, diff: Diff,
                  aep: tuple[frozenset[int], frozenset[int]]) -> None:
    before, after = old.kinds[kind].rows, new.kinds[kind].rows
    placement = PLACEMENT_FIELDS.get(kind, ())
    skipped = {"id", *placement, *DERIVED_FIELDS.get(kind, ())}
    for object_id in sorted(after.keys() - before.keys()):
        row = after[object_id]
        diff.added.append({**_entry(kind, row), "aep": _is_aep(kind, row, aep[1])})
    for object_id in sorted(before.keys() - after.keys()):
        row = before[object_id]
        diff.removed.append({**_entry(kind, row), "aep": _is_aep(kind, row, aep[0])})
    for object_id in sorted(before.keys() & after.keys()):
        old_row, new_row = before[object_id], after[object_id]
        if old_row == new_row:
            continue
        # Only columns both snapshots have: a column added by a later schema is no change.
        fields = {c: [old_row[c], new_row[c]] for c in new_row
                  if c not in skipped and c in old_row and old_row[c] != new_row[c]}
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
            result["folder_path"] = folder_path(side, folder_kind(kind) or kind, value)
        elif column == "data_source_id":
            source = side.kinds["data-source"].rows.get(value) if value is not None else None
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


def field_label(column: str) -> str:
    """``integration_code`` -> ``Integration code`` (known columns have their own words)."""
    return FIELD_LABELS.get(column, column.replace("_", " ").capitalize())


def describe_placement(placement: dict[str, Any]) -> str:
    """One side of a move in words: the folder path and/or ``Data source name (id)``."""
    parts = []
    if "folder_path" in placement:
        parts.append(str(placement["folder_path"]))
    if "data_source_id" in placement:
        name = placement.get("data_source") or "missing data source"
        parts.append(f"{name} ({placement['data_source_id']})")
    return ", ".join(parts)


# --- findings -----------------------------------------------------------------------------------

def _finding_sort_key(finding: dict[str, Any]) -> tuple[str, str, int, str]:
    return (finding["check"], finding["object_kind"] or "", finding["object_id"] or 0,
            finding["message"] or "")


def _compare_findings(old: list[dict[str, Any]], new: list[dict[str, Any]], diff: Diff) -> None:
    """A finding is the same when its check and object are, whatever its message says (a
    renamed object rewords it); identical messages pair first when one object has several."""
    old_left, new_left = _unmatched(old, new, exact=True)
    old_left, new_left = _unmatched(old_left, new_left, exact=False)
    diff.new_findings = sorted(new_left, key=_finding_sort_key)
    diff.resolved_findings = sorted(old_left, key=_finding_sort_key)


def _unmatched(old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]], *, exact: bool
               ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    def key(f: dict[str, Any]) -> tuple[Any, ...]:
        base = (f["check"], f["object_kind"], f["object_id"])
        return (*base, f["message"]) if exact else base

    waiting: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    for finding in old:
        waiting[key(finding)].append(finding)
    new_left = []
    for finding in new:
        candidates = waiting.get(key(finding))
        if candidates:
            candidates.pop()
        else:
            new_left.append(finding)
    old_left = [f for group in waiting.values() for f in group]
    return old_left, new_left


# --- rules --------------------------------------------------------------------------------------

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


def rule_diff_parts(old: str | None, new: str | None) -> list[tuple[str, str]]:
    """A word-level diff of two rules as ``(op, text)`` with op "=", "-" or "+"."""
    old_tokens = _TOKEN.findall(old or "")
    new_tokens = _TOKEN.findall(new or "")
    parts: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        removed, added = "".join(old_tokens[a1:a2]), "".join(new_tokens[b1:b2])
        if op == "equal":
            parts.append(("=", removed))
            continue
        if removed:
            parts.append(("-", removed))
        if added:
            parts.append(("+", added))
    return parts


def rule_diff(old: str | None, new: str | None) -> str:
    """A readable word-level diff of two rules: ``[-removed-]`` and ``{+added+}``."""
    marks = {"=": "{}", "-": "[-{}-]", "+": "{{+{}+}}"}
    return "".join(marks[op].format(text) for op, text in rule_diff_parts(old, new))
