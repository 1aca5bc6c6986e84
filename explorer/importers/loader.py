"""Load the files of one export into a workspace, inside one transaction.

``Loader.run`` reads one file at a time, validates each record with its pydantic type (traits
and segments in bulk first: ``bulk_validation``), and writes rows in batches of
``BATCH_ROWS`` with ``executemany``; only small things (seen ids,
folders, partner-id counts) are kept for the whole import. The caller owns the transaction
(see ``explorer.importers.import_run``), so any exception here leaves the workspace as it was.

A file that cannot be read does not stop the pass: every such file is collected and the import
is refused at the end of the pass naming them all (``UnreadableFiles``).

``Loader`` puts the parts together: ``loader_state`` (state, problems, batches),
``config_rows`` (flat configuration files), ``destinations`` (with nested mappings),
``folder_rows`` (folder trees), ``workbook`` (Excel sheets), ``completeness`` (what the export
lacks) and ``record_text`` (raw JSON, labels, error messages).
"""

from __future__ import annotations

import re

from explorer.domain.records import MAX_EPOCH_MS, MIN_EPOCH_MS, epoch_ms_to_datetime
from explorer.importers.completeness import find_gaps
from explorer.importers.config_rows import ConfigRows, typed_table
from explorer.importers.destinations import DestinationRows
from explorer.importers.folder_rows import FolderRows
from explorer.importers.loader_state import BATCH_ROWS, ProgressCallback, StrictRefusal
from explorer.importers.parse import (
    FOLDER,
    Parsed,
    classify_keys,
    decode,
    is_xdm,
    looks_like_csv,
    looks_like_json,
    parse_csv,
    parse_json,
    sample_keys,
)
from explorer.importers.record_text import compact_json, error_message, record_label
from explorer.importers.report import FileSummary, ImportRefused, Problem
from explorer.importers.rows import SEARCH_SOURCES
from explorer.importers.sources import InputFile, Unreadable, UnreadableFiles, read_file
from explorer.importers.workbook import WORKBOOK_SUFFIXES, Sheet, read_workbook
from explorer.kinds import KINDS
from explorer.store.schema import CONFIG_TABLES

# Names other modules (and tests) import from here.
__all__ = ["BATCH_ROWS", "Loader", "ProgressCallback", "StrictRefusal", "compact_json",
           "error_message", "record_label"]

XDM_MESSAGE = "AEP/XDM form, not an AAM REST export; ignored"
LITTER_REASON = "left by the operating system (not part of the export); ignored"

# A JSON \u escape of a UTF-16 surrogate with no partner: it decodes to a character that no
# UTF-8 text (and so no workspace) can hold. Preceded by an even run of backslashes, so that
# "\\ud800" (an escaped backslash, then letters) is left alone.
_LONE_SURROGATE = re.compile(
    r"(?<!\\)((?:\\\\)*)\\u(d[89ab][0-9a-f]{2})(?!\\ud[c-f][0-9a-f]{2})"
    r"|(?<!\\)((?:\\\\)*)(?<!\\ud[89ab][0-9a-f]{2})\\u(d[c-f][0-9a-f]{2})",
    re.IGNORECASE)
_SURROGATE_LINES_SHOWN = 5


