"""Snapshot bundles (``.aamsnap``): the HTML snapshot plus a workspace reduced to its scope.

A bundle is a zip of ``snapshot.html``, ``workspace.aamws`` (same schema; only the scoped
objects and what they reference, their annotations and findings, the tenant's usage history)
and ``manifest.json``. The app opens it read-only: ``open_bundle`` extracts the workspace to a
fresh temporary folder, refusing any entry that would land outside it.

The reduced workspace is a copy made with SQLite's backup API, pruned, then VACUUMed so the
pruned rows do not survive in free pages of the file a client receives.
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any

from explorer import __version__
from explorer.kinds import KINDS
from explorer.report.errors import ReportWriteError, os_reason
from explorer.report.scope import Scope, reference_closure
from explorer.store.db import transaction
from explorer.store.search_index import build_search_index, has_text_copy
from explorer.store.stored_records import stored_table, stores_remainder

BUNDLE_SUFFIX = ".aamsnap"
HTML_ENTRY = "snapshot.html"
WORKSPACE_ENTRY = "workspace.aamws"
MANIFEST_ENTRY = "manifest.json"
BUNDLE_FORMAT = 1
BUNDLE_SETTING = "snapshot_bundle"  # settings key marking a reduced workspace (read-only use)
_MAX_UNPACKED_BYTES = 8 * 1024**3  # refuses zip bombs long before the disk fills


class BundleError(ValueError):
    """A bundle that cannot be written or opened; the message is meant for the user."""


# ---------------------------------------------------------------------------------------------
# Writing


def reduce_workspace(conn: sqlite3.Connection, scope: Scope, target: Path,
                     manifest: dict[str, Any] | None = None) -> Path:
    """Copy the workspace behind ``conn`` to ``target``, keeping only the scope's objects,
    what they reference, their annotations and findings, and the usage history."""
    keep = reference_closure(conn, scope)
    target.unlink(missing_ok=True)
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        conn.backup(copy)
        with transaction(copy):
            _prune(copy, keep)
            copy.execute("INSERT OR REPLACE INTO settings(key, value) VALUES (?, ?)",
                         (BUNDLE_SETTING, json.dumps(manifest or {}, ensure_ascii=False)))
        # One self-contained file: no WAL beside it, and no freed pages holding pruned rows.
        copy.execute("PRAGMA journal_mode = DELETE")
        copy.execute("VACUUM")
    finally:
        copy.close()
    return target


def _prune(copy: sqlite3.Connection, keep: dict[str, set[int]]) -> None:
    # One indexed temp table of kept (kind, id): NOT EXISTS over it stays fast for any size.
    copy.execute("CREATE TEMP TABLE keep_refs (kind TEXT NOT NULL, id INTEGER NOT NULL, "
                 "PRIMARY KEY (kind, id)) WITHOUT ROWID")
    copy.executemany("INSERT INTO keep_refs VALUES (?, ?)",
                     ((name, i) for kind in KINDS for i in keep[kind]
                      # the search index names kinds by KIND word (older ones by table name)
                      for name in (kind, KINDS[kind].table)))
    for kind, spec in KINDS.items():
        # the stored rows themselves: deleting through the view would rebuild every record
        table = stored_table(spec.table) if stores_remainder(copy, spec.table) else spec.table
        copy.execute(f"DELETE FROM {table} WHERE NOT EXISTS (SELECT 1 FROM keep_refs k "
                     f"WHERE k.kind = ? AND k.id = {table}.id)", (kind,))
    copy.execute("DELETE FROM segment_traits WHERE segment_id NOT IN (SELECT id FROM segments)")
    _prune_search_index(copy)
    for table, kind_column, id_column in (("annotations", "kind", "object_id"),
                                          ("findings", "object_kind", "object_id"),
                                          ("finding_acceptances", "object_kind", "object_id")):
        # tenant-level findings (kind "tenant") are about the whole tenant: they stay
        copy.execute(
            f"DELETE FROM {table} WHERE {kind_column} IN (SELECT value FROM json_each(?)) "
            f"AND NOT EXISTS (SELECT 1 FROM keep_refs k "
            f"WHERE k.kind = {table}.{kind_column} AND k.id = {table}.{id_column})",
            (json.dumps([name for kind in KINDS for name in (kind, KINDS[kind].table)]),))
    # Earlier imports' snapshots and reports describe the whole tenant: not for this client.
    copy.execute("DELETE FROM import_snapshots")
    _anonymise_imports(copy)
    copy.execute("DROP TABLE temp.keep_refs")


def _prune_search_index(copy: sqlite3.Connection) -> None:
    """Leave in the index only the kept objects, with no trace of the others' words: the
    index is rebuilt from the pruned tables (an FTS5 delete would leave the deleted words in
    the index's pages until a merge)."""
    if has_text_copy(copy):  # a workspace from before schema v7, read-only: keep its layout
        copy.execute(
            "DELETE FROM search_index WHERE NOT EXISTS (SELECT 1 FROM keep_refs k "
            "WHERE k.kind = search_index.kind AND k.id = search_index.object_id)")
        copy.execute("INSERT INTO search_index(search_index) VALUES ('rebuild')")
    else:
        build_search_index(copy)


def _anonymise_imports(copy: sqlite3.Connection) -> None:
    """The import history says neither where the export lay on the consultant's disk nor how
    big the whole tenant is: each source becomes the export's base name, counts the bundle's."""
    counts = {name: copy.execute(f"SELECT count(*) FROM {name}").fetchone()[0]
              for name in [spec.table for spec in KINDS.values()] + ["segment_traits"]}
    rows = copy.execute("SELECT id, source FROM imports").fetchall()
    copy.executemany(
        "UPDATE imports SET source = ?, counts = ?, report = '{}' WHERE id = ?",
        [(_base_names(source), json.dumps(counts), import_id) for import_id, source in rows])


def _base_names(source: str) -> str:
    """``/home/me/exports/acme.zip; C:\\x\\traits.json`` -> ``acme.zip; traits.json``."""
    names = [re.split(r"[\\/]", part.rstrip("\\/"))[-1] for part in source.split("; ")]
    return "; ".join(name for name in names if name) or "snapshot"


def write_bundle(conn: sqlite3.Connection, scope: Scope, html: str, out: str | Path,
                 manifest: dict[str, Any] | None = None) -> Path:
    """Write ``out`` (.aamsnap): ``html`` as snapshot.html, the reduced workspace, a manifest."""
    target = Path(out)
    info = {"format": BUNDLE_FORMAT, "app_version": __version__,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "scope": [str(p) for p in scope.picks] or ["tenant"], **(manifest or {})}
    if isinstance(info.get("partner_id"), str) and info["partner_id"].strip().isdigit():
        info["partner_id"] = int(info["partner_id"])  # a number, as in the workspace
    with tempfile.TemporaryDirectory(prefix="aamsnap-build-") as work:
        workspace = reduce_workspace(conn, scope, Path(work) / WORKSPACE_ENTRY, info)
        partial = target.with_name(target.name + ".partial")
        try:
            with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(MANIFEST_ENTRY, json.dumps(info, indent=2, ensure_ascii=False))
                archive.writestr(HTML_ENTRY, html)
                archive.write(workspace, WORKSPACE_ENTRY)
            partial.replace(target)  # a failed write never leaves a half bundle under the name
        except OSError as exc:
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)
            raise ReportWriteError(target, os_reason(exc)) from None
    return target


