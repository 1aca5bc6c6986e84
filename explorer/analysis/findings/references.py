"""Checks on references a segment makes that the export cannot resolve."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from explorer.analysis.findings.base import (
    DOC_MERGE_RULES,
    DOC_SEGMENT_CODE,
    CheckSpec,
    Context,
    FindingRow,
    check,
    id_list,
    label,
)
from explorer.domain.gaps import ExportPart

SEGMENT_MISSING_TRAIT = CheckSpec(
    id="segment-missing-trait",
    severity="warning",
    title="Segment rule names a trait the export lacks",
    doc=DOC_SEGMENT_CODE,
    explanation=(
        "The segment rule refers to traits (NNNT) that are not in this export. AAM does not let "
        "a trait be deleted while a segment uses it, so the export is most likely incomplete "
        "(a filtered pull, a missing page, or another partner's trait): the rule cannot be "
        "shown by name and 'segments using this trait' misses these references."
    ),
    fix=(
        "Re-export the traits without filters (all pages) and import again; if the trait belongs "
        "to another partner, note it in the segment's annotation."
    ),
    # segment rules come with the details; a trait page missing from the export is no finding
    reads=((ExportPart.DETAILS, ("segment",)), (ExportPart.PAGES, ("trait",))),
)

SEGMENT_MISSING_MERGE_RULE = CheckSpec(
    id="segment-missing-merge-rule",
    severity="warning",
    title="Segment uses a merge rule the export lacks",
    doc=DOC_MERGE_RULES,
    explanation=(
        "The segment's mergeRuleDataSourceId names no profile merge rule in this export, so the "
        "explorer cannot tell which profiles (device, authenticated, cross-device) qualify for "
        "it; it shows 'unknown merge rule (ID: n)'."
    ),
    fix=(
        "Add the missing rule to the merge rules you imported (a CSV/JSON with the "
        "merge-rules.json columns, imported with `aam-explorer import`), copying its options from "
        "Audience Manager > Profile Merge Rules."
    ),
    reads=((ExportPart.MERGE_RULES, ()),),
)

@check(SEGMENT_MISSING_TRAIT)
def segment_missing_trait(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    # The missing ids first, from the two id indexes read in order: a look-up in traits per
    # reference would read the big traits table in random order.
    rows = conn.execute(
        """
        WITH missing(trait_id) AS (SELECT trait_id FROM segment_traits EXCEPT
                                   SELECT id FROM traits)
        SELECT s.id, s.name, group_concat(st.trait_id) AS missing
        FROM missing m
        JOIN segment_traits st ON st.trait_id = m.trait_id
        JOIN segments s ON s.id = st.segment_id
        GROUP BY s.id ORDER BY s.id
        """
    )
    for seg_id, name, missing in rows:
        trait_ids = sorted(int(t) for t in missing.split(","))
        refs = id_list(f"{t}T" for t in trait_ids)
        yield SEGMENT_MISSING_TRAIT.finding(
            "segment", seg_id,
            f"Segment {label(name, seg_id)} references trait(s) {refs} not in the export",
            missing_trait_ids=trait_ids,
        )


def missing_reference_findings(
    conn: sqlite3.Connection, spec: CheckSpec, column: str, targets: dict[str, str], noun: str,
    *, verb: str = "is in",
) -> Iterator[FindingRow]:
    """Flag traits/segments whose ``column`` names no row of their target table (``targets``:
    object kind -> table): "Segment 'x' (5) <verb> <noun> 7, which is not in the export".

    A target table with no row at all means the export lacks that part: that is a gap of the
    import (said once there), not one finding per object.
    """
    for kind, ref_table in targets.items():
        table = "traits" if kind == "trait" else "segments"
        # column and table names come from the callers' fixed mappings, never from input
        zero_ok = f"AND {column} <> 0" if column == "folder_id" else ""  # 0 = the root
        if not conn.execute(f"SELECT 1 FROM {ref_table} LIMIT 1").fetchone():
            continue
        # The missing targets first, from the column's index alone; then only their objects
        # are read from the (big) table.
        rows = conn.execute(
            f"""SELECT o.id, o.name, o.{column} FROM {table} o
                WHERE o.{column} IN (SELECT {column} FROM {table}
                                     WHERE {column} IS NOT NULL {zero_ok}
                                     EXCEPT SELECT id FROM {ref_table})
                ORDER BY o.id"""
        )
        for obj_id, name, ref_id in rows:
            reference: dict[str, Any] = {column: ref_id}
            yield spec.finding(
                kind, obj_id,
                f"{kind.capitalize()} {label(name, obj_id)} {verb} {noun} {ref_id}, "
                "which is not in the export",
                **reference,
            )


@check(SEGMENT_MISSING_MERGE_RULE)
def segment_missing_merge_rule(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    return missing_reference_findings(conn, SEGMENT_MISSING_MERGE_RULE, "merge_rule_id",
                                      {"segment": "merge_rules"}, "merge rule", verb="uses")
