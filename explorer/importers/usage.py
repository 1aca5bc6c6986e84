"""Activity Usage CSV exports and Target-call settings timelines: recognise, parse, store.

Adobe does not document the Activity Usage CSV headers (aam-formats.md §12, §16), so a usage file
is "a date column plus numeric series", headers matched case-insensitively: the known series are
normalised to 'target', 'analytics', 'other' and 'total', any other numeric column is kept as its
own slug-named series. A settings timeline is ``date, setting, value`` rows (CSV with or without a
header, or a JSON list of objects).

Both are the tenant's long-lived history: loading only ever adds to ``usage_days`` and
``setting_events``. ``load`` writes inside the caller's transaction and never commits.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from explorer.store import usage_events as history

USAGE = "usage"
SETTING_EVENTS = "setting-events"
KINDS = (USAGE, SETTING_EVENTS)

KNOWN_SERIES = ("target", "analytics", "other", "total")
# Cells that are simply empty (no value for that day): skipped silently when loading.
_BLANK_CELLS = {"", "-"}
# Placeholder cells ('n/a', 'null') do not count against a column when recognising a file,
# but ``load`` still reports each one as a number it cannot read.
_MISSING_CELLS = _BLANK_CELLS | {"n/a", "na", "none", "null"}
_TOTAL_ROW_WORDS = {"total", "totals", "sum", "grand total"}
_DATE_FORMATS_HELP = "YYYY-MM-DD, MM/DD/YYYY, DD.MM.YYYY or Mon DD, YYYY"
_HEADER_SCAN_ROWS = 12  # a report may start with a few title lines before its header

_MONTHS: dict[str, int] = {}
for _number, _name in enumerate(
        ("january", "february", "march", "april", "may", "june", "july", "august",
         "september", "october", "november", "december"), start=1):
    _MONTHS[_name] = _number
    _MONTHS[_name[:3]] = _number
_MONTHS["sept"] = 9


@dataclass(frozen=True)
class Issue:
    """A problem found while parsing, before it becomes an importer ``Problem``."""

    level: str  # "error", "warning" or "info" (a note: normal, never a problem)
    record: str | None  # "line 7" (CSV) or "record 3" (JSON list position); both 1-based
    field: str | None
    message: str


@dataclass
class UsageFile:
    name: str
    series: dict[str, dict[str, float]] = field(default_factory=dict)  # series -> day -> value

    @property
    def days(self) -> list[str]:
        return sorted({d for values in self.series.values() for d in values})


@dataclass(frozen=True)
class EventRow:
    record: str
    date: str
    setting: str
    value: str
    note: str = ""


class UsageRefused(ValueError):
    """The file cannot be read at all (``load`` turns it into ``ImportRefused``).

    The message does not repeat the file name: ``load`` puts that in the ``Problem``.
    """


# --- cell parsing ---------------------------------------------------------------------------

def _words(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())


def parse_date(text: str) -> str | None:
    """YYYY-MM-DD for any accepted date spelling, else None."""
    t = text.strip()
    parts: tuple[int, int, int] | None = None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.+\-Z]*)?", t):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", t):
        parts = (int(m[3]), int(m[1]), int(m[2]))
    elif m := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", t):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := re.fullmatch(r"([A-Za-z]{3,9})\.? +(\d{1,2}),? +(\d{4})", t):
        if (month := _MONTHS.get(m[1].lower())) is not None:
            parts = (int(m[3]), month, int(m[2]))
    elif (m := re.fullmatch(r"(\d{1,2}) +([A-Za-z]{3,9})\.?,? +(\d{4})", t)) and (
            month := _MONTHS.get(m[2].lower())) is not None:
        parts = (int(m[3]), month, int(m[1]))
    if parts is None:
        return None
    try:
        return date(*parts).isoformat()
    except ValueError:
        return None


def parse_count(text: str) -> float | None:
    """A number, thousands separators allowed ('1,234,567', '1.234.567', '1 234'); else None."""
    t = re.sub(r"[\s\u00a0\u202f'_]", "", text)
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    elif re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+|[+-]?\d{1,3}(\.\d{3}){2,}", t):
        t = t.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"[+-]?\d+,\d{1,2}", t):  # a decimal comma: '12,5'
        t = t.replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?", t):
        return None
    value = float(t)
    return value if math.isfinite(value) else None


def canonical_series(header: str, position: int = 0) -> str:
    """'target', 'analytics', 'other', 'total', or a slug of an unknown header."""
    words = _words(header)
    tokens = set(words.split())
    if "target" in tokens:
        return "target"
    if "analytics" in tokens:
        return "analytics"
    if "other" in tokens or "others" in tokens:
        return "other"
    if tokens & {"total", "totals"} or words in {"server calls", "onsite server calls", "calls"}:
        return "total"
    return words.replace(" ", "-") or f"column-{position + 1}"


def _is_date_header(cell: str) -> bool:
    words = _words(cell)
    return words in {"date", "day", "dates", "days"} or bool(
        re.fullmatch(r"(date|day) .*|.* date", words))


def _is_setting_header(cell: str) -> bool:
    return _words(cell) in {"setting", "settings", "setting name", "event", "name"}


def _is_missing(cell: str) -> bool:
    return cell.strip().lower() in _MISSING_CELLS


# --- CSV reading ----------------------------------------------------------------------------

def _strip_bom(text: str) -> str:
    return text[1:] if text.startswith("\ufeff") else text


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    return ";" if first.count(";") > first.count(",") else ","


def _csv_rows(text: str, limit: int | None = None) -> list[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row."""
    reader = csv.reader(io.StringIO(_strip_bom(text)), delimiter=_delimiter(_strip_bom(text)))
    rows: list[tuple[int, list[str]]] = []
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                rows.append((reader.line_num, [c.strip() for c in cells]))
                if limit is not None and len(rows) >= limit:
                    break
    except csv.Error:
        pass  # a broken quote: keep what was read; rows after it are reported missing
    return rows


