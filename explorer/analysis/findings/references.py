"""Checks on references a segment makes that the export cannot resolve."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from explorer.analysis.findings.base import (
    DOC_MERGE_RULES,
    DOC_SEGMENT_CODE,
    TENANT_KIND,
    CheckSpec,
    Context,
    FindingRow,
    check,
    id_list,
    label,
)

MERGE_RULE_LIMIT = 4

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
)

MERGE_RULES_NOT_EXPORTED = CheckSpec(
    id="merge-rules-not-exported",
    severity="info",
    title="Merge rules are not in the export",
    doc=DOC_MERGE_RULES,
    explanation=(
        "Adobe documents no export of profile merge rules, so segments show only the rule's ID "
        f"and the merge-rule checks cannot run. A tenant has at most {MERGE_RULE_LIMIT} rules."
    ),
    fix=(
        "Enter the rules (at most 4) by hand in the Merge rules view, or write them to a CSV/JSON "
        "with the merge-rules.json columns (mergeRuleDataSourceId, name, isDefault, "
        "crossDeviceOption, crossDeviceDataSourceIds, deviceOption, dataExportControls) and "
        "import it with `aam-explorer import WS FILE`."
    ),
)


@check(SEGMENT_MISSING_TRAIT)
def segment_missing_trait(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    rows = conn.execute(
        """
        SELECT s.id, s.name, group_concat(st.trait_id) AS missing
        FROM segment_traits st
        JOIN segments s ON s.id = st.segment_id
        WHERE NOT EXISTS (SELECT 1 FROM traits t WHERE t.id = st.trait_id)
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
        return  # merge-rules-not-exported says it once for the tenant
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


@check(MERGE_RULES_NOT_EXPORTED)
def merge_rules_not_exported(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    if conn.execute("SELECT 1 FROM merge_rules LIMIT 1").fetchone():
        return
    segments = conn.execute("SELECT count(*) FROM segments").fetchone()[0]
    if not segments:
        return  # nothing imported that needs a merge rule
    rule_ids = [r[0] for r in conn.execute(
        "SELECT DISTINCT merge_rule_id FROM segments WHERE merge_rule_id IS NOT NULL "
        "ORDER BY merge_rule_id"
    )]
    used = f"; segments use {len(rule_ids)} rule ID(s): {id_list(rule_ids)}" if rule_ids else ""
    yield MERGE_RULES_NOT_EXPORTED.finding(
        TENANT_KIND, 0,
        f"The export has no profile merge rules{used}",
        merge_rule_ids=rule_ids, segments=segments, max_rules=MERGE_RULE_LIMIT,
    )
