"""Load the files of one export into a workspace, inside one transaction.

``Loader.run`` reads one file at a time, validates each record with its pydantic type, and
writes rows in batches of ``BATCH_ROWS`` with ``executemany``; only small things (seen ids,
folders, partner-id counts) are kept for the whole import. The caller owns the transaction
(see ``explorer.importers.api``), so any exception here leaves the workspace as it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from pydantic import ValidationError

from explorer.domain.records import RECORD_TYPES, AamRecord
from explorer.importers import folders as folder_tree
from explorer.importers.parse import (
    FOLDER,
    Parsed,
    classify_keys,
    csv_cell_value,
    decode,
    folder_kind_from_name,
    json_type,
    looks_like_csv,
    looks_like_json,
    parse_csv,
    parse_json,
    sample_keys,
)
from explorer.importers.problems import (
    FileSummary,
    ImportCancelled,
    ImportRefused,
    ImportReport,
    Problem,
    Progress,
)
from explorer.importers.rows import (
    ROW_BUILDERS,
    SEARCH_SOURCES,
    insert_sql,
    string_aliases,
)
from explorer.importers.sources import InputFile, Unreadable, read_file
from explorer.kinds import KINDS
from explorer.store.schema import CONFIG_TABLES

BATCH_ROWS = 5000
ProgressCallback = Callable[[Progress], "bool | None"]
_STRING_KEYS = {kind: string_aliases(cls) for kind, cls in RECORD_TYPES.items()}
_SEGMENT_TRAITS_SQL = (
    "INSERT OR IGNORE INTO segment_traits (segment_id, trait_id, in_frequency, negated) "
    "VALUES (?, ?, ?, ?)"
)
_DERIVED_TABLES = ("segment_traits", "search_index", "findings")


class StrictRefusal(Exception):
    """A problem in strict mode: the caller turns it into ImportRefused."""


# One encoder for every record: json.dumps with options would build a new one per call.
_encode_json: Callable[[Any], str] = json.JSONEncoder(
    ensure_ascii=False, separators=(",", ":")).encode

try:  # optional accelerator: 5x faster for the raw column of a 200k-trait export
    from orjson import dumps as _orjson_dumps
except ImportError:  # pragma: no cover - depends on the environment
    _orjson_dumps = None


def compact_json(value: Any) -> str:
    """The record as compact UTF-8 JSON (what ``json.dumps(..., ensure_ascii=False,
    separators=(",", ":"))`` gives)."""
    if _orjson_dumps is not None:
        try:
            return _orjson_dumps(value).decode()
        except TypeError:  # e.g. integers beyond 64 bits: the standard encoder copes
            pass
    return _encode_json(value)


def _referenced_traits() -> Callable[[str | None], list[Any]]:
    from explorer.domain.segment_rule import referenced_traits

    return referenced_traits


def _usage_module() -> Any | None:
    """The trends engineer's usage importer, or None while it does not exist."""
    try:
        from explorer.importers import usage
    except ModuleNotFoundError as exc:
        if exc.name != "explorer.importers.usage":
            raise
        return None
    return usage


