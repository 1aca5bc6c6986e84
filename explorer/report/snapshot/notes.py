"""The annotations section: every note of the snapshot's objects (and, for the
whole tenant, notes whose object left the export).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from typing import Any

from explorer.kinds import KINDS
from explorer.masking import TextMask
from explorer.report.scope import OUTLINE_KINDS, Scope
from explorer.report.snapshot.names import NameBook
from explorer.store.annotations import Annotation, list_annotations


def annotation_view(annotation: Mapping[str, Any], masker: TextMask) -> dict[str, Any]:
    tags = annotation.get("tags") or []
    return {"note": masker(str(annotation.get("note") or "")),
            "tags": [masker(str(t)) for t in tags],
            "status": str(annotation.get("status") or ""),
            "updated": str(annotation.get("updated") or "")[:10]}


def annotation_notes(conn: sqlite3.Connection, scope: Scope, names: NameBook,
                     rendered: Mapping[tuple[str, int], str], masker: TextMask
                     ) -> list[dict[str, Any]]:
    """Every annotation of the snapshot's objects (and, for the whole tenant, the orphans)."""
    notes = []
    for item in list_annotations(conn):
        key = (item.kind, item.object_id)
        if key not in rendered and not (scope.whole_tenant and item.orphaned):
            continue
        notes.append(_note_row(item, names, rendered.get(key), masker))
    notes.sort(key=lambda n: (n["kind_rank"], n["label"].lower()))
    return notes


def _note_row(item: Annotation, names: NameBook, target: str | None, masker: TextMask
              ) -> dict[str, Any]:
    label = names.label(item.kind, item.object_id)
    if item.orphaned:
        label = f"{KINDS[item.kind].label} {item.object_id} (no longer in the export)"
    return {"kind": KINDS[item.kind].label, "kind_rank": OUTLINE_KINDS.index(item.kind)
            if item.kind in OUTLINE_KINDS else 99, "label": label, "anchor": target,
            **annotation_view(item.to_json(), masker)}
