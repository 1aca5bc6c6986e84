"""The findings panel: pitfall findings grouped by check, filtered by severity, accepted apart.

``FindingsPanel`` puts a ``FindingsModel`` (groups from counts, findings read per page when a
group opens; many info findings of one check as one summary row; the checks the export did not
let run as "not checked" rows) in a tree with severity toggles, an explanation pane and
Accept…/Un-accept actions, and emits ``objectActivated(kind, id)`` when a finding is chosen
(click, arrow keys) or activated (double-click or Enter): the window shows the object in the
tree and the inspector. Choosing a check's row explains the check.
"""

from __future__ import annotations

import html
import sqlite3
from typing import Any

from PySide6.QtCore import QModelIndex, QPoint, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
    QSplitter,
    QTextBrowser,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from explorer.analysis.findings import (
    CHECKS,
    SEVERITIES,
    Finding,
    accept_finding,
    unaccept_finding,
)
from explorer.masking import TextMask
from explorer.store.workspace import Workspace
from explorer.ui.findings.model import (
    ACCEPTED_GROUP,
    GROUP_KEY_ROLE,
    NOT_CHECKED_GROUP,
    FindingsModel,
    severity_icon,
)
from explorer.ui.item_roles import NODE_TYPE_ROLE

_SEVERITY_LABELS: dict[str, str] = {"error": "Errors", "warning": "Warnings", "info": "Info"}
_EXPAND_AT_MOST = 20  # groups this small open on reload; big ones stay shut
ACCEPT_TIP = "Mark the selected finding as known and fine, with a reason"
UNACCEPT_TIP = "Open the selected accepted finding again"
READ_ONLY_TIP = ("This workspace is open read-only (a snapshot bundle): findings cannot be "
                 "accepted or un-accepted here")


