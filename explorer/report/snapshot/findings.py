"""The findings section: findings about the snapshot's objects grouped by check,
open and accepted apart, each check citing its Experience League page.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence

from explorer.analysis.findings import CHECKS, SEVERITIES, Finding, list_findings, not_checked
from explorer.analysis.findings.documentation import doc_link
from explorer.kinds import KINDS
from explorer.masking import TextMask
from explorer.report.scope import Scope
from explorer.report.snapshot.model import FindingGroup, FindingItem
from explorer.report.snapshot.names import NameBook

SEVERITY_LABELS = {"error": "Error", "warning": "Warning", "info": "Info"}
_SEVERITY_RANK = {s: n for n, s in enumerate(SEVERITIES)}
# An info check with more findings than this is "very common": one row with a count (and, in
# the HTML, a collapsible list) instead of a table the reader scrolls past.
COMMON_INFO_LIMIT = 10


def scoped_findings(conn: sqlite3.Connection, scope: Scope) -> list[Finding]:
    """Findings about the snapshot's objects and the tenant (mappings count for their
    destination or segment)."""
    mapping_owner = _mapping_owners(conn)
    kept = []
    for finding in list_findings(conn):
        kind, object_id = finding.object_kind, finding.object_id
        if kind not in KINDS:  # about the whole tenant: only in a whole-tenant snapshot
            if scope.whole_tenant:
                kept.append(finding)
        elif scope.contains(kind, object_id):
            kept.append(finding)
        elif kind == "destination-mapping":
            destination_id, segment_id = mapping_owner.get(object_id, (None, None))
            if scope.contains("destination", destination_id or -1) or \
                    scope.contains("segment", segment_id or -1):
                kept.append(finding)
    return kept


def not_checked_lines(conn: sqlite3.Connection, masker: TextMask) -> list[str]:
    """The checks the export did not let run, one "not checked: <check> — <reason>" each."""
    return [masker(item.text) for item in not_checked(conn)]


def _mapping_owners(conn: sqlite3.Connection) -> dict[int, tuple[int | None, int | None]]:
    rows = conn.execute("SELECT id, destination_id, segment_id FROM destination_mappings "
                        "WHERE id IN (SELECT object_id FROM findings "
                        "WHERE object_kind = 'destination-mapping')")
    return {r[0]: (r[1], r[2]) for r in rows}


def finding_counts(findings: Sequence[Finding]) -> list[tuple[str, int, int]]:
    return [(SEVERITY_LABELS.get(s, s), sum(1 for f in findings if f.severity == s
                                            and not f.accepted),
             sum(1 for f in findings if f.severity == s and f.accepted)) for s in SEVERITIES]


def finding_groups(findings: Sequence[Finding], names: NameBook,
                   links: Mapping[tuple[str, int], str], masker: TextMask
                   ) -> tuple[list[FindingGroup], list[FindingGroup]]:
    """Open and accepted findings grouped by check and by the finding's own severity (so a
    badge and its group never disagree), most severe first, then the most frequent."""
    open_groups: dict[tuple[str, str], FindingGroup] = {}
    accepted_groups: dict[tuple[str, str], FindingGroup] = {}
    for finding in findings:
        groups = accepted_groups if finding.accepted else open_groups
        key = (finding.check, finding.severity)
        group = groups.get(key)
        if group is None:
            group = groups[key] = _finding_group(finding)
        group.items.append(FindingItem(
            object_label=names.label(finding.object_kind, finding.object_id),
            object_anchor=links.get((finding.object_kind, finding.object_id)),
            message=masker(finding.message), severity=finding.severity,
            accepted_reason=masker(finding.accepted_reason),
            object_key=(finding.object_kind, finding.object_id)))
    ordered = sorted(open_groups.values(), key=lambda g: (
        _SEVERITY_RANK.get(g.severity, 9), -len(g.items), g.title))
    for group in ordered:
        group.common = group.severity == "info" and len(group.items) > COMMON_INFO_LIMIT
    return ordered, list(accepted_groups.values())


def _finding_group(finding: Finding) -> FindingGroup:
    spec = CHECKS.get(finding.check)
    doc_title, url = doc_link(finding.doc)
    return FindingGroup(check=finding.check, title=spec.title if spec else finding.check,
                        severity=finding.severity,
                        explanation=finding.explanation, fix=finding.fix, doc_title=doc_title,
                        doc_url=url)