# ---------------------------------------------------------------------------------------------
# Reading


def _safe_members(archive: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The archive's entries, or BundleError if any could escape the extraction folder."""
    members = archive.infolist()
    total = 0
    for member in members:
        name = member.filename
        path = PurePosixPath(name.replace("\\", "/"))
        if (name.startswith(("/", "\\")) or path.is_absolute() or ".." in path.parts
                or ":" in name or "\x00" in name):
            raise BundleError(f"refusing bundle entry {name!r}: it points outside the bundle")
        if (member.external_attr >> 16) & 0o170000 == 0o120000:
            raise BundleError(f"refusing bundle entry {name!r}: symbolic link")
        total += member.file_size
    if total > _MAX_UNPACKED_BYTES:
        raise BundleError("refusing bundle: it would unpack to more than 8 GB")
    return members


def _open_zip(path: str | Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BundleError(f"{path}: not a snapshot bundle ({exc})") from None


def bundle_info(path: str | Path) -> dict[str, Any]:
    """The bundle's manifest (title, partner id, export date, scope, counts, created)."""
    with _open_zip(path) as archive:
        names = {m.filename for m in _safe_members(archive)}
        if MANIFEST_ENTRY not in names or WORKSPACE_ENTRY not in names:
            raise BundleError(f"{path}: not a snapshot bundle (no {MANIFEST_ENTRY} or "
                              f"{WORKSPACE_ENTRY})")
        try:
            info = json.loads(archive.read(MANIFEST_ENTRY).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise BundleError(f"{path}: unreadable manifest ({exc})") from None
    if not isinstance(info, dict):
        raise BundleError(f"{path}: unreadable manifest")
    return info


def open_bundle(path: str | Path, into: str | Path | None = None) -> Path:
    """Extract the bundle's workspace (and snapshot) to a new temporary folder, or ``into``;
    return the workspace path, to be opened with ``Workspace.open(path, readonly=True)``.

    The caller removes the folder (``path.parent``) when done with it.
    """
    bundle_info(path)  # validates the entries and the manifest first
    folder = Path(into) if into is not None else Path(tempfile.mkdtemp(prefix="aamsnap-"))
    folder.mkdir(parents=True, exist_ok=True)
    root = folder.resolve()
    try:
        with _open_zip(path) as archive:
            for member in _safe_members(archive):
                if member.is_dir() or member.filename not in (WORKSPACE_ENTRY, HTML_ENTRY,
                                                              MANIFEST_ENTRY):
                    continue  # only the entries we wrote; anything else stays in the zip
                destination = (root / member.filename).resolve()
                if root not in destination.parents:
                    raise BundleError(f"refusing bundle entry {member.filename!r}")
                with archive.open(member) as source, open(destination, "wb") as sink:
                    shutil.copyfileobj(source, sink)
    except BaseException:
        if into is None:
            shutil.rmtree(folder, ignore_errors=True)
        raise
    return root / WORKSPACE_ENTRY
