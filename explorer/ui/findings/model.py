"""The findings item model: check groups built from counts, findings read a page at a time.

Nothing here grows with the tenant: a reload is one GROUP BY (``finding_counts``), a group's
findings are read only when it is expanded (``canFetchMore``/``fetchMore``, first page), and a
group bigger than ``page_size`` ends in a "Load more…" row (``load_more``), because QTreeView
only calls ``fetchMore`` on scroll for the last parent in the view.

A check with many info findings (more than ``SUMMARY_AT``, or a check declared a summary) is
one summary row with its count that opens its list when expanded. The checks the export did
not let run close the tree as a "Not checked" group, one "not checked: …" row each.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPixmap

from explorer.analysis.findings import (
    CHECKS,
    SEVERITIES,
    Finding,
    FindingCounts,
    NotChecked,
    check_sort_key,
    finding_counts,
    not_checked,
    page_findings,
)
from explorer.kinds import KINDS, ObjectRef
from explorer.masking import TextMask
from explorer.store.names import names_by_id
from explorer.ui.item_roles import NODE_TYPE_ROLE, OBJECT_REF_ROLE

FINDING_ROLE = Qt.ItemDataRole.UserRole + 20  # the Finding of a row (None on other rows)
GROUP_KEY_ROLE = Qt.ItemDataRole.UserRole + 21  # a group's check id, or ACCEPTED_GROUP

ACCEPTED_GROUP = "accepted"
NOT_CHECKED_GROUP = "not-checked"
PAGE_SIZE = 500
SUMMARY_AT = 50  # more info findings than this make a check one summary row
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
SEVERITY_COLOURS: dict[str, str] = {"error": "#D55E00", "warning": "#E69F00", "info": "#0072B2"}
_SEVERITY_GLYPHS: dict[str, str] = {"error": "!", "warning": "!", "info": "i",
                                     NOT_CHECKED_GROUP: "?"}
_ACCEPTED_COLOUR = "#7F7F7F"
_ROOT = QModelIndex()  # the invalid index, as a default argument (never mutated)
_NO_COUNTS = FindingCounts(open={}, accepted={})


@cache
def severity_icon(severity: str) -> QIcon:
    """A filled circle in the severity's colour with a white glyph (grey check for accepted)."""
    pixmap = QPixmap(32, 32)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor(SEVERITY_COLOURS.get(severity, _ACCEPTED_COLOUR)))
    painter.drawEllipse(QRectF(2, 2, 28, 28))
    font = QFont()
    font.setBold(True)
    font.setPixelSize(20)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    painter.drawText(QRectF(0, 0, 32, 32), Qt.AlignmentFlag.AlignCenter,
                     _SEVERITY_GLYPHS.get(severity, "✓"))
    painter.end()
    return QIcon(pixmap)


@dataclass(frozen=True)
class _Segment:
    """A run of a group's findings that one SQL page query reads: one check, one severity."""

    check: str
    severity: str
    count: int


