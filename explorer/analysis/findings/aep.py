"""Checks on the traits and segments that AEP audience sharing creates in AAM.

AEP objects are the traits and segments in the data source named
"Adobe Experience Platform Audience Sharing". Adobe documents each of them as: an onboarded trait
with expression ``segID = <AEP segment ID>`` and that ID as integration code, stored in
"Experience Platform Traits"; a segment with the same integration code whose rule is just that
trait, merge rule "External Merge Policy", stored in "Experience Platform Segments".
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

from explorer.analysis.findings.base import (
    DOC_AEP,
    CheckSpec,
    Context,
    FindingRow,
    ObjectSet,
    check,
    label,
)
from explorer.domain.gaps import ExportPart
from explorer.kinds import (
    AEP_SEGMENT_FOLDER_NAME,
    AEP_TRAIT_FOLDER_NAME,
    EXTERNAL_MERGE_POLICY_NAME,
)

# segid/segID, = or ==, the value double-quoted, single-quoted or bare; optional outer parentheses
_SEGID_EXPRESSION = re.compile(
    r"""^\s*\(?\s*segid\s*={1,2}\s*(?:"([^"]*)"|'([^']*)'|([^\s"'()]+))\s*\)?\s*$""",
    re.IGNORECASE,
)
_SINGLE_TRAIT_RULE = re.compile(r"^\s*(\d+)T\s*$", re.IGNORECASE)

_AUTO_CROSS_DEVICE = "no cross-device profile"
_AUTO_DEVICE = "device profile"

AEP_TRAIT_NOT_ONBOARDED = CheckSpec(
    id="aep-trait-not-onboarded",
    severity="error",
    title="AEP-sharing trait that is not onboarded",
    doc=DOC_AEP,
    explanation=(
        "Traits in the 'Adobe Experience Platform Audience Sharing' data source are created by "
        "AEP as onboarded traits that qualify on the segID signal. A rule-based or algorithmic "
        "trait there was made by hand and will not be filled by AEP."
    ),
    fix=(
        "Move the trait to a data source of your own (or delete it); let AEP create the shared "
        "trait itself."
    ),
    # AEP objects are found by their data source
    reads=((ExportPart.DATA_SOURCES, ()),),
)

AEP_TRAIT_EXPRESSION_MISMATCH = CheckSpec(
    id="aep-trait-expression-mismatch",
    severity="error",
    title="AEP trait expression is not segID = its integration code",
    doc=DOC_AEP,
    explanation=(
        "AEP sends its segment memberships as the signal segID = <AEP segment ID>, and the shared "
        "trait's integration code is that ID. A trait whose expression tests anything else (or "
        "another ID) never qualifies anyone from AEP."
    ),
    fix=(
        "Restore the expression to segid == \"<integration code>\", or re-share the segment "
        "from AEP so it is recreated."
    ),
    needs=frozenset({ExportPart.DETAILS}),
    reads=((ExportPart.DATA_SOURCES, ()),),
)

AEP_TRAIT_WITHOUT_SEGMENT = CheckSpec(
    id="aep-trait-without-segment",
    severity="warning",
    title="AEP trait used by no segment",
    doc=DOC_AEP,
    explanation=(
        "AEP audience sharing creates each trait together with a segment that contains just that "
        "trait. Without a segment the audience reaches no AAM destination or Target."
    ),
    fix=(
        "Check whether the auto-created segment was deleted; re-share the AEP segment, or "
        "create a segment whose rule is this trait alone."
    ),
    template="AEP trait {label} is used by no segment",
    reads=((ExportPart.DATA_SOURCES, ()), (ExportPart.DETAILS, ("segment",)),
           (ExportPart.PAGES, ("segment",))),
)

AEP_SEGMENT_IC_MISMATCH = CheckSpec(
    id="aep-segment-integration-code-mismatch",
    severity="error",
    title="AEP segment's integration code matches none of its AEP traits",
    doc=DOC_AEP,
    explanation=(
        "An AEP-shared segment carries the AEP segment ID as integration code, the same as its "
        "trait's. A different code breaks look-ups by integration code and mappings that use it "
        "(mappingAutoFiller IC)."
    ),
    fix="Set the segment's integration code to its AEP trait's integration code (the AEP ID).",
    reads=((ExportPart.DATA_SOURCES, ()), (ExportPart.DETAILS, ("trait", "segment"))),
)

AEP_SEGMENT_MERGE_RULE = CheckSpec(
    id="aep-segment-merge-rule",
    severity="warning",
    title="AEP segment not on the External Merge Policy",
    doc=DOC_AEP,
    explanation=(
        "AEP-shared segments are created with the merge rule 'External Merge Policy' (No "
        "Cross-Device Profile + Device Profile): AEP has already merged the profile. Another "
        "rule changes the population, so counts no longer match AEP."
    ),
    fix="Set the segment's merge rule back to External Merge Policy.",
    reads=((ExportPart.DATA_SOURCES, ()), (ExportPart.MERGE_RULES, ())),
)

