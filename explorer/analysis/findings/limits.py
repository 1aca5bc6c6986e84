"""Checks against AAM's documented usage limits."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass

from explorer.analysis.findings.base import (
    DOC_LIMITS,
    TENANT_KIND,
    CheckSpec,
    Context,
    FindingRow,
    check,
    label,
)
from explorer.domain.gaps import ExportPart

MAX_FOLDER_DEPTH = 5
NEAR_FRACTION = 0.9
TRAITS_PER_SEGMENT_LIMIT = 5_000


@dataclass(frozen=True)
class Limit:
    key: str
    noun: str
    limit: int
    count_sql: str  # a constant query, never built from input


# AAM's documented limits (usage-limits.md) that an export lets us count.
TENANT_LIMITS: tuple[Limit, ...] = (
    Limit("traits", "traits", 100_000, "SELECT count(*) FROM traits"),
    Limit("algo_traits", "algorithmic traits", 50,
          "SELECT count(*) FROM traits WHERE upper(trait_type) = 'ALGO_TRAIT'"),
    Limit("segments", "segments", 20_000, "SELECT count(*) FROM segments"),
    Limit("trait_folders", "trait folders", 2_000,
          "SELECT count(*) FROM trait_folders WHERE id <> 0"),
    Limit("destinations", "destinations", 1_000, "SELECT count(*) FROM destinations"),
    Limit("s2s_destinations", "server-to-server destinations", 100,
          "SELECT count(*) FROM destinations WHERE upper(destination_type) = 'S2S'"),
)

FOLDER_TOO_DEEP = CheckSpec(
    id="folder-too-deep",
    severity="warning",
    title="Trait folder deeper than 5 levels",
    doc=DOC_LIMITS,
    explanation=(
        f"AAM documents at most {MAX_FOLDER_DEPTH} levels of trait folders (a top-level folder "
        "under All Traits is level 1). Deeper folders were created through a path the UI does "
        "not allow, and may be refused by bulk tools or when moved."
    ),
    fix="Flatten the folder tree so no folder is more than 5 levels below All Traits.",
    needs=frozenset({ExportPart.FOLDERS}),
)

LIMIT_NEAR = CheckSpec(
    id="limit-near",
    severity="warning",
    title="Near an AAM usage limit",
    doc=DOC_LIMITS,
    explanation=(
        f"At {NEAR_FRACTION:.0%} of a documented limit, new objects will soon be refused "
        "(Administration > Limits shows the same bars). Limits can be raised through the "
        "account representative."
    ),
    fix="Clean up unused objects (see trait-unused) or ask the Adobe account team for a raise.",
    # counts of a kind with pages missing from the export say nothing about the tenant
    needs=frozenset({ExportPart.PAGES}),
)


@check(FOLDER_TOO_DEEP)
def folder_too_deep(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    # levels are recomputed from parent links; the stored depth is the fallback for folders
    # whose ancestors the export lacks
    rows = conn.execute(
        """
        WITH RECURSIVE tree(id, level) AS (
            SELECT id, 1 FROM trait_folders
            WHERE id <> 0 AND (parent_id IS NULL OR parent_id = 0)
            UNION ALL
            SELECT f.id, t.level + 1 FROM trait_folders f JOIN tree t ON f.parent_id = t.id
            WHERE t.level < 1000
        )
        SELECT f.id, f.name, f.path, coalesce(t.level, f.depth) AS level
        FROM trait_folders f LEFT JOIN tree t ON t.id = f.id
        WHERE coalesce(t.level, f.depth) > ?
        ORDER BY f.id
        """,
        (MAX_FOLDER_DEPTH,),
    )
    for folder_id, name, path, level in rows:
        where = f" ({path})" if path else ""
        yield FOLDER_TOO_DEEP.finding(
            "trait-folder", folder_id,
            f"Trait folder {label(name, folder_id)}{where} is at level {level}, deeper than "
            f"{MAX_FOLDER_DEPTH}",
            level=level, max_level=MAX_FOLDER_DEPTH,
        )


def _near(count: int, limit: int) -> bool:
    return count >= NEAR_FRACTION * limit


@check(LIMIT_NEAR)
def limit_near(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    near = []
    for lim in TENANT_LIMITS:
        count = conn.execute(lim.count_sql).fetchone()[0]
        if _near(count, lim.limit):
            near.append((lim, count))
    if near:
        # one tenant finding for all counts: acceptances are keyed by (check, object)
        parts = [f"{lim.noun} {count:,} of {lim.limit:,} ({count / lim.limit:.0%})"
                 for lim, count in near]
        numbers = {lim.key: count for lim, count in near}
        numbers.update({f"{lim.key}_limit": lim.limit for lim, _ in near})
        yield LIMIT_NEAR.finding(
            TENANT_KIND, 0, "Near AAM limits: " + "; ".join(parts),
            severity="error" if any(c >= lim.limit for lim, c in near) else None,
            **numbers,
        )
    rows = conn.execute(
        """
        SELECT s.id, s.name, count(*) AS n FROM segment_traits st
        JOIN segments s ON s.id = st.segment_id
        GROUP BY st.segment_id HAVING n >= ? ORDER BY s.id
        """,
        (int(NEAR_FRACTION * TRAITS_PER_SEGMENT_LIMIT),),
    )
    for seg_id, name, count in rows:
        yield LIMIT_NEAR.finding(
            "segment", seg_id,
            f"Segment {label(name, seg_id)} names {count:,} traits in its rule, of "
            f"{TRAITS_PER_SEGMENT_LIMIT:,} allowed ({count / TRAITS_PER_SEGMENT_LIMIT:.0%})",
            severity="error" if count >= TRAITS_PER_SEGMENT_LIMIT else None,
            traits=count, limit=TRAITS_PER_SEGMENT_LIMIT,
        )
