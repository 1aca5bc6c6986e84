"""The annotated snapshot: one self-contained HTML file a client can open with nothing installed.

``build_snapshot`` reads the workspace once into a ``Snapshot`` (plain data, every client value
already passed through the optional ``mask``); ``render_html`` turns it into HTML with Jinja2
(autoescape on: every value from the export or from a user is escaped by the template; the
only markup inserted as-is is the inspector's, which escapes every value itself). The page has
no script and no external resource: the CSS is inline and the chart is a ``data:`` PNG.

Qt-free: the Target chart PNG comes from a ``chart_renderer`` callable; the default one
imports ``explorer.report.chart_png`` (the one Qt module of the report) only when called.
"""

from __future__ import annotations

import base64
import json
import re
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import jinja2
from markupsafe import Markup

from explorer import __version__
from explorer.analysis.findings import CHECKS, SEVERITIES, Finding, list_findings
from explorer.analysis.sharing import target_sharing_for, tenant_target_sharing
from explorer.kinds import KINDS, ObjectRef
from explorer.report.inspector_html import LIGHT, render_details_html, stylesheet
from explorer.report.scope import OUTLINE_KINDS, Scope, resolve_scope
from explorer.store.annotations import Annotation, list_annotations
from explorer.store.queries import object_details

Mask = Callable[[str], str]
Flavour = Literal["browser", "qt"]

# A whole large tenant would make a file of hundreds of MB: past this many objects the report
# says how many it left out (pick a folder or a data source for the rest).
DEFAULT_MAX_OBJECTS = 5000
EXPERIENCE_LEAGUE = "https://experienceleague.adobe.com/docs/audience-manager/user-guide/"
# The findings cite Experience League pages by file name; these are their paths.
_DOC_PATHS: dict[str, str] = {
    "aam-aep-audience-sharing.md": "integration/integration-aep/aam-aep-audience-sharing",
    "aam-target-integration.md":
        "integration/integration-other-solutions/aam-target-integration",
    "activity-usage-reporting.md": "features/administration/activity-usage-reporting",
    "usage-limits.md": "features/administration/usage-limits",
    "segment-code-syntax.md": "features/segments/segment-code-syntax",
    "merge-rule-definitions.md": "features/profile-merge-rules/merge-rule-definitions",
    "datasources-list-and-settings.md": "features/datasources-list-and-settings",
    "bulk-delete.md": "reference/bulk-management-tools/bulk-delete",
    "paused-deleted-segments.md": "features/segments/paused-deleted-segments",
    "aam-api-map-segments.md": "api/rest-api-main/aam-api-destinations/aam-api-map-segments",
    "destinations-home.md": "features/destinations/destinations-home",
}
_DOC_FILE_RE = re.compile(r"\(([\w.-]+\.md)\)\s*$")
_SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
_GROUP_TITLES = {
    "data-source": "Data sources", "trait": "Trait storage", "segment": "Segment storage",
    "merge-rule": "Merge rules", "destination": "Destinations",
    "algo-model": "Algorithmic models", "derived-signal": "Derived signals",
}
_GROUP_ORDER = ("data-source", "trait", "segment", "merge-rule", "destination", "algo-model",
                "derived-signal")
_FOLDER_KIND = {"trait": "trait-folder", "segment": "segment-folder"}
# Values of these keys are AAM's vocabulary (statuses, types, dates), not the client's data:
# the mask leaves them alone so the report still reads ("ACTIVE", "Rule-based").
_VOCABULARY_KEYS = frozenset({
    "kind", "status", "trait_type", "traitType", "destination_type", "destinationType", "type",
    "id_type", "idType", "sub_id_type", "subIdType", "element_status", "elementStatus",
    "severity", "check_id", "cross_device_option", "crossDeviceOption", "device_option",
    "deviceOption", "integration_code_label", "create_time_iso", "update_time_iso", "created",
    "updated", "start_date", "startDate", "end_date", "endDate", "label",
    "data_export_controls", "dataExportControls", "dataExportRestrictions", "devicePlatform",
    "mappingAutoFiller", "backfillStatus",
})
# Numbers that identify the client (the partner id in every raw record) are masked as text.
_IDENTIFYING_NUMBERS = frozenset({"pid"})
_INSPECTOR_LINK_RE = re.compile(r'<a href="aam://([a-z-]+)/(\d+)">(.*?)</a>', re.DOTALL)
_ALL_FIELDS_MARK = '<table class="section" width="100%" cellspacing="0" cellpadding="0">' \
                   "<tr><td>All fields ("


