"""The Changes panel: one diff, grouped Added / Removed / Changed / Moved / Findings new /
Findings resolved, each group with its count.

Activating an entry (double-click or Enter) emits ``objectActivated(kind, id)``. A changed
entry expands to one row per field, ``old → new``; a rule field shows a word diff with removed
words struck through on red and added words on green (drawn when the entry is first expanded,
so a diff of thousands of objects costs no widgets until looked at).

Workshop masking (``set_text_mask``) masks every text the panel shows (names, field values,
rule diffs, findings, the from/to labels, messages) with the same rows; the item data roles
keep the real values.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from explorer.analysis.diff import (
    RULE_FIELDS,
    Diff,
    describe_placement,
    field_label,
    rule_diff_parts,
)
from explorer.analysis.findings import CHECKS
from explorer.kinds import KINDS, ObjectRef
from explorer.masking import Masker, TextMask
from explorer.ui.box_layout import stacked
from explorer.ui.findings.model import severity_icon
from explorer.ui.icons import icon_for
from explorer.ui.item_roles import NODE_TYPE_ROLE, OBJECT_REF_ROLE

GROUP_KEY_ROLE = Qt.ItemDataRole.UserRole + 30  # a group row's key ("added", ...)
FIELD_ROLE = Qt.ItemDataRole.UserRole + 31  # a field row: (field, old, new)

# Okabe-Ito: distinguishable with the common colour-vision deficiencies.
GROUP_COLOURS = {"added": "#009E73", "removed": "#D55E00", "changed": "#0072B2",
                 "moved": "#CC79A7", "findings-new": "#E69F00",
                 "findings-resolved": "#56B4E9"}
GROUP_TITLES = {"added": "Added", "removed": "Removed", "changed": "Changed", "moved": "Moved",
                "findings-new": "Findings new", "findings-resolved": "Findings resolved"}
TARGET_NOTE = "also disappears from Target"
RULE_REMOVED_STYLE = ("background-color:#FADBD8; color:#8B1A10; text-decoration:line-through;"
                      " font-weight:600;")
RULE_ADDED_STYLE = "background-color:#D4EFDF; color:#0B5D1E; font-weight:600;"
# On the two-line form the "before" line is the old rule: red marks what went, unstruck.
RULE_GONE_STYLE = "background-color:#FADBD8; color:#8B1A10; font-weight:600;"
SHORT_RULE = 140  # characters: up to this a rule diff is shown as two lines, before and now
THIN_SPACE = "&#8201;"
MAX_ROWS_PER_GROUP = 5000  # beyond this a group says how many more (the CLI lists them all)
_EXPAND_AT_MOST = 50  # small groups open on their own


def value_text(value: Any) -> str:
    return "(empty)" if value is None or value == "" else str(value)


def rule_diff_html(old: str | None, new: str | None, mask: TextMask | None = None) -> str:
    """The word diff of two rules as escaped, coloured rich text; with ``mask``, the diff of
    the masked rules (a masked value spanning several words is still one placeholder).

    A short rule reads best as two lines, before (removed words on red) over now (added
    words on green); a long one stays on one line, each removed or added run padded and set
    apart so ``>= 4`` → ``>= 6`` never reads as ``>= 46``."""
    if mask is not None:
        old, new = mask(old or ""), mask(new or "")
    parts = rule_diff_parts(old, new)
    if max(len(old or ""), len(new or "")) <= SHORT_RULE:
        lines = [_rule_line("before", parts, "-"), _rule_line("now", parts, "+")]
        return f'<span style="font-family:monospace;">{"<br>".join(lines)}</span>'
    return f'<span style="font-family:monospace;">{_inline_rule_diff(parts)}</span>'


def _changed_run(op: str, text: str, *, strike: bool = True) -> str:
    """A removed or added run; inline (``strike``) it is padded so neighbours stay apart."""
    if not strike:
        style = RULE_ADDED_STYLE if op == "+" else RULE_GONE_STYLE
        return f'<span style="{style}">{html.escape(text)}</span>'
    style = RULE_ADDED_STYLE if op == "+" else RULE_REMOVED_STYLE
    return f'<span style="{style}">{THIN_SPACE}{html.escape(text)}{THIN_SPACE}</span>'


def _rule_line(label: str, parts: list[tuple[str, str]], shown_op: str) -> str:
    """One side of the diff: the unchanged words and this side's own (highlighted) words."""
    words = "".join(html.escape(text) if op == "=" else _changed_run(op, text, strike=False)
                    for op, text in parts if op in ("=", shown_op))
    return f'<span style="color:#6B6B6B;">{label}:</span>{"&nbsp;" * (8 - len(label))}{words}'


