"""The tenant at a glance: the facts the window's overview page (and a report's executive
summary) shows when a workspace opens.

Qt-free. ``tenant_overview`` reads everything in a few aggregate queries: what the tenant
holds per kind, its findings by severity and the checks the export kept from running, how
much of it AEP shares and what is wrong there, how segments reach Adobe Target with the
Target-calls headline, what the export lacks, and (when the caller has it) what changed
since the previous import.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, replace
from typing import Any

from explorer.analysis.diff import Diff
from explorer.analysis.findings import finding_counts, not_checked
from explorer.analysis.findings.base import SEVERITIES
from explorer.analysis.gaps import workspace_gaps
from explorer.analysis.sharing import tenant_target_sharing
from explorer.analysis.trends import headline
from explorer.analysis.usage import usage_summary
from explorer.kinds import GROUP_KEYS, KINDS
from explorer.store import lists

AEP_CHECK_PREFIX = "aep-"  # the AEP audience-sharing checks (explorer.analysis.findings.aep)


@dataclass(frozen=True)
class KindCount:
    """One top-level group of the tree: its key (``explorer.kinds.GROUP_KEYS``), label, size."""

    group: str
    label: str
    count: int


@dataclass(frozen=True)
class RecentChanges:
    """The diff against the previous import, counted."""

    since: str
    until: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Overview:
    counts: list[KindCount]
    findings: dict[str, int]  # open findings per severity, every severity present
    accepted: int
    not_checked: list[str]  # "title — reason" of each check the export kept from running
    aep_traits: int
    aep_segments: int
    aep_findings: dict[str, int]  # open AEP-check findings per severity
    target_sharing: dict[str, Any]  # explorer.analysis.sharing.tenant_target_sharing
    target_headline: str
    gaps: list[dict[str, Any]] | None  # explorer.analysis.gaps.workspace_gaps; None: unknown
    changes: RecentChanges | None = None

    @property
    def open_findings(self) -> int:
        return sum(self.findings.values())


def tenant_overview(conn: sqlite3.Connection, diff: Diff | None = None) -> Overview:
    """The overview of the workspace on ``conn``; ``diff`` is the comparison with the
    previous import when the caller computed one (the window's Changes feature does)."""
    counts = [KindCount(group, KINDS[kind].plural_label,
                        # table names come from the KINDS whitelist, never from input
                        conn.execute(f"SELECT count(*) FROM {KINDS[kind].table}").fetchone()[0])
              for group, kind in GROUP_KEYS.items()]
    finding_totals = finding_counts(conn)
    aep_findings = dict.fromkeys(SEVERITIES, 0)
    for (check, severity), n in finding_totals.open.items():
        if check.startswith(AEP_CHECK_PREFIX):
            aep_findings[severity] = aep_findings.get(severity, 0) + n
    overview = Overview(
        counts=counts,
        findings=finding_totals.by_severity(),
        accepted=sum(finding_totals.accepted.values()),
        not_checked=[f"{item.title} — {item.reason}" for item in not_checked(conn)],
        aep_traits=lists.count_aep(conn, "traits"),
        aep_segments=lists.count_aep(conn, "segments"),
        aep_findings=aep_findings,
        target_sharing=tenant_target_sharing(conn),
        target_headline=headline(usage_summary(conn)),
        gaps=workspace_gaps(conn),
    )
    return with_recent_changes(overview, diff)


def with_recent_changes(overview: Overview, diff: Diff | None) -> Overview:
    """``overview`` whose "Recent changes" count ``diff`` (None: no comparison), without
    reading the workspace again: a new diff changes only that section."""
    changes = None
    if diff is not None:
        changes = RecentChanges(diff.from_label, diff.to_label, diff.counts())
    return replace(overview, changes=changes)