# ---------------------------------------------------------------------------------------------
# The snapshot as plain data


@dataclass
class ObjectEntry:
    """One object of the outline: its anchor, title and inspector HTML (already escaped)."""

    kind: str
    id: int
    name: str
    status: str
    anchor: str
    body: Markup
    annotation: dict[str, Any] | None
    finding_count: int
    is_folder_heading: bool = False


@dataclass
class FolderSection:
    """The objects of one folder; ``folder`` is the folder's own entry when it is in scope."""

    anchor: str
    path: list[str]
    depth: int
    folder: ObjectEntry | None
    objects: list[ObjectEntry] = field(default_factory=list)
    missing: bool = False

    @property
    def title(self) -> str:
        return " / ".join(self.path)


@dataclass
class ObjectGroup:
    kind: str
    title: str
    anchor: str
    folders: list[FolderSection] = field(default_factory=list)  # storage groups
    objects: list[ObjectEntry] = field(default_factory=list)  # the other groups

    def count(self) -> int:
        return len(self.objects) + sum(len(f.objects) for f in self.folders)


@dataclass
class FindingItem:
    object_label: str
    object_anchor: str | None
    message: str
    severity: str
    accepted_reason: str = ""


@dataclass
class FindingGroup:
    check: str
    title: str
    severity: str
    explanation: str
    fix: str
    doc_title: str
    doc_url: str | None
    items: list[FindingItem] = field(default_factory=list)


@dataclass
class ChartSpec:
    """What the Target chart draws (Qt-free; ``chart_png`` renders it)."""

    title: str
    points: list[tuple[str, float]]  # (YYYY-MM-DD, Target calls that day)
    events: list[dict[str, Any]]  # {date, label, before, after}


@dataclass
class UsageView:
    chart_png: bytes | None
    chart_error: str
    months: list[dict[str, Any]]
    columns: list[str]
    totals: dict[str, Any]
    events: list[dict[str, Any]]
    first_day: str
    last_day: str
    price: float | None

    @property
    def chart_data_uri(self) -> str:
        if not self.chart_png:
            return ""
        return "data:image/png;base64," + base64.b64encode(self.chart_png).decode("ascii")


@dataclass
class ChangesView:
    from_label: str
    to_label: str
    added: list[dict[str, Any]]
    removed: list[dict[str, Any]]
    changed: list[dict[str, Any]]
    moved: list[dict[str, Any]]
    new_findings: list[dict[str, Any]]
    resolved_findings: list[dict[str, Any]]

    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.moved
                    or self.new_findings or self.resolved_findings)


@dataclass
class Snapshot:
    title: str
    partner_id: str
    snapshot_date: str
    exported_at: str
    app_version: str
    scope_lines: list[str]
    whole_tenant: bool
    counts: list[tuple[str, int, int]]  # (plural label, in snapshot, in tenant)
    finding_counts: list[tuple[str, int, int]]  # (severity, open, accepted)
    groups: list[ObjectGroup]
    notes: list[dict[str, Any]]
    findings: list[FindingGroup]
    accepted: list[FindingGroup]
    usage: UsageView | None
    changes: ChangesView | None
    left_out: int = 0
    since_import: int | None = None

    def object_count(self) -> int:
        return sum(g.count() for g in self.groups)


# ---------------------------------------------------------------------------------------------
# Masking


def _masker(mask: Mask | None) -> Mask:
    if mask is None:
        return lambda text: text
    return mask


