"""The snapshot as plain data: what ``build`` reads and ``render`` lays out.

Every string in it is already masked; the inspector HTML in ``ObjectEntry.body`` is
already escaped (``Markup``).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    from explorer.report.snapshot.lineage import LineageSection


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
    lineage: LineageSection | None = None
    not_checked: list[str] = field(default_factory=list)  # "not checked: <check> — <reason>"

    def object_count(self) -> int:
        return sum(g.count() for g in self.groups)


def anchor(kind: str, object_id: int) -> str:
    """The in-page anchor of an object: ``trait-1000001``."""
    return f"{kind}-{int(object_id)}"
