"""What a workspace's search index holds, in either layout, and the older layout built anew.

``indexed_objects`` and ``index_terms`` read the index the way a test compares two states;
``with_text_copy`` replaces a workspace's index by the one schema v1 to v6 made (its own
copy of the text, rows named by ``kind, object_id``), filled from the typed tables as those
versions' importer did: an older workspace or bundle, built in the test.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from explorer.kinds import KINDS
from explorer.store import schema
from explorer.store.search_index import (
    KINDS_TABLE,
    SEARCH_KIND_NUMBERS,
    SEARCH_SOURCES,
    has_text_copy,
    object_of_rowid,
)


def indexed_objects(conn: sqlite3.Connection) -> list[tuple[str, int]]:
    """``(kind, id)`` of every row of the index, sorted."""
    if has_text_copy(conn):
        rows = conn.execute("SELECT kind, object_id FROM search_index").fetchall()
        return sorted((str(kind), int(object_id)) for kind, object_id in rows)
    return sorted(object_of_rowid(rowid) for (rowid,) in
                  conn.execute("SELECT rowid FROM search_index"))


def index_terms(workspace: Path) -> list[tuple[str, int]]:
    """Every term of the workspace's index with the number of rows holding it, sorted (read
    with fts5vocab through a connection of its own: a read-only one cannot create it)."""
    conn = sqlite3.connect(f"{workspace.resolve().as_uri()}?mode=ro", uri=True)
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.search_terms "
                     "USING fts5vocab(main, search_index, row)")
        return [(str(term), int(docs)) for term, docs in
                conn.execute("SELECT term, doc FROM temp.search_terms ORDER BY term")]
    finally:
        conn.close()


def with_text_copy(conn: sqlite3.Connection) -> None:
    """Replace the index by a schema-v6 one over the same objects (the caller commits)."""
    conn.execute("DROP TABLE search_index")
    conn.execute(f"DROP TABLE IF EXISTS {KINDS_TABLE}")
    conn.execute(schema._SEARCH_DDL_V1)
    for kind in SEARCH_KIND_NUMBERS:  # the order v6's importer filled the tables in
        description, code, rule = SEARCH_SOURCES[kind]
        conn.execute(
            "INSERT INTO search_index "
            "(kind, object_id, ident, name, description, integration_code, rule) "
            f"SELECT ?, id, CAST(id AS TEXT), name, {description}, {code}, {rule} "
            f"FROM {KINDS[kind].table}", (kind,))
