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
class Badge:
    """A small label in an object's row: ``css`` picks its colour (sev-error, status-to-fix)."""

    text: str
    css: str = ""


@dataclass
class ObjectEntry:
    """One object: its row in the kind's table and, for objects with a finding or a note or
    that were picked, its full card (the inspector HTML, already escaped, with the note)."""

    kind: str
    id: int
    name: str
    status: str
    anchor: str
    facts: str = ""
    badges: list[Badge] = field(default_factory=list)
    body: Markup | None = None  # the card; None: the object has a row only
    annotation: dict[str, Any] | None = None
    finding_count: int = 0

    @property
    def row_anchor(self) -> str:
        return f"row-{self.anchor}"

    @property
    def link(self) -> str:
        """Where a reference to the object leads: its card, else its row."""
        return self.anchor if self.body is not None else self.row_anchor


@dataclass
class FolderSection:
    """The objects of one folder; ``count`` includes its subfolders' objects (as the tree)."""

    anchor: str
    path: list[str]
    depth: int
    count: int
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
    folder_kind: str | None = None  # trait-folder / segment-folder for storage groups

    def entries(self) -> list[ObjectEntry]:
        return self.objects + [e for f in self.folders for e in f.objects]

    def count(self) -> int:
        return len(self.objects) + sum(len(f.objects) for f in self.folders)

    def cards(self) -> list[ObjectEntry]:
        """The objects shown in full in this group's chapter (annotated ones are shown with
        the notes)."""
        return [e for e in self.entries() if e.body is not None and e.annotation is None]


@dataclass
class FindingItem:
    object_label: str
    object_anchor: str | None
    message: str
    severity: str
    accepted_reason: str = ""
    object_key: tuple[str, int] | None = None  # (kind, id) of the object it is about


@dataclass
class FindingGroup:
    """The findings of one check at one severity (a check that escalates some findings gives
    two groups, so a finding's badge and its group never disagree)."""

    check: str
    title: str
    severity: str
    explanation: str
    fix: str
    doc_title: str
    doc_url: str | None
    items: list[FindingItem] = field(default_factory=list)
    common: bool = False  # a very common info finding: one row with a count

    @property
    def anchor(self) -> str:
        return f"check-{self.check}-{self.severity}"


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
    price: float | None  # set only when the user chose to include the estimated cost
    currency: str = ""
    headline: str = ""
    cost_line: str = ""

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


@dataclass(frozen=True)
class PriceChoice:
    """The user chose to include the estimated cost: price per 1,000 Target calls."""

    price: float
    currency: str | None = None  # None: "cost units"

    @property
    def unit(self) -> str:
        return self.currency or "cost units"


@dataclass(frozen=True)
class MaskingNote:
    """What a masked snapshot says about its masking (never the terms themselves)."""

    classes: tuple[str, ...]  # labels of the ready classes
    terms: int
    patterns: int

    def sentence(self) -> str:
        parts = []
        if self.terms:
            parts.append(f"{self.terms} client term{'s' if self.terms != 1 else ''}")
        if self.patterns:
            parts.append(f"{self.patterns} pattern{'s' if self.patterns != 1 else ''}")
        if self.classes:
            parts.append(", ".join(self.classes).lower())
        if not parts:
            return ("This snapshot is masked: client values were replaced by aliases such "
                    "as \u201cTerm 1\u201d.")
        text = (f"This snapshot is masked: client values were replaced by aliases such as "
                f"\u201cTerm 1\u201d (masked: {'; '.join(parts)}). The same value always has "
                "the same alias, as in the window.")
        if not (self.terms or self.patterns):
            text += " Names are not masked."
        return text


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
    gaps: list[str] | None = None  # None: unknown (imported before gaps were recorded)
    masking: MaskingNote | None = None
    notes_to_fix: list[dict[str, Any]] = field(default_factory=list)
    kinds_total: list[tuple[str, int]] = field(default_factory=list)  # (plural label, count)
    lineage: LineageSection | None = None
    not_checked: list[str] = field(default_factory=list)  # "not checked: <check> — <reason>"

    def object_count(self) -> int:
        return sum(g.count() for g in self.groups)

    def top_findings(self, limit: int = 5) -> list[FindingGroup]:
        """The findings the summary leads with: most severe first, then the most frequent."""
        return self.findings[:limit]

    def open_count(self, severity: str) -> int:
        return sum(len(g.items) for g in self.findings if g.severity == severity)

    def cards(self) -> list[ObjectEntry]:
        return [e for g in self.groups for e in g.entries() if e.body is not None]

    def annotated_cards(self) -> list[ObjectEntry]:
        return [e for e in self.cards() if e.annotation is not None]


def anchor(kind: str, object_id: int) -> str:
    """The in-page anchor of an object: ``trait-1000001``."""
    return f"{kind}-{int(object_id)}"
