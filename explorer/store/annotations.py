"""Consultants' annotations: a note, tags and a review status on any object.

Annotations are user data: they live apart from the imported configuration, keyed by KIND and
AAM id, so a re-import never touches them. An annotation whose object is no longer in the
export is *orphaned*: reported, never deleted.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from explorer.kinds import KINDS
from explorer.store.names import lookup_name

STATUSES: tuple[str, ...] = ("open", "to fix", "fixed", "accepted")


@dataclass
class Annotation:
    kind: str
    object_id: int
    note: str = ""
    tags: list[str] = field(default_factory=list)
    status: str = "open"
    created: str = ""
    updated: str = ""
    object_name: str | None = None
    orphaned: bool = False

    def to_json(self) -> dict[str, object]:
        return asdict(self)


class AnnotationError(ValueError):
    """A bad kind or status; the message is meant for the user."""


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _check(kind: str, status: str | None) -> None:
    if kind not in KINDS:
        raise AnnotationError(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}")
    if status is not None and status not in STATUSES:
        raise AnnotationError(f"unknown status {status!r}; expected one of: {', '.join(STATUSES)}")


def normalise_tags(tags: list[str]) -> list[str]:
    """Trim, drop empties and duplicates, keep the user's order."""
    seen: dict[str, None] = {}
    for tag in tags:
        cleaned = tag.strip()
        if cleaned:
            seen.setdefault(cleaned, None)
    return list(seen)


def parse_tags(text: str) -> list[str]:
    """Tags as typed in one field, comma-separated."""
    return normalise_tags(text.split(","))


def format_tags(tags: Iterable[str]) -> str:
    return ", ".join(tags)


def local_time_text(iso: str) -> str:
    """An annotation's ISO timestamp (UTC) as local ``YYYY-MM-DD HH:MM``; unparsable text as
    it is."""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


def next_state(current: Annotation | None, kind: str, object_id: int, *, note: str,
               tags: list[str], status: str, now: str | None = None) -> Annotation:
    """The annotation a save would write: ``current`` with new fields, ``created`` kept.

    Callers that need undo (the GUI) compute the new state first, then write it with
    ``restore_annotation``, so redo later writes exactly the same row.
    """
    _check(kind, status)
    stamp = now or _now()
    return Annotation(
        kind=kind, object_id=object_id, note=note, tags=normalise_tags(tags), status=status,
        created=current.created if current else stamp, updated=stamp,
    )


def get_annotation(conn: sqlite3.Connection, kind: str, object_id: int) -> Annotation | None:
    row = conn.execute(
        "SELECT * FROM annotations WHERE kind = ? AND object_id = ?", (kind, object_id)
    ).fetchone()
    return None if row is None else _from_row(conn, row)


def set_annotation(
    conn: sqlite3.Connection,
    kind: str,
    object_id: int,
    *,
    note: str | None = None,
    tags: list[str] | None = None,
    status: str | None = None,
) -> Annotation:
    """Create or update an annotation; fields left as None keep their current value."""
    _check(kind, status)
    current = get_annotation(conn, kind, object_id)
    now = _now()
    merged = Annotation(
        kind=kind,
        object_id=object_id,
        note=note if note is not None else (current.note if current else ""),
        tags=normalise_tags(tags) if tags is not None else (current.tags if current else []),
        status=status or (current.status if current else "open"),
        created=current.created if current else now,
        updated=now,
    )
    conn.execute(
        "INSERT INTO annotations(kind, object_id, note, tags, status, created, updated) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(kind, object_id) DO UPDATE SET "
        "note = excluded.note, tags = excluded.tags, status = excluded.status, "
        "updated = excluded.updated",
        (kind, object_id, merged.note, json.dumps(merged.tags, ensure_ascii=False),
         merged.status, merged.created, merged.updated),
    )
    return get_annotation(conn, kind, object_id) or merged


def restore_annotation(conn: sqlite3.Connection, annotation: Annotation | None, kind: str,
                       object_id: int) -> None:
    """Put back an earlier state exactly (undo/redo): None deletes the annotation."""
    if annotation is None:
        delete_annotation(conn, kind, object_id)
        return
    conn.execute(
        "INSERT OR REPLACE INTO annotations(kind, object_id, note, tags, status, created, updated)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        (kind, object_id, annotation.note, json.dumps(annotation.tags, ensure_ascii=False),
         annotation.status, annotation.created, annotation.updated),
    )


def delete_annotation(conn: sqlite3.Connection, kind: str, object_id: int) -> bool:
    cursor = conn.execute(
        "DELETE FROM annotations WHERE kind = ? AND object_id = ?", (kind, object_id)
    )
    return cursor.rowcount > 0


def list_annotations(
    conn: sqlite3.Connection,
    *,
    tag: str | None = None,
    status: str | None = None,
    orphaned_only: bool = False,
) -> list[Annotation]:
    rows = conn.execute("SELECT * FROM annotations ORDER BY updated DESC, kind, object_id")
    result = []
    for row in rows.fetchall():
        annotation = _from_row(conn, row)
        if tag is not None and tag not in annotation.tags:
            continue
        if status is not None and annotation.status != status:
            continue
        if orphaned_only and not annotation.orphaned:
            continue
        result.append(annotation)
    return result


def annotated_refs(conn: sqlite3.Connection) -> set[tuple[str, int]]:
    """Every (kind, id) with an annotation: the tree marks these without a query per row."""
    return {(r[0], r[1]) for r in conn.execute("SELECT kind, object_id FROM annotations")}


def all_tags(conn: sqlite3.Connection) -> list[str]:
    """Every tag in use, sorted case-insensitively (for filters and completion)."""
    rows = conn.execute("SELECT DISTINCT value FROM annotations, json_each(annotations.tags)")
    return sorted({str(r[0]) for r in rows if str(r[0]).strip()}, key=str.casefold)


CSV_HEADERS: tuple[str, ...] = ("kind", "id", "object", "orphaned", "status", "tags", "note",
                                "created", "updated")


def annotations_to_csv(conn: sqlite3.Connection, out_path: Path | str | TextIO, *,
                       tag: str | None = None, status: str | None = None,
                       orphaned_only: bool = False) -> int:
    """Write the (filtered) annotations as CSV; returns how many rows were written.

    Notes keep their line breaks (the csv module quotes them); tags are joined with ", ".
    """
    found = list_annotations(conn, tag=tag, status=status, orphaned_only=orphaned_only)
    if isinstance(out_path, str | Path):
        # utf-8-sig so Excel, the consultants' usual CSV reader, detects UTF-8.
        with open(out_path, "w", encoding="utf-8-sig", newline="") as handle:
            return _write_csv(found, handle)
    return _write_csv(found, out_path)


def _write_csv(found: list[Annotation], handle: TextIO) -> int:
    writer = csv.writer(handle)
    writer.writerow(CSV_HEADERS)
    for a in found:
        writer.writerow([a.kind, a.object_id, a.object_name or "", "yes" if a.orphaned else "no",
                         a.status, format_tags(a.tags), a.note, a.created, a.updated])
    return len(found)


def _from_row(conn: sqlite3.Connection, row: sqlite3.Row) -> Annotation:
    exists, name = lookup_name(conn, row["kind"], row["object_id"])
    return Annotation(
        kind=row["kind"], object_id=row["object_id"], note=row["note"],
        tags=json.loads(row["tags"]), status=row["status"], created=row["created"],
        updated=row["updated"], object_name=name, orphaned=not exists,
    )
