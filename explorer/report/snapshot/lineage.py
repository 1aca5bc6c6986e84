"""The snapshot's "Lineage" chapter: the flow drawing of each picked object and of each object
with a finding about its flow.

The drawing is ``explorer.report.lineage_drawing.render_svg`` (escaped text, no script, no
external resource), inlined in the HTML page; the PDF writer turns each into an image. The
whole-tenant snapshot draws only the flow findings' objects, most severe first and at most
``MAX_FINDING_DRAWINGS``, so the report keeps its page budget.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from markupsafe import Markup

from explorer.analysis.findings import Finding
from explorer.analysis.lineage import LineageError, build_lineage
from explorer.kinds import KINDS, ObjectRef
from explorer.masking import TextMask
from explorer.report.lineage_drawing import render_svg
from explorer.report.scope import Scope
from explorer.report.snapshot.names import NameBook

# Checks whose findings are about where an object's data goes (or fails to go).
FLOW_CHECKS = frozenset({
    "paused-segment-mapped", "mapping-expired", "trait-unused", "aep-trait-without-segment",
    "segment-missing-trait", "target-cookie-destination",
})
MAX_PICKED_DRAWINGS = 30
MAX_FINDING_DRAWINGS = 6
# A drawing this deep shows a segment's traits, their sources and its destinations.
DRAWING_DEPTH = 2
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class LineageDrawing:
    kind: str
    id: int
    label: str  # masked
    reason: str
    anchor: str | None  # the object's card in this report, when it has one
    svg: Markup


@dataclass
class LineageSection:
    drawings: list[LineageDrawing] = field(default_factory=list)
    left_out: int = 0  # objects with a flow finding not drawn (past MAX_FINDING_DRAWINGS)


def lineage_section(conn: sqlite3.Connection, scope: Scope, findings: Sequence[Finding],
                    names: NameBook, rendered: Mapping[tuple[str, int], str],
                    masker: TextMask) -> LineageSection | None:
    """The chapter, or None when no object needs a drawing."""
    wanted: dict[ObjectRef, str] = {}
    for pick in scope.picks[:MAX_PICKED_DRAWINGS]:
        if pick.kind in KINDS:
            wanted.setdefault(pick, "picked")
    flow = sorted((f for f in findings if f.check in FLOW_CHECKS and not f.accepted
                   and f.object_kind in KINDS),
                  key=lambda f: (_SEVERITY_ORDER.get(f.severity, 3), f.check, f.object_id))
    flow_objects: dict[ObjectRef, list[str]] = {}
    for finding in flow:
        ref = _drawn_object(conn, finding)
        if ref is not None:
            flow_objects.setdefault(ref, []).append(finding.check)
    left_out = 0
    drawn_for_findings = 0
    for ref, checks in flow_objects.items():
        if ref in wanted:
            wanted[ref] += "; finding: " + ", ".join(dict.fromkeys(checks))
        elif drawn_for_findings < MAX_FINDING_DRAWINGS:
            wanted[ref] = "finding: " + ", ".join(dict.fromkeys(checks))
            drawn_for_findings += 1
        else:
            left_out += 1
    section = LineageSection(left_out=left_out)
    for ref, reason in wanted.items():
        try:
            graph = build_lineage(conn, ref.kind, ref.id, depth=DRAWING_DEPTH)
        except LineageError:
            continue
        label = names.label(ref.kind, ref.id)
        svg = render_svg(graph, "light", masker, title=f"Lineage of {label}")
        section.drawings.append(LineageDrawing(ref.kind, ref.id, label, reason,
                                               rendered.get((ref.kind, ref.id)), Markup(svg)))
    return section if section.drawings else None


def _drawn_object(conn: sqlite3.Connection, finding: Finding) -> ObjectRef | None:
    """The object whose drawing shows the finding: a mapping's is its segment's."""
    if finding.object_kind != "destination-mapping":
        return ObjectRef(finding.object_kind, finding.object_id)
    row = conn.execute("SELECT segment_id FROM destination_mappings WHERE id = ?",
                       (finding.object_id,)).fetchone()
    return None if row is None or row[0] is None else ObjectRef("segment", int(row[0]))
