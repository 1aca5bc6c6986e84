"""The tree's reads: which objects a finding marks, on a page and by id."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import pytest

from explorer.store.schema import migrate
from explorer.store.tree import PageSource, fetch_page, marked_ids


@pytest.fixture
def conn() -> Iterator[sqlite3.Connection]:
    """Traits 1-6 and segment 50 with findings of every severity, two of them accepted."""
    connection = sqlite3.connect(":memory:")
    connection.row_factory = sqlite3.Row
    migrate(connection)
    connection.executemany("INSERT INTO traits (id, name) VALUES (?, ?)",
                           [(i, f"Trait {i}") for i in range(1, 7)])
    connection.execute("INSERT INTO segments (id, name) VALUES (50, 'Broken')")
    connection.executemany(
        "INSERT INTO findings (check_id, severity, object_kind, object_id, message) "
        "VALUES (?, ?, ?, ?, 'm')",
        [("aep-trait-not-onboarded", "error", "trait", 1),
         ("trait-unused", "info", "trait", 2),
         ("duplicate-integration-code", "warning", "trait", 3),
         ("duplicate-integration-code", "warning", "trait", 4),  # accepted below
         ("trait-unused", "info", "trait", 5),  # accepted below
         ("segment-missing-trait", "warning", "segment", 50)])
    connection.executemany(
        "INSERT INTO finding_acceptances (check_id, object_kind, object_id, reason, accepted_at)"
        " VALUES (?, 'trait', ?, 'kept', '2026-11-01T00:00:00Z')",
        [("duplicate-integration-code", 4), ("trait-unused", 5)])
    connection.execute("INSERT INTO annotations (kind, object_id, note, created, updated) "
                       "VALUES ('trait', 6, 'look', '2026-11-01', '2026-11-01')")
    yield connection
    connection.close()


def test_open_warnings_and_errors_mark_their_objects_info_and_accepted_do_not(
        conn: sqlite3.Connection) -> None:
    findings, annotated = marked_ids(conn, "trait", range(1, 7))
    assert findings == {1, 3}
    assert annotated == {6}
    assert marked_ids(conn, "trait", [2, 3, 9999]) == ({3}, set())
    assert marked_ids(conn, "segment", [50, 1]) == ({50}, set())  # kinds are kept apart


def test_a_page_reads_the_same_marks_as_marked_ids(conn: sqlite3.Connection) -> None:
    rows = fetch_page(conn, PageSource("trait"), limit=10, offset=0)
    assert {r.id for r in rows if r.findings} == marked_ids(conn, "trait", range(1, 7))[0]
    assert {r.id for r in rows if r.annotation} == {6}
    [segment] = fetch_page(conn, PageSource("segment"), limit=10, offset=0)
    assert segment.findings