class Loader:
    """One import's state. ``run`` does the work; the caller commits or rolls back."""

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
        self.usage = _usage_module()

    # --- progress and problems --------------------------------------------------------------

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

    # --- the whole run ----------------------------------------------------------------------

    def run(self, files: list[InputFile]) -> None:
        self.step("open", 0, 1)
        total = len(files)
        for index, item in enumerate(files):
            self.step("read", index, total, item.name)
            # The bytes are passed, not kept: load_file drops them once decoded.
            self.load_file(item.name, read_file(item))
        self.step("read", total, total)
        self.step("folders", 0, 1)
        self.load_folders()
        self.flush_all()
        if not self.config_cleared and not self.history_files:
            ignored = sum(1 for f in self.report.files if f.kind == "ignored")
            message = (f"nothing recognised in the export ({len(files)} file(s), {ignored} "
                       "ignored): no AAM objects, usage or settings files")
            self.report.errors.append(Problem(None, None, None, message))
            raise ImportRefused(message, self.report)
        self.step("references", 0, 1)
        self.report.partner_id = self.tenant()
        if self.report.export_date is None and self.newest_ms:
            self.report.export_date = (
                datetime.fromtimestamp(self.newest_ms / 1000, tz=UTC).date().isoformat())
        self.step("search", 0, 1)
        if self.config_cleared:
            self.build_search_index()
        self.report.counts.update({t: self.counts[t] for t in CONFIG_TABLES})
        self.report.counts["segment_traits"] = self.counts["segment_traits"]

    def tenant(self) -> int | None:
        """The partner id that owns most objects (third-party folders/traits carry others)."""
        if not self.pids:
            return None
        return self.pids.most_common(1)[0][0]

    # --- one file ---------------------------------------------------------------------------

    def load_file(self, name: str, data: bytes) -> None:
        summary = FileSummary(name, "ignored")
        self.report.files.append(summary)
        lowered = name.lower()
        known_text = lowered.endswith((".json", ".csv", ".tsv"))
        try:
            text, encoding_warning = decode(name, data, allow_legacy=looks_like_csv(name))
        except Unreadable:
            if known_text:
                raise
            self.problem(name, None, None, "not a JSON or CSV file; ignored")
            return
        del data  # a large export file: keep one copy (the text), not two
        if encoding_warning:
            self.problem(name, None, None, encoding_warning)
        if looks_like_json(name, text):
            parsed = parse_json(name, text)
        elif looks_like_csv(name):
            parsed = parse_csv(name, text)
        else:
            parsed = None
        kind = classify_keys(sample_keys(parsed)) if parsed is not None else None
        if kind is None:
            self.load_other(name, text, parsed, summary, known_text)
            return
        del text
        summary.kind = kind
        if kind == FOLDER:
            self.folder_files.append((name, parsed, summary))
        elif kind == "destination":
            self.load_destinations(name, parsed, summary)
        else:
            self.load_records(name, kind, parsed, summary)

    def load_other(self, name: str, text: str, parsed: Parsed | None, summary: FileSummary,
                   known_text: bool) -> None:
        """Usage and settings files go to the usage importer; anything else is ignored."""
        history_kind = self.usage.sniff(name, text) if self.usage is not None else None
        if history_kind is not None:
            summary.kind = history_kind
            self.load_history(history_kind, name, text)
            return
        if parsed is not None and not parsed.records:
            self.problem(name, None, None, "no records; ignored")
        elif parsed is not None or known_text:
            self.problem(name, None, None, "not a recognised AAM export file; ignored")
        else:
            self.problem(name, None, None, "not a JSON or CSV file; ignored")

    def load_history(self, kind: str, name: str, text: str) -> None:
        errors_before = len(self.report.errors)
        warnings_before = len(self.report.warnings)
        self.usage.load(kind, name, text, self.conn, self.report)
        # A bad row the usage importer skipped is, to this importer, a warning (or in strict
        # mode a refusal), exactly like a bad configuration record.
        moved = self.report.errors[errors_before:]
        del self.report.errors[errors_before:]
        self.report.warnings.extend(moved)
        if self.strict and len(self.report.warnings) > warnings_before:
            problems = self.report.warnings[warnings_before:]
            del self.report.warnings[warnings_before:]
            self.report.errors.extend(problems)
            raise StrictRefusal(str(problems[0]))
        self.history_files += 1

    # --- configuration records --------------------------------------------------------------

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

    def load_records(self, name: str, kind: str, parsed: Parsed, summary: FileSummary) -> None:
        self.clear_config()
        cls = RECORD_TYPES[kind]
        build = ROW_BUILDERS[kind]
        table = KINDS[kind].table
        batch = self.batches[table]
        seen = self.seen[kind]
        extra = self._extra_step(kind)
        raw_of = self._csv_raw(kind) if parsed.is_csv else compact_json
        records = parsed.records
        total = len(records)
        for index, record in enumerate(records):
            model = self.validate(name, parsed, index, record, cls)
            if model is None:
                summary.skipped += 1
                continue
            if model.id in seen and not self.accept(
                    kind, name, record_label(parsed.label(index), cls.id_field, record), model):
                summary.skipped += 1
                continue
            seen.add(model.id)
            batch.append(build(model, raw_of(record)))
            self.track(model)
            if extra is not None:
                extra(name, parsed.label(index), model)
            if len(batch) >= BATCH_ROWS:
                self.flush(table)
                self.step("read", index + 1, total, name)  # records within a big file
        summary.records = total - summary.skipped
        self.flush(table)

    def _extra_step(self, kind: str) -> Callable[[str, str, Any], None] | None:
        if kind == "segment":
            return self._segment_extras
        if kind == "trait":
            return self._trait_extras
        return None

    def _trait_extras(self, _name: str, _label: str, model: Any) -> None:
        self.folders_used["trait-folder"].add(model.folder_id)

    def _segment_extras(self, name: str, label: str, model: Any) -> None:
        self.folders_used["segment-folder"].add(model.folder_id)
        try:
            references = self.referenced_traits(model.segment_rule)
        except Exception as exc:  # a rule the parser chokes on must not stop the import
            self.problem(name, record_label(label, "sid", {"sid": model.id}), "segmentRule",
                         f"rule not understood ({exc}); its trait references are not indexed")
            return
        batch = self.batches["segment_traits"]
        for ref in references:
            batch.append((model.id, ref.trait_id, int(ref.in_frequency), int(ref.negated)))
        if len(batch) >= BATCH_ROWS:
            self.flush("segment_traits")

    @staticmethod
    def _csv_raw(kind: str) -> Callable[[dict[str, str]], str]:
        """The ``raw`` JSON of a CSV row: cells typed back, except this kind's text fields."""
        text_keys = _STRING_KEYS[kind]

        def raw(record: dict[str, str]) -> str:
            return compact_json({
                key: value if key in text_keys else csv_cell_value(value)
                for key, value in record.items()
            })

        return raw

    def track(self, model: Any) -> None:
        """Partner ids (to find the tenant) and the newest timestamp (the export date)."""
        pid = getattr(model, "pid", None)
        if pid is not None:
            self.pids[pid] += 1
        for stamp in (getattr(model, "create_time", None), getattr(model, "update_time", None)):
            if stamp is not None and stamp > self.newest_ms:
                self.newest_ms = stamp

    def load_destinations(self, name: str, parsed: Parsed, summary: FileSummary) -> None:
        """Destinations, and the mappings nested in them (``includeMappings=true``)."""
        self.clear_config()
        dest_cls = RECORD_TYPES["destination"]
        map_cls = RECORD_TYPES["destination-mapping"]
        for index, record in enumerate(parsed.records):
            model = self.validate(name, parsed, index, record, dest_cls)
            label = record_label(parsed.label(index), dest_cls.id_field, record)
            if model is None or not self.accept("destination", name, label, model):
                summary.skipped += 1
                continue
            raw = self._csv_raw("destination")(record) if parsed.is_csv else compact_json(record)
            self.batches["destinations"].append(ROW_BUILDERS["destination"](model, raw))
            self.track(model)
            summary.records += 1
            summary.skipped += self.load_nested_mappings(
                name, label, model.id, record.get("mappings"), map_cls)
        self.flush("destinations")
        self.flush("destination_mappings")

    def load_nested_mappings(self, name: str, label: str, destination_id: int, mappings: Any,
                             cls: type[AamRecord]) -> int:
        """Load one destination's nested mappings; return how many were skipped."""
        if mappings is None:
            return 0
        if not isinstance(mappings, list):
            self.problem(name, label, "mappings",
                         f"expected an array, got {json_type(mappings)}; mappings skipped")
            return 1
        skipped = 0
        nested = Parsed(mappings, is_csv=False, noun="mapping")
        for position, mapping in enumerate(mappings):
            if isinstance(mapping, dict) and "destinationId" not in mapping:
                mapping = {**mapping, "destinationId": destination_id}
            prefix = f"{label}: "
            model = self.validate(name, nested, position, mapping, cls, prefix=prefix)
            if model is None:
                skipped += 1
                continue
            mapping_label = prefix + record_label(nested.label(position), cls.id_field, mapping)
            if not self.accept("destination-mapping", name, mapping_label, model):
                skipped += 1
                continue
            self.batches["destination_mappings"].append(
                ROW_BUILDERS["destination-mapping"](model, compact_json(mapping)))
            self.track(model)
        return skipped

    # --- folders ----------------------------------------------------------------------------

    def load_folders(self) -> None:
        """Decide trait vs segment for each folder file, then write each kind's folders."""
        by_kind: dict[str, list[folder_tree.FolderRecord]] = {
            "trait-folder": [], "segment-folder": []}
        for name, parsed, summary in self.folder_files:
            kind = folder_kind_from_name(name) or self.folder_kind_from_use(parsed)
            if kind is None:
                summary.kind = "ignored"
                self.problem(name, None, None,
                             "folders, but neither the file name nor the traits and segments "
                             "tell whether they are trait or segment folders; ignored")
                continue
            summary.kind = kind
            self.clear_config()
            labels = [parsed.label(i) for i in range(len(parsed.records))]
            for item in folder_tree.flatten(name, parsed.records, labels):
                if isinstance(item, tuple):
                    self.problem(name, item[0], None,
                                 f"expected a JSON object, got {json_type(item[1])}; skipped")
                    summary.skipped += 1
                else:
                    by_kind[kind].append(item)
                    summary.records += 1
        for kind, items in by_kind.items():
            self.write_folders(kind, items)

    def folder_kind_from_use(self, parsed: Parsed) -> str | None:
        ids = {r.get("folderId") for r in parsed.records if isinstance(r, dict)}
        for record in parsed.records:  # nested children count too
            if isinstance(record, dict):
                ids.update(_nested_ids(record.get("subFolders")))
        trait_hits = len(ids & self.folders_used["trait-folder"])
        segment_hits = len(ids & self.folders_used["segment-folder"])
        if trait_hits == segment_hits:
            return None
        return "trait-folder" if trait_hits > segment_hits else "segment-folder"

    def write_folders(self, kind: str, items: list[folder_tree.FolderRecord]) -> None:
        cls = RECORD_TYPES[kind]
        models: dict[int, tuple[Any, folder_tree.FolderRecord]] = {}
        for item in items:
            try:
                model = cls.model_validate(item.record)
            except ValidationError as exc:
                label = record_label(item.label, "folderId", item.record)
                for error in exc.errors(include_url=False):
                    field = ".".join(str(part) for part in error["loc"]) or None
                    self.problem(item.file, label, field, error_message(error))
                continue
            if model.id == folder_tree.ROOT_ID:
                continue  # the "All Traits"/"All Segments" root itself is not a folder row
            label = record_label(item.label, "folderId", item.record)
            if not self.accept(kind, item.file, label, model):
                continue
            models[model.id] = (model, item)
        parents = {fid: m.parent_id for fid, (m, _item) in models.items()}
        for cycle in folder_tree.find_cycles(parents):
            first = models[cycle[0]][1]
            chain = " → ".join(str(fid) for fid in [*cycle, cycle[0]])
            self.problem(first.file, None, "parentFolderId",
                         f"{kind}s form a cycle ({chain}); those folders are skipped")
            for fid in cycle:
                del models[fid]
                del parents[fid]
        depth = folder_tree.depths(parents)
        table = KINDS[kind].table
        batch = self.batches[table]
        for fid, (model, item) in models.items():
            parent = None if model.parent_id == folder_tree.ROOT_ID else model.parent_id
            batch.append((fid, parent, model.pid, model.name, model.path, depth[fid],
                          compact_json(item.record)))
            self.track(model)
        self.flush(table)

    # --- writing ----------------------------------------------------------------------------

    def flush(self, table: str) -> None:
        batch = self.batches[table]
        if batch:
            self.conn.executemany(self.sql[table], batch)
            self.counts[table] += len(batch)
            batch.clear()

    def flush_all(self) -> None:
        for table in self.batches:
            self.flush(table)

    def build_search_index(self) -> None:
        """One FTS row per configuration object, straight from the tables (no Python loop)."""
        for table, (description, code, rule) in SEARCH_SOURCES.items():
            kind = KINDS[_kind_of_table(table)].name
            self.conn.execute(
                "INSERT INTO search_index "
                "(kind, object_id, ident, name, description, integration_code, rule) "
                f"SELECT ?, id, CAST(id AS TEXT), name, {description}, {code}, {rule} "
                f"FROM {table}",
                (kind,),
            )


def _kind_of_table(table: str) -> str:
    return next(k.name for k in KINDS.values() if k.table == table)


def _nested_ids(children: Any) -> set[Any]:
    ids: set[Any] = set()
    if isinstance(children, list):
        for child in children:
            if isinstance(child, dict):
                ids.add(child.get("folderId"))
                ids.update(_nested_ids(child.get("subFolders")))
    return ids


def record_label(base: str, id_field: str, record: Any) -> str:
    """``record 3 (sid 1000003)``: the position, plus the AAM id when the record has one."""
    if isinstance(record, dict):
        value = record.get(id_field)
        if isinstance(value, int | str) and not isinstance(value, bool) and str(value).strip():
            return f"{base} ({id_field} {value})"
    return base


def error_message(error: Any) -> str:
    message = str(error.get("msg", "invalid value"))
    if error.get("type") == "missing":
        return "required field is missing"
    value = error.get("input")
    if isinstance(value, dict | list):
        return f"{message} (got {json_type(value)})"
    shown = repr(value)
    return f"{message} (got {shown if len(shown) <= 40 else shown[:37] + '...'})"
