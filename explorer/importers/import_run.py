"""``import_export``: an export (folder, zip, files) → a workspace, all or nothing.

The whole import holds the workspace's import lock (``explorer.store.locking``): a second
import into the same file, new or existing, is refused at once with "workspace is busy", so
neither can silently replace the other's result.

A NEW workspace is built in a temporary file beside the target and moved into place with
``os.replace`` once complete (after an fsync), so the target either does not exist or is whole.
Temporary files left by a killed import are removed by the next import at once (under the
lock, any temporary file of the workspace belongs to an import that is gone).
An EXISTING workspace is updated in ONE transaction: configuration rows and what is derived from
them (segment_traits, search_index, findings) are replaced; annotations, settings, usage days,
setting events and accepted findings are never touched. A failure, a cancel from the progress
callback, Ctrl-C or a killed process leaves the old workspace or the complete new one.
"""

from __future__ import annotations

import contextlib
import gc
import glob
import json
import os
import sqlite3
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from explorer.importers.completeness import export_date_gap
from explorer.importers.loader import Loader, ProgressCallback, StrictRefusal
from explorer.importers.report import ImportRefused, ImportReport, Problem
from explorer.importers.sources import InputFile, Unreadable, UnreadableFiles, list_files
from explorer.store.db import WorkspaceError, open_failure, transaction
from explorer.store.gaps import write_gaps
from explorer.store.locking import BUSY_MESSAGE, workspace_lock
from explorer.store.schema import CONFIG_TABLES
from explorer.store.workspace import Workspace

# How long an import waits for another writer (the window saving an annotation) before it
# says the workspace is busy: short, since an import holds its lock for its whole run.
IMPORT_BUSY_TIMEOUT_MS = 1000

Source = Path | str | Iterable[Path | str]


def import_export(source: Source, workspace: Path | str, *, strict: bool = False,
                  force: bool = False, export_date: str | date | None = None,
                  progress: ProgressCallback | None = None) -> ImportReport:
    """Import ``source`` into ``workspace`` and return the report.

    Raises ``ImportRefused`` (nothing written; ``.report.errors`` says why) or
    ``ImportCancelled`` (``progress`` returned False; nothing written).
    """
    if not isinstance(source, str | Path):
        source = list(source)  # it is described, then listed: a generator would run dry
    report = ImportReport(source=_describe(source), strict=strict)
    override = _export_date_override(export_date, report)
    target = Path(workspace)
    try:
        files = list_files(source)
        job = _Job(files, report, strict=strict, force=force, override=override,
                   progress=progress, source_names=_source_names(source))
        with workspace_lock(target), _collector_paused():
            if target.exists() and target.stat().st_size > 0:
                report.new_workspace = False
                _import_into_existing(target, job)
            else:
                report.new_workspace = True
                _import_into_new(target, job)
    except Unreadable as exc:
        problem = Problem(exc.file, None, None, exc.text())
        report.errors.append(problem)
        raise ImportRefused(str(problem), report) from None
    except UnreadableFiles as exc:
        report.errors.extend(Problem(p.file, None, None, p.text()) for p in exc.problems)
        count = len(exc.problems)
        message = (str(report.errors[-1]) if count == 1 else
                   f"{count} files of the export cannot be read: "
                   + "; ".join(str(p.file) for p in exc.problems))
        raise ImportRefused(message, report) from None
    except StrictRefusal as exc:
        raise ImportRefused(f"refused in strict mode: {exc}", report) from None
    except (WorkspaceError, sqlite3.Error, OSError) as exc:
        problem = Problem(str(target), None, None, _workspace_failure(target, exc))
        report.errors.append(problem)
        raise ImportRefused(str(problem), report) from None
    return report


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for the import: it allocates millions of objects
    (records, models, rows) and makes almost no cycles, so the collector's passes, which grow
    with everything alive, would only cost time (~0.4 s on a 200,000-trait export)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _workspace_failure(target: Path, exc: Exception) -> str:
    """Busy is busy however it shows: the import lock, or SQLite's own write lock."""
    if isinstance(exc, WorkspaceError):
        text = str(exc)
        return text.removeprefix(f"{target}: ")
    if isinstance(exc, sqlite3.DatabaseError):
        reason = open_failure(exc, readonly=False)
        if reason == BUSY_MESSAGE or reason == "workspace is read-only":
            return reason
    return f"cannot write the workspace: {exc}"


