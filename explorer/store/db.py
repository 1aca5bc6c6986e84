"""Opening workspace connections and running transactions.

Connections run in autocommit mode (``isolation_level=None``) and every write goes through
``transaction()``: Python's implicit transaction handling would otherwise commit half-way
through DDL or ``executescript``.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# How long a writer waits for another one (an import in the GUI) before "database is locked".
BUSY_TIMEOUT_MS = 5000


class WorkspaceError(Exception):
    """A workspace cannot be opened or used; the message is meant for the user."""


def connect(path: str | Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a workspace file (WAL mode, so readers keep reading while an import writes).

    Read-only connections fall back to ``immutable=1`` when SQLite cannot open the file the
    normal way: a WAL workspace on read-only media has no writable ``-shm`` beside it.
    """
    path = Path(path)
    if readonly:
        if not path.exists():
            raise WorkspaceError(f"{path}: no such workspace")
        shared = _open_query_only(path)
        if shared is not None:
            return shared
        try:
            return _configured(path, _open_readonly(path, immutable=False), readonly=True)
        except WorkspaceError as first:
            if "unable to open" not in str(first):
                raise
            return _configured(path, _open_readonly(path, immutable=True), readonly=True)
    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    return _configured(path, conn, readonly=False)


def _open_query_only(path: Path) -> sqlite3.Connection | None:
    """Where the file and its folder are writable, read through a read-write connection with
    ``query_only``: SQLite then removes the ``-wal``/``-shm`` files when the last connection
    closes, which a ``mode=ro`` connection cannot do (they were left beside the workspace)."""
    if not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK | os.X_OK)):
        return None
    uri = f"{path.resolve().as_uri()}?mode=rw"
    try:
        conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA query_only = ON")
        return _configured(path, conn, readonly=True)
    except (sqlite3.DatabaseError, WorkspaceError):
        return None  # the plain read-only ways below say what is wrong


def _open_readonly(path: Path, *, immutable: bool) -> sqlite3.Connection:
    uri = f"{path.resolve().as_uri()}?mode=ro" + ("&immutable=1" if immutable else "")
    return sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)


def _configured(path: Path, conn: sqlite3.Connection, *, readonly: bool) -> sqlite3.Connection:
    conn.row_factory = sqlite3.Row
    try:
        if readonly:
            # Reading the schema now: an unreadable file fails here, not in the first query.
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        else:
            conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS):d}")
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise WorkspaceError(f"{path}: {open_failure(exc, readonly=readonly)}") from exc
    return conn


def open_failure(exc: sqlite3.DatabaseError, *, readonly: bool) -> str:
    """Busy and read-only files are workspaces all the same; say what is really wrong."""
    name = getattr(exc, "sqlite_errorname", "")
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return "workspace is busy (another import?); try again"
    # Writing a WAL workspace on read-only media fails to open its -shm: "unable to open".
    if name.startswith("SQLITE_READONLY") or (not readonly and name == "SQLITE_CANTOPEN"):
        return "workspace is read-only"
    return f"not an AAM Config Explorer workspace ({exc})"


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