def _find_header(rows: list[tuple[int, list[str]]]) -> int | None:
    """Index of the first row that names a date column or a known series."""
    for index, (_line, cells) in enumerate(rows[:_HEADER_SCAN_ROWS]):
        if parse_date(cells[0]) is not None:
            return None  # data before any header
        if any(_is_date_header(c) for c in cells) or any(
                canonical_series(c) in KNOWN_SERIES for c in cells):
            return index
    return None


# --- sniffing -------------------------------------------------------------------------------

def sniff(name: str, text: str) -> str | None:
    """'usage' for an Activity Usage CSV, 'setting-events' for a settings timeline, else None."""
    stripped = _strip_bom(text).lstrip()
    if not stripped:
        return None
    if stripped[0] in "[{":
        return SETTING_EVENTS if _json_events(stripped) is not None else None
    rows = _csv_rows(stripped, limit=_HEADER_SCAN_ROWS + 5)
    header_index = _find_header(rows)
    if header_index is None:
        return SETTING_EVENTS if rows and _headerless_event_row(rows[0][1]) else None
    header = rows[header_index][1]
    data = [cells for _line, cells in rows[header_index + 1:]]
    if any(_is_date_header(c) for c in header) and any(_is_setting_header(c) for c in header):
        return SETTING_EVENTS
    return USAGE if _looks_like_usage(header, data) else None


def _headerless_event_row(cells: list[str]) -> bool:
    return (len(cells) >= 2 and parse_date(cells[0]) is not None and bool(cells[1])
            and parse_count(cells[1]) is None)


def _numeric_column(data: list[list[str]], index: int) -> bool:
    """Mostly numeric: more than half of the sampled, non-missing cells are numbers.

    A majority, not all: one bad cell must not hide a whole file (``load`` then reports that
    cell by line and column and keeps the other rows).
    """
    cells = [row[index] for row in data if index < len(row) and not _is_missing(row[index])]
    numbers = sum(parse_count(c) is not None for c in cells)
    return numbers > 0 and 2 * numbers > len(cells)


def _looks_like_usage(header: list[str], data: list[list[str]]) -> bool:
    date_columns = [i for i, c in enumerate(header) if _is_date_header(c)]
    others = [i for i in range(len(header)) if i not in date_columns]
    numeric = [i for i in others if _numeric_column(data, i)]
    known = [i for i in numeric if canonical_series(header[i]) in KNOWN_SERIES]
    if date_columns:
        return bool(known) or (bool(numeric) and len(numeric) == len(others))
    # No date column: still a usage export when it names a known series (load then refuses it
    # with a message naming the columns, instead of the file being silently ignored).
    return bool(known)


# --- usage files ----------------------------------------------------------------------------

