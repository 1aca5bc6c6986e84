"""Statements on the import's second thread: run in order, failures raised in the importer's
thread, nothing run after ``stop``, and the thread gone when an import ends however it ends."""

from __future__ import annotations

import sqlite3
import threading
import time
from functools import partial
from pathlib import Path

import pytest

from explorer.importers import ImportCancelled, ImportRefused, Progress, import_export
from explorer.importers.background import BackgroundStatements


@pytest.fixture
def conn(tmp_path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(tmp_path / "t.db", isolation_level=None,
                                 check_same_thread=False)
    connection.execute("CREATE TABLE t (n INTEGER)")
    return connection


def _statement_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "import-statements"]


def test_statements_run_in_order_and_drain_waits_for_them(conn: sqlite3.Connection) -> None:
    background = BackgroundStatements()
    conn.execute("BEGIN")
    for n in range(50):
        background.submit(partial(conn.execute, "INSERT INTO t (n) VALUES (?)", (n,)))
    background.drain()
    assert [row[0] for row in conn.execute("SELECT n FROM t ORDER BY rowid")] == list(range(50))
    background.stop()
    conn.execute("COMMIT")


def test_a_failing_statement_is_raised_in_the_submitting_thread(
        conn: sqlite3.Connection) -> None:
    background = BackgroundStatements()
    background.submit(partial(conn.execute, "INSERT INTO missing_table VALUES (?)", (1,)))
    # dropped after the failure
    background.submit(partial(conn.execute, "INSERT INTO t (n) VALUES (?)", (2,)))
    with pytest.raises(sqlite3.OperationalError, match="no such table: missing_table"):
        background.drain()
    background.stop()
    assert conn.execute("SELECT count(*) FROM t").fetchone()[0] == 0


def test_nothing_runs_after_stop(conn: sqlite3.Connection) -> None:
    background = BackgroundStatements()
    entered, gate = threading.Event(), threading.Event()

    def wait_for_gate() -> int:
        entered.set()
        return int(gate.wait(5))

    conn.create_function("wait_for_gate", 0, wait_for_gate)
    background.submit(partial(conn.execute, "INSERT INTO t (n) SELECT wait_for_gate()"))
    for n in range(20):
        background.submit(partial(conn.execute, "INSERT INTO t (n) VALUES (?)", (n,)))
    assert entered.wait(5)  # the first statement is in flight
    stopper = threading.Thread(target=background.stop)
    stopper.start()
    while not background._stopping:  # stop has begun: the queue is closed behind the gate
        time.sleep(0.001)
    gate.set()
    stopper.join(5)
    assert not stopper.is_alive()
    # The statement in flight ended; the twenty queued behind it never ran.
    assert [row[0] for row in conn.execute("SELECT n FROM t")] == [1]
    assert not _statement_threads()


def test_the_thread_ends_with_a_finished_import(sample_tenant: Path, tmp_path: Path) -> None:
    report = import_export(sample_tenant, tmp_path / "w.aamws")
    assert report.counts["traits"] > 0
    assert not _statement_threads()
    with sqlite3.connect(tmp_path / "w.aamws") as db:
        indexed = db.execute("SELECT count(*) FROM search_index WHERE rowid >> 59 = 5")
        assert indexed.fetchone()[0] == report.counts["traits"]  # kind 5: traits


def test_the_thread_ends_with_a_cancelled_import(sample_tenant: Path, tmp_path: Path) -> None:
    def cancel_in_search(step: Progress) -> bool:
        assert step.stage != "search" or _statement_threads()  # still writing then
        return step.stage != "search"

    with pytest.raises(ImportCancelled):
        import_export(sample_tenant, tmp_path / "w.aamws", progress=cancel_in_search)
    assert not _statement_threads()
    assert not (tmp_path / "w.aamws").exists()


def test_a_failure_on_the_second_thread_refuses_the_import_and_keeps_the_workspace(
        sample_tenant: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ws = tmp_path / "w.aamws"
    import_export(sample_tenant, ws)
    with sqlite3.connect(ws) as db:
        before = db.execute("SELECT count(*) FROM search_index").fetchone()[0]

    def broken_index(conn: sqlite3.Connection, _kind: str, ids: list[int]) -> None:
        conn.execute("INSERT INTO search_index (no_such_column) VALUES (?)", (len(ids),))

    monkeypatch.setattr("explorer.importers.loader_state.index_objects", broken_index)
    with pytest.raises(ImportRefused) as refused:
        import_export(sample_tenant, ws)
    assert "cannot write the workspace" in str(refused.value)
    assert "no_such_column" in str(refused.value)
    assert not _statement_threads()
    with sqlite3.connect(ws) as db:
        assert db.execute("SELECT count(*) FROM search_index").fetchone()[0] == before


def test_indexes_are_built_again_after_the_load(sample_tenant: Path, tmp_path: Path) -> None:
    ws = tmp_path / "w.aamws"
    import_export(sample_tenant, ws)
    with sqlite3.connect(ws) as db:
        first = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "ORDER BY name").fetchall()
    import_export(sample_tenant, ws)  # into the existing workspace: dropped and built again
    with sqlite3.connect(ws) as db:
        again = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "ORDER BY name").fetchall()
    assert again == first
    assert "idx_traits_folder_id_status" in [name for name, _ in first]
