"""Checks on the export's own consistency: folders, data sources, codes, unused traits."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterator

from explorer.analysis.findings.base import (
    DOC_BULK_DELETE,
    DOC_DATA_SOURCES,
    DOC_LIMITS,
    CheckSpec,
    Context,
    FindingRow,
    ObjectSet,
    check,
    id_list,
    label,
)
from explorer.analysis.findings.references import missing_reference_findings
from explorer.domain.gaps import ExportPart

OBJECT_MISSING_FOLDER = CheckSpec(
    id="object-missing-folder",
    severity="warning",
    title="Trait or segment in a folder the export lacks",
    doc=DOC_BULK_DELETE,
    explanation=(
        "The object's folderId names no folder in this export. AAM only deletes empty folders, "
        "so the folder exists in the tenant and the export is incomplete: the object cannot be "
        "placed in the folder tree and appears under 'Unknown folder'."
    ),
    fix="Export the trait and segment folder trees (all of them, with subFolders) and re-import.",
    reads=((ExportPart.FOLDERS, ()),),
)

OBJECT_MISSING_DATA_SOURCE = CheckSpec(
    id="object-missing-data-source",
    severity="warning",
    title="Trait or segment in a data source the export lacks",
    doc=DOC_DATA_SOURCES,
    explanation=(
        "The object's dataSourceId names no data source in this export, so its ID type, export "
        "controls and integration-code rules are unknown."
    ),
    fix=(
        "Export the data sources with includeThirdParty so third-party and shared sources are "
        "included, then re-import."
    ),
    reads=((ExportPart.DATA_SOURCES, ()),),
)

DUPLICATE_INTEGRATION_CODE = CheckSpec(
    id="duplicate-integration-code",
    severity="warning",
    title="Integration code shared within a data source",
    doc=DOC_DATA_SOURCES,
    explanation=(
        "Several traits (or segments) of one data source carry the same integration code, so "
        "inbound files, /traits/ic: look-ups and destination mappings that use the code cannot "
        "tell them apart. Where the data source demands unique codes this should be impossible "
        "and points to objects created before the setting or through a broken bulk upload."
    ),
    fix="Give each object its own integration code, or merge the duplicates.",
    # integration codes come with the details: traits and segments are judged apart
    needs=frozenset({ExportPart.DETAILS}),
)

TRAIT_UNUSED = CheckSpec(
    id="trait-unused",
    severity="info",
    title="Trait used by no segment",
    doc=DOC_LIMITS,
    explanation=(
        "No segment rule in the export refers to this trait. Unused traits still count toward "
        "the 100,000-trait limit and clutter the trait storage."
    ),
    fix="Archive or delete the trait if nobody needs it for reporting or a future segment.",
    template="Trait {label} is used by no segment",
    # "unused" rests on every segment rule: rules come with the details, and a missing page
    # of segments would make the traits its segments use look unused
    reads=((ExportPart.DETAILS, ("segment",)), (ExportPart.PAGES, ("segment",))),
)


@check(OBJECT_MISSING_FOLDER)
def object_missing_folder(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    return missing_reference_findings(
        conn, OBJECT_MISSING_FOLDER, "folder_id",
        {"trait": "trait_folders", "segment": "segment_folders"}, "folder",
    )


@check(OBJECT_MISSING_DATA_SOURCE)
def object_missing_data_source(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    return missing_reference_findings(
        conn, OBJECT_MISSING_DATA_SOURCE, "data_source_id",
        {"trait": "data_sources", "segment": "data_sources"}, "data source",
    )


@check(DUPLICATE_INTEGRATION_CODE)
def duplicate_integration_code(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    for kind, table, unique_col in (("trait", "traits", "unique_trait_ics"),
                                    ("segment", "segments", "unique_segment_ics")):
        # Codes used more than once in the whole table first, read from the code index alone;
        # only their objects are then grouped by data source (whole rows, sorted).
        rows = conn.execute(
            f"""
            WITH shared AS (
                SELECT trim(integration_code) AS ic FROM {table}
                WHERE trim(coalesce(integration_code, '')) <> ''
                GROUP BY 1 HAVING count(*) > 1
            ), coded AS (
                SELECT id, name, data_source_id, trim(integration_code) AS ic,
                       count(*) OVER (PARTITION BY data_source_id, trim(integration_code)) AS n
                FROM {table}
                WHERE integration_code IN (SELECT integration_code FROM {table}
                                           WHERE trim(integration_code) IN shared)
            )
            SELECT c.id, c.name, c.data_source_id, c.ic, d.name, coalesce(d.{unique_col}, 0)
            FROM coded c LEFT JOIN data_sources d ON d.id = c.data_source_id
            WHERE c.n > 1 ORDER BY c.data_source_id, c.ic, c.id
            """
        ).fetchall()
        groups: dict[tuple[int, str], list[tuple]] = defaultdict(list)
        for row in rows:
            groups[(row[2], row[3])].append(row)
        for (ds_id, code), members in groups.items():
            yield from _duplicate_group_findings(kind, ds_id, code, members)


def _duplicate_group_findings(kind: str, ds_id: int, code: str, members: list[tuple]
                              ) -> Iterator[FindingRow]:
    ds_name, unique = members[0][4], bool(members[0][5])
    severity = "error" if unique else "warning"
    rule = "demands unique codes" if unique else "allows shared codes"
    ids = [m[0] for m in members]
    # Only the first few ids are named: a code shared by thousands must stay linear, not n².
    head = ids[:6]
    for obj_id, name, *_ in members:
        named = [i for i in head if i != obj_id][:5]
        others = id_list(named) if len(ids) - 1 <= 5 else (
            f"{', '.join(map(str, named))} and {len(ids) - 1 - len(named)} more")
        yield DUPLICATE_INTEGRATION_CODE.finding(
            kind, obj_id,
            f"{kind.capitalize()} {label(name, obj_id)} shares integration code '{code}' with "
            f"{kind} {others} in data source {label(ds_name, ds_id)}",
            severity=severity,
            explanation=(f"The data source {rule}. " + DUPLICATE_INTEGRATION_CODE.explanation),
            data_source_id=ds_id, integration_code=code, shared_with=len(ids) - 1,
        )


@check(TRAIT_UNUSED)
def trait_unused(conn: sqlite3.Connection, ctx: Context) -> Iterator[ObjectSet]:
    # AEP-shared traits have their own, stronger check (aep-trait-without-segment)
    yield ObjectSet("trait", f"""
        SELECT t.id FROM traits t
        WHERE coalesce(t.data_source_id, -1) NOT IN ({ctx.aep_ids_sql})
          AND NOT EXISTS (SELECT 1 FROM segment_traits st WHERE st.trait_id = t.id)
        """)
