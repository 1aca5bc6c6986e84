"""Workspace schema, created with sqlite-utils and versioned with ``PRAGMA user_version``.

Imported configuration lives in one table per AAM kind (``explorer.store.config_tables``):
typed columns for what the tools show plus ``raw``, the source record as JSON; since schema v8
each is a view rebuilding ``raw`` over ``<table>_stored``, which keeps only what the typed
columns do not hold (``explorer.store.stored_records``). User data (annotations, settings, accepted
findings) and tenant history (usage days, setting events, imports) live in their own tables and
are never touched by a re-import of the configuration.

Foreign keys are declared (so other tools see the relations) but not enforced: real exports
reference objects they do not contain (third-party data sources, folders of other partners), and
the findings report those references instead of the import refusing them.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable

from explorer.store.config_tables import CONFIG_TABLES
from explorer.store.search_index import SEARCH_TABLE, build_search_index, create_search_index
from explorer.store.stored_records import (
    create_record_view,
    create_stored_table,
    split_existing_rows,
    stored_table,
)

SCHEMA_VERSION = 8

_INT = int

# Derived at import from parsed segment rules: "segments using this trait" is one indexed query.
# A trait id with no row in `traits` is a reference to a trait missing from the export.
REFERENCE_TABLES: dict[str, tuple[dict[str, type], list[str], list[tuple[str, str, str]]]] = {
    "segment_traits": (
        {"segment_id": _INT, "trait_id": _INT, "in_frequency": _INT, "negated": _INT},
        ["segment_id", "trait_id"],
        [("segment_id", "segments", "id"), ("trait_id", "traits", "id")],
    ),
}

# The search index as schema v1 made it, with its own copy of the text (v7 replaces it).
_SEARCH_DDL_V1 = f"""
CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(
    kind UNINDEXED, object_id UNINDEXED, ident, name, description, integration_code, rule,
    tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
)
"""

# User data and tenant history: a configuration re-import never deletes from these.
_USER_DDL = """
CREATE TABLE IF NOT EXISTS imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    source TEXT NOT NULL,
    partner_id INTEGER,
    export_date TEXT,
    export_date_overridden INTEGER NOT NULL DEFAULT 0,
    counts TEXT NOT NULL DEFAULT '{}',
    report TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE IF NOT EXISTS annotations (
    kind TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    tags TEXT NOT NULL DEFAULT '[]',
    status TEXT NOT NULL DEFAULT 'open',
    created TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (kind, object_id)
);
CREATE TABLE IF NOT EXISTS settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS usage_days (
    day TEXT NOT NULL,
    series TEXT NOT NULL,
    value REAL NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (day, series)
);
CREATE TABLE IF NOT EXISTS setting_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT NOT NULL,
    setting TEXT NOT NULL,
    value TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS idx_setting_events_date ON setting_events(date);