AEP_SEGMENT_RULE = CheckSpec(
    id="aep-segment-rule",
    severity="warning",
    title="AEP segment rule is not exactly its one AEP trait",
    doc=DOC_AEP,
    explanation=(
        "AEP audience sharing creates a segment whose rule is just its AEP trait. An edited rule "
        "makes the AAM segment differ from the AEP audience of the same name and ID."
    ),
    fix=(
        "Restore the rule to the single AEP trait; build combinations in a separate segment of "
        "your own."
    ),
    reads=((ExportPart.DATA_SOURCES, ()), (ExportPart.DETAILS, ("segment",)),
           (ExportPart.PAGES, ("trait",))),
)

AEP_OBJECT_OUTSIDE_FOLDER = CheckSpec(
    id="aep-object-outside-folder",
    severity="info",
    title="AEP object outside its Experience Platform folder",
    doc=DOC_AEP,
    explanation=(
        f"AEP stores shared traits in '{AEP_TRAIT_FOLDER_NAME}' and segments in "
        f"'{AEP_SEGMENT_FOLDER_NAME}'. One stored elsewhere was moved by hand, which makes it "
        "easy to mistake for a segment built in AAM."
    ),
    fix="Move it back to its Experience Platform folder.",
    reads=((ExportPart.DATA_SOURCES, ()), (ExportPart.FOLDERS, ())),
)


def _aep_traits(conn: sqlite3.Connection, ctx: Context, columns: str) -> list[tuple]:
    return conn.execute(
        f"SELECT {columns} FROM traits t WHERE t.data_source_id IN ({ctx.aep_ids_sql}) "
        "ORDER BY t.id"
    ).fetchall()