class FindingsPanel(QWidget):
    """Findings of one workspace, grouped by check; see the module docstring."""

    objectActivated = Signal(str, int)
    acceptanceChanged = Signal()  # after Accept…/Un-accept

    def __init__(self, workspace: Workspace | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._read_only = workspace is not None and workspace.is_read_only()
        self._moving_current = False  # the panel moves the current row itself
        self.model = FindingsModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self._size_columns()
        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.severity_buttons: dict[str, QToolButton] = {}
        self.accept_action = QAction("Accept…", self)
        self.unaccept_action = QAction("Un-accept", self)
        self._build_layout()
        self._connect()
        self.reload()

    # --- construction -----------------------------------------------------------------------
    def _size_columns(self) -> None:
        """The finding's message takes the width; the object gets room for a name; the
        severity (the icon says it already) stays narrow."""
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 300)
        header.resizeSection(2, 80)

    def _build_layout(self) -> None:
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel("Show:", self))
        for severity in SEVERITIES:
            button = QToolButton(self)
            button.setCheckable(True)
            button.setChecked(True)
            button.setIcon(severity_icon(severity))
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            button.setObjectName(f"severity-{severity}")
            self.severity_buttons[severity] = button
            bar.addWidget(button)
        bar.addStretch(1)
        for action in (self.accept_action, self.unaccept_action):
            button = QToolButton(self)
            button.setDefaultAction(action)
            bar.addWidget(button)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tree)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        for button in self.severity_buttons.values():
            button.toggled.connect(self._severity_toggled)
        self.tree.activated.connect(self._activated)
        self.tree.expanded.connect(self._expanded)
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.accept_action.triggered.connect(lambda: self.accept_current())
        self.unaccept_action.triggered.connect(lambda: self.unaccept_current())

    # --- public API ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self._workspace = workspace
        self._read_only = workspace is not None and workspace.is_read_only()
        self.reload()

    def is_read_only(self) -> bool:
        """Accept…/Un-accept are off: the workspace cannot be written (snapshot bundles)."""
        return self._read_only

    def reload(self) -> None:
        """Read the findings again (after an import, a refresh or an acceptance elsewhere)."""
        expanded = self._expanded_groups()
        self.model.set_connection(self._workspace.conn if self._workspace else None)
        self._after_reset(expanded)

    def set_severity_visible(self, severity: str, visible: bool) -> None:
        self.severity_buttons[severity].setChecked(visible)

    def current_finding(self) -> Finding | None:
        return self.model.finding(self.tree.currentIndex().siblingAtColumn(0))

    def accept_current(self, reason: str | None = None) -> bool:
        """Accept the current finding; asks for the reason when none is given."""
        finding = self.current_finding()
        if finding is None or finding.accepted or self._workspace is None or self._read_only:
            return False
        if reason is None:
            reason = self.ask_reason(finding)
            if reason is None:
                return False
        return self._write(accept_finding, finding, reason)

    def unaccept_current(self) -> bool:
        finding = self.current_finding()
        if (finding is None or not finding.accepted or self._workspace is None
                or self._read_only):
            return False
        return self._write(unaccept_finding, finding)

    def ask_reason(self, finding: Finding) -> str | None:
        """The reason dialog; None when cancelled."""
        text, ok = QInputDialog.getText(
            self, "Accept finding",
            f"{self.model.mask(finding.message)}\n\nWhy is this fine? (kept with the workspace)")
        return text.strip() if ok else None

    # --- internals ----------------------------------------------------------------------------
    def _write(self, func: Any, finding: Finding, *args: str) -> bool:
        assert self._workspace is not None
        try:
            func(self._workspace.conn, finding.check, finding.object_kind, finding.object_id,
                 *args)
        except sqlite3.Error as exc:  # e.g. a workspace opened read-only
            QMessageBox.warning(self, "Findings", f"Could not save: {exc}")
            return False
        self._refresh_after_write(finding.check)
        self.acceptanceChanged.emit()
        return True

    def _refresh_after_write(self, check: str) -> None:
        """Counts again, and the findings of the two groups an acceptance moves one between;
        the other groups keep what they loaded, the cursor stays where it was."""
        current = self.tree.currentIndex().siblingAtColumn(0)
        if current.parent().isValid():
            at: tuple[str, int] | None = (current.parent().data(GROUP_KEY_ROLE), current.row())
        else:  # a group row (-1) or nothing
            at = (current.data(GROUP_KEY_ROLE), -1) if current.isValid() else None
        expanded = self._expanded_groups()
        if self.model.refresh_groups({check, ACCEPTED_GROUP}):
            self._after_reset(expanded)
        else:
            self._update_counts()
        self._restore_current(at)

    def _restore_current(self, at: tuple[str, int] | None) -> None:
        """Make the row at the same place in the same group current (the next finding, as
        the accepted one moved away), or nothing."""
        self._moving_current = True
        try:
            self._set_current_at(at)
        finally:
            self._moving_current = False
        self._update_actions()
        self._show_current()

    def _set_current_at(self, at: tuple[str, int] | None) -> None:
        group = self.model.group_index(at[0]) if at is not None else QModelIndex()
        rows = self.model.rowCount(group) if group.isValid() else 0
        if at is None or not group.isValid():
            self.tree.setCurrentIndex(QModelIndex())
        elif at[1] < 0 or not rows or not self.tree.isExpanded(group):
            self.tree.setCurrentIndex(group)
        else:
            index = self.model.index(min(at[1], rows - 1), 0, group)
            if self.model.finding(index) is None and index.row() > 0:
                index = self.model.index(index.row() - 1, 0, group)  # not the "Load more…" row
            self.tree.setCurrentIndex(index)

    def _expanded_groups(self) -> set[str] | None:
        if not self.model.rowCount():
            return None  # first load: use the default expansion
        return {key for key in self.model.group_keys()
                if self.tree.isExpanded(self.model.group_index(key))}

    def _after_reset(self, expanded: set[str] | None) -> None:
        for row, key in enumerate(self.model.group_keys()):
            index = self.model.index(row, 0)
            if expanded is None:
                open_it = (key != ACCEPTED_GROUP and not self.model.is_summary(index)
                           and self.model.rowCount(index) + self.model.group_total(index)
                           <= _EXPAND_AT_MOST)
            else:
                open_it = key in expanded
            if open_it and self.model.canFetchMore(index):
                self.model.fetchMore(index)  # the first page, before the view lays it out
            self.tree.setExpanded(index, open_it)
            if key == NOT_CHECKED_GROUP:  # one sentence each: the whole width is theirs
                for child in range(self.model.rowCount(index)):
                    self.tree.setFirstColumnSpanned(child, index, True)
        self._update_counts()
        self._update_actions()
        self._show_details(None)

    def _update_counts(self) -> None:
        counts = self.model.counts()
        for severity, button in self.severity_buttons.items():
            button.setText(f"{_SEVERITY_LABELS[severity]} ({counts[severity]:,})")

    def _update_actions(self) -> None:
        finding = self.current_finding()
        writable = not self._read_only
        self.accept_action.setEnabled(writable and finding is not None and not finding.accepted)
        self.unaccept_action.setEnabled(writable and finding is not None and finding.accepted)
        # Disabled actions say why: a read-only bundle, not a missing selection.
        self.accept_action.setToolTip(READ_ONLY_TIP if self._read_only else ACCEPT_TIP)
        self.unaccept_action.setToolTip(READ_ONLY_TIP if self._read_only else UNACCEPT_TIP)

    def _severity_toggled(self) -> None:
        visible = {s for s, b in self.severity_buttons.items() if b.isChecked()}
        expanded = self._expanded_groups()
        self.model.set_visible_severities(visible)
        self._after_reset(expanded)

    def _expanded(self, index: QModelIndex) -> None:
        if self.model.canFetchMore(index):
            self.model.fetchMore(index)

    def _activated(self, index: QModelIndex) -> None:
        if index.data(NODE_TYPE_ROLE) == "more":
            self.model.load_more(index)
            return
        finding = self.model.finding(index.siblingAtColumn(0))
        if finding is not None:
            self.objectActivated.emit(finding.object_kind, finding.object_id)

    def _current_changed(self, current: QModelIndex, previous: QModelIndex) -> None:
        self._update_actions()
        finding = self.model.finding(current.siblingAtColumn(0))
        self._show_current()
        # Choosing a finding (click, arrow keys) shows its object, as choosing one in the tree
        # does; focus stays here. The panel's own moves (after an accept) do not navigate.
        moved = current.siblingAtColumn(0) != previous.siblingAtColumn(0)
        if finding is not None and moved and not self._moving_current:
            self.objectActivated.emit(finding.object_kind, finding.object_id)

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask the findings tree and the details pane (workshop masking)."""
        self.model.set_text_mask(mask)
        self._show_current()

    def _show_current(self) -> None:
        """Details of the current row: a finding, a check's group row, or a "not checked"."""
        index = self.tree.currentIndex().siblingAtColumn(0)
        finding = self.model.finding(index)
        check = self.model.group_check(index) if finding is None else None
        note = self.model.note(index) if finding is None else None
        if check is not None:
            self._show_check(check, self.model.group_total(index))
        elif note is not None:
            spec = CHECKS.get(note.check_id)
            self._show_html(
                f"<p><b>{html.escape(self.model.mask(note.text))}</b></p>"
                f"<p>{html.escape(spec.explanation if spec else '')}</p>"
                "<p>The export lacks what this check needs, so it did not run and adds no "
                f"finding. Check <code>{html.escape(note.check_id)}</code>.</p>")
        else:
            self._show_details(finding)

    def _show_check(self, check: str, total: int) -> None:
        spec = CHECKS[check]
        needs = f" — {spec.needs_text}" if spec.needs else ""
        opens = " Expand the row to list them." if self.model.is_summary(
            self.tree.currentIndex().siblingAtColumn(0)) else ""
        self._show_html(
            f"<p><b>{html.escape(spec.title)}</b>: {total:,} finding{'s' if total != 1 else ''}."
            f"{opens}</p><p>{html.escape(spec.explanation)}</p>"
            f"<p><b>What to do:</b> {html.escape(spec.fix)}</p>"
            f"<p><i>{html.escape(spec.doc)}</i> — check <code>{html.escape(check)}</code>"
            f"{html.escape(needs)}</p>")

    def _show_html(self, text: str) -> None:
        self.details.setVisible(True)
        self.details.setHtml(text)

    def _show_details(self, finding: Finding | None) -> None:
        # Collapsed until a finding is chosen, so the tree gets the dock's height.
        self.details.setVisible(finding is not None)
        if finding is None:
            self.details.setHtml("")
            return

        def esc(text: str) -> str:
            return html.escape(self.model.mask(text))

        accepted = (f"<p><b>Accepted:</b> {esc(finding.accepted_reason or '(no reason)')}</p>"
                    if finding.accepted else "")
        self.details.setHtml(
            f"<p><b>{esc(finding.message)}</b></p>"
            f"<p>{esc(finding.explanation)}</p>"
            f"<p><b>What to do:</b> {esc(finding.fix)}</p>"
            f"<p><i>{esc(finding.doc)}</i> — check <code>{esc(finding.check)}</code></p>"
            f"{accepted}"
        )

    def _context_menu(self, pos: QPoint) -> None:
        if self.current_finding() is None:
            return
        menu = QMenu(self)
        menu.addAction(self.accept_action)
        menu.addAction(self.unaccept_action)
        menu.exec(self.tree.viewport().mapToGlobal(pos))