CREATE TABLE IF NOT EXISTS findings (
    check_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id INTEGER,
    message TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX IF NOT EXISTS idx_findings_object ON findings(object_kind, object_id);
CREATE INDEX IF NOT EXISTS idx_findings_check ON findings(check_id);
CREATE TABLE IF NOT EXISTS finding_acceptances (
    check_id TEXT NOT NULL,
    object_kind TEXT NOT NULL,
    object_id INTEGER NOT NULL DEFAULT 0,
    reason TEXT NOT NULL DEFAULT '',
    accepted_at TEXT NOT NULL,
    PRIMARY KEY (check_id, object_kind, object_id)
);
"""

# Index every foreign-key column and the columns lists sort and filter on.
_EXTRA_INDEXES: dict[str, list[str]] = {
    "trait_folders": ["parent_id"],
    "segment_folders": ["parent_id"],
    "traits": ["data_source_id", "folder_id", "algo_model_id", "integration_code"],
    "segments": ["data_source_id", "folder_id", "merge_rule_id", "integration_code"],
    "destinations": ["data_source_id"],
    "destination_mappings": ["destination_id", "segment_id"],
    "segment_traits": ["trait_id"],
}


_SQL_TYPE_OF = {int: "INTEGER", str: "TEXT", float: "FLOAT"}


def _table_ddl(table: str, columns: dict[str, type], pk: tuple[str, ...],
               fks: list[tuple[str, str, str]]) -> str:
    """CREATE TABLE text as sqlite-utils writes it (workspaces made by either read alike),
    without importing sqlite-utils (~0.1 s) on every new workspace."""
    references = {column: (other, other_column) for column, other, other_column in fks}
    lines = []
    for name, kind in columns.items():
        line = f'   "{name}" {_SQL_TYPE_OF[kind]}'
        if pk == (name,):
            line += " PRIMARY KEY NOT NULL"
        if name in references:
            other, other_column = references[name]
            line += f' REFERENCES "{other}"("{other_column}")'
        lines.append(line)
    if len(pk) > 1:
        quoted = ", ".join(f'"{column}"' for column in pk)
        lines.append(f"   PRIMARY KEY ({quoted})")
    body = ",\n".join(lines)
    return f'CREATE TABLE "{table}" (\n{body}\n)'


def _create_v1(conn: sqlite3.Connection) -> None:
    for table, (columns, fks) in CONFIG_TABLES.items():
        conn.execute(_table_ddl(table, columns, ("id",), fks))
    for table, (columns, pk, fks) in REFERENCE_TABLES.items():
        conn.execute(_table_ddl(table, columns, tuple(pk), fks))
    for table, cols in _EXTRA_INDEXES.items():
        for col in cols:
            conn.execute(f'CREATE INDEX IF NOT EXISTS "idx_{table}_{col}"\n'
                         f'    ON "{table}" ("{col}")')
    conn.execute(_SEARCH_DDL_V1)
    # executescript() would COMMIT the migration's transaction half-way: run one by one.
    for statement in _USER_DDL.split(";"):
        if statement.strip():
            conn.execute(statement)


def _add_import_snapshots_v2(conn: sqlite3.Connection) -> None:
    # Each import keeps a compressed copy of the compared columns, so a later re-import can be
    # diffed against it (explorer/store/import_copies.py).
    conn.execute(
        "CREATE TABLE IF NOT EXISTS import_snapshots ("
        " import_id INTEGER NOT NULL REFERENCES imports(id),"
        " kind TEXT NOT NULL,"
        " data BLOB NOT NULL,"
        " PRIMARY KEY (import_id, kind))"
    )


def _index_findings_by_check_and_severity_v3(conn: sqlite3.Connection) -> None:
    # The findings panel counts per check and severity and pages through one check's findings
    # in order; on 100k findings this index takes those from ~45 ms to ~6 ms and keeps the
    # last page as fast as the first. It covers the old check_id index.
    conn.execute("CREATE INDEX IF NOT EXISTS idx_findings_check_severity "
                 "ON findings(check_id, severity, object_kind, object_id)")
    conn.execute("DROP INDEX IF EXISTS idx_findings_check")


def _add_import_gaps_v4(conn: sqlite3.Connection) -> None:
    # What each import's export lacks (explorer/store/gaps.py). NULL: imported before gaps were
    # recorded, so unknown; '[]': the export was complete.
    conn.execute("ALTER TABLE imports ADD COLUMN gaps TEXT")


def _index_by_status_v5(conn: sqlite3.Connection) -> None:
    # The lineage of a data source or folder counts its traits and segments by status: with
    # the status beside the data source (folder) in the index those counts read the index
    # alone, 80,000 traits in ~20 ms instead of ~200 ms. Each replaces the single-column index
    # (still usable for lookups by data source or folder alone).
    for table in ("traits", "segments"):
        for column in ("data_source_id", "folder_id"):
            conn.execute(f"CREATE INDEX IF NOT EXISTS idx_{table}_{column}_status "
                         f"ON {table}({column}, status)")
            conn.execute(f"DROP INDEX IF EXISTS idx_{table}_{column}")


# The object label of a compact finding row, as ``explorer.analysis.findings.base.label``
# writes it: 'Name' (id), or (id) when the object has no name. These are the kinds whose
# checks store compact rows; another kind's label is just (id).
_COMPACT_LABEL_KINDS = {"trait": "traits", "segment": "segments", "destination": "destinations"}
_COMPACT_NAME = "CASE r.object_kind " + " ".join(
    f"WHEN '{kind}' THEN (SELECT o.name FROM {table} o WHERE o.id = r.object_id)"
    for kind, table in _COMPACT_LABEL_KINDS.items()) + " END"
_QUOTE = "''''"  # SQL for a string holding one apostrophe
_COMPACT_MESSAGE = (
    f"replace(t.template, '{{label}}', coalesce({_QUOTE} || nullif({_COMPACT_NAME}, '') || "
    f"{_QUOTE} || ' ', '') || '(' || r.object_id || ')')"
)
_COMPACT_DETAIL = "CASE WHEN r.detail = '{}' THEN coalesce(t.detail, r.detail) ELSE r.detail END"


def _compact_findings_v6(conn: sqlite3.Connection) -> None:
    # A check that flags most of a tenant (100k unused traits) stored 50 MB of repeated
    # message and explanation text. Rows now live in finding_rows: a NULL message is rendered
    # on read from the check's template (finding_templates) and the object's name, a detail
    # '{}' comes from the check's detail stored beside the template. ``findings`` becomes a
    # view with the old table's columns (and rowid), so every reader and other tools see the
    # same text; inserts into it and deletes from it go to finding_rows. Stored findings are
    # copied over; acceptances are a table of their own and stay as they are.
    conn.execute(
        "CREATE TABLE finding_rows ("
        " check_id TEXT NOT NULL,"
        " severity TEXT NOT NULL,"
        " object_kind TEXT NOT NULL,"
        " object_id INTEGER,"
        " message TEXT,"
        " detail TEXT NOT NULL DEFAULT '{}')"
    )
    conn.execute("INSERT INTO finding_rows (check_id, severity, object_kind, object_id, message, "
                 "detail) SELECT check_id, severity, object_kind, object_id, message, detail "
                 "FROM findings ORDER BY rowid")
    conn.execute("DROP TABLE findings")
    conn.execute("CREATE INDEX idx_findings_object ON finding_rows(object_kind, object_id)")
    conn.execute("CREATE INDEX idx_findings_check_severity "
                 "ON finding_rows(check_id, severity, object_kind, object_id)")
    conn.execute("CREATE TABLE finding_templates (check_id TEXT PRIMARY KEY, "
                 "template TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '{}')")
    conn.execute(
        "CREATE VIEW findings AS SELECT r.rowid AS rowid, r.check_id, r.severity, "
        f"r.object_kind, r.object_id, coalesce(r.message, {_COMPACT_MESSAGE}) AS message, "
        f"{_COMPACT_DETAIL} AS detail "
        "FROM finding_rows r LEFT JOIN finding_templates t ON t.check_id = r.check_id"
    )
    conn.execute(
        "CREATE TRIGGER findings_insert INSTEAD OF INSERT ON findings BEGIN "
        "INSERT INTO finding_rows (check_id, severity, object_kind, object_id, message, detail) "
        "VALUES (NEW.check_id, NEW.severity, NEW.object_kind, NEW.object_id, NEW.message, "
        "coalesce(NEW.detail, '{}')); END"
    )
    conn.execute("CREATE TRIGGER findings_delete INSTEAD OF DELETE ON findings BEGIN "
                 "DELETE FROM finding_rows WHERE rowid = OLD.rowid; END")


def _search_index_without_text_copy_v7(conn: sqlite3.Connection) -> None:
    # The index stored its own copy of every object's text (42 MB beside a 59 MB index on
    # 240,000 objects): it becomes contentless, its rowids naming the objects, the text read
    # from the typed tables (explorer/store/search_index.py). Rebuilt from those tables here.
    conn.execute(f"DROP TABLE IF EXISTS {SEARCH_TABLE}")
    create_search_index(conn)
    build_search_index(conn)


def _split_raw_records_v8(conn: sqlite3.Connection) -> None:
    # The whole raw record beside typed columns holding most of its fields stored the names,
    # rules and descriptions twice (the traits table was 160 MB, 102 MB of it raw). Each
    # kind's rows move to <table>_stored, whose raw_rest keeps only what the typed columns do
    # not hold identically; the view <table> gives the old columns, raw rebuilt whole
    # (explorer/store/stored_records.py). Indexes keep their names, on the stored table.
    for table in CONFIG_TABLES:
        indexes = [(name, [c["name"] for c in conn.execute(f"PRAGMA index_info({name})")])
                   for _seq, name, _unique, origin, *_rest
                   in conn.execute(f"PRAGMA index_list({table})").fetchall() if origin == "c"]
        create_stored_table(conn, table)
        split_existing_rows(conn, table, table)
        # DROP, never RENAME: a rename would point the findings view and other tables'
        # foreign keys at the dropped table.
        conn.execute(f"DROP TABLE {table}")
        create_record_view(conn, table)
        stored = stored_table(table)
        for name, columns in indexes:
            conn.execute(f"CREATE INDEX {name} ON {stored}({', '.join(columns)})")


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {
    1: _create_v1,
    2: _add_import_snapshots_v2,
    3: _index_findings_by_check_and_severity_v3,
    4: _add_import_gaps_v4,
    5: _index_by_status_v5,
    6: _compact_findings_v6,
    7: _search_index_without_text_copy_v7,
    8: _split_raw_records_v8,
}


def schema_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection) -> None:
    """Bring a workspace to SCHEMA_VERSION, one migration per transaction."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise WorkspaceTooNew(current)
    from explorer.store.db import transaction

    for version in range(current + 1, SCHEMA_VERSION + 1):
        with transaction(conn):
            MIGRATIONS[version](conn)
            conn.execute(f"PRAGMA user_version = {version:d}")
    if current:
        _give_back_freed_space(conn)


def _give_back_freed_space(conn: sqlite3.Connection) -> None:
    """After a migration that rewrote tables (v8 frees ~180 MB of a 200k-trait workspace),
    shrink the file instead of leaving it bigger than before until the next import."""
    pages, free = (conn.execute(f"PRAGMA {name}").fetchone()[0]
                   for name in ("page_count", "freelist_count"))
    if free * 4 < pages:
        return
    # another connection reading makes VACUUM fail: then the next import reuses the pages
    with contextlib.suppress(sqlite3.OperationalError):
        conn.execute("VACUUM")


class WorkspaceTooNew(RuntimeError):
    def __init__(self, version: int) -> None:
        super().__init__(
            f"this workspace has schema version {version}, newer than this app "
            f"understands ({SCHEMA_VERSION}); update AAM Config Explorer"
        )
