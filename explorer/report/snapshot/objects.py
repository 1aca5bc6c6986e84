"""The report's objects: one compact table row per object, grouped by kind and folder (names
as the window's tree shows them, folder counts with their subfolders as the tree counts
them), and a full card (the inspector's HTML, masked, links turned into in-page anchors) for
the objects that have an open finding or a note, or were picked.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from markupsafe import Markup

from explorer.analysis.mapping_status import MappingState, mapping_states
from explorer.analysis.object_view import object_view
from explorer.analysis.sharing import tenant_target_sharing
from explorer.kinds import FOLDER_KIND_OF, KINDS
from explorer.masking import TextMask
from explorer.report.inspector_html import LIGHT, render_details_html
from explorer.report.inspector_html.identity import DESTINATION_TYPES
from explorer.report.scope import Scope
from explorer.report.snapshot.model import (
    Badge,
    FolderSection,
    ObjectEntry,
    ObjectGroup,
    anchor,
)
from explorer.report.snapshot.names import NameBook
from explorer.report.snapshot.text import ReportMask
from explorer.store.tree import PageSource, fetch_page, load_folder_tree

_GROUP_TITLES = {
    "data-source": "Data sources", "trait": "Traits", "segment": "Segments",
    "merge-rule": "Merge rules", "destination": "Destinations",
    "algo-model": "Algorithmic models", "derived-signal": "Derived signals",
}
GROUP_ORDER = ("data-source", "trait", "segment", "merge-rule", "destination", "algo-model",
               "derived-signal")
FOLDER_KIND = FOLDER_KIND_OF
_TRAIT_TYPES = {"RULE_BASED_TRAIT": "Rule-based", "ON_BOARDED_TRAIT": "Onboarded",
                "ALGO_TRAIT": "Algorithmic", "SEGMENT": "Segment"}
_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

_INSPECTOR_LINK_RE = re.compile(r'<a href="aam://([a-z-]+)/(\d+)">(.*?)</a>', re.DOTALL)
_ALL_FIELDS_MARK = '<table class="section" width="100%" cellspacing="0" cellpadding="0">' \
                   "<tr><td>All fields ("


@dataclass
class Marks:
    """What the report knows about each object before laying it out."""

    severities: dict[tuple[str, int], list[str]]  # open findings' severities per object
    annotations: dict[tuple[str, int], dict[str, object]]  # the annotation's view per object
    cards: set[tuple[str, int]]  # objects shown in full


def build_groups(conn: sqlite3.Connection, scope: Scope, names: NameBook, masker: TextMask,
                 max_objects: int, marks: Marks, export_date: str | None
                 ) -> tuple[list[ObjectGroup], int]:
    """The kind groups of the scope's objects (at most ``max_objects`` rows) and how many
    objects the budget left out."""
    budget = max(max_objects, 0)
    left_out = 0
    facts = _Facts(conn, names, masker, export_date)
    groups = []
    for kind in GROUP_ORDER:
        wanted = scope.ids(kind)
        if not wanted:
            continue
        rows = [r for r in fetch_page(conn, PageSource(kind), len(wanted) + 1_000_000, 0)
                if r.id in wanted]
        kept, dropped = rows[:budget], rows[budget:]
        budget -= len(kept)
        left_out += len(dropped)
        entries = {r.id: _entry(kind, r.id, r.name, masker, facts, marks) for r in kept}
        group = ObjectGroup(kind, _GROUP_TITLES[kind], f"group-{kind}",
                            folder_kind=FOLDER_KIND.get(kind))
        if kind in FOLDER_KIND:
            group.folders = _folder_sections(conn, kind, scope, names, entries)
        else:
            group.objects = list(entries.values())
        if group.count():
            groups.append(group)
    return groups, left_out


def _entry(kind: str, object_id: int, name: str, masker: TextMask, facts: _Facts, marks: Marks
           ) -> ObjectEntry:
    key = (kind, object_id)
    severities = marks.severities.get(key, [])
    badges = []
    if severities:
        worst = min(severities, key=lambda s: _SEVERITY_RANK.get(s, 9))
        count = len(severities)
        badges.append(Badge(f"{count} finding{'s' if count != 1 else ''}", f"sev-{worst}"))
    annotation = marks.annotations.get(key)
    if annotation is not None:
        status = str(annotation.get("status") or "note")
        badges.append(Badge(f"note: {status}", "status-" + status.replace(" ", "-")))
    status, fact = facts.of(kind, object_id)
    return ObjectEntry(kind=kind, id=object_id,
                       name=masker(name) if name else f"{KINDS[kind].label} {object_id}",
                       status=status, anchor=anchor(kind, object_id), facts=fact,
                       badges=badges, annotation=annotation, finding_count=len(severities))


def _folder_sections(conn: sqlite3.Connection, kind: str, scope: Scope, names: NameBook,
                     entries: Mapping[int, ObjectEntry]) -> list[FolderSection]:
    """One section per folder holding shown objects, in path order; each section's count is
    the folder's objects with its subfolders', as the tree counts them."""
    folder_kind = FOLDER_KIND[kind]
    tree = load_folder_tree(conn, folder_kind)
    # every folder of the scope has its section (a parent holding only subfolders too, so the
    # outline nests as the tree does)
    by_folder: dict[int | None, list[ObjectEntry]] = {
        folder_id: [] for folder_id in scope.ids(folder_kind)}
    rows = conn.execute(
        f"SELECT id, folder_id FROM {KINDS[kind].table} WHERE id IN "
        "(SELECT value FROM json_each(?))", (json.dumps(sorted(entries)),))
    folder_of = {r[0]: r[1] for r in rows}
    for object_id, entry in entries.items():  # entries are in name order
        by_folder.setdefault(folder_of.get(object_id), []).append(entry)
    counts = tree.subtree_counts if scope.whole_tenant else \
        _scoped_subtree_counts(tree, folder_of)
    sections = []
    for folder_id, objects in by_folder.items():
        path, missing = names.folder_path(folder_kind, folder_id)
        count = counts.get(folder_id, len(objects)) if folder_id is not None else len(objects)
        sections.append(FolderSection(
            anchor=f"{folder_kind}-section-{folder_id or 0}", path=path or ["(no folder)"],
            depth=max(len(path), 1), count=count, objects=objects, missing=missing))
    sections.sort(key=lambda s: ([p.casefold() for p in s.path], s.anchor))
    return sections


def _scoped_subtree_counts(tree: object, folder_of: Mapping[int, int | None]) -> dict[int, int]:
    """The tree's subtree counts over the scope's objects only (same walk as the tree's)."""
    direct: dict[int | None, int] = {}
    for folder_id in folder_of.values():
        direct[folder_id] = direct.get(folder_id, 0) + 1
    children = tree.children  # type: ignore[attr-defined]
    order: list[int] = []
    stack = list(children.get(None, []))
    while stack:
        fid = stack.pop()
        order.append(fid)
        stack.extend(children.get(fid, []))
    counts: dict[int, int] = {}
    for fid in reversed(order):
        counts[fid] = direct.get(fid, 0) + sum(counts[c] for c in children.get(fid, []))
    return counts


class _Facts:
    """Each object's status and key facts, read once per kind."""

    def __init__(self, conn: sqlite3.Connection, names: NameBook, masker: TextMask,
                 export_date: str | None) -> None:
        self._conn = conn
        self._names = names
        self._mask = masker
        self._export_date = export_date
        self._cache: dict[str, dict[int, tuple[str, str]]] = {}

    def of(self, kind: str, object_id: int) -> tuple[str, str]:
        if kind not in self._cache:
            self._cache[kind] = self._load(kind)
        return self._cache[kind].get(object_id, ("", ""))

    def _name(self, kind: str, object_id: int | None) -> str:
        if object_id is None:
            return ""
        return self._names.name(kind, object_id) or f"{KINDS[kind].label} {object_id}"

    def _load(self, kind: str) -> dict[int, tuple[str, str]]:
        conn = self._conn
        out: dict[int, tuple[str, str]] = {}
        if kind == "trait":
            for r in conn.execute("SELECT id, status, trait_type, data_source_id FROM traits"):
                out[r[0]] = (r[1] or "", _join(_TRAIT_TYPES.get(r[2] or "", r[2] or ""),
                                               self._name("data-source", r[3])))
        elif kind == "segment":
            for r in conn.execute("SELECT id, status, merge_rule_id, data_source_id "
                                  "FROM segments"):
                rule = self._name("merge-rule", r[2])
                out[r[0]] = (r[1] or "", _join(f"merge rule: {rule}" if rule else "",
                                               self._name("data-source", r[3])))
        elif kind == "data-source":
            for r in conn.execute("SELECT id, status, type, id_type, integration_code "
                                  "FROM data_sources"):
                code = self._mask(r[4]) if r[4] else ""
                out[r[0]] = (r[1] or "", _join(r[2] or "", r[3] or "",
                                               f"code {code}" if code else ""))
        elif kind == "merge-rule":
            for r in conn.execute("SELECT id, is_default, cross_device_option FROM merge_rules"):
                out[r[0]] = ("default" if r[1] else "",
                             (r[2] or "").replace("_", " ").lower())
        elif kind == "destination":
            out = self._destinations()
        elif kind == "algo-model":
            for r in conn.execute("SELECT id, status FROM algo_models"):
                out[r[0]] = (r[1] or "", "")
        return out

    def _destinations(self) -> dict[int, tuple[str, str]]:
        states = mapping_states(self._conn, self._export_date)
        per_destination: dict[int, dict[str, int]] = {}
        for mapping_id, destination_id in self._conn.execute(
                "SELECT id, destination_id FROM destination_mappings"):
            tally = per_destination.setdefault(destination_id, {})
            state = str(states.get(mapping_id, MappingState.NOT_CHECKED))
            tally[state] = tally.get(state, 0) + 1
        out = {}
        for r in self._conn.execute("SELECT id, status, destination_type FROM destinations"):
            tally = per_destination.get(r[0], {})
            mapped = ", ".join(f"{n} {state}" for state, n in sorted(tally.items()))
            out[r[0]] = (r[1] or "", _join(DESTINATION_TYPES.get(r[2] or "", r[2] or ""),
                                           f"mappings: {mapped}" if mapped else "no mapping"))
        return out


def _join(*parts: str) -> str:
    return " · ".join(p for p in parts if p)


def add_cards(conn: sqlite3.Connection, groups: Iterable[ObjectGroup], cards: set[tuple[str, int]],
              masker: ReportMask) -> None:
    """Render the full card of every listed object that is in ``cards``."""
    entries = [e for g in groups for e in g.entries()]
    shown = {e.anchor for e in entries}
    renderer = EntryRenderer(conn, masker, shown)
    card_anchors = set()
    for entry in entries:
        if (entry.kind, entry.id) in cards:
            body = renderer.body(entry.kind, entry.id)
            if body is not None:
                entry.body = body
                card_anchors.add(entry.anchor)
    # links inside cards lead to the card when there is one, else to the object's row
    for entry in entries:
        if entry.body is not None:
            entry.body = Markup(_retarget(str(entry.body), card_anchors))


def _retarget(body: str, card_anchors: set[str]) -> str:
    return re.sub(r'href="#([a-z-]+-\d+)"',
                  lambda m: m.group(0) if m.group(1) in card_anchors
                  else f'href="#row-{m.group(1)}"', body)


class EntryRenderer:
    """One object's inspector HTML for the report: the object view (each destination mapping's
    state as the app states it), masked, links turned into anchors."""

    def __init__(self, conn: sqlite3.Connection, masker: ReportMask, anchors: set[str]) -> None:
        self._conn = conn
        self._mask = masker
        self._anchors = anchors
        self._tenant_sharing = tenant_target_sharing(conn)

    def body(self, kind: str, object_id: int) -> Markup | None:
        details = object_view(self._conn, kind, object_id, tenant_sharing=self._tenant_sharing)
        if details is None:
            return None
        masked = self._mask.data({**details, "annotation": None})
        page = render_details_html(masked, theme=LIGHT, interactive=False)
        return Markup(self._fragment(page))

    def _fragment(self, page: str) -> str:
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
