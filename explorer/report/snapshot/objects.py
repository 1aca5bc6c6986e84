"""The report's outline: objects grouped by kind and folder, each with its
inspector HTML (masked, links turned into in-page anchors), within an object budget.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable

from markupsafe import Markup

from explorer.analysis.sharing import target_sharing_for, tenant_target_sharing
from explorer.kinds import FOLDER_KIND_OF, KIND_IN_FOLDER, KINDS
from explorer.masking import TextMask, mask_values
from explorer.report.inspector_html import LIGHT, render_details_html
from explorer.report.scope import OUTLINE_KINDS, Scope
from explorer.report.snapshot.model import FolderSection, ObjectEntry, ObjectGroup, anchor
from explorer.report.snapshot.names import NameBook
from explorer.report.snapshot.notes import annotation_view
from explorer.store.queries import object_details

_GROUP_TITLES = {
    "data-source": "Data sources", "trait": "Trait storage", "segment": "Segment storage",
    "merge-rule": "Merge rules", "destination": "Destinations",
    "algo-model": "Algorithmic models", "derived-signal": "Derived signals",
}
_GROUP_ORDER = ("data-source", "trait", "segment", "merge-rule", "destination", "algo-model",
                "derived-signal")

_INSPECTOR_LINK_RE = re.compile(r'<a href="aam://([a-z-]+)/(\d+)">(.*?)</a>', re.DOTALL)
_ALL_FIELDS_MARK = '<table class="section" width="100%" cellspacing="0" cellpadding="0">' \
                   "<tr><td>All fields ("


def group_entries(group: ObjectGroup) -> Iterable[ObjectEntry]:
    yield from group.objects
    for folder in group.folders:
        if folder.folder is not None:
            yield folder.folder
        yield from folder.objects


def build_groups(conn: sqlite3.Connection, scope: Scope, names: NameBook, masker: TextMask,
                 max_objects: int) -> tuple[list[ObjectGroup], int]:
    budget = [max(max_objects, 0)]
    left_out = 0
    member_anchors = {anchor(kind, i) for kind in OUTLINE_KINDS for i in scope.ids(kind)}
    renderer = EntryRenderer(conn, masker, member_anchors)
    groups = []
    for kind in _GROUP_ORDER:
        group = ObjectGroup(kind, _GROUP_TITLES[kind], f"group-{kind}")
        if kind in FOLDER_KIND_OF:
            left_out += _fill_storage_group(conn, group, scope, names, renderer, budget)
        else:
            left_out += _take_by_name(renderer, names, kind, scope.ids(kind), budget,
                                      group.objects)
        if group.count() or group.folders:
            groups.append(group)
    return groups, left_out


def _take(renderer: EntryRenderer, kind: str, object_id: int, budget: list[int]
          ) -> ObjectEntry | None:
    """The object's entry while the object budget lasts (None once it is spent)."""
    if budget[0] <= 0:
        return None
    entry = renderer.entry(kind, object_id)
    if entry is not None:
        budget[0] -= 1
    return entry


def _take_by_name(renderer: EntryRenderer, names: NameBook, kind: str,
                  object_ids: Iterable[int], budget: list[int], into: list[ObjectEntry]) -> int:
    """Append the objects' entries to ``into`` in name order while the budget lasts; return
    how many it left out."""
    left_out = 0
    for object_id in sorted(object_ids, key=lambda i: ((names.name(kind, i) or "").lower(), i)):
        entry = _take(renderer, kind, object_id, budget)
        if entry is None:
            left_out += 1
        else:
            into.append(entry)
    return left_out