def parse_usage(name: str, text: str) -> tuple[UsageFile, list[Issue]]:
    """Read one Activity Usage CSV; UsageRefused when it has no header or no date column."""
    rows = _csv_rows(text)
    if not rows:
        raise UsageRefused("the file is empty")
    header_index = _find_header(rows)
    if header_index is None:
        found = ", ".join(rows[0][1]) or "none"
        raise UsageRefused(f"no date column (found columns: {found}); "
                           "an Activity Usage export needs a 'Date' or 'Day' column")
    header = rows[header_index][1]
    date_index = next((i for i, c in enumerate(header) if _is_date_header(c)), None)
    if date_index is None:
        raise UsageRefused(f"no date column (found columns: {', '.join(header)}); "
                           "an Activity Usage export needs a 'Date' or 'Day' column")
    data = rows[header_index + 1:]
    issues: list[Issue] = []
    columns = _series_columns(header, date_index, [cells for _l, cells in data], issues)
    usage = UsageFile(name, {series: {} for series in columns.values()})
    seen: dict[str, int] = {}
    for line, cells in data:
        _read_usage_row(line, cells, header, date_index, columns, usage, seen, issues)
    return usage, issues


def _series_columns(header: list[str], date_index: int, data: list[list[str]],
                    issues: list[Issue]) -> dict[int, str]:
    """{column index: series name}; non-numeric unknown columns are left out (a warning)."""
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        if index == date_index:
            continue
        series = canonical_series(title, index)
        if series not in KNOWN_SERIES and not _numeric_column(data, index):
            issues.append(Issue("warning", None, title or f"column {index + 1}",
                                f"column {title!r} is not numeric; ignored"))
            continue
        if series in columns.values():
            duplicate = f"{series}-{index + 1}"
            issues.append(Issue("warning", None, title,
                                f"column {title!r} repeats series {series!r}; "
                                f"kept as series {duplicate!r}"))
            series = duplicate
        columns[index] = series
    return columns


def _read_usage_row(line_number: int, cells: list[str], header: list[str], date_index: int,
                    columns: dict[int, str], usage: UsageFile, seen: dict[str, int],
                    issues: list[Issue]) -> None:
    line = f"line {line_number}"
    date_title = header[date_index]
    raw_date = cells[date_index] if date_index < len(cells) else ""
    if _words(raw_date) in _TOTAL_ROW_WORDS:
        issues.append(Issue("warning", line, date_title, "a totals row, not a day; skipped"))
        return
    day = parse_date(raw_date)
    if day is None:
        issues.append(Issue("error", line, date_title,
                            f"cannot read the date {raw_date!r} (expected {_DATE_FORMATS_HELP})"))
        return
    if day in seen:
        issues.append(Issue("error", line, date_title,
                            f"duplicate date {day} (already on line {seen[day]}); "
                            "this line is skipped"))
        return
    seen[day] = line_number
    for index, series in columns.items():
        cell = cells[index] if index < len(cells) else ""
        if cell.strip() in _BLANK_CELLS:
            continue
        value = parse_count(cell)
        if value is None:
            issues.append(Issue("error", line, header[index], f"cannot read the number {cell!r}"))
        elif value < 0:
            issues.append(Issue("error", line, header[index],
                                f"negative count {cell!r}; a call count cannot be negative"))
        else:
            usage.series[series][day] = value


def _load_usage(name: str, text: str, conn: sqlite3.Connection
                ) -> tuple[int, list[Issue]]:
    """Merge one usage file into the history; (rows written, issues).

    Rolling Activity Usage exports overlap by a few days; where the overlapping values agree
    that is normal and becomes an "info" issue (a note, never a warning); only days whose
    values differ are a warning naming both files and the range.
    """
    usage, issues = parse_usage(name, text)
    days = usage.days
    if not days:
        issues.append(Issue("warning", None, None, "no usage days in the file"))
        return 0, issues
    new_last = days[-1]
    rows: list[tuple[str, str, float, str]] = []
    contested: dict[str, list[tuple[str, str, float]]] = defaultdict(list)  # other file -> rows
    differing: dict[str, set[str]] = defaultdict(set)  # other file -> days whose values differ
    for series, values in usage.series.items():
        stored = history.usage_day_sources(conn, series, values)
        stored_values = dict(history.usage_series(conn, [series], start=days[0],
                                                  end=new_last)[series])
        for day, value in values.items():
            other = stored.get(day)
            if other is None or other == name:
                rows.append((day, series, value, name))
            else:
                contested[other].append((day, series, value))
                if not math.isclose(stored_values.get(day, math.nan), value):
                    differing[other].add(day)
    for other, other_rows in sorted(contested.items()):
        other_last = history.source_last_day(conn, other) or ""
        new_wins = (new_last, name) > (other_last, other)
        issues.append(_overlap_issue(name, other, other_rows, differing[other],
                                     (name, new_last) if new_wins else (other, other_last)))
        if new_wins:
            rows.extend((day, series, value, name) for day, series, value in other_rows)
    history.upsert_usage_days(conn, rows)
    return len(rows), issues


