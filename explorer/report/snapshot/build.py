"""``build_snapshot``: read the workspace once into a ``Snapshot``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from explorer import __version__
from explorer.kinds import KIND_IN_FOLDER, KINDS, ObjectRef
from explorer.masking import Masker, TextMask
from explorer.report.scope import OUTLINE_KINDS, SPECIAL_SCOPES, Scope, resolve_scope
from explorer.report.snapshot.changes import changes_view
from explorer.report.snapshot.findings import (
    finding_counts,
    finding_groups,
    not_checked_lines,
    scoped_findings,
)
from explorer.report.snapshot.lineage import lineage_section
from explorer.report.snapshot.model import (
    FindingGroup,
    MaskingNote,
    ObjectGroup,
    PriceChoice,
    Snapshot,
)
from explorer.report.snapshot.names import NameBook
from explorer.report.snapshot.notes import annotation_notes, annotation_view
from explorer.report.snapshot.objects import Marks, add_cards, build_groups
from explorer.report.snapshot.text import ReportMask
from explorer.report.snapshot.usage import ChartRenderer, usage_view
from explorer.store.annotations import list_annotations
from explorer.store.gaps import read_gaps

# A whole large tenant would make a file of hundreds of MB: past this many objects the report
# says how many it left out (pick a folder or a data source for the rest).
DEFAULT_MAX_OBJECTS = 5000
# Full cards are for the objects a reader must look at; past this many the rest keep their row.
MAX_CARDS = 300


def build_snapshot(conn: sqlite3.Connection, *, scope: Scope | Sequence[ObjectRef] | None = None,
                   title: str | None = None, since_import: int | None = None,
                   mask: Masker | None = None, masking: MaskingNote | None = None,
                   chart_renderer: ChartRenderer | None = None,
                   usage: bool | None = None, price: PriceChoice | None = None,
                   max_objects: int = DEFAULT_MAX_OBJECTS,
                   now: datetime | None = None) -> Snapshot:
    """Read everything the report shows about ``scope`` (default: the whole tenant).

    ``mask`` is applied to every client string (names, descriptions, rules, notes, chart
    labels, the title) before it is escaped, and ``masking`` says so on the first page;
    ``usage`` asks for the Target calls chapter (default: only for the whole tenant, since the
    calls are the tenant's), drawn by ``chart_renderer``
    (``explorer.report.qt.chart_png.render_target_chart``; without it, no chart); ``price`` is the
    user's choice to include the estimated cost (never taken from the workspace unasked).
    """
    if not isinstance(scope, Scope):
        scope = resolve_scope(conn, tuple(scope or ()))
    masker = ReportMask(mask)
    latest = conn.execute("SELECT * FROM imports ORDER BY id DESC LIMIT 1").fetchone()
    partner = str(latest["partner_id"]) if latest and latest["partner_id"] is not None else ""
    snapshot_date = (latest["export_date"] or "") if latest else ""
    names = NameBook(conn, masker)
    findings = scoped_findings(conn, scope)
    annotations = {(a.kind, a.object_id): annotation_view(a.to_json(), masker)
                   for a in list_annotations(conn)}
    severities: dict[tuple[str, int], list[str]] = {}
    for finding in findings:
        if not finding.accepted:
            severities.setdefault((finding.object_kind, finding.object_id), []).append(
                finding.severity)
    marks = Marks(severities, annotations, set())
    groups, left_out = build_groups(conn, scope, names, masker, max_objects, marks,
                                    snapshot_date or None)
    listed = _links(conn, groups)
    open_groups, accepted_groups = finding_groups(findings, names, listed, masker)
    add_cards(conn, groups, _card_keys(scope, open_groups, annotations, listed), masker)
    links = _links(conn, groups)
    _link_to_cards(links, open_groups, accepted_groups)
    show_usage = scope.whole_tenant if usage is None else usage
    notes = annotation_notes(conn, scope, names, links, masker)
    return Snapshot(
        title=masker(title) if title else _default_title(partner, masker),
        partner_id=masker(partner) if partner else "",
        snapshot_date=snapshot_date,
        exported_at=(now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC"),
        app_version=__version__,
        scope_lines=_scope_lines(scope, names),
        whole_tenant=scope.whole_tenant,
        counts=_counts(conn, scope),
        finding_counts=finding_counts(findings),
        groups=groups,
        notes=notes,
        findings=open_groups,
        accepted=accepted_groups,
        usage=usage_view(conn, masker, chart_renderer, price) if show_usage else None,
        changes=changes_view(conn, scope, since_import, masker) if since_import else None,
        left_out=left_out,
        since_import=since_import,
        gaps=_gaps(conn, masker),
        masking=masking if mask is not None else None,
        notes_to_fix=[n for n in notes if n["status"] == "to fix"],
        kinds_total=_kinds_total(conn),
        lineage=lineage_section(conn, scope, findings, names, links, masker),
        not_checked=not_checked_lines(conn, masker),
    )


def _card_keys(scope: Scope, open_groups: list[FindingGroup],
               annotations: dict[tuple[str, int], dict[str, object]],
               listed: dict[tuple[str, int], str]) -> set[tuple[str, int]]:
    """Objects shown in full: annotated ones, those with a finding that is not a very common
    info one, and picked ones; at most MAX_CARDS, the most severe first."""
    wanted: list[tuple[str, int]] = [k for k in annotations if k in listed]
    for group in open_groups:  # most severe first
        if not group.common:
            wanted += [i.object_key for i in group.items if i.object_key in listed]
    wanted += [(p.kind, p.id) for p in scope.picks if (p.kind, p.id) in listed]
    return set(list(dict.fromkeys(wanted))[:MAX_CARDS])


def _links(conn: sqlite3.Connection, groups: list[ObjectGroup]) -> dict[tuple[str, int], str]:
    """Where a reference to an object leads: its card, else its row; a folder: its section;
    a destination mapping: its segment."""
    links = {(e.kind, e.id): e.link for g in groups for e in g.entries()}
    for mapping_id, segment_id in conn.execute(
            "SELECT id, segment_id FROM destination_mappings"):
        if ("segment", segment_id) in links:
            links[("destination-mapping", mapping_id)] = links[("segment", segment_id)]
    for group in groups:
        for section in group.folders:
            folder_id = int(section.anchor.rsplit("-", 1)[-1])
            if group.folder_kind and folder_id:
                links[(group.folder_kind, folder_id)] = section.anchor
    return links


def _link_to_cards(links: dict[tuple[str, int], str], *finding_lists: list[FindingGroup]
                   ) -> None:
    for findings in finding_lists:
        for group in findings:
            for item in group.items:
                if item.object_key is not None:
                    item.object_anchor = links.get(item.object_key)


def _default_title(partner: str, masker: TextMask) -> str:
    return f"AAM configuration snapshot — partner {masker(partner)}" if partner else \
        "AAM configuration snapshot"


def _scope_lines(scope: Scope, names: NameBook) -> list[str]:
    if scope.special is not None:
        return [SPECIAL_SCOPES[scope.special]]
    if scope.whole_tenant:
        return ["The whole tenant"]
    lines = []
    for pick in scope.picks:
        label = KINDS[pick.kind].label
        text = f"{label}: {names.label(pick.kind, pick.id)}"
        if pick.kind in KIND_IN_FOLDER:
            path, _missing = names.folder_path(pick.kind, pick.id)
            text = f"{label}: {' / '.join(path)} ({pick.id}), with its subfolders"
        elif pick.kind == "data-source":
            text += ", with its traits and segments"
        lines.append(text)
    return lines


def _counts(conn: sqlite3.Connection, scope: Scope) -> list[tuple[str, int, int]]:
    """(plural label, in the snapshot, in the tenant) for the kinds the snapshot shows (every
    kind the tenant has, for the whole tenant)."""
    rows = []
    for kind in OUTLINE_KINDS:
        total = conn.execute(f"SELECT count(*) FROM {KINDS[kind].table}").fetchone()[0]
        shown = len(scope.ids(kind))
        if shown or (scope.whole_tenant and total):
            rows.append((KINDS[kind].plural_label, shown, total))
    return rows


def _kinds_total(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    rows = []
    for kind in OUTLINE_KINDS:
        total = conn.execute(f"SELECT count(*) FROM {KINDS[kind].table}").fetchone()[0]
        if total:
            rows.append((KINDS[kind].plural_label, total))
    return rows


def _gaps(conn: sqlite3.Connection, masker: TextMask) -> list[str] | None:
    gaps = read_gaps(conn)
    return None if gaps is None else [masker(g.what) for g in gaps]
