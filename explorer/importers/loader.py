"""Load the files of one export into a workspace, inside one transaction.

``Loader.run`` reads one file at a time, validates each record with its pydantic type, and
writes rows in batches of ``BATCH_ROWS`` with ``executemany``; only small things (seen ids,
folders, partner-id counts) are kept for the whole import. The caller owns the transaction
(see ``explorer.importers.api``), so any exception here leaves the workspace as it was.

``Loader`` puts the parts together: ``loader_state`` (state, problems, batches),
``config_rows`` (flat configuration files), ``destinations`` (with nested mappings),
``folder_rows`` (folder trees) and ``record_text`` (raw JSON, labels, error messages).
"""

from __future__ import annotations

from datetime import UTC, datetime

from explorer.importers.config_rows import ConfigRows
from explorer.importers.destinations import DestinationRows
from explorer.importers.folder_rows import FolderRows
from explorer.importers.loader_state import BATCH_ROWS, ProgressCallback, StrictRefusal
from explorer.importers.parse import (
    FOLDER,
    Parsed,
    classify_keys,
    decode,
    looks_like_csv,
    looks_like_json,
    parse_csv,
    parse_json,
    sample_keys,
)
from explorer.importers.problems import FileSummary, ImportRefused, Problem
from explorer.importers.record_text import compact_json, error_message, record_label
from explorer.importers.rows import SEARCH_SOURCES
from explorer.importers.sources import InputFile, Unreadable, read_file
from explorer.kinds import KINDS
from explorer.store.schema import CONFIG_TABLES

# Names other modules (and tests) import from here, whichever part defines them.
__all__ = ["BATCH_ROWS", "Loader", "ProgressCallback", "StrictRefusal", "compact_json",
           "error_message", "record_label"]


class Loader(ConfigRows, DestinationRows, FolderRows):
    """One import's state. ``run`` does the work; the caller commits or rolls back."""

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
        if parsed is None or kind is None:
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
        history_kind = self.usage.sniff(name, text)
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

    # --- the search index -------------------------------------------------------------------

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
