"""The search index: FTS5 over the configuration's text, holding no copy of that text.

``search_index`` is a contentless FTS5 table (``content=''``) with the columns ``ident`` (the
id as text), ``name``, ``description``, ``integration_code`` and ``rule``. It stores the tokens
of each object's text and nothing else: a ``MATCH`` gives rowids, and the text a result shows
is read from the object's own table by primary key (``indexed_text``), one query per kind.

The rowid says which object a row is: ``kind number << 59 | id`` (``search_rowid``,
``object_of_rowid``), the kind numbers being ``SEARCH_KIND_NUMBERS`` (also stored in the
workspace as the table ``search_kinds(number, kind, table_name)`` for other tools). FTS5
yields matches in rowid order, so results come kind by kind in that order and by id within a
kind: the order the earlier index (rows inserted table by table) gave. AAM ids are positive
64-bit integers; an id above ``MAX_INDEXED_ID`` (2**59 - 1, about 5.8e17, far above any id
AAM hands out) has no rowid: such an object is left out of the word index and is found only
by its exact id or, for a CJK query, by its name (the import report notes how many).

Workspaces before schema v7 (and bundles made from them) hold the older index, which stores
``kind, object_id`` and a copy of the text; ``has_text_copy`` tells the readers which one
they have.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence

from explorer.kinds import KINDS

SEARCH_TABLE = "search_index"
KINDS_TABLE = "search_kinds"
ID_BITS = 59
MAX_INDEXED_ID = (1 << ID_BITS) - 1

# Stored in every index's rowids: a kind keeps its number for good; a new kind takes the next
# free one (at most 15). The numbers follow the order results are listed in.
SEARCH_KIND_NUMBERS: dict[str, int] = {
    "data-source": 0,
    "trait-folder": 1,
    "segment-folder": 2,
    "merge-rule": 3,
    "algo-model": 4,
    "trait": 5,
    "segment": 6,
    "destination": 7,
    "destination-mapping": 8,
    "derived-signal": 9,
}
_KIND_OF_NUMBER = {number: kind for kind, number in SEARCH_KIND_NUMBERS.items()}

# The index's columns, in the order of the DDL.
SEARCH_COLUMNS = ("ident", "name", "description", "integration_code", "rule")

# What each kind puts in the description, integration_code and rule columns, as SQL over its
# table (NULL: nothing); ident is the id and name the name for every kind.
SEARCH_SOURCES: dict[str, tuple[str, str, str]] = {
    "data-source": ("description", "integration_code", "NULL"),
    "trait-folder": ("path", "NULL", "NULL"),
    "segment-folder": ("path", "NULL", "NULL"),
    "merge-rule": ("NULL", "NULL", "NULL"),
    "algo-model": ("description", "NULL", "NULL"),
    "trait": ("description", "integration_code", "rule"),
    "segment": ("description", "integration_code", "rule"),
    "destination": ("description", "NULL", "NULL"),
    "destination-mapping": ("NULL", "NULL", "NULL"),
    "derived-signal": ("NULL", "integration_code", "NULL"),
}

# detail=full keeps phrase queries ("acme_w"* is the phrase acme + w*). The per-row sizes
# (columnsize, 5 MB on 240,000 objects) are kept: without them the table cannot be scanned,
# so neither this app's tests nor other tools could list or count what is indexed.
SEARCH_INDEX_DDL = f"""
CREATE VIRTUAL TABLE {SEARCH_TABLE} USING fts5(
    {", ".join(SEARCH_COLUMNS)}, content = '',
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
)
"""


def search_rowid(kind: str, object_id: int) -> int | None:
    """The index rowid of object ``(kind, object_id)``; None when the id cannot be encoded
    (negative or above MAX_INDEXED_ID). Raises KeyError for an unknown kind."""
    number = SEARCH_KIND_NUMBERS[kind]
    if not 0 <= object_id <= MAX_INDEXED_ID:
        return None
    return number << ID_BITS | object_id


def object_of_rowid(rowid: int) -> tuple[str, int]:
    """``(kind, id)`` of an index rowid (the inverse of ``search_rowid``)."""
    return _KIND_OF_NUMBER[rowid >> ID_BITS], rowid & MAX_INDEXED_ID


# FTS5 gathers new rows in memory up to this many bytes before writing them as a segment
# (1 MB by default): 8 MB makes fewer segments to merge, a fifth less CPU to build the index
# of 240,000 objects, for 16 MB more memory while it is built. Stored with the table.
_PENDING_BYTES = 8 * 1024 * 1024


def create_search_index(conn: sqlite3.Connection) -> None:
    """Create the (empty) index and the table naming its kind numbers."""
    conn.execute(SEARCH_INDEX_DDL)
    conn.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rank) VALUES ('hashsize', ?)",
                 (_PENDING_BYTES,))
    conn.execute(f"CREATE TABLE {KINDS_TABLE} (number INTEGER PRIMARY KEY, "
                 "kind TEXT NOT NULL, table_name TEXT NOT NULL)")
    conn.executemany(f"INSERT INTO {KINDS_TABLE} VALUES (?, ?, ?)",
                     [(number, kind, KINDS[kind].table)
                      for kind, number in SEARCH_KIND_NUMBERS.items()])


def has_text_copy(conn: sqlite3.Connection) -> bool:
    """True for the index of a workspace before schema v7: it stores ``kind, object_id`` and
    a copy of the text (read it with ``SELECT kind, object_id, name ... MATCH``)."""
    return any(row[1] == "object_id"
               for row in conn.execute(f"PRAGMA table_info({SEARCH_TABLE})"))


def clear_search_index(conn: sqlite3.Connection) -> None:
    """Empty the index (a contentless table refuses DELETE; 'delete-all' drops every row)."""
    if has_text_copy(conn):
        conn.execute(f"DELETE FROM {SEARCH_TABLE}")
    else:
        conn.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')")


def index_objects(conn: sqlite3.Connection, kind: str, ids: Sequence[int] | None = None
                  ) -> None:
    """Add the objects of ``kind`` to the index, reading their text from their table: those
    with ``ids``, or all of them. One set-based statement, in rowid order (what FTS5 builds
    fastest). The caller owns the transaction and adds each object once: the index cannot
    tell a second time from a first (``build_search_index`` starts from an empty index).
    Objects whose id has no rowid are skipped (``unindexed_count``)."""
    description, code, rule = SEARCH_SOURCES[kind]
    table = KINDS[kind].table
    sql = (f"INSERT INTO {SEARCH_TABLE} (rowid, {', '.join(SEARCH_COLUMNS)}) "
           f"SELECT (? << {ID_BITS}) | id, CAST(id AS TEXT), name, {description}, {code}, {rule} "
           f"FROM {table} WHERE id BETWEEN 0 AND {MAX_INDEXED_ID}")
    params: list[object] = [SEARCH_KIND_NUMBERS[kind]]
    if ids is not None:
        sql += " AND id IN (SELECT value FROM json_each(?))"
        params.append(json.dumps(list(ids)))
    conn.execute(f"{sql} ORDER BY id", params)


def build_search_index(conn: sqlite3.Connection) -> None:
    """Replace the index's rows with one per configuration object, from the typed tables.

    Runs in the caller's transaction (an import, a migration, a bundle's pruning), so a
    failure or a cancel leaves the index as it was."""
    clear_search_index(conn)
    for kind in SEARCH_KIND_NUMBERS:
        index_objects(conn, kind)


def unindexed_count(conn: sqlite3.Connection) -> int:
    """How many objects have an id no rowid can encode (and so are not in the word index)."""
    return sum(
        conn.execute(f"SELECT count(*) FROM {KINDS[kind].table} "
                     f"WHERE id < 0 OR id > {MAX_INDEXED_ID}").fetchone()[0]
        for kind in SEARCH_KIND_NUMBERS)


def matching_objects(conn: sqlite3.Connection, match: str, limit: int,
                     kinds: Iterable[str] | None = None) -> list[tuple[str, int]]:
    """``(kind, id)`` of the objects whose text matches the FTS5 query ``match``, in index
    order, at most ``limit``; only of ``kinds`` when given."""
    sql = f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ?"
    params: list[object] = [match]
    if kinds is not None:
        numbers = sorted({SEARCH_KIND_NUMBERS[k] for k in kinds if k in SEARCH_KIND_NUMBERS})
        if not numbers:
            return []
        # A range per kind: with one kind FTS5 reads only that range of rowids.
        sql += " AND (" + " OR ".join("rowid BETWEEN ? AND ?" for _ in numbers) + ")"
        for number in numbers:
            params += [number << ID_BITS, number << ID_BITS | MAX_INDEXED_ID]
    rows = conn.execute(f"{sql} LIMIT ?", [*params, limit])
    return [object_of_rowid(row[0]) for row in rows]


def indexed_text(conn: sqlite3.Connection, objects: Iterable[tuple[str, int]]
                 ) -> dict[tuple[str, int], dict[str, str]]:
    """The text each object gives the index, by column (``""`` where it has none), read from
    its table by primary key, one query per kind. An object its table lacks is left out."""
    by_kind: dict[str, list[int]] = {}
    for kind, object_id in objects:
        by_kind.setdefault(kind, []).append(object_id)
    found: dict[tuple[str, int], dict[str, str]] = {}
    for kind, ids in by_kind.items():
        description, code, rule = SEARCH_SOURCES[kind]
        rows = conn.execute(
            f"SELECT id, CAST(id AS TEXT), name, {description}, {code}, {rule} "
            f"FROM {KINDS[kind].table} WHERE id IN (SELECT value FROM json_each(?))",
            (json.dumps(ids),))
        for row in rows:
            found[(kind, int(row[0]))] = {column: str(value or "")
                                          for column, value in zip(SEARCH_COLUMNS, row[1:],
                                                                   strict=True)}
    return found