@dataclass
class _Group:
    key: str  # check id, ACCEPTED_GROUP or NOT_CHECKED_GROUP
    title: str
    segments: tuple[_Segment, ...]  # in list_findings' order
    summary: bool = False  # one summary row for many info findings (see the module docstring)
    notes: list[NotChecked] = field(default_factory=list)  # the Not checked group's rows
    rows: list[Finding] = field(default_factory=list)  # loaded so far
    more_row: bool = False  # a "Load more…" row follows the rows (never before the first page)
    more_shown: int = 0  # the "n of N shown" of that row: changed after rows come, not during
    exhausted: bool = False  # a page came back short: the store changed since the counts

    @property
    def accepted(self) -> bool:
        return self.key == ACCEPTED_GROUP

    @property
    def total(self) -> int:
        return sum(s.count for s in self.segments)

    @property
    def severity(self) -> str:
        """The worst severity in the group ('accepted' for the accepted group)."""
        if self.key == NOT_CHECKED_GROUP:
            return NOT_CHECKED_GROUP
        return ACCEPTED_GROUP if self.accepted else self.segments[0].severity

    @property
    def label(self) -> str:
        if self.key == NOT_CHECKED_GROUP:
            return f"Not checked: {len(self.notes)} check{'s' if len(self.notes) > 1 else ''} " \
                   "the export does not support"
        if self.summary:
            return f"{self.title} — {self.severity} summary, expand to list ({self.total:,})"
        return f"{self.title} ({self.total:,})"

    @property
    def has_more(self) -> bool:
        return not self.exhausted and len(self.rows) < self.total

    def has_more_after(self, coming: int) -> bool:
        """Whether findings remain once ``coming`` more are loaded (and at least one is)."""
        loaded = len(self.rows) + coming
        return loaded > 0 and not self.exhausted and loaded < self.total

    @property
    def child_count(self) -> int:
        return len(self.notes) + len(self.rows) + int(self.more_row)

    def keep_loaded(self, old: _Group) -> None:
        """Take over what ``old`` (the same group, same counts) had read."""
        self.rows, self.more_row, self.exhausted = old.rows, old.more_row, old.exhausted
        self.more_shown = old.more_shown


def build_groups(counts: FindingCounts, visible: Collection[str],
                 skipped: Collection[NotChecked] = ()) -> list[_Group]:
    """Check groups (worst severity first, then check order), then the "Accepted" group, then
    the "Not checked" group."""
    groups = []
    for check in counts.checks():
        segments = tuple(_Segment(check, s, counts.open.get((check, s), 0))
                         for s in SEVERITIES if s in visible)
        segments = tuple(s for s in segments if s.count > 0)
        if segments:
            spec = CHECKS.get(check)
            only_info = all(s.severity == "info" for s in segments)
            summary = only_info and (sum(s.count for s in segments) > SUMMARY_AT
                                     or bool(spec and spec.summary))
            groups.append(_Group(check, spec.title if spec else check, segments, summary))
    groups.sort(key=lambda g: SEVERITIES.index(g.severity))  # stable: check order kept
    accepted = tuple(
        _Segment(check, severity, n)
        for (check, severity), n in sorted(counts.accepted.items(), key=lambda item: (
            SEVERITIES.index(item[0][1]) if item[0][1] in SEVERITIES else len(SEVERITIES),
            check_sort_key(item[0][0])))
        if n > 0 and severity in visible
    )
    if accepted:
        groups.append(_Group(ACCEPTED_GROUP, "Accepted", accepted))
    if skipped:
        groups.append(_Group(NOT_CHECKED_GROUP, "Not checked", (), notes=list(skipped)))
    return groups


