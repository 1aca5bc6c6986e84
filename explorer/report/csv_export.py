"""Findings, annotations and search results as CSV (object lists: ``store.lists.export_csv``).

Qt-free; the GUI's export buttons and ``aam-explorer export-csv`` both call these. Files are
written as UTF-8 with a byte-order mark so Excel, the consultants' usual CSV reader, detects
the encoding. Cells that a spreadsheet would run as a formula are prefixed with a quote.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TextIO

from explorer.analysis.findings import CHECKS, list_findings
from explorer.analysis.findings.documentation import doc_link
from explorer.kinds import KINDS
from explorer.masking import mask_csv_text
from explorer.report.atomic import atomic_path
from explorer.report.errors import ReportWriteError, os_reason
from explorer.store.annotations import list_annotations
from explorer.store.names import all_names
from explorer.store.queries import search

FINDINGS_HEADERS = ("Severity", "Check", "Title", "Object kind", "Object ID", "Object name",
                    "Message", "Accepted", "Accepted reason", "Fix", "Documentation")
ANNOTATIONS_HEADERS = ("Object kind", "Object ID", "Object name", "Status", "Tags", "Note",
                       "Created", "Updated", "Orphaned")
SEARCH_HEADERS = ("Kind", "ID", "Name")
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Out = Path | str | TextIO


def safe_cell(value: Any) -> str:
    """A cell value a spreadsheet shows as text: ``=HYPERLINK(...)`` becomes ``'=HYPERLINK``.

    Numbers pass unchanged (a negative number is not a formula).
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _write(out: Out, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    if isinstance(out, str | Path):
        try:
            handle = open(out, "w", encoding="utf-8-sig", newline="")  # noqa: SIM115
        except OSError as exc:
            raise ReportWriteError(out, os_reason(exc)) from None
        try:
            with handle:
                return _write(handle, headers, rows)
        except OSError as exc:  # e.g. the disk filled up while writing
            raise ReportWriteError(out, os_reason(exc)) from None
    writer = csv.writer(out)
    writer.writerow(headers)
    count = 0
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
        count += 1
    return count


def findings_csv(conn: sqlite3.Connection, out: Out, *, include_accepted: bool = True) -> int:
    """Every finding (most severe first) as CSV; returns the number of rows written."""
    findings = list_findings(conn, include_accepted=include_accepted)
    names = {kind: all_names(conn, kind) for kind in {f.object_kind for f in findings}}
    rows = (
        (f.severity, f.check, CHECKS[f.check].title if f.check in CHECKS else f.check,
         f.object_kind, f.object_id, names.get(f.object_kind, {}).get(f.object_id, ""),
         f.message, f.accepted, f.accepted_reason, f.fix, _documentation(f.doc))
        for f in findings
    )
    return _write(out, FINDINGS_HEADERS, rows)


def _documentation(doc: str) -> str:
    """The page's URL where it is known, else its title (never the internal file name)."""
    title, url = doc_link(doc)
    return url or title


def annotations_csv(conn: sqlite3.Connection, out: Out, *, tag: str | None = None,
                    status: str | None = None) -> int:
    """Every annotation (optionally one tag or status) as CSV; returns the rows written."""
    rows = (
        (KINDS[a.kind].label if a.kind in KINDS else a.kind, a.object_id, a.object_name or "",
         a.status, ", ".join(a.tags), a.note, a.created, a.updated, a.orphaned)
        for a in list_annotations(conn, tag=tag, status=status)
    )
    return _write(out, ANNOTATIONS_HEADERS, rows)


def search_csv(conn: sqlite3.Connection, query: str, out: Out, *, limit: int = 10_000) -> int:
    """The search results for ``query`` (as the search box finds them) as CSV."""
    rows = ((KINDS[h["kind"]].label if h["kind"] in KINDS else h["kind"], h["id"], h["name"])
            for h in search(conn, query, limit=limit))
    return _write(out, SEARCH_HEADERS, rows)


def write_masked_csv(target: str | Path, produce: Callable[[io.StringIO], int],
                     mask: Callable[[str], str] | None) -> int:
    """A CSV written by ``produce`` (one of the writers above, given a buffer), with every
    cell masked when ``mask`` is given, written atomically as UTF-8 with a byte-order mark
    (what the unmasked exports write, for Excel); returns the rows written."""
    buffer = io.StringIO()
    count = produce(buffer)
    text = buffer.getvalue() if mask is None else mask_csv_text(buffer.getvalue(), mask)
    try:
        with atomic_path(target) as temp, \
                open(temp, "w", encoding="utf-8-sig", newline="") as handle:
            handle.write(text)
    except ReportWriteError:
        raise
    except OSError as exc:
        raise ReportWriteError(target, os_reason(exc)) from None
    return count
