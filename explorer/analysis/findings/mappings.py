"""Checks on destination mappings: where segments go, and the dead ends on the way.

Every check here takes a mapping's state from ``explorer.analysis.mapping_status`` (the one
function the window, the report and the lineage use too), so no finding calls a mapping ended,
paused or missing where the window says otherwise.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from explorer.analysis.findings.base import (
    DOC_DESTINATIONS,
    DOC_MAPPINGS,
    DOC_PAUSED,
    DOC_TARGET,
    CheckSpec,
    Context,
    FindingRow,
    ObjectSet,
    check,
    id_list,
    label,
)
from explorer.analysis.mapping_status import MappingState, mapping_state, mapping_states
from explorer.domain.gaps import ExportPart

# States in which a mapping may be sending: NOT_CHECKED (dated, but no export date) is not
# called a dead end.
_REACHING = {MappingState.ACTIVE, MappingState.NOT_CHECKED}

MAPPING_MISSING_OBJECT = CheckSpec(
    id="mapping-missing-object",
    severity="warning",
    title="Mapping of a segment or destination the export lacks",
    doc=DOC_MAPPINGS,
    explanation=(
        "The destination mapping names a segment or a destination that is not in this export. "
        "AAM removes a segment's mappings when it is deleted, so the export is most likely "
        "incomplete (a filtered pull or a missing page): what the mapping sends cannot be shown."
    ),
    fix="Re-export the segments and destinations without filters (all pages) and import again.",
    reads=((ExportPart.MAPPINGS, ()), (ExportPart.PAGES, ("segment", "destination"))),
)

PAUSED_SEGMENT_MAPPED = CheckSpec(
    id="paused-segment-mapped",
    severity="warning",
    title="Paused segment still mapped to a destination",
    doc=DOC_PAUSED,
    explanation=(
        "An inactive (paused) segment does not qualify new users, but its destination mappings "
        "stay: the destination keeps receiving stale membership or nothing at all, which is easy "
        "to mistake for a delivery problem."
    ),
    fix="Remove the mappings (or end them) if the segment stays paused, or re-activate it.",
    reads=((ExportPart.MAPPINGS, ()),),
)

MAPPING_EXPIRED = CheckSpec(
    id="mapping-expired",
    severity="info",
    title="Destination mapping past its end date",
    doc=DOC_MAPPINGS,
    explanation=(
        "The mapping's end date is before the export date, so the segment is no longer sent to "
        "this destination although the mapping is still listed."
    ),
    fix="Delete the mapping if the campaign is over, or extend its end date.",
    reads=((ExportPart.MAPPINGS, ()), (ExportPart.EXPORT_DATE, ())),
)

DESTINATION_NO_ACTIVE_MAPPING = CheckSpec(
    id="destination-no-active-mapping",
    severity="info",
    title="Destination with no active mapping",
    doc=DOC_DESTINATIONS,
    explanation=(
        "No segment is being sent to this destination: it has no mapping, or every mapping has "
        "ended, is scheduled for later, belongs to a paused segment or names a segment the "
        "export lacks. A dead end that still counts toward the destination limits."
    ),
    fix="Delete the destination if the partner is no longer used, or map the segments it "
        "should receive.",
    reads=((ExportPart.MAPPINGS, ()), (ExportPart.EXPORT_DATE, ()),
           (ExportPart.PAGES, ("segment",))),
)

SEGMENT_ONLY_TARGET = CheckSpec(
    id="segment-only-target",
    severity="info",
    title="Segment sent to no destination (reaches only Target)",
    doc=DOC_TARGET,
    explanation=(
        "The segment has no active destination mapping. With Core Services Shared Audiences "
        "enabled it still reaches Adobe Target (every segment does); otherwise it reaches "
        "nothing outside Audience Manager. Often intended (a Target audience), sometimes a "
        "mapping that was forgotten or has ended."
    ),
    fix="Nothing to do if the segment is meant for Target or for reporting; otherwise map it "
        "to its destination.",
    template="Segment {label} is sent to no destination: it reaches only Target",
    summary=True,
    reads=((ExportPart.MAPPINGS, ()), (ExportPart.DESTINATIONS, ()), (ExportPart.EXPORT_DATE, ())),
)


@dataclass(frozen=True)
class _Mapping:
    id: int
    segment_id: int | None
    segment_name: str | None
    segment_status: str | None
    destination_id: int | None
    destination_name: str | None
    element_status: str | None
    end_date: str | None
    state: MappingState

    @property
    def deleted(self) -> bool:
        """A mapping marked deleted is no longer one: the paused/expired checks ignore it."""
        return (self.element_status or "").strip().lower() == "deleted"


def _mappings(conn: sqlite3.Connection, ctx: Context) -> list[_Mapping]:
    """Every mapping with its names and state (read once per refresh, shared by the checks)."""
    if "mappings" not in ctx.shared:
        ctx.shared["mappings"] = _read_mappings(conn, ctx)
    mappings: list[_Mapping] = ctx.shared["mappings"]
    return mappings


def _read_mappings(conn: sqlite3.Connection, ctx: Context) -> list[_Mapping]:
    states = mapping_states(conn, ctx.export_date)
    rows = conn.execute(
        """
        SELECT m.id, m.segment_id, s.name, s.status, m.destination_id, d.name,
               m.element_status, substr(m.end_date, 1, 10)
        FROM destination_mappings m
        LEFT JOIN segments s ON s.id = m.segment_id
        LEFT JOIN destinations d ON d.id = m.destination_id
        ORDER BY m.id
        """
    )
    return [_Mapping(id=row[0], segment_id=row[1], segment_name=row[2], segment_status=row[3],
                     destination_id=row[4], destination_name=row[5], element_status=row[6],
                     end_date=row[7], state=states[row[0]]) for row in rows]


def _segment_paused(status: str | None) -> bool:
    """Whether a segment status pauses its mappings, as ``mapping_state`` decides it."""
    return mapping_state(segment_found=True, destination_found=True, segment_status=status,
                         element_status=None, start_date=None, end_date=None,
                         export_date=None) is MappingState.PAUSED


@check(MAPPING_MISSING_OBJECT)
def mapping_missing_object(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    for m in _mappings(conn, ctx):
        if m.state is not MappingState.MISSING:
            continue
        lacks = [noun for noun, name, ref in (("segment", m.segment_name, m.segment_id),
                                               ("destination", m.destination_name,
                                                m.destination_id))
                 if name is None and not _exists(conn, noun, ref)]
        yield MAPPING_MISSING_OBJECT.finding(
            "destination-mapping", m.id,
            f"Mapping {m.id} of segment {label(m.segment_name, m.segment_id or 0)} to "
            f"destination {label(m.destination_name, m.destination_id or 0)}: its "
            f"{' and its '.join(lacks) or 'segment'} {'are' if len(lacks) > 1 else 'is'} "
            "not in the export",
            segment_id=m.segment_id, destination_id=m.destination_id, missing=lacks,
        )


def _exists(conn: sqlite3.Connection, noun: str, object_id: int | None) -> bool:
    table = "segments" if noun == "segment" else "destinations"  # fixed, never input
    return object_id is not None and conn.execute(
        f"SELECT 1 FROM {table} WHERE id = ?", (object_id,)).fetchone() is not None


@check(PAUSED_SEGMENT_MAPPED)
def paused_segment_mapped(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    # a mapping that has ended, was deleted or names a destination the export lacks sends
    # nothing: not worth flagging here (mapping-missing-object reports the last)
    live = {MappingState.PAUSED, MappingState.SCHEDULED, MappingState.NOT_CHECKED}
    by_segment: dict[int, list[_Mapping]] = {}
    for m in _mappings(conn, ctx):
        if (m.segment_id is not None and m.state in live and not m.deleted
                and _segment_paused(m.segment_status)):
            by_segment.setdefault(m.segment_id, []).append(m)
    for seg_id, mappings in sorted(by_segment.items()):
        destinations = sorted({str(m.destination_name or m.destination_id) for m in mappings})
        yield PAUSED_SEGMENT_MAPPED.finding(
            "segment", seg_id,
            f"Paused segment {label(mappings[0].segment_name, seg_id)} is still mapped to "
            f"{id_list(destinations, limit=3)}",
            mappings=len(mappings),
        )


@check(MAPPING_EXPIRED)
def mapping_expired(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    for m in _mappings(conn, ctx):
        if m.state is not MappingState.ENDED or m.deleted:
            continue
        yield MAPPING_EXPIRED.finding(
            "destination-mapping", m.id,
            f"Mapping {m.id} of segment {label(m.segment_name, m.segment_id or 0)} to "
            f"destination {label(m.destination_name, m.destination_id or 0)} ended on "
            f"{m.end_date} (export of {ctx.export_date})",
            segment_id=m.segment_id, destination_id=m.destination_id, end_date=m.end_date,
            export_date=ctx.export_date,
        )


@check(DESTINATION_NO_ACTIVE_MAPPING)
def destination_no_active_mapping(conn: sqlite3.Connection, ctx: Context
                                  ) -> Iterator[FindingRow]:
    states: dict[int, Counter[str]] = {}
    for m in _mappings(conn, ctx):
        if m.destination_id is not None:
            states.setdefault(m.destination_id, Counter())[m.state.value] += 1
    for dest_id, name in conn.execute("SELECT id, name FROM destinations ORDER BY id"):
        counts = states.get(dest_id, Counter())
        if any(counts[s.value] for s in _REACHING):
            continue
        total = sum(counts.values())
        how = ("has no mapping" if not total else
               f"has no active mapping ({total} mapping{'s' if total > 1 else ''}: "
               + ", ".join(f"{n} {state}" for state, n in sorted(counts.items())) + ")")
        numbers: dict[str, Any] = {state.replace(" ", "_"): n for state, n in counts.items()}
        yield DESTINATION_NO_ACTIVE_MAPPING.finding(
            "destination", dest_id, f"Destination {label(name, dest_id)} {how}",
            mappings=total, **numbers,
        )


@check(SEGMENT_ONLY_TARGET)
def segment_only_target(conn: sqlite3.Connection, ctx: Context) -> Iterator[ObjectSet]:
    mappings = _mappings(conn, ctx)
    if not mappings:
        return  # a tenant that maps nothing uses AAM for Target alone: nothing to point out
    reaching = sorted({m.segment_id for m in mappings
                       if m.segment_id is not None and m.state in _REACHING})
    paused = [status for (status,) in conn.execute("SELECT DISTINCT status FROM segments")
              if _segment_paused(status)]
    # paused segments are paused-segment-mapped's business, not dead ends of their own
    yield ObjectSet(
        "segment",
        "SELECT s.id FROM segments s "
        "WHERE s.id NOT IN (SELECT value FROM json_each(?)) "
        "AND coalesce(s.status, '') NOT IN (SELECT coalesce(value, '') FROM json_each(?))",
        (json.dumps(reaching), json.dumps(paused)),
    )
