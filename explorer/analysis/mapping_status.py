"""The one answer to "is this destination mapping sending anything?".

The inspector, the object lists, the report, the findings and the lineage graph all show a
mapping's state; they all take it from here so that no two places disagree.
"""

from __future__ import annotations

import sqlite3
from enum import StrEnum


class MappingState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"  # the segment (or the mapping itself) is inactive
    ENDED = "ended"  # end date before the export date
    SCHEDULED = "scheduled"  # start date after the export date
    MISSING = "missing"  # its segment or destination is not in the export
    NOT_CHECKED = "not checked"  # the export lacks what is needed (no export date)


_INACTIVE_WORDS = {"inactive", "paused", "deleted", "disabled"}


def _day(value: str | None) -> str | None:
    text = (value or "").strip()
    return text[:10] if text else None


def mapping_state(*, segment_found: bool, destination_found: bool,
                  segment_status: str | None, element_status: str | None,
                  start_date: str | None, end_date: str | None,
                  export_date: str | None) -> MappingState:
    """The state of one mapping at ``export_date`` (``YYYY-MM-DD``; None when unknown)."""
    if not segment_found or not destination_found:
        return MappingState.MISSING
    end, start = _day(end_date), _day(start_date)
    if (end or start) and not export_date:
        return MappingState.NOT_CHECKED
    if end and export_date and end < export_date:
        return MappingState.ENDED
    if start and export_date and start > export_date:
        return MappingState.SCHEDULED
    words = {(segment_status or "").strip().lower(), (element_status or "").strip().lower()}
    if words & _INACTIVE_WORDS:
        return MappingState.PAUSED
    return MappingState.ACTIVE


def mapping_states(conn: sqlite3.Connection, export_date: str | None,
                   mapping_ids: list[int] | None = None) -> dict[int, MappingState]:
    """Every mapping's state (or only those of ``mapping_ids``), in one query."""
    sql = """
        SELECT m.id, s.id IS NOT NULL, d.id IS NOT NULL, s.status, m.element_status,
               m.start_date, m.end_date
        FROM destination_mappings m
        LEFT JOIN segments s ON s.id = m.segment_id
        LEFT JOIN destinations d ON d.id = m.destination_id
    """
    params: tuple[int, ...] = ()
    if mapping_ids is not None:
        if not mapping_ids:
            return {}
        sql += f" WHERE m.id IN ({','.join('?' * len(mapping_ids))})"
        params = tuple(mapping_ids)
    return {
        row[0]: mapping_state(segment_found=bool(row[1]), destination_found=bool(row[2]),
                              segment_status=row[3], element_status=row[4],
                              start_date=row[5], end_date=row[6], export_date=export_date)
        for row in conn.execute(sql, params)
    }