def mask_value(value: Any, mask: Mask, key: str = "") -> Any:
    """``value`` with every string passed through ``mask``, except AAM vocabulary keys."""
    if key in _VOCABULARY_KEYS:
        return value
    if key in _IDENTIFYING_NUMBERS and isinstance(value, int) and not isinstance(value, bool):
        return mask(str(value))
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, Mapping):
        return {k: mask_value(v, mask, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [mask_value(v, mask, key) for v in value]
    return value


# ---------------------------------------------------------------------------------------------
# Building


def build_snapshot(conn: sqlite3.Connection, *, scope: Scope | Sequence[ObjectRef] | None = None,
                   title: str | None = None, since_import: int | None = None,
                   mask: Mask | None = None,
                   chart_renderer: Callable[[ChartSpec], bytes] | Literal["default"] | None
                   = "default",
                   max_objects: int = DEFAULT_MAX_OBJECTS,
                   now: datetime | None = None) -> Snapshot:
    """Read everything the report shows about ``scope`` (default: the whole tenant).

    ``mask`` is applied to every client string (names, descriptions, rules, notes, chart
    labels, the title) before it is escaped; ``chart_renderer=None`` leaves the chart out.
    """
    if not isinstance(scope, Scope):
        scope = resolve_scope(conn, tuple(scope or ()))
    masker = _masker(mask)
    latest = conn.execute("SELECT * FROM imports ORDER BY id DESC LIMIT 1").fetchone()
    partner = str(latest["partner_id"]) if latest and latest["partner_id"] is not None else ""
    snapshot_date = (latest["export_date"] or "") if latest else ""
    names = _NameBook(conn, masker)
    groups, left_out = _build_groups(conn, scope, names, masker, max_objects)
    rendered = {(e.kind, e.id): e.anchor for g in groups for e in _entries(g)}
    findings = _scoped_findings(conn, scope)
    open_groups, accepted_groups = _finding_groups(findings, names, rendered, masker)
    renderer = _default_chart_renderer if chart_renderer == "default" else chart_renderer
    return Snapshot(
        title=masker(title) if title else _default_title(partner, masker),
        partner_id=masker(partner) if partner else "",
        snapshot_date=snapshot_date,
        exported_at=(now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        app_version=__version__,
        scope_lines=_scope_lines(scope, names),
        whole_tenant=scope.whole_tenant,
        counts=_counts(conn, scope),
        finding_counts=_finding_counts(findings),
        groups=groups,
        notes=_notes(conn, scope, names, rendered, masker),
        findings=open_groups,
        accepted=accepted_groups,
        usage=_usage(conn, masker, renderer),  # type: ignore[arg-type]
        changes=_changes(conn, scope, since_import, masker) if since_import else None,
        left_out=left_out,
        since_import=since_import,
    )


def _default_title(partner: str, masker: Mask) -> str:
    return f"AAM configuration snapshot — partner {masker(partner)}" if partner else \
        "AAM configuration snapshot"


def anchor(kind: str, object_id: int) -> str:
    """The in-page anchor of an object: ``trait-1000001``."""
    return f"{kind}-{int(object_id)}"


class _NameBook:
    """Object names (masked) and folder paths, read once per kind."""

    def __init__(self, conn: sqlite3.Connection, masker: Mask) -> None:
        self._conn = conn
        self._mask = masker
        self._names: dict[str, dict[int, str | None]] = {}
        self._parents: dict[str, dict[int, int | None]] = {}

    def _load(self, kind: str) -> None:
        if kind in self._names:
            return
        table = KINDS[kind].table
        has_parent = kind in ("trait-folder", "segment-folder")
        sql = f"SELECT id, name{', parent_id' if has_parent else ''} FROM {table}"
        names: dict[int, str | None] = {}
        parents: dict[int, int | None] = {}
        for row in self._conn.execute(sql):
            names[row[0]] = self._mask(row[1]) if isinstance(row[1], str) else row[1]
            if has_parent:
                parents[row[0]] = row[2]
        self._names[kind], self._parents[kind] = names, parents

    def name(self, kind: str, object_id: int) -> str | None:
        if kind not in KINDS:
            return None
        self._load(kind)
        return self._names[kind].get(object_id)

    def label(self, kind: str, object_id: int) -> str:
        """``Name (ID)``, or ``Kind ID`` when the object has no name or is not in the export."""
        if kind not in KINDS:
            return "Tenant" if object_id == 0 else f"{kind} {object_id}"
        name = self.name(kind, object_id)
        return f"{name} ({object_id})" if name else f"{KINDS[kind].label} {object_id}"

    def folder_path(self, folder_kind: str, folder_id: int | None) -> tuple[list[str], bool]:
        """Folder names from the top down, and whether the chain hit a folder not exported."""
        self._load(folder_kind)
        names, parents = self._names[folder_kind], self._parents[folder_kind]
        path: list[str] = []
        seen: set[int] = set()
        current = folder_id
        while current is not None and current not in seen:
            seen.add(current)
            if current not in names:
                path.append(f"Folder {current} (not in this export)")
                path.reverse()
                return path, True
            path.append(names[current] or f"Folder {current}")
            current = parents[current]
        path.reverse()
        return path, False


def _entries(group: ObjectGroup) -> Iterable[ObjectEntry]:
    yield from group.objects
    for folder in group.folders:
        if folder.folder is not None:
            yield folder.folder
        yield from folder.objects


def _scope_lines(scope: Scope, names: _NameBook) -> list[str]:
    if scope.whole_tenant:
        return ["The whole tenant"]
    lines = []
    for pick in scope.picks:
        label = KINDS[pick.kind].label
        text = f"{label}: {names.label(pick.kind, pick.id)}"
        if pick.kind in ("trait-folder", "segment-folder"):
            path, _missing = names.folder_path(pick.kind, pick.id)
            text = f"{label}: {' / '.join(path)} ({pick.id}), with its subfolders"
        elif pick.kind == "data-source":
            text += ", with its traits and segments"
        lines.append(text)
    return lines


def _counts(conn: sqlite3.Connection, scope: Scope) -> list[tuple[str, int, int]]:
    rows = []
    for kind in OUTLINE_KINDS:
        total = conn.execute(f"SELECT count(*) FROM {KINDS[kind].table}").fetchone()[0]
        if total or scope.ids(kind):
            rows.append((KINDS[kind].plural_label, len(scope.ids(kind)), total))
    return rows


# -- objects ----------------------------------------------------------------------------------


def _build_groups(conn: sqlite3.Connection, scope: Scope, names: _NameBook, masker: Mask,
                  max_objects: int) -> tuple[list[ObjectGroup], int]:
    budget = [max(max_objects, 0)]
    left_out = 0
    member_anchors = {anchor(kind, i) for kind in OUTLINE_KINDS for i in scope.ids(kind)}
    renderer = _EntryRenderer(conn, masker, member_anchors)
    groups = []
    for kind in _GROUP_ORDER:
        group = ObjectGroup(kind, _GROUP_TITLES[kind], f"group-{kind}")
        if kind in _FOLDER_KIND:
            left_out += _fill_storage_group(conn, group, scope, names, renderer, budget)
        else:
            ids = sorted(scope.ids(kind), key=lambda i: ((names.name(kind, i) or "").lower(), i))
            for object_id in ids:
                entry = _take(renderer, kind, object_id, budget)
                if entry is None:
                    left_out += 1
                else:
                    group.objects.append(entry)
        if group.count() or group.folders:
            groups.append(group)
    return groups, left_out


def _take(renderer: _EntryRenderer, kind: str, object_id: int, budget: list[int]
          ) -> ObjectEntry | None:
    """The object's entry while the object budget lasts (None once it is spent)."""
    if budget[0] <= 0:
        return None
    entry = renderer.entry(kind, object_id)
    if entry is not None:
        budget[0] -= 1
    return entry


def _fill_storage_group(conn: sqlite3.Connection, group: ObjectGroup, scope: Scope,
                        names: _NameBook, renderer: _EntryRenderer, budget: list[int]) -> int:
    """Folder sections (sorted by path) holding the scoped traits or segments; returns how
    many objects the budget left out."""
    kind, folder_kind = group.kind, _FOLDER_KIND[group.kind]
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
        object_ids.sort(key=lambda i: ((names.name(kind, i) or "").lower(), i))
        for object_id in object_ids:
            entry = _take(renderer, kind, object_id, budget)
            if entry is None:
                left_out += 1
            else:
                section.objects.append(entry)
        if section.folder or section.objects:
            group.folders.append(section)
    return left_out


def _json_ids(ids: Iterable[int]) -> str:
    return json.dumps(sorted(ids))


class _EntryRenderer:
    """One object's inspector HTML for the report: masked, links turned into anchors."""

    def __init__(self, conn: sqlite3.Connection, masker: Mask, anchors: set[str]) -> None:
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
        masked = mask_value({**details, "annotation": None}, self._mask)
        body = render_details_html(masked, theme=LIGHT, interactive=False)
        name = masked.get("name") or f"{KINDS[kind].label} {object_id}"
        return ObjectEntry(
            kind=kind, id=object_id, name=str(name), status=str(details.get("status") or ""),
            anchor=anchor(kind, object_id), body=Markup(self._body(body)),
            annotation=_annotation_view(annotation, self._mask) if annotation else None,
            finding_count=len(details.get("findings") or []),
            is_folder_heading=kind in ("trait-folder", "segment-folder"))

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


def _annotation_view(annotation: Mapping[str, Any], masker: Mask) -> dict[str, Any]:
    tags = annotation.get("tags") or []
    return {"note": masker(str(annotation.get("note") or "")),
            "tags": [masker(str(t)) for t in tags],
            "status": str(annotation.get("status") or ""),
            "updated": str(annotation.get("updated") or "")[:10]}


# -- notes ------------------------------------------------------------------------------------


def _notes(conn: sqlite3.Connection, scope: Scope, names: _NameBook,
           rendered: Mapping[tuple[str, int], str], masker: Mask) -> list[dict[str, Any]]:
    """Every annotation of the snapshot's objects (and, for the whole tenant, the orphans)."""
    notes = []
    for item in list_annotations(conn):
        key = (item.kind, item.object_id)
        if key not in rendered and not (scope.whole_tenant and item.orphaned):
            continue
        notes.append(_note_row(item, names, rendered.get(key), masker))
    notes.sort(key=lambda n: (n["kind_rank"], n["label"].lower()))
    return notes


def _note_row(item: Annotation, names: _NameBook, target: str | None, masker: Mask
              ) -> dict[str, Any]:
    label = names.label(item.kind, item.object_id)
    if item.orphaned:
        label = f"{KINDS[item.kind].label} {item.object_id} (no longer in the export)"
    return {"kind": KINDS[item.kind].label, "kind_rank": OUTLINE_KINDS.index(item.kind)
            if item.kind in OUTLINE_KINDS else 99, "label": label, "anchor": target,
            **_annotation_view(item.to_json(), masker)}


# -- findings ---------------------------------------------------------------------------------


def _scoped_findings(conn: sqlite3.Connection, scope: Scope) -> list[Finding]:
    """Findings about the snapshot's objects and the tenant (mappings count for their
    destination or segment)."""
    mapping_owner = _mapping_owners(conn)
    kept = []
    for finding in list_findings(conn):
        kind, object_id = finding.object_kind, finding.object_id
        if kind not in KINDS or scope.contains(kind, object_id):
            kept.append(finding)
        elif kind == "destination-mapping":
            destination_id, segment_id = mapping_owner.get(object_id, (None, None))
            if scope.contains("destination", destination_id or -1) or \
                    scope.contains("segment", segment_id or -1):
                kept.append(finding)
    return kept


def _mapping_owners(conn: sqlite3.Connection) -> dict[int, tuple[int | None, int | None]]:
    rows = conn.execute("SELECT id, destination_id, segment_id FROM destination_mappings "
                        "WHERE id IN (SELECT object_id FROM findings "
                        "WHERE object_kind = 'destination-mapping')")
    return {r[0]: (r[1], r[2]) for r in rows}


def _finding_counts(findings: Sequence[Finding]) -> list[tuple[str, int, int]]:
    return [(_SEVERITY_LABELS.get(s, s), sum(1 for f in findings if f.severity == s
                                             and not f.accepted),
             sum(1 for f in findings if f.severity == s and f.accepted)) for s in SEVERITIES]


def doc_link(doc: str) -> tuple[str, str | None]:
    """A finding's doc citation as (title, Experience League URL or None)."""
    match = _DOC_FILE_RE.search(doc or "")
    title = _DOC_FILE_RE.sub("", doc or "").strip()
    title = title.removeprefix("Experience League:").strip()
    if match is None or match.group(1) not in _DOC_PATHS:
        return title or doc, None
    return title, f"{EXPERIENCE_LEAGUE}{_DOC_PATHS[match.group(1)]}.html"


def _finding_groups(findings: Sequence[Finding], names: _NameBook,
                    rendered: Mapping[tuple[str, int], str], masker: Mask
                    ) -> tuple[list[FindingGroup], list[FindingGroup]]:
    open_groups: dict[str, FindingGroup] = {}
    accepted_groups: dict[str, FindingGroup] = {}
    for finding in findings:
        groups = accepted_groups if finding.accepted else open_groups
        group = groups.get(finding.check)
        if group is None:
            group = groups[finding.check] = _finding_group(finding)
        group.items.append(FindingItem(
            object_label=names.label(finding.object_kind, finding.object_id),
            object_anchor=rendered.get((finding.object_kind, finding.object_id)),
            message=masker(finding.message), severity=finding.severity,
            accepted_reason=masker(finding.accepted_reason)))
    return list(open_groups.values()), list(accepted_groups.values())


def _finding_group(finding: Finding) -> FindingGroup:
    spec = CHECKS.get(finding.check)
    doc_title, url = doc_link(finding.doc)
    return FindingGroup(check=finding.check, title=spec.title if spec else finding.check,
                        severity=spec.severity if spec else finding.severity,
                        explanation=finding.explanation, fix=finding.fix, doc_title=doc_title,
                        doc_url=url)


# -- usage ------------------------------------------------------------------------------------


def _default_chart_renderer(spec: ChartSpec) -> bytes:
    from explorer.report.chart_png import render_target_chart  # Qt: only when a chart is drawn

    return render_target_chart(spec)


def _usage(conn: sqlite3.Connection, masker: Mask,
           chart_renderer: Callable[[ChartSpec], bytes] | None) -> UsageView | None:
    if conn.execute("SELECT 1 FROM usage_days WHERE series = 'target' LIMIT 1").fetchone() is None:
        return None
    from explorer.analysis.usage import table_totals, usage_summary

    summary = usage_summary(conn)
    events = [_event_view(e, masker) for e in summary["events"]]
    points = [(str(day), float(value)) for day, value in summary["series"].get("target", [])]
    columns = [c for c in ("target", "analytics", "other", "total") if c in summary["series"]]
    columns += [c for c in summary["series"] if c not in columns]
    chart_png, chart_error = None, ""
    if chart_renderer is not None:
        spec = ChartSpec("Target calls per day", points,
                         [{"date": e["date"], "label": e["label"], "before": e["before"],
                           "after": e["after"]} for e in events])
        try:
            chart_png = chart_renderer(spec)
        except Exception as exc:  # the report is still worth having without its picture
            chart_error = f"The chart could not be drawn: {exc}"
    price = summary["estimate"].get("price_per_1000")
    return UsageView(chart_png=chart_png, chart_error=chart_error, months=summary["months"],
                     columns=columns, totals=table_totals(summary["months"]), events=events,
                     first_day=points[0][0] if points else "",
                     last_day=points[-1][0] if points else "", price=price)


def _event_view(event: Mapping[str, Any], masker: Mask) -> dict[str, Any]:
    setting, value = str(event.get("setting") or ""), str(event.get("value") or "")
    free_text = setting in ("note", "")
    shown_value = masker(value) if free_text else value
    label = shown_value if free_text or setting == "data collection" else \
        f"{setting.capitalize()}: {value}"
    if setting == "shared audiences":
        label = f"Shared Audiences {value}"
    return {"date": event.get("date"), "setting": setting, "value": shown_value,
            "note": masker(str(event.get("note") or "")), "label": label,
            "before": event.get("target_avg_before"), "after": event.get("target_avg_after"),
            "change_pct": event.get("change_pct")}


# -- changes ----------------------------------------------------------------------------------


def _changes(conn: sqlite3.Connection, scope: Scope, since_import: int, masker: Mask
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
        folder_kind = _FOLDER_KIND.get(str(kind))
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
        added=[mask_value(e, masker) for e in diff.added if in_scope(e)],
        removed=[mask_value(e, masker) for e in diff.removed if in_scope(e, old.kinds)],
        changed=[_changed_view(e, masker) for e in diff.changed if in_scope(e)],
        moved=[mask_value(e, masker) for e in diff.moved if in_scope(e)],
        new_findings=[mask_value(f, masker) for f in diff.new_findings if finding_in_scope(f)],
        resolved_findings=[mask_value(f, masker) for f in diff.resolved_findings
                           if finding_in_scope(f)],
    )


def _changed_view(entry: Mapping[str, Any], masker: Mask) -> dict[str, Any]:
    fields = []
    for name, (before, after) in (entry.get("fields") or {}).items():
        fields.append({"field": name, "before": _short(mask_value(before, masker, name)),
                       "after": _short(mask_value(after, masker, name))})
    return {"kind": entry["kind"], "id": entry["id"],
            "name": masker(entry["name"]) if isinstance(entry.get("name"), str) else "",
            "fields": fields}


def _short(value: Any, limit: int = 300) -> str:
    text = "—" if value in (None, "") else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ---------------------------------------------------------------------------------------------
# Rendering


def _number(value: Any, digits: int = 0) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.{digits}f}"


def _percent(value: Any) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value:+.1f} %"


def _multiline(text: str) -> Markup:
    """A note with its line breaks kept: escaped first, then each newline becomes <br>."""
    escaped = Markup.escape(text or "")
    return Markup("<br>\n").join(escaped.split("\n"))


def _kind_label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else str(kind).capitalize()


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("explorer.report", "templates"),
        autoescape=True, trim_blocks=True, lstrip_blocks=True,
        undefined=jinja2.StrictUndefined)
    env.filters.update(number=_number, percent=_percent, multiline=_multiline,
                       kind_label=_kind_label)
    return env


