"""The changes section: what changed in scope since an earlier import (added,
removed, changed, moved objects; new and resolved findings), masked.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from explorer.kinds import FOLDER_KIND_OF, KINDS
from explorer.report.scope import Scope
from explorer.report.snapshot.model import ChangesView
from explorer.report.snapshot.text import ReportMask


def changes_view(conn: sqlite3.Connection, scope: Scope, since_import: int, masker: ReportMask
             ) -> ChangesView:
    from explorer.analysis.diff import DiffError, compare, import_side
    from explorer.store.workspace import Workspace

    workspace = Workspace(Path(""), conn)  # import_side reads through a Workspace
    imports = workspace.imports()
    by_id = {record.id: record for record in imports}
    if since_import not in by_id:
        raise DiffError(f"no import {since_import} (imports: "
                        f"{', '.join(map(str, by_id)) or 'none'})")
    old = import_side(workspace, by_id[since_import], imports)
    new = import_side(workspace, imports[-1], imports)
    diff = compare(old, new)

    def in_scope(entry: Mapping[str, Any], side_rows: Any = None) -> bool:
        kind, object_id = entry.get("kind"), entry.get("id")
        if scope.whole_tenant or scope.contains(str(kind), int(object_id or 0)):
            return True
        folder_kind = FOLDER_KIND_OF.get(str(kind))
        if side_rows is None or folder_kind is None:
            return False
        row = side_rows[kind].rows.get(object_id) or {}
        return scope.contains(folder_kind, row.get("folder_id") or -1)

    def finding_in_scope(item: Mapping[str, Any]) -> bool:
        kind = str(item.get("object_kind"))
        return kind not in KINDS or scope.whole_tenant or \
            scope.contains(kind, int(item.get("object_id") or 0))

    return ChangesView(
        from_label=old.label, to_label=new.label,
        added=[masker.data(e) for e in diff.added if in_scope(e)],
        removed=[masker.data(e) for e in diff.removed if in_scope(e, old.kinds)],
        changed=[_changed_view(e, masker) for e in diff.changed if in_scope(e)],
        moved=[masker.data(e) for e in diff.moved if in_scope(e)],
        new_findings=[masker.data(f) for f in diff.new_findings if finding_in_scope(f)],
        resolved_findings=[masker.data(f) for f in diff.resolved_findings
                           if finding_in_scope(f)],
    )


def _changed_view(entry: Mapping[str, Any], masker: ReportMask) -> dict[str, Any]:
    fields = []
    for name, (before, after) in (entry.get("fields") or {}).items():
        fields.append({"field": name, "before": _short(masker.data(before, name)),
                       "after": _short(masker.data(after, name))})
    return {"kind": entry["kind"], "id": entry["id"],
            "name": masker(entry["name"]) if isinstance(entry.get("name"), str) else "",
            "fields": fields}


def _short(value: Any, limit: int = 300) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
