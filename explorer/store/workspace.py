"""A tenant workspace: one SQLite file, opened, migrated and summarised."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from explorer.kinds import KINDS
from explorer.store import schema
from explorer.store.db import WorkspaceError, connect, open_failure

COUNT_KEYS: dict[str, str] = {k.table: k.name for k in KINDS.values()}


@dataclass
class ImportRecord:
    id: int
    started_at: str
    finished_at: str
    source: str
    partner_id: int | None
    export_date: str | None
    export_date_overridden: bool
    counts: dict[str, int]
    report: dict[str, Any]


class Workspace:
    """An open workspace. Each thread (GUI, worker) opens its own."""

    def __init__(self, path: str | Path, conn: sqlite3.Connection, *,
                 readonly: bool = False) -> None:
        self.path = Path(path)
        self.conn = conn
        self.readonly = readonly  # opened read-only: writes fail ("readonly database")

    @classmethod
    def open(cls, path: str | Path, *, create: bool = False, readonly: bool = False
             ) -> Workspace:
        path = Path(path)
        if not create and not path.exists():
            raise WorkspaceError(f"{path}: no such workspace")
        if not readonly and path.exists():
            _refuse_foreign(path, create=create)
        conn = connect(path, readonly=readonly)
        try:
            if readonly:
                _check_readable(conn, path)
            else:
                schema.migrate(conn)
        except sqlite3.OperationalError as exc:  # a migration meets a lock or read-only file
            conn.close()
            reason = open_failure(exc, readonly=readonly)
            if reason.startswith("not an AAM"):  # it is one: the migration itself failed
                reason = f"cannot open workspace: {exc}"
            raise WorkspaceError(f"{path}: {reason}") from exc
        except (sqlite3.DatabaseError, schema.WorkspaceTooNew) as exc:
            conn.close()
            raise WorkspaceError(f"{path}: cannot open workspace: {exc}") from exc
        return cls(path, conn, readonly=readonly)

    def is_read_only(self) -> bool:
        """True when writes would fail: opened read-only (``.aamsnap`` bundles), or its
        connection has ``PRAGMA query_only`` set. The one answer the window asks."""
        if self.readonly:
            return True
        try:
            row = self.conn.execute("PRAGMA query_only").fetchone()
        except sqlite3.Error:
            return False
        return bool(row and row[0])

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def counts(self) -> dict[str, int]:
        """Rows per configuration table, keyed by table name (data_sources, traits, ...)."""
        return {
            table: self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in schema.CONFIG_TABLES
        }

    def latest_import(self) -> ImportRecord | None:
        row = self.conn.execute("SELECT * FROM imports ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else _import_record(row)

    def imports(self) -> list[ImportRecord]:
        rows = self.conn.execute("SELECT * FROM imports ORDER BY id").fetchall()
        return [_import_record(r) for r in rows]

    def latest_configuration_import(self) -> ImportRecord | None:
        """The latest import that loaded configuration (usage-only imports name no partner)."""
        row = self.conn.execute("SELECT * FROM imports WHERE partner_id IS NOT NULL "
                                "ORDER BY id DESC LIMIT 1").fetchone()
        return None if row is None else _import_record(row)

    def info(self) -> dict[str, Any]:
        """What `aam-explorer info` prints: counts, tenant, export date, import time.

        Tenant and export date come from the latest configuration import: a later usage-only
        import says nothing about them.
        """
        last = self.latest_import()
        config = self.latest_configuration_import()
        return {
            "workspace": str(self.path),
            "partner_id": config.partner_id if config else None,
            "export_date": config.export_date if config else None,
            "imported_at": last.finished_at if last else None,
            "imports": self.conn.execute("SELECT count(*) FROM imports").fetchone()[0],
            "counts": self.counts(),
        }

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


def _refuse_foreign(path: Path, *, create: bool) -> None:
    """Refuse to turn another application's SQLite file (or an empty file) into a workspace.

    Looked at through a read-only connection first, so a refused file is left untouched (a
    read-write connection would already switch it to WAL).
    """
    if path.stat().st_size == 0:
        if create:
            return
        raise WorkspaceError(f"{path}: not an AAM Config Explorer workspace (empty file)")
    probe = connect(path, readonly=True)
    try:
        version = schema.schema_version(probe)
        has_tables = probe.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchone() is not None
    except sqlite3.DatabaseError as exc:
        raise WorkspaceError(f"{path}: not an AAM Config Explorer workspace ({exc})") from exc
    finally:
        probe.close()
    if version == 0 and (has_tables or not create):
        raise WorkspaceError(f"{path}: not an AAM Config Explorer workspace")


def _check_readable(conn: sqlite3.Connection, path: Path) -> None:
    version = schema.schema_version(conn)
    if version == 0:
        raise WorkspaceError(f"{path}: not an AAM Config Explorer workspace")
    if version > schema.SCHEMA_VERSION:
        raise schema.WorkspaceTooNew(version)


def _import_record(row: sqlite3.Row) -> ImportRecord:
    return ImportRecord(
        id=row["id"], started_at=row["started_at"], finished_at=row["finished_at"],
        source=row["source"], partner_id=row["partner_id"], export_date=row["export_date"],
        export_date_overridden=bool(row["export_date_overridden"]),
        counts=json.loads(row["counts"]), report=json.loads(row["report"]),
    )