def _css(flavour: Flavour) -> Markup:
    """The inspector's stylesheet, scoped, then ours (constants, never user data): ours comes
    last so it can restyle the inspector's pieces for the report."""
    env = _environment()
    own = env.loader.get_source(env, f"snapshot-{flavour}.css")[0]  # type: ignore[union-attr]
    return Markup(_scoped_inspector_css() + "\n" + own)


def _scoped_inspector_css() -> str:
    """The inspector's stylesheet with every selector prefixed by ``.inspector``."""
    rules = []
    for block in stylesheet(LIGHT).split("}"):
        if "{" not in block:
            continue
        selectors, body = block.split("{", 1)
        scoped = ", ".join(f".inspector {s.strip()}" for s in selectors.split(",") if s.strip())
        rules.append(f"{scoped} {{{body}}}")
    return "\n".join(rules)


def render_html(snapshot: Snapshot, *, flavour: Flavour = "browser") -> str:
    """The snapshot as one HTML page: ``browser`` (the deliverable) or ``qt`` (markup and CSS
    Qt's rich-text engine renders, for the PDF)."""
    template = _environment().get_template("snapshot.html.j2")
    return template.render(s=snapshot, css=_css(flavour), qt=flavour == "qt",
                           severities=_SEVERITY_LABELS)


def render_snapshot(conn: sqlite3.Connection, **options: Any) -> str:
    """``build_snapshot(conn, **options)`` rendered as the browser HTML page."""
    return render_html(build_snapshot(conn, **options))
