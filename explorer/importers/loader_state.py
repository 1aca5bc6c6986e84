"""The state of one import and the steps its parts share (progress, problems,
validation, duplicate ids, row batches written with ``executemany``).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from explorer.domain.records import AamRecord
from explorer.importers import usage as usage_importer
from explorer.importers.parse import Parsed, json_type
from explorer.importers.problems import (
    FileSummary,
    ImportCancelled,
    ImportReport,
    Problem,
    Progress,
)
from explorer.importers.record_text import error_message, record_label
from explorer.importers.rows import insert_sql
from explorer.kinds import KINDS
from explorer.store.schema import CONFIG_TABLES

BATCH_ROWS = 5000
ProgressCallback = Callable[[Progress], "bool | None"]
_SEGMENT_TRAITS_SQL = (
    "INSERT OR IGNORE INTO segment_traits (segment_id, trait_id, in_frequency, negated) "
    "VALUES (?, ?, ?, ?)"
)
_DERIVED_TABLES = ("segment_traits", "search_index", "findings")


class StrictRefusal(Exception):
    """A problem in strict mode: the caller turns it into ImportRefused."""


def _referenced_traits() -> Callable[[str | None], list[Any]]:
    from explorer.domain.segment_rule import referenced_traits

    return referenced_traits


class LoaderState:
    """One import's state and the steps every part of the load shares: progress and
    problems, validating and de-duplicating records, batching rows. The parts (``ConfigRows``,
    ``DestinationRows``, ``FolderRows``) extend it; ``Loader`` puts them together."""

    def __init__(self, conn: sqlite3.Connection, report: ImportReport, *, strict: bool,
                 progress: ProgressCallback | None,
                 before_replace: Callable[[sqlite3.Connection, ImportReport], None] | None = None
                 ) -> None:
        self.conn = conn
        self.before_replace = before_replace
        self.report = report
        self.strict = strict
        self.progress = progress
        self.batches: dict[str, list[tuple[Any, ...]]] = {t: [] for t in CONFIG_TABLES}
        self.batches["segment_traits"] = []
        self.sql = {t: insert_sql(t) for t in CONFIG_TABLES}
        self.sql["segment_traits"] = _SEGMENT_TRAITS_SQL
        self.counts: Counter[str] = Counter()
        self.seen: dict[str, set[int]] = {k: set() for k in KINDS}
        self.pids: Counter[int] = Counter()
        self.newest_ms = 0
        self.folder_files: list[tuple[str, Parsed, FileSummary]] = []
        self.folders_used = {"trait-folder": set[int](), "segment-folder": set[int]()}
        self.config_cleared = False
        self.history_files = 0
        self.referenced_traits = _referenced_traits()
        self.usage = usage_importer

    # --- progress and problems ---------------------------------------------------------------

    def step(self, stage: str, done: int = 0, total: int = 1, message: str = "") -> None:
        if self.progress is not None and self.progress(
                Progress(stage, done, total, message)) is False:
            raise ImportCancelled(stage)

    def problem(self, file: str | None, record: str | None, field: str | None,
                message: str) -> None:
        """A warning, or in strict mode the end of the import."""
        problem = Problem(file, record, field, message)
        if self.strict:
            self.report.errors.append(problem)
            raise StrictRefusal(str(problem))
        self.report.warnings.append(problem)

    # --- records ---------------------------------------------------------------------------

    def clear_config(self) -> None:
        """Replace, never merge: the first configuration file empties the imported tables."""
        if self.config_cleared:
            return
        if self.before_replace is not None:
            self.before_replace(self.conn, self.report)
        for table in (*CONFIG_TABLES, *_DERIVED_TABLES):
            self.conn.execute(f"DELETE FROM {table}")
        self.config_cleared = True

    def validate(self, name: str, parsed: Parsed, index: int, record: Any,
                 cls: type[AamRecord], prefix: str = "") -> AamRecord | None:
        """The record's model, or None (with a problem per bad field) when it is bad."""
        if not isinstance(record, dict):
            self.problem(name, prefix + parsed.label(index), None,
                         f"expected a JSON object, got {json_type(record)}; skipped")
            return None
        try:
            return cls.model_validate(record)
        except ValidationError as exc:
            label = prefix + record_label(parsed.label(index), cls.id_field, record)
            for error in exc.errors(include_url=False):
                field = ".".join(str(part) for part in error["loc"]) or None
                self.problem(name, label, field, error_message(error))
            return None

    def accept(self, kind: str, name: str, label: str, model: AamRecord) -> bool:
        """False (with a warning) when the id was already loaded: the first one wins."""
        seen = self.seen[kind]
        if model.id in seen:
            self.problem(name, label, model.id_field,
                         f"duplicate {kind} id {model.id}; the first one is kept")
            return False
        seen.add(model.id)
        return True

    def track(self, model: Any) -> None:
        """Partner ids (to find the tenant) and the newest timestamp (the export date)."""
        pid = getattr(model, "pid", None)
        if pid is not None:
            self.pids[pid] += 1
        for stamp in (getattr(model, "create_time", None), getattr(model, "update_time", None)):
            if stamp is not None and stamp > self.newest_ms:
                self.newest_ms = stamp

    # --- writing ---------------------------------------------------------------------------

    def flush(self, table: str) -> None:
        batch = self.batches[table]
        if batch:
            self.conn.executemany(self.sql[table], batch)
            self.counts[table] += len(batch)
            batch.clear()

    def flush_all(self) -> None:
        for table in self.batches:
            self.flush(table)
