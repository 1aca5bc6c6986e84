"""Opening workspace connections and running transactions.

Connections run in autocommit mode (``isolation_level=None``) and every write goes through
``transaction()``: Python's implicit transaction handling would otherwise commit half-way
through DDL or ``executescript``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WorkspaceError(Exception):
    """A workspace cannot be opened or used; the message is meant for the user."""


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a workspace file (WAL mode, so readers keep reading while an import writes)."""
    path = Path(path)
    if readonly:
        if not path.exists():
            raise WorkspaceError(f"{path}: no such workspace")
        uri = f"{path.resolve().as_uri()}?mode=ro"
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.row_factory = sqlite3.Row
    try:
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA busy_timeout = 5000")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(f"{path}: not an AAM Config Explorer workspace ({exc})") from exc
    return conn


@contextmanager
def transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (cancel included)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