def _overlap_issue(name: str, other: str, other_rows: list[tuple[str, str, float]],
                   differing: set[str], winner: tuple[str, str]) -> Issue:
    overlap = sorted({day for day, _s, _v in other_rows})
    if not differing:
        return Issue("info", None, None, f"{len(overlap)}")  # folded into one note by ``load``
    changed = sorted(differing)
    return Issue(
        "warning", None, None,
        f"{name} and {other} both have days {overlap[0]}..{overlap[-1]} "
        f"({len(overlap)} days) and the values differ on {len(changed)} of them "
        f"({changed[0]}..{changed[-1]}); kept the values of {winner[0]}, whose data is more "
        f"recent (up to {winner[1]})")


# --- settings events ------------------------------------------------------------------------

_EVENT_KEYS = {"date": "date", "day": "date", "when": "date", "setting": "setting",
               "settings": "setting", "setting name": "setting", "event": "setting",
               "name": "setting", "value": "value", "state": "value", "text": "value",
               "description": "value", "note": "note", "notes": "note", "comment": "note"}


def _json_events(text: str) -> list[Any] | None:
    """The list of event objects of a JSON timeline, or None if the JSON is not one."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if isinstance(data, dict):
        data = next((v for k, v in data.items() if _words(k) in {"events", "setting events"}),
                    None)
    if not isinstance(data, list) or not data or not isinstance(data[0], dict):
        return None
    keys = {_EVENT_KEYS.get(_words(k)) for k in data[0]}
    return data if {"date", "setting"} <= keys or {"date", "value"} <= keys else None


def parse_setting_events(name: str, text: str) -> tuple[list[EventRow], list[Issue]]:
    """Read a settings timeline (CSV or JSON) into normalised, de-duplicated events."""
    stripped = _strip_bom(text).lstrip()
    issues: list[Issue] = []
    if stripped[:1] in ("[", "{"):
        records = _json_records(stripped)
        if records is None:
            raise UsageRefused("not a JSON list of date/setting/value objects")
    else:
        records = _csv_event_records(text)
    events: list[EventRow] = []
    seen: set[tuple[str, str, str]] = set()
    for record, fields in records:
        event = _event_row(record, fields, issues)
        if event is None:
            continue
        key = (event.date, event.setting, event.value)
        if key in seen:
            issues.append(Issue("warning", record, None,
                                f"the event {event.date} {event.setting} = {event.value!r} "
                                "is repeated; kept once"))
            continue
        seen.add(key)
        events.append(event)
    return events, issues


def _json_records(text: str) -> list[tuple[str, dict[str, str]]] | None:
    items = _json_events(text)
    if items is None:
        return None
    records = []
    for index, item in enumerate(items):
        fields = {}
        if isinstance(item, dict):
            for key, value in item.items():
                if (canonical := _EVENT_KEYS.get(_words(key))) is not None:
                    fields[canonical] = "" if value is None else str(value)
        records.append((f"record {index + 1}", fields))  # 1-based, like every other file
    return records


def _csv_event_records(text: str) -> list[tuple[str, dict[str, str]]]:
    rows = [(line, cells) for line, cells in _csv_rows(text) if not cells[0].startswith("#")]
    if not rows:
        return []
    first = rows[0][1]
    if parse_date(first[0]) is None and any(_is_date_header(c) for c in first):
        names = [_EVENT_KEYS.get(_words(c), "") for c in first]
        rows = rows[1:]
    else:
        names = ["date", "setting", "value", "note"]
    records = []
    for line, cells in rows:
        if len(cells) == 2 and names[:2] == ["date", "setting"] and len(names) > 2:
            cells = [cells[0], "", cells[1]]  # 'date, text': a free-text event
        fields = {key: cells[i] for i, key in enumerate(names) if key and i < len(cells)}
        records.append((f"line {line}", fields))
    return records


def _event_row(record: str, fields: dict[str, str], issues: list[Issue]) -> EventRow | None:
    raw_date = fields.get("date", "").strip()
    day = parse_date(raw_date)
    if day is None:
        issues.append(Issue("error", record, "date",
                            f"cannot read the date {raw_date!r} (expected {_DATE_FORMATS_HELP})"))
        return None
    try:
        setting, value = history.normalise_setting(fields.get("setting", ""),
                                                   fields.get("value", ""))
    except ValueError as exc:
        issues.append(Issue("error", record, "value", str(exc)))
        return None
    return EventRow(record, day, setting, value, fields.get("note", "").strip())


def _load_events(name: str, text: str, conn: sqlite3.Connection) -> tuple[int, list[Issue]]:
    events, issues = parse_setting_events(name, text)
    added = 0
    for event in events:
        _id, created = history.add_event(conn, event.date, event.setting, event.value,
                                         note=event.note, source=name)
        added += created
    return added, issues


# --- the importer entry point ---------------------------------------------------------------

def load(kind: str, name: str, text: str, conn: sqlite3.Connection, report: Any) -> None:
    """Parse ``text`` (a file ``sniff`` recognised as ``kind``) into the workspace history.

    Runs inside the caller's transaction. Bad rows go to ``report.errors`` / ``report.warnings``
    and are skipped; a file that cannot be read at all raises ``ImportRefused``.
    """
    # Lazy: the importers package imports this module.
    from explorer.importers.report import ImportRefused, Problem

    try:
        if kind == USAGE:
            written, issues = _load_usage(name, text, conn)
            table = "usage_days"
        elif kind == SETTING_EVENTS:
            written, issues = _load_events(name, text, conn)
            table = "setting_events"
        else:
            raise ValueError(f"unknown usage file kind {kind!r}")
    except UsageRefused as exc:
        report.errors.append(Problem(name, None, None, str(exc)))
        raise ImportRefused(f"{name}: {exc}", report) from None
    agreeing = [int(issue.message) for issue in issues if issue.level == "info"]
    for issue in issues:
        if issue.level != "info":
            problem = Problem(name, issue.record, issue.field, issue.message)
            (report.errors if issue.level == "error" else report.warnings).append(problem)
    if agreeing:
        _note_agreeing_overlaps(report, agreeing)
    counts = getattr(report, "counts", None)
    if not isinstance(counts, dict):
        return
    if kind == USAGE:
        # Days, not rows: 730 days of 4 series are "730 usage days" (and "4 usage series").
        days, series = _usage_extent(conn, _usage_sources(report, name))
        counts["usage_days"], counts["usage_series"] = days, series
    else:
        counts[table] = counts.get(table, 0) + written


# The one note summing up every overlap whose values agree (rolling exports overlap normally).
_AGREEING_NOTE = re.compile(r"^(\d+) usage file overlaps? \((\d+)(?:–(\d+))? days?")


def _note_agreeing_overlaps(report: Any, overlaps: list[int]) -> None:
    """Fold overlaps into the report's single "values agree" note (replacing an earlier one)."""
    notes = getattr(report, "notes", None)
    if not isinstance(notes, list):
        return
    count, shortest, longest = len(overlaps), min(overlaps), max(overlaps)
    for index, note in enumerate(notes):
        match = _AGREEING_NOTE.match(note)
        if match:
            count += int(match.group(1))
            shortest = min(shortest, int(match.group(2)))
            longest = max(longest, int(match.group(3) or match.group(2)))
            del notes[index]
            break
    span = f"{shortest}" if shortest == longest else f"{shortest}–{longest}"
    plural = "s" if count != 1 else ""
    notes.append(f"{count} usage file overlap{plural} ({span} day{'s' if longest != 1 else ''}"
                 f"{' each' if count > 1 else ''}); the values agree")


def _usage_sources(report: Any, name: str) -> set[str]:
    """The usage files of this import so far (the importer lists each before loading it)."""
    files = getattr(report, "files", None) or []
    return {name} | {f.name for f in files if getattr(f, "kind", None) == USAGE}


def _usage_extent(conn: sqlite3.Connection, sources: set[str]) -> tuple[int, int]:
    """(distinct days, distinct series) whose stored values come from ``sources``."""
    marks = ", ".join("?" for _ in sources)
    row = conn.execute(
        f"SELECT count(DISTINCT day), count(DISTINCT series) FROM usage_days "
        f"WHERE source IN ({marks})", sorted(sources)).fetchone()
    return int(row[0]), int(row[1])