@dataclass
class _Job:
    """Everything one import needs besides the connection."""

    files: list[InputFile]
    report: ImportReport
    strict: bool
    force: bool
    override: str | None
    progress: ProgressCallback | None
    source_names: list[str]
    started_at: str = field(default_factory=lambda: _now())  # _now is defined below


def _import_into_existing(target: Path, job: _Job) -> None:
    _remove_stale_temps(target)
    try:
        ws = Workspace.open(target)
    except WorkspaceError as exc:
        raise ImportRefused(str(exc), _with_error(job.report, str(exc))) from None
    try:
        ws.conn.execute(f"PRAGMA busy_timeout = {IMPORT_BUSY_TIMEOUT_MS:d}")
        _load(ws.conn, job)
    finally:
        ws.close()


def _remove_stale_temps(target: Path) -> None:
    """Temporary files of a killed import. Only the holder of the workspace's import lock
    creates them, and the caller holds it: whatever is there belongs to an import that is
    gone, so it goes at once."""
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.importing*"):
        with contextlib.suppress(OSError):
            leftover.unlink()


def _import_into_new(target: Path, job: _Job) -> None:
    _remove_stale_temps(target)
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.importing")
    ws: Workspace | None = None
    done = False
    try:
        ws = Workspace.open(temp, create=True)
        # Nobody else sees this file until it is complete, and it is fsynced as a whole before
        # it replaces the target: no write-ahead log (every page would be written twice) and
        # no syncs; the in-memory journal still serves rollbacks and savepoints.
        ws.conn.execute("PRAGMA journal_mode = MEMORY")
        ws.conn.execute("PRAGMA synchronous = OFF")
        _load(ws.conn, job)
        ws.close()
        ws = None
        _fsync(temp)
        os.replace(temp, target)
        _fsync_folder(target.parent)
        done = True
    finally:
        if ws is not None:
            ws.close()
        if not done:
            for leftover in (temp, Path(f"{temp}-wal"), Path(f"{temp}-shm"),
                             Path(f"{temp}-journal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()


def _load(conn: sqlite3.Connection, job: _Job) -> None:
    report = job.report
    with transaction(conn):
        previous = _previous_import(conn)
        loader = Loader(conn, report, strict=job.strict, progress=job.progress,
                        before_replace=copy_replaced_import)
        loader.run(job.files)
        if job.override is not None:
            report.export_date, report.export_date_overridden = job.override, True
        elif loader.state.config_cleared:
            gap = export_date_gap(conn, report.export_date, job.source_names)
            if gap is not None:
                report.gaps.append(gap)
        _check_tenant(previous, report, force=job.force)
        _note_older_export(previous, report)
        # The import and its gaps are recorded before the findings run, so that the checks
        # can see what this export lacks (explorer.store.gaps.missing_parts).
        _record_import(conn, job, configuration=loader.state.config_cleared)
        loader.state.step("findings", 0, 1)
        if loader.state.config_cleared or loader.state.history_files:
            _refresh_findings(conn, report)
        _store_report(conn, report)
        loader.state.step("commit", 0, 1)


def _previous_import(conn: sqlite3.Connection) -> dict[str, Any] | None:
    row = conn.execute(
        "SELECT partner_id, export_date FROM imports WHERE partner_id IS NOT NULL "
        "ORDER BY id DESC LIMIT 1").fetchone()
    return None if row is None else {"partner_id": row[0], "export_date": row[1]}


def _check_tenant(previous: dict[str, Any] | None, report: ImportReport, *,
                  force: bool) -> None:
    if previous is None or report.partner_id is None or force:
        return
    if previous["partner_id"] != report.partner_id:
        message = (f"this export belongs to partner {report.partner_id}, but the workspace "
                   f"holds partner {previous['partner_id']}; force the import to replace it")
        report.errors.append(Problem(None, None, "pid", message))
        raise ImportRefused(message, report)


def _note_older_export(previous: dict[str, Any] | None, report: ImportReport) -> None:
    if previous and previous["export_date"] and report.export_date and (
            report.export_date < previous["export_date"]):
        # Not a refusal: consultants do re-import an older export on purpose (to compare).
        report.warnings.append(Problem(
            None, None, None,
            f"this export ({report.export_date}) is older than the one imported before "
            f"({previous['export_date']})"))


def _refresh_findings(conn: sqlite3.Connection, report: ImportReport) -> None:
    """Findings are derived data: a failing check must not lose the import (savepoint)."""
    try:
        from explorer.analysis.findings import refresh_findings
    except ImportError:  # the findings engine is optional to the importer
        return
    conn.execute("SAVEPOINT findings")
    try:
        refresh_findings(conn, export_date=report.export_date)
    except Exception as exc:  # reported; the import itself stands
        conn.execute("ROLLBACK TO findings")
        report.warnings.append(Problem(None, None, None,
                                       f"findings could not be computed: {exc}"))
    conn.execute("RELEASE findings")


def _record_import(conn: sqlite3.Connection, job: _Job, *, configuration: bool) -> None:
    """The imports row, with the gaps of a configuration import (a usage-only import leaves
    them NULL: it says nothing about the configuration)."""
    report = job.report
    cursor = conn.execute(
        "INSERT INTO imports (started_at, finished_at, source, partner_id, export_date, "
        "export_date_overridden, counts, report) VALUES (?, ?, ?, ?, ?, ?, ?, '{}')",
        (job.started_at, _now(), _storable(report.source), report.partner_id,
         report.export_date, int(report.export_date_overridden), json.dumps(report.counts)),
    )
    report.import_id = cursor.lastrowid
    if configuration and report.import_id is not None:
        write_gaps(conn, report.import_id, report.gaps)


def _store_report(conn: sqlite3.Connection, report: ImportReport) -> None:
    text = json.dumps(report.to_json(), ensure_ascii=False)
    conn.execute("UPDATE imports SET report = ? WHERE id = ?",
                 (_storable(text), report.import_id))


def _storable(text: str) -> str:
    """Text SQLite can store: file names from the file system may hold lone surrogates."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-8", "replace").decode("utf-8")
    return text


def copy_replaced_import(conn: sqlite3.Connection, report: ImportReport) -> None:
    """Before the configuration is replaced, keep it as the snapshot of the import that loaded
    it (explorer.store.import_copies), so a later diff can compare the two imports.

    Written lazily, here, rather than after every import: the latest import's state is the live
    tables, and a first import (the big one) does not pay for a copy nobody needs yet.
    """
    try:
        from explorer.store.import_copies import has_import_copy, write_import_copy
    except ImportError:
        return
    previous = _last_configuration_import(conn)
    if previous is None or has_import_copy(conn, previous):
        return
    conn.execute("SAVEPOINT snapshot")
    try:
        write_import_copy(conn, previous)
    except Exception as exc:  # the import stands without it
        conn.execute("ROLLBACK TO snapshot")
        report.warnings.append(Problem(
            None, None, None, f"the snapshot of import {previous} could not be stored: {exc}"))
    conn.execute("RELEASE snapshot")


def _last_configuration_import(conn: sqlite3.Connection) -> int | None:
    """The newest import that loaded configuration rows (usage-only imports load none)."""
    for import_id, counts in conn.execute("SELECT id, counts FROM imports ORDER BY id DESC"):
        loaded = json.loads(counts or "{}")
        if any(loaded.get(table) for table in CONFIG_TABLES):
            return int(import_id)
    return None


def _export_date_override(value: str | date | None, report: ImportReport) -> str | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()
    try:
        return date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        message = f"export date {value!r} is not a date in the form YYYY-MM-DD"
        raise ImportRefused(message, _with_error(report, message)) from None


def _with_error(report: ImportReport, message: str) -> ImportReport:
    report.errors.append(Problem(None, None, None, message))
    return report


def _source_names(source: Path | str | list[Path | str]) -> list[str]:
    paths = [source] if isinstance(source, str | Path) else source
    return [str(Path(p).resolve()) if Path(p).is_dir() else str(p) for p in paths]


def _describe(source: Source) -> str:
    if isinstance(source, str | Path):
        return str(source)
    return "; ".join(str(p) for p in source)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable too (POSIX; Windows cannot open folders and needs no fsync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        _fsync(folder)