def _fill_storage_group(conn: sqlite3.Connection, group: ObjectGroup, scope: Scope,
                        names: NameBook, renderer: EntryRenderer, budget: list[int]) -> int:
    """Folder sections (sorted by path) holding the scoped traits or segments; returns how
    many objects the budget left out."""
    kind, folder_kind = group.kind, FOLDER_KIND_OF[group.kind]
    by_folder: dict[int | None, list[int]] = {folder: [] for folder in scope.ids(folder_kind)}
    table = KINDS[kind].table
    rows = conn.execute(
        f"SELECT id, folder_id FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
        (_json_ids(scope.ids(kind)),))
    for object_id, folder_id in rows:
        by_folder.setdefault(folder_id, []).append(object_id)
    sections = []
    for folder_id, object_ids in by_folder.items():
        path, missing = names.folder_path(folder_kind, folder_id)
        sections.append((tuple(p.lower() for p in path), folder_id, path, missing, object_ids))
    sections.sort(key=lambda s: (s[0], s[1] or 0))
    left_out = 0
    for _key, folder_id, path, missing, object_ids in sections:
        section = FolderSection(
            anchor=f"{folder_kind}-section-{folder_id or 0}", path=path or ["(no folder)"],
            depth=max(len(path), 1), folder=None, missing=missing)
        if folder_id is not None and scope.contains(folder_kind, folder_id):
            # folders are few and give the outline its shape: the budget is for objects
            section.folder = renderer.entry(folder_kind, folder_id)
        left_out += _take_by_name(renderer, names, kind, object_ids, budget, section.objects)
        if section.folder or section.objects:
            group.folders.append(section)
    return left_out


def _json_ids(ids: Iterable[int]) -> str:
    return json.dumps(sorted(ids))


class EntryRenderer:
    """One object's inspector HTML for the report: masked, links turned into anchors."""

    def __init__(self, conn: sqlite3.Connection, masker: TextMask, anchors: set[str]) -> None:
        self._conn = conn
        self._mask = masker
        self._anchors = anchors
        self._tenant_sharing = tenant_target_sharing(conn)

    def entry(self, kind: str, object_id: int) -> ObjectEntry | None:
        details = object_details(self._conn, kind, object_id)
        if details is None:
            return None
        details["target_sharing"] = target_sharing_for(self._conn, details, self._tenant_sharing)
        annotation = details.get("annotation")
        masked = mask_values({**details, "annotation": None}, self._mask)
        body = render_details_html(masked, theme=LIGHT, interactive=False)
        name = masked.get("name") or f"{KINDS[kind].label} {object_id}"
        return ObjectEntry(
            kind=kind, id=object_id, name=str(name), status=str(details.get("status") or ""),
            anchor=anchor(kind, object_id), body=Markup(self._body(body)),
            annotation=annotation_view(annotation, self._mask) if annotation else None,
            finding_count=len(details.get("findings") or []),
            is_folder_heading=kind in KIND_IN_FOLDER)

    def _body(self, page: str) -> str:
        start, end = page.find("<body>"), page.rfind("</body>")
        fragment = page[start + len("<body>"):end] if start >= 0 and end > start else page
        fragment = _INSPECTOR_LINK_RE.sub(self._relink, fragment)
        return _collapse_all_fields(fragment)

    def _relink(self, match: re.Match[str]) -> str:
        target = anchor(match.group(1), int(match.group(2)))
        if target in self._anchors:
            return f'<a href="#{target}">{match.group(3)}</a>'
        # an object outside the snapshot: its name, without a link that leads nowhere
        return f'<span class="ref">{match.group(3)}</span>'


def _collapse_all_fields(fragment: str) -> str:
    """Wrap the inspector's "All fields" section in <details> (closed: the raw export fields
    are there for whoever needs them, without making every object a page long)."""
    start = fragment.find(_ALL_FIELDS_MARK)
    if start < 0:
        return fragment
    heading_end = fragment.find("</table>", start) + len("</table>")
    count = re.search(r"All fields \((\d+)\)", fragment[start:heading_end])
    label = f"All fields from the export ({count.group(1)})" if count else "All fields"
    rest = fragment[heading_end:]
    return (f'{fragment[:start]}<details class="raw-fields"><summary>{label}</summary>'
            f"{rest}</details>")
