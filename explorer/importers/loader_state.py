"""The state of one import and the steps its parts share (progress, problems,
validation, duplicate ids, row batches written with ``executemany``).
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from functools import partial
from itertools import repeat
from operator import itemgetter
from typing import Any

from pydantic import ValidationError

from explorer.domain.codes import canonical_record, is_unknown_code
from explorer.domain.records import AamRecord, parse_epoch_ms
from explorer.importers import usage as usage_importer
from explorer.importers.background import BackgroundStatements
from explorer.importers.parse import Parsed, json_type
from explorer.importers.record_text import error_message, record_label
from explorer.importers.report import (
    FileSummary,
    ImportCancelled,
    ImportReport,
    Problem,
    Progress,
)
from explorer.importers.rows import insert_sql
from explorer.kinds import KINDS
from explorer.store.schema import CONFIG_TABLES
from explorer.store.search_index import SEARCH_SOURCES, clear_search_index, index_objects
from explorer.store.stored_records import rebuilt_record, stored_table, typed_columns

BATCH_ROWS = 5000
ProgressCallback = Callable[[Progress], "bool | None"]
_SEGMENT_TRAITS_SQL = (
    "INSERT OR IGNORE INTO segment_traits (segment_id, trait_id, in_frequency, negated) "
    "VALUES (?, ?, ?, ?)"
)
_DERIVED_TABLES = ("segment_traits", "findings")
# Times AAM gives every object; an unusable one is dropped, the record kept.
TIME_KEYS = ("createTime", "updateTime")
# Coded fields whose undocumented numbers are noted once per kind and code.
_CODED_ATTRIBUTES = {"status": "status", "trait_type": "traitType",
                     "element_status": "elementStatus"}


# A trait listed with includeDetails=true has these keys (empty for an onboarded trait's rule);
# a list without it has neither (TTL and rule version may still come, as in Adobe's samples).
DETAIL_KEYS = frozenset({"traitRule", "integrationCode"})
_METRIC_PREFIXES = ("uniques", "count", "instantUniques", "totalUniques", "population")


def _has_metrics(parsed: Parsed) -> bool:
    keys = parsed.header if parsed.header is not None else {
        key for r in parsed.records[:50] if isinstance(r, dict) for key in r}
    return any(key.startswith(_METRIC_PREFIXES) for key in keys)


def _optional_keys(cls: type[AamRecord]) -> frozenset[str]:
    """The JSON keys of fields a record of ``cls`` can do without (never its id)."""
    cached = _OPTIONAL_KEYS.get(cls)
    if cached is None:
        cached = frozenset(
            info.alias or name for name, info in cls.model_fields.items()
            if not info.is_required() and (info.alias or name) != cls.id_field)
        _OPTIONAL_KEYS[cls] = cached
    return cached


_OPTIONAL_KEYS: dict[type[AamRecord], frozenset[str]] = {}


def _tracked_columns(table: str) -> tuple[int | None, tuple[int, ...]]:
    columns = typed_columns(table)
    return (columns.index("pid") if "pid" in columns else None,
            tuple(columns.index(c) for c in ("create_time", "update_time") if c in columns))


# table -> (position of pid, positions of the times) in its rows: what track_rows reads
_TRACKED_COLUMNS = {table: _tracked_columns(table) for table in CONFIG_TABLES}


_KIND_OF_TABLE = {kind.table: kind.name for kind in KINDS.values()}


def _json_object(text: str | None) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if text else None
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


class StrictRefusal(Exception):
    """A problem in strict mode: the caller turns it into ImportRefused."""


def _referenced_traits() -> Callable[[str | None], tuple[list[Any], list[str]]]:
    from explorer.domain.rule_references import references_for_index

    return references_for_index


class LoaderState:
    """One import's state and the steps every part of the load shares: progress and
    problems, validating and de-duplicating records, batching rows. ``Loader`` builds one
    and hands it to each of its parts (``ConfigRows``, ``DestinationRows``, ``FolderRows``)."""

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
        # kind -> id -> the file its first copy came from
        self.seen: dict[str, dict[int, str]] = {k: {} for k in KINDS}
        self.pids: Counter[int] = Counter()
        self.pid_kinds: Counter[tuple[int, str]] = Counter()
        self.newest_ms = 0
        self.folder_files: list[tuple[str, Parsed, FileSummary, str]] = []
        # What the completeness check needs: per kind, (file, rows, paged total, group).
        self.kind_files: dict[str, list[tuple[str, int, int | None, Any]]] = {}
        self.detail_less: dict[str, list[int]] = {}  # trait file -> [without details, rows]
        self.metric_kinds: set[str] = set()  # kinds some record of which carried metrics
        self.unknown_codes: Counter[tuple[str, str, str]] = Counter()
        self.merged: dict[str, int] = {}  # file -> copies of objects already loaded
        self.folders_used = {"trait-folder": set[int](), "segment-folder": set[int]()}
        self.config_cleared = False
        self.history_files = 0
        self.referenced_traits = _referenced_traits()
        self.usage = usage_importer
        # While configuration rows are loaded: the statements filling the search index run
        # on a second thread, and the tables' secondary indexes wait (their CREATE statements
        # here) to be built once, in bulk, after the last row.
        self.background: BackgroundStatements | None = None
        self.deferred_indexes: list[str] = []

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
        for table in (*map(stored_table, CONFIG_TABLES), *_DERIVED_TABLES):
            self.conn.execute(f"DELETE FROM {table}")
        clear_search_index(self.conn)
        self.config_cleared = True
        self._defer_indexes()
        self.background = BackgroundStatements()

    def _defer_indexes(self) -> None:
        """Drop the secondary indexes of the loaded tables, to be built again by
        ``finish_writes``: building an index from a full table is about twice as fast as
        keeping it up to date row by row."""
        tables = (*map(stored_table, CONFIG_TABLES), "segment_traits")
        found = self.conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
            f"AND tbl_name IN ({', '.join('?' * len(tables))}) ORDER BY rowid",
            tables).fetchall()
        for name, sql in found:
            self.conn.execute(f'DROP INDEX "{name}"')
            self.deferred_indexes.append(sql)

    def validate(self, name: str, parsed: Parsed, index: int, record: Any,
                 cls: type[AamRecord], prefix: str = "") -> AamRecord | None:
        """The record's model, or None (with a problem per bad field) when it is bad.

        Adobe's key variants and numeric codes are read first (``explorer.domain.codes``); an
        unusable time is dropped with a warning and the record kept.
        """
        if not isinstance(record, dict):
            self.problem(name, prefix + parsed.label(index), None,
                         f"expected a JSON object, got {json_type(record)}; skipped")
            return None
        record = canonical_record(cls.kind, record)
        for key in TIME_KEYS:
            if key in record:
                try:
                    parse_epoch_ms(record[key])
                except ValueError as exc:
                    label = prefix + record_label(parsed.label(index), cls.id_field, record)
                    shown = repr(record[key])
                    shown = shown if len(shown) <= 40 else shown[:37] + "..."
                    self.problem(name, label, key, f"{exc} (got {shown}); the value is "
                                 "dropped, the record is kept")
                    del record[key]
        try:
            model = cls.model_validate(record)
        except ValidationError as exc:
            label = prefix + record_label(parsed.label(index), cls.id_field, record)
            errors = exc.errors(include_url=False)
            optional = _optional_keys(cls)
            bad_keys = {str(error["loc"][0]) for error in errors if error["loc"]}
            if bad_keys and bad_keys <= optional and all(e["loc"] for e in errors):
                # Only values the object can do without are bad: drop them, keep the object.
                for error in errors:
                    key = str(error["loc"][0])
                    self.problem(name, label, key, f"{error_message(error)}; the value is "
                                 "dropped, the record is kept")
                kept = {k: v for k, v in record.items() if k not in bad_keys}
                try:
                    model = cls.model_validate(kept)
                except ValidationError as again:
                    for error in again.errors(include_url=False):
                        field = ".".join(str(part) for part in error["loc"]) or None
                        self.problem(name, label, field, f"{error_message(error)}; skipped")
                    return None
            else:
                for error in errors:
                    field = ".".join(str(part) for part in error["loc"]) or None
                    self.problem(name, label, field, error_message(error))
                return None
        for attribute, key in _CODED_ATTRIBUTES.items():
            word = getattr(model, attribute, None)
            if isinstance(word, str) and is_unknown_code(word):
                self.unknown_codes[(cls.kind, key, word)] += 1
        return model

    def accept(self, kind: str, name: str, label: str, model: AamRecord) -> bool:
        """True for an id not loaded yet. The same object met again (in this file or another)
        is one object: an identical copy is dropped quietly, a differing one with a warning
        naming both files and the fields that differ (the first copy is kept)."""
        seen = self.seen[kind]
        first_file = seen.get(model.id)
        if first_file is None:
            seen[model.id] = name
            return True
        differing = self.differing_fields(kind, model)
        if differing is None:
            self.merged[name] = self.merged.get(name, 0) + 1
            return False
        where = "this file" if first_file == name else first_file
        fields = ", ".join(differing[:8]) + (f" and {len(differing) - 8} more"
                                              if len(differing) > 8 else "")
        self.problem(name, label, model.id_field,
                     f"{KINDS[kind].label.lower()} {model.id} also in {where}, differing in "
                     f"{fields}; the first copy is kept, this one skipped")
        return False

    def differing_fields(self, kind: str, model: AamRecord) -> list[str] | None:
        """The fields in which ``model`` differs from the stored first copy (None: the same;
        a first copy that cannot be compared counts as differing in every field)."""
        table = KINDS[kind].table
        first = self.first_copy(table, model.id)
        this = model.model_dump(mode="json", by_alias=True, exclude_none=True)
        if first is None:
            return sorted(this) or ["its fields"]
        try:
            cls = type(model)
            before = cls.model_validate(canonical_record(kind, first)).model_dump(
                mode="json", by_alias=True, exclude_none=True)
        except (ValidationError, ValueError):
            return sorted(this) or ["its fields"]
        differing = sorted(key for key in before.keys() | this.keys()
                           if before.get(key) != this.get(key))
        return differing or None

    def first_copy(self, table: str, object_id: int) -> dict[str, Any] | None:
        """The source record stored for ``object_id`` (still in the batch, or written)."""
        for row in reversed(self.batches.get(table, [])):
            if row[0] == object_id:
                rest = _json_object(row[-2])
                typed = dict(zip(typed_columns(table), row[:-2], strict=True))
                return None if rest is None else rebuilt_record(table, typed, rest, row[-1])
        found = self.conn.execute(f"SELECT raw FROM {table} WHERE id = ?",
                                  (object_id,)).fetchone()
        return _json_object(found[0]) if found else None

    def track_rows(self, kind: str, table: str, rows: list[tuple[Any, ...]]) -> None:
        """Partner ids (to find the tenant) and the newest timestamp (the export date) of
        rows of ``table`` (of ``kind``), read from the rows' columns in C-level loops."""
        pid_at, time_columns = _TRACKED_COLUMNS[table]
        if pid_at is not None:
            pids = [pid for pid in map(itemgetter(pid_at), rows) if pid is not None]
            self.pids.update(pids)
            self.pid_kinds.update(zip(pids, repeat(kind)))
        for at in time_columns:
            newest = max(filter(None, map(itemgetter(at), rows)), default=None)
            if newest is not None and newest > self.newest_ms:
                self.newest_ms = newest

    def note_records(self, kind: str, name: str, parsed: Parsed) -> None:
        """What the completeness check needs to know of a file: its rows against a paged
        total, traits without details, and whether metrics came with the objects."""
        group = None
        if kind == "destination-mapping":  # Adobe pages mappings per destination
            destinations = {r.get("destinationId", r.get("orderId")) for r in parsed.records
                            if isinstance(r, dict)}
            group = next(iter(destinations)) if len(destinations) == 1 else None
        self.kind_files.setdefault(kind, []).append(
            (name, len(parsed.records), parsed.total, group))
        if kind in ("trait", "segment") and _has_metrics(parsed):
            self.metric_kinds.add(kind)
        if kind == "trait":
            if parsed.header is not None:
                lacking = len(parsed.records) if not DETAIL_KEYS & set(parsed.header) else 0
            else:
                lacking = sum(1 for r in parsed.records
                              if isinstance(r, dict) and not DETAIL_KEYS & r.keys())
            self.detail_less[name] = [lacking, len(parsed.records)]

    def note_unknown_codes(self) -> None:
        for (kind, key, word), count in sorted(self.unknown_codes.items()):
            plural = KINDS[kind].plural_label.lower() if count != 1 else \
                KINDS[kind].label.lower()
            self.report.notes.append(
                f"{count} {plural} with {key} {word.removeprefix('code ')}, a code no Adobe "
                f"document names: shown as '{word}'")

    # --- writing ---------------------------------------------------------------------------

    def flush(self, table: str) -> None:
        batch = self.batches[table]
        if batch:
            self.conn.executemany(self.sql[table], batch)
            kind = _KIND_OF_TABLE.get(table)
            if self.background is not None and kind in SEARCH_SOURCES:
                ids = [row[0] for row in batch]
                self.background.submit(partial(index_objects, self.conn, kind, ids))
            self.counts[table] += len(batch)
            batch.clear()

    def flush_all(self) -> None:
        for table in self.batches:
            self.flush(table)

    def finish_writes(self) -> None:
        """Every row written, indexed and searchable: what follows may read them all."""
        self.flush_all()
        for sql in self.deferred_indexes:
            self.conn.execute(sql)
        self.deferred_indexes.clear()
        if self.background is not None:
            self.background.drain()

    def stop_background(self) -> None:
        """Nothing runs on the second thread once this returns (the caller's transaction
        may end)."""
        if self.background is not None:
            self.background.stop()
            self.background = None