class FindingsModel(QAbstractItemModel):
    """Check groups with their findings, then one "Accepted" group; filtered by severity."""

    COLUMNS: tuple[str, ...] = ("Finding", "Object", "Severity")

    def __init__(self, parent: Any = None, *, page_size: int = PAGE_SIZE) -> None:
        super().__init__(parent)
        self._conn: sqlite3.Connection | None = None
        self._counts = _NO_COUNTS
        self._not_checked: list[NotChecked] = []
        self._visible: set[str] = set(SEVERITIES)
        self._groups: list[_Group] = []
        self._page_size = page_size
        self._text_mask: TextMask | None = None  # workshop masking
        self._names: dict[tuple[str, int], str] = {}  # object names of the loaded findings

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask displayed texts and tooltips (workshop masking); None shows real values."""
        self._text_mask = mask
        self.layoutChanged.emit()  # every row's text may change; the structure does not

    def mask(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    # --- content --------------------------------------------------------------------------
    def set_connection(self, conn: sqlite3.Connection | None) -> None:
        """Show the findings of this workspace connection (None: nothing)."""
        self._conn = conn
        self.reload()

    def reload(self) -> None:
        """Read the counts again; every group starts unloaded."""
        self._names.clear()
        self._counts = finding_counts(self._conn) if self._conn is not None else _NO_COUNTS
        self._not_checked = not_checked(self._conn) if self._conn is not None else []
        self._reset(self._build())

    def _build(self) -> list[_Group]:
        return build_groups(self._counts, self._visible, self._not_checked)

    def set_visible_severities(self, severities: set[str]) -> None:
        self._visible = set(severities)
        self._reset(self._build())

    def not_checked(self) -> list[NotChecked]:
        """The checks the export did not let run (as the "Not checked" group lists them)."""
        return list(self._not_checked)

    def group_check(self, index: QModelIndex) -> str | None:
        """The check id of a check's group row; None for other rows."""
        group = self._group_of(index.siblingAtColumn(0)) if index.isValid() else None
        return group.key if group is not None and group.key in CHECKS else None

    def is_summary(self, index: QModelIndex | QPersistentModelIndex) -> bool:
        """Whether a group row is a summary row (many info findings of one check)."""
        group = self._group_of(index) if index.isValid() else None
        return group is not None and group.summary

    def visible_severities(self) -> set[str]:
        return set(self._visible)

    def counts(self) -> dict[str, int]:
        """Open (not accepted) findings per severity, whatever the filter shows."""
        return self._counts.by_severity()

    def refresh_groups(self, affected: Collection[str]) -> bool:
        """Re-read the counts after an acceptance changed the ``affected`` groups.

        Groups keep what they loaded unless they are affected or their counts changed; those
        read again as many findings as they showed. Returns True when the group rows changed
        (a model reset: the caller restores expansion), False when they were updated in place.
        """
        self._counts = finding_counts(self._conn) if self._conn is not None else _NO_COUNTS
        new_groups = self._build()
        old = {g.key: g for g in self._groups}
        stale = {g.key for g in new_groups
                 if g.key in affected or g.key not in old or old[g.key].segments != g.segments}
        if [g.key for g in new_groups] != [g.key for g in self._groups]:
            for group in new_groups:
                if group.key not in stale:
                    group.keep_loaded(old[group.key])
            self._reset(new_groups)
            for row, group in enumerate(new_groups):
                shown = len(old[group.key].rows) if group.key in old else 0
                if group.key in stale and shown:
                    self._load(row, max(shown, self._page_size))
            return True
        for row, group in enumerate(new_groups):
            if group.key in stale:
                self._reread(row, group)
            else:
                self._groups[row].segments = group.segments
        if self._groups:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._groups) - 1, 0))
        return False

    def _reread(self, row: int, group: _Group) -> None:
        """Read a group's loaded findings again (as many as it showed, at least a page).

        The rows are rewritten in place and only the difference in length is inserted or
        removed, so the view keeps its scroll position and the current row stays at the same
        place (the finding after an accepted one).
        """
        parent = self.index(row, 0)
        current = self._groups[row]
        current.segments, current.exhausted = group.segments, False
        if not current.rows:
            return
        found = self._read(current, 0, max(len(current.rows), self._page_size))
        kept = min(len(found), len(current.rows))
        current.rows[:kept] = found[:kept]
        if kept:
            self.dataChanged.emit(self.index(0, 0, parent),
                                  self.index(kept - 1, len(self.COLUMNS) - 1, parent))
        if len(found) > kept:
            self.beginInsertRows(parent, kept, len(found) - 1)
            current.rows.extend(found[kept:])
            self.endInsertRows()
        elif len(current.rows) > kept:
            self.beginRemoveRows(parent, kept, len(current.rows) - 1)
            del current.rows[kept:]
            self.endRemoveRows()
        self._settle_more_row(parent, current)

    def _reset(self, groups: list[_Group]) -> None:
        self.beginResetModel()
        self._groups = groups
        self.endResetModel()

    def group_keys(self) -> list[str]:
        return [g.key for g in self._groups]

    def group_index(self, key: str) -> QModelIndex:
        for row, group in enumerate(self._groups):
            if group.key == key:
                return self.index(row, 0)
        return QModelIndex()

    def group_total(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """How many findings a group row stands for (loaded or not); 0 for other rows."""
        if not index.isValid() or index.internalId() != 0:
            return 0
        return self._groups[index.row()].total

    # --- paging -----------------------------------------------------------------------------
    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> bool:
        """True for a group whose first page is not read yet (later pages: ``load_more``)."""
        group = self._group_of(parent)
        return group is not None and not group.rows and group.has_more

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex) -> None:
        """Read the group's next page."""
        if self._group_of(parent) is not None and self._conn is not None:
            self._load(parent.row(), self._page_size)

    def load_more(self, index: QModelIndex | QPersistentModelIndex) -> int:
        """Read the next page of the group of ``index`` (its "Load more…" row, a finding or the
        group itself); returns how many findings came."""
        if not index.isValid():
            return 0
        row = index.row() if index.internalId() == 0 else index.internalId() - 1
        if self._conn is None or not self._groups[row].has_more:
            return 0
        return self._load(row, self._page_size)

    def _group_of(self, index: QModelIndex | QPersistentModelIndex) -> _Group | None:
        if not index.isValid() or index.internalId() != 0 or index.column() != 0:
            return None
        return self._groups[index.row()]

    def _load(self, row: int, limit: int) -> int:
        group = self._groups[row]
        parent = self.index(row, 0)
        first = len(group.rows)
        found = self._read(group, first, limit)
        if len(found) < min(limit, group.total - first):
            group.exhausted = True  # the store changed under the counts: stop paging
        if found:
            # A "Load more…" row already there moves down; a new one comes with the first page.
            more_after = group.has_more_after(len(found))
            added = len(found) + int(more_after and not group.more_row)
            self.beginInsertRows(parent, first, first + added - 1)
            group.rows.extend(found)
            group.more_row = group.more_row or more_after
            self.endInsertRows()
        self._settle_more_row(parent, group)
        return len(found)

    def _settle_more_row(self, parent: QModelIndex, group: _Group) -> None:
        """Add, drop or relabel the group's "Load more…" row after its findings changed."""
        wanted = group.has_more_after(0)
        if wanted and not group.more_row:
            self.beginInsertRows(parent, len(group.rows), len(group.rows))
            group.more_row, group.more_shown = True, len(group.rows)
            self.endInsertRows()
        elif group.more_row and not wanted:
            self.beginRemoveRows(parent, len(group.rows), len(group.rows))
            group.more_row = False
            self.endRemoveRows()
        elif group.more_row and group.more_shown != len(group.rows):
            group.more_shown = len(group.rows)
            more = self.index(len(group.rows), 0, parent)
            self.dataChanged.emit(more, more)

    def _read(self, group: _Group, offset: int, limit: int) -> list[Finding]:
        """``limit`` findings of the group from ``offset``, one page query per segment."""
        assert self._conn is not None
        found: list[Finding] = []
        start = 0
        for segment in group.segments:
            end = start + segment.count
            wanted = limit - len(found)
            if wanted <= 0:
                break
            if offset < end:
                local = max(offset - start, 0)
                page = page_findings(self._conn, segment.check, accepted=group.accepted,
                                     offset=local, limit=min(wanted, segment.count - local),
                                     severity=segment.severity)
                found += page
                offset += len(page)
            start = end
        self._read_names(found)
        return found

    def _read_names(self, findings: list[Finding]) -> None:
        """The names of a page's objects: one query per kind on the page, not one per row."""
        assert self._conn is not None
        wanted: dict[str, set[int]] = {}
        for f in findings:
            if f.object_kind in KINDS and (f.object_kind, f.object_id) not in self._names:
                wanted.setdefault(f.object_kind, set()).add(f.object_id)
        for kind, ids in wanted.items():
            try:
                found = names_by_id(self._conn, kind, sorted(ids))
            except sqlite3.Error:
                return  # names are a nicety: the kind and id still show
            self._names.update(((kind, object_id), name) for object_id, name in found.items()
                               if name)

    def object_label(self, f: Finding) -> str:
        """``Name (id)``, or ``kind id`` when the object has no name (or is gone)."""
        name = self._names.get((f.object_kind, f.object_id))
        if name:
            return f"{name} ({f.object_id})"
        label = KINDS[f.object_kind].label.lower() if f.object_kind in KINDS else f.object_kind
        return f"{label} {f.object_id}"

    # --- QAbstractItemModel -----------------------------------------------------------------
    # internalId 0 marks a group row; a child row carries its group's row + 1.
    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex = _ROOT  # type: ignore[override]
               ) -> QModelIndex:
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        group = self._group_of(parent)
        return group.child_count if group is not None else 0

    def hasChildren(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> bool:
        if not parent.isValid():
            return bool(self._groups)
        group = self._group_of(parent)
        return group is not None and (group.total > 0 or group.child_count > 0)

    def note(self, index: QModelIndex | QPersistentModelIndex) -> NotChecked | None:
        """The "not checked" entry of a row of the Not checked group (None elsewhere)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        notes = self._groups[index.internalId() - 1].notes
        return notes[index.row()] if index.row() < len(notes) else None

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def finding(self, index: QModelIndex | QPersistentModelIndex) -> Finding | None:
        """The finding of a row (None on group and "Load more…" rows)."""
        if not index.isValid() or index.internalId() == 0:
            return None
        rows = self._groups[index.internalId() - 1].rows
        return rows[index.row()] if index.row() < len(rows) else None

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            value = self._group_data(self._groups[index.row()], index.column(), role)
        elif (note := self.note(index)) is not None:
            value = self._note_data(note, index.column(), role)
        else:
            finding = self.finding(index)
            value = (self._finding_data(finding, index.column(), role) if finding is not None
                     else self._more_data(self._groups[index.internalId() - 1],
                                          index.column(), role))
        if isinstance(value, str) and role in (Qt.ItemDataRole.DisplayRole,
                                                Qt.ItemDataRole.ToolTipRole):
            return self.mask(value)
        return value

    def _group_data(self, group: _Group, column: int, role: int) -> Any:
        if role == NODE_TYPE_ROLE:
            return "group"
        if role == GROUP_KEY_ROLE:
            return group.key
        if column != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return group.label
        if role == Qt.ItemDataRole.DecorationRole:
            return severity_icon(group.severity)
        if role == Qt.ItemDataRole.ToolTipRole and group.key in CHECKS:
            opens = "\nExpand to list them (read a page at a time)." if group.summary else ""
            return f"{group.key}: {CHECKS[group.key].doc}{opens}"
        if role == Qt.ItemDataRole.ToolTipRole and group.key == NOT_CHECKED_GROUP:
            return ("Checks whose input the export lacks: they did not run, so they add no "
                    "finding (nothing here is an error)")
        return None

    def _note_data(self, note: NotChecked, column: int, role: int) -> Any:
        if role == NODE_TYPE_ROLE:
            return "not-checked"
        if column != 0:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return note.text
        return None

    def _more_data(self, group: _Group, column: int, role: int) -> Any:
        if role == NODE_TYPE_ROLE:
            return "more"
        if column != 0:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return f"Load more… ({group.more_shown:,} of {group.total:,} shown)"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Double-click or press Enter to show the next {self._page_size:,}"
        return None

    def _finding_data(self, f: Finding, column: int, role: int) -> Any:
        if role == FINDING_ROLE:
            return f
        if role == OBJECT_REF_ROLE:
            return ObjectRef(f.object_kind, f.object_id)
        if role == NODE_TYPE_ROLE:
            return "object"
        if role == Qt.ItemDataRole.DisplayRole:
            return (f.message, self.object_label(f), f.severity)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return severity_icon(f.severity)
        if role == Qt.ItemDataRole.ToolTipRole and column == 1:
            kind = KINDS[f.object_kind].label if f.object_kind in KINDS else f.object_kind
            return f"{kind} {f.object_id}: {self.object_label(f)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            accepted = f"\nAccepted: {f.accepted_reason}" if f.accepted else ""
            return f"{f.explanation}\n\nWhat to do: {f.fix}\n\n{f.doc}{accepted}"
        return None
