"""Schema migrations: a new workspace and an old one end at the same, current schema."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from explorer.store import schema
from explorer.store.db import WorkspaceError, connect, transaction
from explorer.store.workspace import Workspace


def _objects(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    rows = conn.execute("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'")
    return {(r[0], r[1]) for r in rows}


def test_migrating_step_by_step_equals_creating_fresh(tmp_path: Path) -> None:
    old = connect(tmp_path / "old.aamws")
    with transaction(old):
        schema.MIGRATIONS[1](old)
        old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO findings(check_id, severity, object_kind, object_id, message) "
                "VALUES ('trait-unused', 'info', 'trait', 1, 'm')")
    old.close()
    with Workspace.open(tmp_path / "old.aamws") as migrated, \
            Workspace.open(tmp_path / "new.aamws", create=True) as fresh:
        assert schema.schema_version(migrated.conn) == schema.SCHEMA_VERSION
        assert _objects(migrated.conn) == _objects(fresh.conn)
        assert migrated.conn.execute("SELECT count(*) FROM findings").fetchone()[0] == 1


def test_findings_paging_uses_the_check_severity_index(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.aamws", create=True) as ws:
        plan = " ".join(str(r[-1]) for r in ws.conn.execute(
            "EXPLAIN QUERY PLAN SELECT object_kind, object_id FROM findings "
            "WHERE check_id = ? AND severity = ? ORDER BY object_kind, object_id LIMIT 500",
            ("trait-unused", "info")))
        assert "idx_findings_check_severity" in plan


def test_a_newer_workspace_is_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "future.aamws")
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(WorkspaceError, match="newer than this app"):
        Workspace.open(tmp_path / "future.aamws")


def test_read_only_opens_refuse_writes_and_leave_no_wal_files(tmp_path: Path) -> None:
    path = tmp_path / "w.aamws"
    with Workspace.open(path, create=True) as ws, transaction(ws.conn):
        ws.conn.execute("INSERT INTO settings(key, value) VALUES ('k', '1')")
    with Workspace.open(path, readonly=True) as ws:
        assert ws.conn.execute("SELECT value FROM settings").fetchone()[0] == "1"
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ws.conn.execute("INSERT INTO settings(key, value) VALUES ('x', '2')")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w.aamws"]


def test_v6_keeps_stored_and_accepted_findings(tmp_path: Path) -> None:
    old = connect(tmp_path / "v5.aamws")
    with transaction(old):
        for version in range(1, 6):
            schema.MIGRATIONS[version](old)
        old.execute("PRAGMA user_version = 5")
    old.execute("INSERT INTO traits (id, name) VALUES (5, 'Lonely')")
    old.executemany(
        "INSERT INTO findings(check_id, severity, object_kind, object_id, message, detail) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        [("trait-unused", "info", "trait", 5, "Trait 'Lonely' (5) is used by no segment",
          '{"explanation": "e", "fix": "f", "doc": "d"}'),
         ("limit-near", "warning", "tenant", 0, "Near AAM limits", "{}")])
    old.execute("INSERT INTO finding_acceptances (check_id, object_kind, object_id, reason, "
                "accepted_at) VALUES ('trait-unused', 'trait', 5, 'kept', '2026-01-01')")
    old.commit()
    old.close()
    with Workspace.open(tmp_path / "v5.aamws") as ws:
        assert schema.schema_version(ws.conn) == schema.SCHEMA_VERSION
        rows = ws.conn.execute("SELECT check_id, object_id, message, detail FROM findings "
                               "ORDER BY rowid").fetchall()
        assert [tuple(r) for r in rows] == [
            ("trait-unused", 5, "Trait 'Lonely' (5) is used by no segment",
             '{"explanation": "e", "fix": "f", "doc": "d"}'),
            ("limit-near", 0, "Near AAM limits", "{}")]
        from explorer.analysis.findings import list_findings

        kept = list_findings(ws.conn, check="trait-unused")
        assert kept[0].accepted and kept[0].accepted_reason == "kept"
        assert ws.conn.execute("SELECT count(*) FROM finding_rows").fetchone()[0] == 2


def test_findings_view_paging_still_uses_the_index(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.aamws", create=True) as ws:
        plan = " ".join(str(r[-1]) for r in ws.conn.execute(
            "EXPLAIN QUERY PLAN SELECT f.object_id FROM findings f WHERE f.object_kind = ? "
            "AND f.object_id = ?", ("trait", 1)))
        assert "idx_findings_object" in plan


def _version_of(migration: object) -> int:
    return next(v for v, step in schema.MIGRATIONS.items() if step is migration)


_SEARCH_WITHOUT_COPY = _version_of(schema._search_index_without_text_copy_v7)


def _workspace_with_text_copy(path: Path, *statements: str) -> None:
    """A workspace of the schema before the search index lost its copy of the text, holding
    the rows ``statements`` insert and that index over them."""
    from tests.helpers.search_index import with_text_copy

    old = connect(path)
    with transaction(old):
        for step in range(1, _SEARCH_WITHOUT_COPY):
            schema.MIGRATIONS[step](old)
        old.execute(f"PRAGMA user_version = {_SEARCH_WITHOUT_COPY - 1:d}")
        for statement in statements:
            old.execute(statement)
        with_text_copy(old)
    old.close()


def test_the_search_index_loses_its_copy_of_the_text_on_the_first_write_open(
        tmp_path: Path) -> None:
    from explorer.store.annotations import list_annotations
    from explorer.store.queries import search
    from explorer.store.search_index import has_text_copy
    from tests.helpers.search_index import indexed_objects

    path = tmp_path / "older.aamws"
    _workspace_with_text_copy(
        path, "INSERT INTO traits (id, name, rule) VALUES "
              "(5, 'Gold buyers', 'c_tier == \"gold\"'), (6, 'Silver', NULL)",
        "INSERT INTO segments (id, name, rule) VALUES (5, 'Gold segment', '5T')",
        "INSERT INTO annotations (kind, object_id, note, tags, created, updated) "
        "VALUES ('trait', 5, 'check the tier', '[\"gold\"]', '2026-01-01', '2026-01-01')")
    expected = [("trait", 5), ("segment", 5)]
    with Workspace.open(path, readonly=True) as older:  # read-only: left as it is
        assert has_text_copy(older.conn)
        assert [(h["kind"], h["id"]) for h in search(older.conn, "gold")] == expected
    with Workspace.open(path) as ws:
        assert schema.schema_version(ws.conn) == schema.SCHEMA_VERSION
        assert not has_text_copy(ws.conn)
        tables = {name for (name,) in ws.conn.execute("SELECT name FROM sqlite_master")}
        assert "search_index_content" not in tables and "search_index_data" in tables
        assert indexed_objects(ws.conn) == [("segment", 5), ("trait", 5), ("trait", 6)]
        hits = search(ws.conn, "gold", matches=True)
        assert [(h["kind"], h["id"]) for h in hits] == expected
        assert hits[0]["field"] == "Name" and hits[0]["spans"] == [(0, 4)]
        assert [(a.kind, a.object_id, a.note, a.tags) for a in list_annotations(ws.conn)] == [
            ("trait", 5, "check the tier", ["gold"])]


def test_a_failed_search_index_migration_leaves_the_older_workspace(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from explorer.store.search_index import has_text_copy

    path = tmp_path / "older.aamws"
    _workspace_with_text_copy(path, "INSERT INTO traits (id, name) VALUES (5, 'Gold buyers')")

    def fail(conn: sqlite3.Connection) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(schema, "build_search_index", fail)
    with pytest.raises(WorkspaceError, match="disk I/O error"):
        Workspace.open(path)
    with Workspace.open(path, readonly=True) as older:
        assert schema.schema_version(older.conn) == _SEARCH_WITHOUT_COPY - 1
        assert has_text_copy(older.conn)
        assert older.conn.execute("SELECT object_id FROM search_index WHERE search_index "
                                  "MATCH 'gold'").fetchone()[0] == 5


def test_new_workspace_tables_are_written_as_sqlite_utils_writes_them() -> None:
    # The first schema is written without importing sqlite-utils; workspaces made before
    # (by sqlite-utils) and after must hold the same table and index definitions.
    import sqlite_utils

    ours = sqlite3.connect(":memory:")
    schema._create_v1(ours)
    theirs = sqlite3.connect(":memory:")
    db = sqlite_utils.Database(theirs)
    for table, (columns, fks) in schema.CONFIG_TABLES.items():
        db.create_table(table, columns, pk="id", foreign_keys=fks, not_null={"id"})
    for table, (columns, pk, fks) in schema.REFERENCE_TABLES.items():
        db.create_table(table, columns, pk=tuple(pk), foreign_keys=fks)
    for table, cols in schema._EXTRA_INDEXES.items():
        for col in cols:
            db.table(table).create_index([col], index_name=f"idx_{table}_{col}")
    query = ("SELECT type, name, sql FROM sqlite_master WHERE name IN "
             "(SELECT name FROM sqlite_master WHERE type IN ('table', 'index')) ORDER BY name")
    wanted = [row for row in theirs.execute(query)]
    got = [row for row in ours.execute(query) if row[1] in {r[1] for r in wanted}]
    assert got == wanted
    assert len(wanted) == len(schema.CONFIG_TABLES) + len(schema.REFERENCE_TABLES) + sum(
        len(cols) for cols in schema._EXTRA_INDEXES.values()) + 1  # + segment_traits' PK index
