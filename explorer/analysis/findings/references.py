"""Checks on references a segment makes that the export cannot resolve."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

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


@check(SEGMENT_MISSING_MERGE_RULE)
def segment_missing_merge_rule(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    if not conn.execute("SELECT 1 FROM merge_rules LIMIT 1").fetchone():
        return  # an export without merge rules is a gap of the import, said once there
    rows = conn.execute(
        """
        SELECT s.id, s.name, s.merge_rule_id FROM segments s
        WHERE s.merge_rule_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM merge_rules m WHERE m.id = s.merge_rule_id)
        ORDER BY s.id
        """
    )
    for seg_id, name, rule_id in rows:
        yield SEGMENT_MISSING_MERGE_RULE.finding(
            "segment", seg_id,
            f"Segment {label(name, seg_id)} uses merge rule {rule_id}, which is not in the export",
            merge_rule_id=rule_id,
        )