@check(AEP_TRAIT_NOT_ONBOARDED)
def aep_trait_not_onboarded(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    for trait_id, name, trait_type in _aep_traits(conn, ctx, "t.id, t.name, t.trait_type"):
        if (trait_type or "").strip().upper() != "ON_BOARDED_TRAIT":
            yield AEP_TRAIT_NOT_ONBOARDED.finding(
                "trait", trait_id,
                f"AEP trait {label(name, trait_id)} is {trait_type or 'of unknown type'}, "
                "not an onboarded trait",
                trait_type=trait_type,
            )


def segid_value(expression: str | None) -> str | None:
    """The value a ``segID = value`` expression tests, or None if it is not that shape."""
    match = _SEGID_EXPRESSION.match(expression or "")
    if not match:
        return None
    return next(g for g in match.groups() if g is not None)


@check(AEP_TRAIT_EXPRESSION_MISMATCH)
def aep_trait_expression_mismatch(conn: sqlite3.Connection, ctx: Context
                                  ) -> Iterator[FindingRow]:
    rows = _aep_traits(conn, ctx, "t.id, t.name, t.rule, t.integration_code")
    for trait_id, name, rule, code in rows:
        code = (code or "").strip()
        value = segid_value(rule)
        if value is not None and code and value.strip() == code:
            continue
        if value is None:
            why = f"expression {rule!r} is not segID = <AEP segment ID>" if rule else \
                "has no expression"
        elif not code:
            why = "has no integration code to compare its segID with"
        else:
            why = f"tests segID {value!r}, not its integration code {code!r}"
        yield AEP_TRAIT_EXPRESSION_MISMATCH.finding(
            "trait", trait_id, f"AEP trait {label(name, trait_id)} {why}",
            expression=rule, integration_code=code,
        )


@check(AEP_TRAIT_WITHOUT_SEGMENT)
def aep_trait_without_segment(conn: sqlite3.Connection, ctx: Context) -> Iterator[ObjectSet]:
    yield ObjectSet("trait", f"""
        SELECT t.id FROM traits t
        WHERE t.data_source_id IN ({ctx.aep_ids_sql})
          AND NOT EXISTS (SELECT 1 FROM segment_traits st WHERE st.trait_id = t.id)
        """)


@check(AEP_SEGMENT_IC_MISMATCH)
def aep_segment_ic_mismatch(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    rows = conn.execute(
        f"""
        SELECT s.id, s.name, s.integration_code,
               (SELECT group_concat(t.integration_code, ', ')
                  FROM segment_traits st JOIN traits t ON t.id = st.trait_id
                 WHERE st.segment_id = s.id AND t.data_source_id IN ({ctx.aep_ids_sql})
                   AND trim(coalesce(t.integration_code, '')) <> '') AS trait_codes
        FROM segments s
        WHERE s.data_source_id IN ({ctx.aep_ids_sql})
          AND NOT EXISTS (
              SELECT 1 FROM segment_traits st JOIN traits t ON t.id = st.trait_id
              WHERE st.segment_id = s.id AND t.data_source_id IN ({ctx.aep_ids_sql})
                AND trim(coalesce(s.integration_code, '')) <> ''
                AND trim(t.integration_code) = trim(s.integration_code))
        ORDER BY s.id
        """
    )
    for seg_id, name, code, trait_codes in rows:
        own = f"integration code '{code}'" if (code or "").strip() else "no integration code"
        theirs = f"its AEP trait(s) have {trait_codes}" if trait_codes else \
            "its rule has no AEP trait with an integration code"
        yield AEP_SEGMENT_IC_MISMATCH.finding(
            "segment", seg_id, f"AEP segment {label(name, seg_id)} has {own}; {theirs}",
            integration_code=code, trait_integration_codes=trait_codes,
        )


def is_auto_created_merge_rule(name: str | None, cross_device: str | None,
                               device: str | None, external: int | None) -> bool:
    """True for the merge rule AEP sharing assigns: External Merge Policy, or its options."""
    if (name or "").strip().lower() == EXTERNAL_MERGE_POLICY_NAME.lower() or external:
        return True
    return ((cross_device or "").strip().lower() == _AUTO_CROSS_DEVICE
            and (device or "").strip().lower() == _AUTO_DEVICE)


@check(AEP_SEGMENT_MERGE_RULE)
def aep_segment_merge_rule(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    # a segment whose rule is not in the export is reported by the merge-rule reference checks
    rows = conn.execute(
        f"""
        SELECT s.id, s.name, m.id, m.name, m.cross_device_option, m.device_option, m.external
        FROM segments s JOIN merge_rules m ON m.id = s.merge_rule_id
        WHERE s.data_source_id IN ({ctx.aep_ids_sql})
        ORDER BY s.id
        """
    )
    for seg_id, name, rule_id, rule_name, cross_device, device, external in rows:
        if is_auto_created_merge_rule(rule_name, cross_device, device, external):
            continue
        yield AEP_SEGMENT_MERGE_RULE.finding(
            "segment", seg_id,
            f"AEP segment {label(name, seg_id)} uses merge rule {label(rule_name, rule_id)}, "
            f"not {EXTERNAL_MERGE_POLICY_NAME}",
            merge_rule_id=rule_id,
        )


def single_trait_reference(rule: str | None) -> int | None:
    """The trait id when a segment rule is one trait reference (any outer parentheses)."""
    text = (rule or "").strip()
    while text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    match = _SINGLE_TRAIT_RULE.match(text)
    return int(match.group(1)) if match else None


@check(AEP_SEGMENT_RULE)
def aep_segment_rule(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    aep_trait_ids = {r[0] for r in _aep_traits(conn, ctx, "t.id")}
    rows = conn.execute(
        f"SELECT s.id, s.name, s.rule FROM segments s "
        f"WHERE s.data_source_id IN ({ctx.aep_ids_sql}) ORDER BY s.id"
    )
    for seg_id, name, rule in rows:
        trait_id = single_trait_reference(rule)
        if trait_id is not None and trait_id in aep_trait_ids:
            continue
        why = (f"names trait {trait_id}T, which is not an AEP trait" if trait_id is not None
               else f"rule {rule!r} is not a single AEP trait")
        yield AEP_SEGMENT_RULE.finding(
            "segment", seg_id, f"AEP segment {label(name, seg_id)}: {why}", rule=rule,
        )


@check(AEP_OBJECT_OUTSIDE_FOLDER)
def aep_object_outside_folder(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    for kind, table, folders, folder_name in (
        ("trait", "traits", "trait_folders", AEP_TRAIT_FOLDER_NAME),
        ("segment", "segments", "segment_folders", AEP_SEGMENT_FOLDER_NAME),
    ):
        # objects in a folder the export lacks are object-missing-folder's business; folder 0
        # (the root) is known to be outside
        rows = conn.execute(
            f"""
            WITH RECURSIVE under(id) AS (
                SELECT id FROM {folders} WHERE lower(trim(name)) = lower(?)
                UNION SELECT f.id FROM {folders} f JOIN under u ON f.parent_id = u.id
            )
            SELECT o.id, o.name, coalesce(f.path, f.name, 'the root folder')
            FROM {table} o LEFT JOIN {folders} f ON f.id = o.folder_id
            WHERE o.data_source_id IN ({ctx.aep_ids_sql})
              AND (f.id IS NOT NULL OR o.folder_id = 0)
              AND o.folder_id NOT IN (SELECT id FROM under)
            ORDER BY o.id
            """,
            (folder_name,),
        )
        for obj_id, name, where in rows:
            yield AEP_OBJECT_OUTSIDE_FOLDER.finding(
                kind, obj_id,
                f"AEP {kind} {label(name, obj_id)} is stored in '{where}', not under "
                f"'{folder_name}'",
            )
