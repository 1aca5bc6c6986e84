"""``build_snapshot``: read the workspace once into a ``Snapshot``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from explorer import __version__
from explorer.kinds import KIND_IN_FOLDER, KINDS, ObjectRef
from explorer.masking import NO_MASKING, TextMask
from explorer.report.scope import OUTLINE_KINDS, Scope, resolve_scope
from explorer.report.snapshot.changes import changes_view
from explorer.report.snapshot.findings import (
    finding_counts,
    finding_groups,
    not_checked_lines,
    scoped_findings,
)
from explorer.report.snapshot.lineage import lineage_section
from explorer.report.snapshot.model import Snapshot
from explorer.report.snapshot.names import NameBook
from explorer.report.snapshot.notes import annotation_notes
from explorer.report.snapshot.objects import build_groups, group_entries
from explorer.report.snapshot.usage import ChartRenderer, usage_view

# A whole large tenant would make a file of hundreds of MB: past this many objects the report
# says how many it left out (pick a folder or a data source for the rest).
DEFAULT_MAX_OBJECTS = 5000


def build_snapshot(conn: sqlite3.Connection, *, scope: Scope | Sequence[ObjectRef] | None = None,
                   title: str | None = None, since_import: int | None = None,
                   mask: TextMask | None = None,
                   chart_renderer: ChartRenderer | None = None,
                   max_objects: int = DEFAULT_MAX_OBJECTS,
                   now: datetime | None = None) -> Snapshot:
    """Read everything the report shows about ``scope`` (default: the whole tenant).

    ``mask`` is applied to every client string (names, descriptions, rules, notes, chart
    labels, the title) before it is escaped; ``chart_renderer`` draws the Target chart as PNG
    (``explorer.report.qt.chart_png.render_target_chart``); without it the chart is left out.
    """
    if not isinstance(scope, Scope):
        scope = resolve_scope(conn, tuple(scope or ()))
    masker = mask or NO_MASKING
    latest = conn.execute("SELECT * FROM imports ORDER BY id DESC LIMIT 1").fetchone()
    partner = str(latest["partner_id"]) if latest and latest["partner_id"] is not None else ""
    snapshot_date = (latest["export_date"] or "") if latest else ""
    names = NameBook(conn, masker)
    groups, left_out = build_groups(conn, scope, names, masker, max_objects)
    rendered = {(e.kind, e.id): e.anchor for g in groups for e in group_entries(g)}
    findings = scoped_findings(conn, scope)
    open_groups, accepted_groups = finding_groups(findings, names, rendered, masker)
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
        notes=annotation_notes(conn, scope, names, rendered, masker),
        findings=open_groups,
        accepted=accepted_groups,
        usage=usage_view(conn, masker, chart_renderer),
        changes=changes_view(conn, scope, since_import, masker) if since_import else None,
        left_out=left_out,
        since_import=since_import,
        not_checked=not_checked_lines(conn, masker),
        lineage=lineage_section(conn, scope, findings, names, rendered, masker),
    )


def _default_title(partner: str, masker: TextMask) -> str:
    return f"AAM configuration snapshot — partner {masker(partner)}" if partner else \
        "AAM configuration snapshot"


def _scope_lines(scope: Scope, names: NameBook) -> list[str]:
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
    rows = []
    for kind in OUTLINE_KINDS:
        total = conn.execute(f"SELECT count(*) FROM {KINDS[kind].table}").fetchone()[0]
        if total or scope.ids(kind):
            rows.append((KINDS[kind].plural_label, len(scope.ids(kind)), total))
    return rows