def _inline_rule_diff(parts: list[tuple[str, str]]) -> str:
    pieces: list[str] = []
    previous = "="
    for op, text in parts:
        if op != "=" and previous != "=":
            pieces.append(f"{THIN_SPACE}→{THIN_SPACE}" if (previous, op) == ("-", "+")
                          else THIN_SPACE)
        pieces.append(html.escape(text) if op == "=" else _changed_run(op, text))
        previous = op
    return "".join(pieces)


class ChangesPanel(QWidget):
    """Shows one ``Diff`` (or a message); ``objectActivated(kind, id)`` on activation."""

    objectActivated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changesPanel")
        self._diff: Diff | None = None
        self._message = ""
        self._text_mask: Masker | None = None  # workshop masking
        self.summary = QLabel()
        self.summary.setObjectName("changesSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setContentsMargins(6, 4, 6, 4)
        self.tree = QTreeWidget()
        self.tree.setObjectName("changesTree")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Object", "What changed"])
        self.tree.setUniformRowHeights(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(0, 360)
        self.tree.itemActivated.connect(self._on_activated)
        self.tree.itemExpanded.connect(self._on_expanded)
        stacked(self, self.summary, (self.tree, 1), margins=(0, 0, 0, 0), spacing=0)
        self.show_message("No comparison yet.")

    # ----- public API -------------------------------------------------------------------
    def diff(self) -> Diff | None:
        return self._diff

    def show_message(self, text: str) -> None:
        """No diff: say why (computing, only one import, an error)."""
        self._diff = None
        self._message = text
        self.tree.clear()
        self.tree.hide()
        self.summary.setText(html.escape(self.mask(text)))

    def set_text_mask(self, mask: Masker | None) -> None:
        """Workshop masking: show everything masked (None: real values); a changed field's
        values as the inspector and the snapshot mask them (``Masker.mask_data``). The shown
        diff is drawn again with the same rows, and the same groups and entries open."""
        self._text_mask = mask
        if self._diff is None:
            self.show_message(self._message)
            return
        expanded = self._expanded_keys()
        self.set_diff(self._diff)
        self._expand_keys(expanded)

    def text_mask(self) -> Masker | None:
        return self._text_mask

    def mask(self, text: str) -> str:  # type: ignore[override]  # not QWidget.mask()
        return self._text_mask.mask_text(text) if self._text_mask is not None and text else text

    def _field_value(self, column: str, value: Any) -> str:
        masked = self._text_mask.mask_data(value, column) if self._text_mask else value
        return value_text(masked)

    def set_diff(self, diff: Diff) -> None:
        self._diff = diff
        self.tree.clear()
        counts = diff.counts()
        from_label, to_label = self.mask(diff.from_label), self.mask(diff.to_label)
        words = (f"<b>{html.escape(from_label)}</b> → <b>{html.escape(to_label)}</b>"
                 f"&nbsp;&nbsp; {_count_html('added', counts['added'])} · "
                 f"{_count_html('removed', counts['removed'])} · "
                 f"{_count_html('changed', counts['changed'])} · "
                 f"{_count_html('moved', counts['moved'])} · findings "
                 f"{counts['new_findings']} new, {counts['resolved_findings']} resolved")
        self.summary.setText(words)
        self.tree.show()
        if diff.is_empty():
            self.tree.addTopLevelItem(QTreeWidgetItem(["No changes between these two states."]))
            return
        self._add_object_group("added", diff.added)
        self._add_object_group("removed", diff.removed)
        self._add_object_group("changed", diff.changed)
        self._add_object_group("moved", diff.moved)
        self._add_findings_group("findings-new", diff.new_findings)
        self._add_findings_group("findings-resolved", diff.resolved_findings)

    def group_item(self, key: str) -> QTreeWidgetItem | None:
        return next((item for item in self._groups() if item.data(0, GROUP_KEY_ROLE) == key),
                    None)

    def group_keys(self) -> list[str]:
        return [item.data(0, GROUP_KEY_ROLE) for item in self._groups()]

    def _groups(self) -> list[QTreeWidgetItem]:
        items = (self.tree.topLevelItem(r) for r in range(self.tree.topLevelItemCount()))
        return [item for item in items if item is not None]

    # ----- building -----------------------------------------------------------------------
    def _group(self, key: str, count: int) -> QTreeWidgetItem:
        item = QTreeWidgetItem([f"{GROUP_TITLES[key]} ({count:,})"])
        item.setData(0, GROUP_KEY_ROLE, key)
        item.setData(0, NODE_TYPE_ROLE, "group")
        font = QFont(item.font(0))
        font.setBold(True)
        item.setFont(0, font)
        item.setForeground(0, QBrush(QColor(GROUP_COLOURS[key])))
        item.setFirstColumnSpanned(True)
        self.tree.addTopLevelItem(item)
        return item

    def _add_object_group(self, key: str, entries: list[dict[str, Any]]) -> None:
        self._add_group(key, entries, lambda entry: self._object_item(key, entry))

    def _add_group(self, key: str, entries: list[dict[str, Any]],
                   make_item: Callable[[dict[str, Any]], QTreeWidgetItem]) -> None:
        """A group of at most MAX_ROWS_PER_GROUP rows (a "more" row says how many are left),
        expanded when short; nothing when there is nothing to show."""
        if not entries:
            return
        group = self._group(key, len(entries))
        for entry in entries[:MAX_ROWS_PER_GROUP]:
            group.addChild(make_item(entry))
        self._add_more_row(group, len(entries))
        group.setExpanded(len(entries) <= _EXPAND_AT_MOST)

    def _object_item(self, key: str, entry: dict[str, Any]) -> QTreeWidgetItem:
        kind, object_id = entry["kind"], entry["id"]
        label = KINDS[kind].label if kind in KINDS else kind
        item = QTreeWidgetItem([self.mask(f"{entry.get('name') or '(no name)'}  ({object_id})"),
                                self.mask(self._detail(key, entry, label))])
        subtype = self._diff.trait_types.get(object_id) if self._diff and kind == "trait" else None
        item.setIcon(0, icon_for(kind, subtype, aep=bool(entry.get("aep"))))
        item.setToolTip(0, self.mask(f"{label} {object_id}"))
        item.setData(0, OBJECT_REF_ROLE, ObjectRef(kind, object_id))
        item.setData(0, NODE_TYPE_ROLE, "object")
        if key == "changed":
            for column, (old, new) in entry["fields"].items():
                item.addChild(self._field_item(column, old, new))
        return item

    @staticmethod
    def _detail(key: str, entry: dict[str, Any], label: str) -> str:
        notes = [label]
        if entry.get("aep"):
            notes.append("AEP-shared")
        if key == "removed" and entry["kind"] == "segment":
            notes.append(TARGET_NOTE)
        if key == "changed":
            notes.append(", ".join(field_label(c) for c in entry["fields"]))
        if key == "moved":
            notes.append(f"{describe_placement(entry['from'])} → {describe_placement(entry['to'])}")
        return " · ".join(notes)

    def _field_item(self, column: str, old: Any, new: Any) -> QTreeWidgetItem:
        before, now = self._field_value(column, old), self._field_value(column, new)
        text = "" if column in RULE_FIELDS else f"{before} → {now}"
        item = QTreeWidgetItem([field_label(column), text])
        item.setData(0, FIELD_ROLE, (column, old, new))
        item.setData(0, NODE_TYPE_ROLE, "field")
        item.setToolTip(1, f"Before: {before}\nNow: {now}")
        return item

    def _add_findings_group(self, key: str, findings: list[dict[str, Any]]) -> None:
        self._add_group(key, findings, self._finding_item)

    def _finding_item(self, finding: dict[str, Any]) -> QTreeWidgetItem:
        """The check's title (as the Findings dock words it) and the object's name | the
        message; the severity is the icon (and the tooltip)."""
        check = CHECKS.get(str(finding["check"]))
        title = check.title if check is not None else str(finding["check"])
        kind, object_id = finding.get("object_kind"), finding.get("object_id")
        ref = ObjectRef(kind, int(object_id)) if kind in KINDS and object_id is not None else None
        names = self._diff.finding_object_names if self._diff is not None else {}
        if ref is None:
            subject = "(whole tenant)"
        else:
            name = names.get((ref.kind, ref.id)) or KINDS[ref.kind].label
            subject = f"{name}  ({ref.id})"
        message = str(finding["message"] or "")
        item = QTreeWidgetItem([self.mask(f"{title}: {subject}"), self.mask(message)])
        item.setIcon(0, severity_icon(str(finding["severity"])))
        item.setToolTip(0, self.mask(f"{finding['severity']} · {title} ({finding['check']})"))
        item.setToolTip(1, self.mask(message))
        if ref is not None:
            item.setToolTip(0, self.mask(f"{finding['severity']} · {title} "
                                         f"({finding['check']}) · {KINDS[ref.kind].label} "
                                         f"{ref.id}"))
        item.setData(0, NODE_TYPE_ROLE, "finding")
        if ref is not None:
            item.setData(0, OBJECT_REF_ROLE, ref)
        return item

    @staticmethod
    def _add_more_row(group: QTreeWidgetItem, total: int) -> None:
        if total > MAX_ROWS_PER_GROUP:
            more = QTreeWidgetItem([f"… and {total - MAX_ROWS_PER_GROUP:,} more "
                                    "(aam-explorer diff lists them all)"])
            more.setFirstColumnSpanned(True)
            group.addChild(more)

    # ----- interaction --------------------------------------------------------------------
    def _on_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        current: QTreeWidgetItem | None = item
        while current is not None and current.data(0, OBJECT_REF_ROLE) is None:
            current = current.parent()  # a field row activates its object
        if current is not None:
            ref = current.data(0, OBJECT_REF_ROLE)
            self.objectActivated.emit(ref.kind, ref.id)

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        for child in _children(item):
            info = child.data(0, FIELD_ROLE)
            if info is None or info[0] not in RULE_FIELDS or self.tree.itemWidget(child, 1):
                continue
            label = QLabel(rule_diff_html(info[1], info[2], self._text_mask))
            label.setObjectName("ruleDiff")
            label.setTextFormat(Qt.TextFormat.RichText)
            # One line (a wrapping label asks for far more height than it uses); the row's
            # tooltip has both rules whole.
            label.setBackgroundRole(QPalette.ColorRole.Base)
            self.tree.setItemWidget(child, 1, label)

    def _expanded_keys(self) -> set[tuple[str, ObjectRef | None]]:
        """The open groups (group key, None) and open entries (group key, ref)."""
        keys: set[tuple[str, ObjectRef | None]] = set()
        for group in self._groups():
            key = group.data(0, GROUP_KEY_ROLE)
            if key is None:
                continue
            if group.isExpanded():
                keys.add((key, None))
            for child in _children(group):
                if child.isExpanded():
                    keys.add((key, child.data(0, OBJECT_REF_ROLE)))
        return keys

    def _expand_keys(self, keys: set[tuple[str, ObjectRef | None]]) -> None:
        for group in self._groups():
            key = group.data(0, GROUP_KEY_ROLE)
            if key is None:
                continue
            group.setExpanded((key, None) in keys)
            for child in _children(group):
                if child.childCount() and (key, child.data(0, OBJECT_REF_ROLE)) in keys:
                    child.setExpanded(True)

    def expand_all_changes(self) -> None:
        """Open every changed entry (their rule diffs are drawn now)."""
        group = self.group_item("changed")
        if group is None:
            return
        group.setExpanded(True)
        for child in _children(group):
            child.setExpanded(True)


def _count_html(key: str, count: int) -> str:
    return (f'<span style="color:{GROUP_COLOURS[key]}; font-weight:600;">{count:,} '
            f"{GROUP_TITLES[key].lower()}</span>")


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    children = (item.child(row) for row in range(item.childCount()))
    return [child for child in children if child is not None]
