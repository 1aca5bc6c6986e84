"""Object names by id: the one place that reads ``name`` from a kind's table.

Kinds come from ``explorer.kinds`` (a fixed vocabulary), so the table names in the SQL are
never user input; ids are always bound parameters.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from explorer.kinds import KINDS


def lookup_name(conn: sqlite3.Connection, kind: str, object_id: int) -> tuple[bool, str | None]:
    """Whether the object is in the workspace, and its name (None when it has none)."""
    if kind not in KINDS:
        return False, None
    row = conn.execute(f"SELECT name FROM {KINDS[kind].table} WHERE id = ?",
                       (object_id,)).fetchone()
    return (row is not None, row[0] if row is not None else None)


def object_name(conn: sqlite3.Connection, kind: str, object_id: int) -> str | None:
    """The object's name; None when it has none or is not in the workspace."""
    return lookup_name(conn, kind, object_id)[1]


def names_by_id(conn: sqlite3.Connection, kind: str, ids: Iterable[int]) -> dict[int, str | None]:
    """The names of many objects of one kind in one query (json_each: no bound-variable limit);
    ids not in the workspace are left out."""
    id_list = list(dict.fromkeys(ids))
    if not id_list or kind not in KINDS:
        return {}
    rows = conn.execute(
        f"SELECT id, name FROM {KINDS[kind].table} WHERE id IN (SELECT value FROM json_each(?))",
        (json.dumps(id_list),))
    return {row[0]: row[1] for row in rows}


def all_names(conn: sqlite3.Connection, kind: str) -> dict[int, str | None]:
    """Every object of ``kind`` by id with its name."""
    if kind not in KINDS:
        return {}
    return {row[0]: row[1] for row in conn.execute(f"SELECT id, name FROM {KINDS[kind].table}")}
