"""The inspector page of a top-level tree group (Trait storage, Segment storage, Merge rules,
…): what it holds, how much of it came from AEP, and for segments how they reach Target.

Qt-free. ``group_summary`` reads the facts (a few counts, the tenant's Shared Audiences
setting); ``group_sections`` turns them into escaped HTML.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from explorer.analysis.sharing import tenant_target_sharing
from explorer.analysis.usage import SHARING_FACTS
from explorer.kinds import GROUP_KEYS, KINDS
from explorer.report.inspector_html.markup import (
    esc,
    muted,
    number_text,
    para,
    rows_table,
    section,
)
from explorer.store import lists

# List group key -> (title, folder kind or None). Storage groups read as the tree names them.
GROUPS: dict[str, tuple[str, str | None]] = {
    "traits": ("Trait storage", "trait-folder"),
    "segments": ("Segment storage", "segment-folder"),
    **{key: (KINDS[kind].plural_label, None) for key, kind in GROUP_KEYS.items()
       if key not in ("traits", "segments")},
}
_WHAT = {
    "traits": "Every trait of the tenant, in its trait folders.",
    "segments": "Every segment of the tenant, in its segment folders.",
    "data-sources": "The data sources traits and segments belong to.",
    "merge-rules": "The merge rules segments are evaluated with.",
    "destinations": "Where segments are sent.",
    "algo-models": "The algorithmic (look-alike) models that build algorithmic traits.",
    "derived-signals": "Signals Audience Manager derives from other signals.",
}
_TARGET_TEXT = {
    "enabled": "Shared with Adobe Target: Core Services Shared Audiences is enabled (since "
               "{since}), so every segment here reaches Target.",
    "disabled": "Not shared with Adobe Target: Core Services Shared Audiences is disabled "
                "(since {since}).",
    "unknown": "Unknown: no settings event says whether Core Services Shared Audiences is "
               "enabled. When it is, every segment here reaches Target.",
}


def group_summary(conn: sqlite3.Connection, group: str) -> dict[str, Any]:
    """The facts a group's page shows; ``group`` is a ``explorer.kinds.GROUP_KEYS`` key."""
    if group not in GROUPS:
        raise ValueError(f"unknown group {group!r}")
    title, folder_kind = GROUPS[group]
    kind = KINDS[GROUP_KEYS[group]]
    summary: dict[str, Any] = {
        "group": group, "title": title, "what": _WHAT.get(group, ""),
        "object_label": kind.plural_label,
        # Table names come from the KINDS whitelist, never from input.
        "objects": conn.execute(f"SELECT count(*) FROM {kind.table}").fetchone()[0],
    }
    if folder_kind is not None:
        summary["folders"] = conn.execute(
            f"SELECT count(*) FROM {KINDS[folder_kind].table}").fetchone()[0]
        aep = lists.ListQuery(lists.ListSource(group), lists.ListFilters(aep_only=True))
        summary["aep_shared"] = lists.count_rows(conn, aep)
    if group == "segments":
        summary["target_sharing"] = tenant_target_sharing(conn)
        summary["sharing_facts"] = list(SHARING_FACTS)
    return summary


def group_sections(summary: dict[str, Any]) -> str:
    """The page body: title, what the group is, counts, and Target sharing for segments."""
    parts = [f'<p class="meta" style="font-size:large;">{esc(summary["title"])}</p>']
    if summary.get("what"):
        parts.append(para(muted(summary["what"])))
    counts = [(str(summary["object_label"]), number_text(summary["objects"]))]
    if "folders" in summary:
        counts.append(("Folders", number_text(summary["folders"])))
    if "aep_shared" in summary:
        counts.append(("From AEP audience sharing", number_text(summary["aep_shared"])))
    parts.append(section("Contents", rows_table(counts)))
    sharing = summary.get("target_sharing")
    if sharing:
        parts.append(section("Target sharing", _target_sharing(sharing,
                                                               summary["sharing_facts"])))
    return "".join(parts)


def _target_sharing(sharing: dict[str, Any], facts: list[str]) -> str:
    status = str(sharing.get("shared_audiences") or "unknown")
    since = sharing.get("shared_audiences_since") or "an unknown date"
    text = _TARGET_TEXT.get(status, _TARGET_TEXT["unknown"]).format(since=since)
    items = "".join(f"<li>{esc(fact)}</li>" for fact in facts)
    return para(esc(text)) + (f"<ul>{items}</ul>" if items else "")
