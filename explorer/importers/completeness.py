"""What an export lacks, worked out while it is imported (``explorer.domain.gaps``).

An AAM export is whatever a client's tool saved, so it is often partial: traits listed without
``includeDetails=true`` (no rules, integration codes or TTL), no metrics, no folders, no merge
rules, no mappings, some pages of a paged kind, objects of other partners. Each such fact
becomes one ``Gap`` stored with the import, so that the findings that need the missing part
are not judged on it.
"""

from __future__ import annotations

import re
import sqlite3
from collections import defaultdict
from datetime import date
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from explorer.domain.gaps import ExportPart, Gap
from explorer.kinds import KINDS

if TYPE_CHECKING:
    from explorer.importers.loader_state import LoaderState


def find_gaps(state: LoaderState) -> list[Gap]:
    """Every gap of the configuration just loaded (counts are final when this runs)."""
    counts = state.counts
    gaps: list[Gap] = []
    gaps.extend(_missing_pages(state.kind_files))
    gaps.extend(_missing_details(state.detail_less))
    loaded = {kind: counts[KINDS[kind].table] for kind in KINDS}
    objects = loaded["trait"] + loaded["segment"]
    if objects and not state.metric_kinds:
        gaps.append(Gap(ExportPart.METRICS,
                        "no metrics: no trait or segment carries uniques or counts (exported "
                        "without includeMetrics=true)", ("trait", "segment")))
    for kind, folder_kind in (("trait", "trait-folder"), ("segment", "segment-folder")):
        if loaded[kind] and not loaded[folder_kind]:
            gaps.append(Gap(ExportPart.FOLDERS,
                            f"no {KINDS[folder_kind].plural_label.lower()}: the "
                            f"{KINDS[kind].plural_label.lower()}' folders are not in the "
                            "export", (folder_kind,)))
    if loaded["segment"] and not loaded["merge-rule"]:
        gaps.append(Gap(ExportPart.MERGE_RULES,
                        "no merge rules: segments name their merge rule by id only",
                        ("merge-rule",)))
    if loaded["segment"] and not loaded["destination"]:
        gaps.append(Gap(ExportPart.DESTINATIONS, "no destinations", ("destination",)))
    if loaded["destination"] and not loaded["destination-mapping"]:
        gaps.append(Gap(ExportPart.MAPPINGS,
                        "no destination mappings: which segment goes to which destination is "
                        "not in the export", ("destination-mapping",)))
    if objects and not loaded["data-source"]:
        gaps.append(Gap(ExportPart.DATA_SOURCES, "no data sources", ("data-source",)))
    if state.pids:
        gaps.extend(_other_partners(state.pid_kinds, state.pids.most_common(1)[0][0]))
    return gaps


def _plural(kind: str, count: int) -> str:
    spec = KINDS[kind]
    return f"{count:,} {spec.label.lower() if count == 1 else spec.plural_label.lower()}"


def _missing_pages(kind_files: dict[str, list[tuple[str, int, int | None, Any]]]) -> list[Gap]:
    """All files of one kind (of one destination, for mappings) added up, against the paged
    wrappers' ``total``: only a shortfall is a gap."""
    gaps: list[Gap] = []
    for kind, files in kind_files.items():
        if kind not in KINDS:
            continue
        groups: dict[Any, list[tuple[str, int, int | None]]] = defaultdict(list)
        for name, rows, total, group in files:
            groups[group].append((name, rows, total))
        for members in groups.values():
            totals = [total for _name, _rows, total in members if total is not None]
            if not totals:
                continue
            held = sum(rows for _name, rows, _total in members)
            expected = max(totals)
            if held < expected:
                names = tuple(name for name, _rows, _total in members)
                gaps.append(Gap(
                    ExportPart.PAGES,
                    f"{', '.join(names)}: {held:,} of {_plural(kind, expected)}; the other "
                    "pages are not in the export", (kind,), names))
    return gaps


def _missing_details(detail_less: dict[str, list[int]]) -> list[Gap]:
    files = tuple(name for name, (lacking, _rows) in detail_less.items() if lacking)
    if not files:
        return []
    lacking = sum(detail_less[name][0] for name in files)
    rows = sum(detail_less[name][1] for name in files)
    return [Gap(ExportPart.DETAILS,
                f"{', '.join(files)}: {lacking:,} of {_plural('trait', rows)} have no rule or "
                "integration code (exported without includeDetails=true)",
                ("trait",), files)]


def _other_partners(pid_kinds: Any, tenant: int) -> list[Gap]:
    """One gap per partner id other than the tenant's, with its objects counted."""
    per_partner: dict[int, dict[str, int]] = defaultdict(dict)
    for (pid, kind), count in pid_kinds.items():
        per_partner[pid][kind] = count
    gaps: list[Gap] = []
    for pid in sorted(per_partner):
        if pid == tenant:
            continue
        kinds = per_partner[pid]
        ordered = [kind for kind in KINDS if kind in kinds]
        listed = ", ".join(_plural(kind, kinds[kind]) for kind in ordered)
        gaps.append(Gap(ExportPart.OTHER_PARTNERS,
                        f"partner {pid}: {listed} (imported; the tenant is partner {tenant})",
                        tuple(ordered)))
    return gaps


# --- the export date ----------------------------------------------------------------------

_NAME_DATE = re.compile(r"(?<!\d)(20\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_in_name(source_names: list[str]) -> str | None:
    """The latest date written in the export's folder or zip names (``aam-2026-03-14.zip``)."""
    found: list[str] = []
    for name in source_names:
        for part in PurePath(name).parts[-2:]:
            for match in _NAME_DATE.finditer(part):
                try:
                    found.append(date(*(int(g) for g in match.groups())).isoformat())
                except ValueError:
                    continue
    return max(found) if found else None


def export_date_gap(conn: sqlite3.Connection, export_date: str | None,
                    source_names: list[str]) -> Gap | None:
    """A gap when the export date taken from object times is earlier than other evidence:
    the usage days, the settings events, or a date in the export's folder or zip name."""
    if export_date is None:
        return None
    evidence: list[tuple[str, str]] = []
    usage = conn.execute("SELECT max(day) FROM usage_days").fetchone()[0]
    if usage:
        evidence.append((str(usage)[:10], "the usage days run to"))
    events = conn.execute("SELECT max(date) FROM setting_events").fetchone()[0]
    if events:
        evidence.append((str(events)[:10], "the settings events run to"))
    named = date_in_name(source_names)
    if named:
        evidence.append((named, "the export's name says"))
    later = [(day, what) for day, what in evidence if day > export_date]
    if not later:
        return None
    day, what = max(later)
    return Gap(ExportPart.EXPORT_DATE,
               f"the export date {export_date} comes from the newest object time, but {what} "
               f"{day}: give the real date with --export-date")