class Loader(ConfigRows, DestinationRows, FolderRows):
    """One import's state. ``run`` does the work; the caller commits or rolls back."""

    # --- the whole run ----------------------------------------------------------------------

    def run(self, files: list[InputFile]) -> None:
        self.step("open", 0, 1)
        total = len(files)
        unreadable: list[Unreadable] = []
        for index, item in enumerate(files):
            self.step("read", index, total, item.name)
            if item.litter:
                self.report.files.append(FileSummary(item.name, "ignored", reason=LITTER_REASON))
                continue
            try:
                # The bytes are passed, not kept: load_file drops them once decoded.
                self.load_file(item.name, read_file(item))
            except Unreadable as problem:
                unreadable.append(problem)
        if unreadable:
            raise UnreadableFiles(unreadable)
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
            self.report.export_date = export_day(self.newest_ms)
        self.note_unknown_codes()
        if self.config_cleared:
            self.report.gaps.extend(find_gaps(self))
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
        lowered = name.lower()
        if lowered.endswith(WORKBOOK_SUFFIXES):
            self.load_workbook(name, data)
            return
        summary = FileSummary(name, "ignored")
        self.report.files.append(summary)
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
        text = self.replace_lone_surrogates(name, text)
        if looks_like_json(name, text):
            parsed = parse_json(name, text)
        elif looks_like_csv(name):
            parsed = parse_csv(name, text)
        else:
            parsed = None
        if parsed is None or not self.load_parsed(name, parsed, summary, folder_hint=name):
            self.load_other(name, text, parsed, summary, known_text)

    def load_parsed(self, name: str, parsed: Parsed, summary: FileSummary, *,
                    folder_hint: str) -> bool:
        """Load a file's (or a sheet's) records when their keys say which kind they are;
        False when they do not."""
        keys = sample_keys(parsed)
        kind = classify_keys(keys)
        if kind is None:
            if is_xdm(keys):
                summary.reason = XDM_MESSAGE
                self.problem(name, None, None, XDM_MESSAGE)
                return True
            return False
        summary.kind = kind
        if parsed.is_csv:
            typed_table(kind, parsed)
        self.note_records(kind, name, parsed)
        if kind == FOLDER:
            self.folder_files.append((name, parsed, summary, folder_hint))
        elif kind == "destination":
            self.load_destinations(name, parsed, summary)
        else:
            self.load_records(name, kind, parsed, summary)
        return True

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

    def load_workbook(self, name: str, data: bytes) -> None:
        """Each sheet of an Excel workbook is read like a CSV file of its own."""
        sheets = read_workbook(name, data)
        del data
        loaded = 0
        inputs = [f"'{sheet.sheet}'" for sheet in sheets if sheet.is_bulk_input]
        if inputs:
            self.report.notes.append(
                f"{name}: sheet{'s' if len(inputs) > 1 else ''} {', '.join(inputs)}: Bulk "
                "Management input (requests to send, not exported data); ignored")
        for sheet in sheets:
            if not sheet.is_bulk_input:
                loaded += self.load_sheet(sheet)
        if not loaded:
            summary = FileSummary(name, "ignored")
            self.report.files.append(summary)
            self.problem(name, None, None,
                         "no sheet of this workbook is an AAM export table; ignored")

    def load_sheet(self, sheet: Sheet) -> bool:
        summary = FileSummary(sheet.label, "ignored")
        if sheet.duplicate_of is not None:
            summary.reason = "a copy of another sheet; ignored"
            self.report.files.append(summary)
            self.problem(sheet.label, None, None,
                         f"repeats sheet '{sheet.duplicate_of}' row for row (a known defect "
                         "of the aaudience workbook script, which writes the trait folders "
                         "twice): these are not segment folders; ignored")
            return True
        if not sheet.parsed.records:
            return False
        if self.load_parsed(sheet.label, sheet.parsed, summary, folder_hint=sheet.sheet):
            self.report.files.append(summary)
            return True
        self.report.notes.append(f"{sheet.label}: not an AAM export table; ignored")
        return False

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

    def replace_lone_surrogates(self, name: str, text: str) -> str:
        """A lone ``\\ud800`` escape (JSON, or a Python literal in a pandas cell) becomes
        U+FFFD, with a warning naming its lines: the records stay."""
        if "\\u" not in text and "\\U" not in text:
            return text
        lines: list[int] = []

        def replace(match: re.Match[str]) -> str:
            lines.append(text.count("\n", 0, match.start()) + 1)
            return (match.group(1) or match.group(3) or "") + "\\ufffd"

        cleaned = _LONE_SURROGATE.sub(replace, text)
        if lines:
            shown = ", ".join(str(n) for n in sorted(set(lines))[:_SURROGATE_LINES_SHOWN])
            more = len(set(lines)) - _SURROGATE_LINES_SHOWN
            where = f"line {shown}" if len(set(lines)) == 1 else f"lines {shown}"
            if more > 0:
                where += f" and {more} more"
            self.problem(name, where, None,
                         "text holds an invalid character (a lone UTF-16 surrogate such as "
                         "\\ud800); replaced by U+FFFD, the records are kept")
        return cleaned

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


def export_day(newest_ms: int) -> str | None:
    """The day (UTC) of the newest object time; None for a time no date can have."""
    if not MIN_EPOCH_MS <= newest_ms <= MAX_EPOCH_MS:
        return None
    moment = epoch_ms_to_datetime(newest_ms)
    return None if moment is None else moment.date().isoformat()


def _kind_of_table(table: str) -> str:
    return next(k.name for k in KINDS.values() if k.table == table)
