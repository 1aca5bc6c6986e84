"""Load the files of one export into a workspace, inside one transaction.

``Loader.run`` reads one file at a time, validates each record with its pydantic type (traits
and segments in bulk first: ``bulk_validation``), and writes rows in batches of
``BATCH_ROWS`` with ``executemany``; only small things (seen ids,
folders, partner-id counts) are kept for the whole import. The caller owns the transaction
(see ``explorer.importers.import_run``), so any exception here leaves the workspace as it was.

A file that cannot be read does not stop the pass: every such file is collected and the import
is refused at the end of the pass naming them all (``UnreadableFiles``).

``Loader`` builds its parts in one place and hands each the import's state
(``loader_state``: connection, report, problems, batches): ``ConfigRows`` (flat configuration
files), ``DestinationRows`` (with nested mappings), ``FolderRows`` (folder trees). It also
uses ``workbook`` (Excel sheets), ``completeness`` (what the export lacks) and
``record_text`` (raw JSON, labels, error messages).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable

from explorer.domain.records import MAX_EPOCH_MS, MIN_EPOCH_MS, epoch_ms_to_datetime
from explorer.importers.completeness import find_gaps
from explorer.importers.config_rows import ConfigRows, typed_table
from explorer.importers.destinations import DestinationRows
from explorer.importers.folder_rows import FolderRows
from explorer.importers.loader_state import (
    BATCH_ROWS,
    LoaderState,
    ProgressCallback,
    StrictRefusal,
)
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
from explorer.importers.report import FileSummary, ImportRefused, ImportReport, Problem
from explorer.importers.sources import InputFile, Unreadable, UnreadableFiles, read_file
from explorer.importers.workbook import WORKBOOK_SUFFIXES, Sheet, read_workbook
from explorer.store.schema import CONFIG_TABLES
from explorer.store.search_index import MAX_INDEXED_ID, unindexed_count

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
# Any \u or \U at all: one pass of this finds none in a file without them in a third of the
# time two substring searches take.
_UNICODE_ESCAPE = re.compile(r"\\[uU]")


class Loader:
    """One import: ``run`` reads the files and hands each kind of record to its part; the
    caller commits or rolls back. The parts share the import's ``state`` (connection, report,
    batches, ids seen), which they receive when built here."""

    def __init__(self, conn: sqlite3.Connection, report: ImportReport, *, strict: bool,
                 progress: ProgressCallback | None,
                 before_replace: Callable[[sqlite3.Connection, ImportReport], None] | None = None
                 ) -> None:
        self.state = LoaderState(conn, report, strict=strict, progress=progress,
                                 before_replace=before_replace)
        self.config_rows = ConfigRows(self.state)
        self.destination_rows = DestinationRows(self.state)
        self.folder_rows = FolderRows(self.state)

    # --- the whole run ----------------------------------------------------------------------

    def run(self, files: list[InputFile]) -> None:
        try:
            self._run(files)
        finally:
            # The caller's transaction ends next: nothing may still run on the second thread.
            self.state.stop_background()

    def _run(self, files: list[InputFile]) -> None:
        state = self.state
        state.step("open", 0, 1)
        total = len(files)
        unreadable: list[Unreadable] = []
        for index, item in enumerate(files):
            state.step("read", index, total, item.name)
            if item.litter:
                state.report.files.append(FileSummary(item.name, "ignored",
                                                      reason=LITTER_REASON))
                continue
            try:
                # The bytes are passed, not kept: load_file drops them once decoded.
                self.load_file(item.name, read_file(item))
            except Unreadable as problem:
                unreadable.append(problem)
        if unreadable:
            raise UnreadableFiles(unreadable)
        state.step("read", total, total)
        state.step("folders", 0, 1)
        self.folder_rows.load_folders()
        state.flush_all()
        if not state.config_cleared and not state.history_files:
            ignored = sum(1 for f in state.report.files if f.kind == "ignored")
            message = (f"nothing recognised in the export ({len(files)} file(s), {ignored} "
                       "ignored): no AAM objects, usage or settings files")
            state.report.errors.append(Problem(None, None, None, message))
            raise ImportRefused(message, state.report)
        state.step("references", 0, 1)
        state.report.partner_id = self.tenant()
        if state.report.export_date is None and state.newest_ms:
            state.report.export_date = export_day(state.newest_ms)
        state.note_unknown_codes()
        if state.config_cleared:
            state.report.gaps.extend(find_gaps(self.state))
        # The search index rows are written beside the rows (LoaderState.flush): this waits
        # for the last of them and builds the tables' indexes.
        state.step("search", 0, 1)
        state.finish_writes()
        if state.config_cleared:
            self.note_unindexed()
        state.report.counts.update({t: state.counts[t] for t in CONFIG_TABLES})
        state.report.counts["segment_traits"] = state.counts["segment_traits"]

    def tenant(self) -> int | None:
        """The partner id that owns most objects (third-party folders/traits carry others)."""
        if not self.state.pids:
            return None
        return self.state.pids.most_common(1)[0][0]

    # --- one file ---------------------------------------------------------------------------

    def load_file(self, name: str, data: bytes) -> None:
        lowered = name.lower()
        if lowered.endswith(WORKBOOK_SUFFIXES):
            self.load_workbook(name, data)
            return
        summary = FileSummary(name, "ignored")
        self.state.report.files.append(summary)
        known_text = lowered.endswith((".json", ".csv", ".tsv"))
        try:
            text, encoding_warning = decode(name, data, allow_legacy=looks_like_csv(name))
        except Unreadable:
            if known_text:
                raise
            self.state.problem(name, None, None, "not a JSON or CSV file; ignored")
            return
        del data  # a large export file: keep one copy (the text), not two
        if encoding_warning:
            self.state.problem(name, None, None, encoding_warning)
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
                self.state.problem(name, None, None, XDM_MESSAGE)
                return True
            return False
        summary.kind = kind
        if parsed.is_csv:
            typed_table(kind, parsed)
        self.state.note_records(kind, name, parsed)
        if kind == FOLDER:
            self.state.folder_files.append((name, parsed, summary, folder_hint))
        elif kind == "destination":
            self.destination_rows.load_destinations(name, parsed, summary)
        else:
            self.config_rows.load_records(name, kind, parsed, summary)
        return True

    def load_other(self, name: str, text: str, parsed: Parsed | None, summary: FileSummary,
                   known_text: bool) -> None:
        """Usage and settings files go to the usage importer; anything else is ignored."""
        history_kind = self.state.usage.sniff(name, text)
        if history_kind is not None:
            summary.kind = history_kind
            self.load_history(history_kind, name, text)
            return
        if parsed is not None and not parsed.records:
            self.state.problem(name, None, None, "no records; ignored")
        elif parsed is not None or known_text:
            self.state.problem(name, None, None, "not a recognised AAM export file; ignored")
        else:
            self.state.problem(name, None, None, "not a JSON or CSV file; ignored")

    def load_workbook(self, name: str, data: bytes) -> None:
        """Each sheet of an Excel workbook is read like a CSV file of its own."""
        sheets = read_workbook(name, data)
        del data
        loaded = 0
        inputs = [f"'{sheet.sheet}'" for sheet in sheets if sheet.is_bulk_input]
        if inputs:
            self.state.report.notes.append(
                f"{name}: sheet{'s' if len(inputs) > 1 else ''} {', '.join(inputs)}: Bulk "
                "Management input (requests to send, not exported data); ignored")
        for sheet in sheets:
            if not sheet.is_bulk_input:
                loaded += self.load_sheet(sheet)
        if not loaded:
            summary = FileSummary(name, "ignored")
            self.state.report.files.append(summary)
            self.state.problem(name, None, None,
                               "no sheet of this workbook is an AAM export table; ignored")

    def load_sheet(self, sheet: Sheet) -> bool:
        summary = FileSummary(sheet.label, "ignored")
        if sheet.duplicate_of is not None:
            summary.reason = "a copy of another sheet; ignored"
            self.state.report.files.append(summary)
            self.state.problem(sheet.label, None, None,
                               f"repeats sheet '{sheet.duplicate_of}' row for row (a known defect "
                               "of the aaudience workbook script, which writes the trait folders "
                               "twice): these are not segment folders; ignored")
            return True
        if not sheet.parsed.records:
            return False
        if self.load_parsed(sheet.label, sheet.parsed, summary, folder_hint=sheet.sheet):
            self.state.report.files.append(summary)
            return True
        self.state.report.notes.append(f"{sheet.label}: not an AAM export table; ignored")
        return False

    def load_history(self, kind: str, name: str, text: str) -> None:
        errors_before = len(self.state.report.errors)
        warnings_before = len(self.state.report.warnings)
        self.state.usage.load(kind, name, text, self.state.conn, self.state.report)
        # A bad row the usage importer skipped is, to this importer, a warning (or in strict
        # mode a refusal), exactly like a bad configuration record.
        moved = self.state.report.errors[errors_before:]
        del self.state.report.errors[errors_before:]
        self.state.report.warnings.extend(moved)
        if self.state.strict and len(self.state.report.warnings) > warnings_before:
            problems = self.state.report.warnings[warnings_before:]
            del self.state.report.warnings[warnings_before:]
            self.state.report.errors.extend(problems)
            raise StrictRefusal(str(problems[0]))
        self.state.history_files += 1

    def replace_lone_surrogates(self, name: str, text: str) -> str:
        """A lone ``\\ud800`` escape (JSON, or a Python literal in a pandas cell) becomes
        U+FFFD, with a warning naming its lines: the records stay."""
        if _UNICODE_ESCAPE.search(text) is None:
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
            self.state.problem(name, where, None,
                               "text holds an invalid character (a lone UTF-16 surrogate such as "
                               "\\ud800); replaced by U+FFFD, the records are kept")
        return cleaned

    def note_unindexed(self) -> None:
        left_out = unindexed_count(self.state.conn)
        if left_out:
            self.state.report.notes.append(
                f"{left_out} object(s) have an id above {MAX_INDEXED_ID}: search finds them "
                "by their exact id, not by the words of their text")


def export_day(newest_ms: int) -> str | None:
    """The day (UTC) of the newest object time; None for a time no date can have."""
    if not MIN_EPOCH_MS <= newest_ms <= MAX_EPOCH_MS:
        return None
    moment = epoch_ms_to_datetime(newest_ms)
    return None if moment is None else moment.date().isoformat()
