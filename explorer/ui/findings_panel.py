"""The findings panel: pitfall findings grouped by check, filtered by severity, accepted apart.

``FindingsModel`` is a two-level item model (check groups → findings, then an "Accepted" group)
over the whole findings list, which is small enough to load at once. ``FindingsPanel`` puts it in
a tree with severity toggles, an explanation pane and Accept…/Un-accept actions, and emits
``objectActivated(kind, id)`` when a finding is activated (double-click or Enter).
"""

from __future__ import annotations

import html
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRectF,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction, QColor, QFont, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QHBoxLayout,
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
    list_findings,
    unaccept_finding,
)
from explorer.kinds import ObjectRef
from explorer.store.workspace import Workspace
from explorer.ui.common import NODE_TYPE_ROLE, OBJECT_REF_ROLE

FINDING_ROLE = Qt.ItemDataRole.UserRole + 20  # the Finding of a row (None on group rows)
GROUP_KEY_ROLE = Qt.ItemDataRole.UserRole + 21  # a group's check id, or ACCEPTED_GROUP

ACCEPTED_GROUP = "accepted"
# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
SEVERITY_COLOURS: dict[str, str] = {"error": "#D55E00", "warning": "#E69F00", "info": "#0072B2"}
_SEVERITY_GLYPHS: dict[str, str] = {"error": "!", "warning": "!", "info": "i"}
_SEVERITY_LABELS: dict[str, str] = {"error": "Errors", "warning": "Warnings", "info": "Info"}
_ACCEPTED_COLOUR = "#7F7F7F"
_EXPAND_AT_MOST = 20  # groups this small open on reload; big ones stay shut
_ROOT = QModelIndex()  # the invalid index, as a default argument (never mutated)


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


@dataclass
class _Group:
    key: str  # check id, or ACCEPTED_GROUP
    title: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def severity(self) -> str:
        """The worst severity in the group ('accepted' for the accepted group)."""
        if self.key == ACCEPTED_GROUP:
            return ACCEPTED_GROUP
        return min((f.severity for f in self.findings), key=SEVERITIES.index)

    @property
    def label(self) -> str:
        return f"{self.title} ({len(self.findings):,})"


class FindingsModel(QAbstractItemModel):
    """Check groups with their findings, then one "Accepted" group; filtered by severity."""

    COLUMNS: tuple[str, ...] = ("Finding", "Object", "Severity")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[Finding] = []
        self._visible: set[str] = set(SEVERITIES)
        self._groups: list[_Group] = []
        self._text_mask: Callable[[str], str] | None = None  # workshop masking

    def set_text_mask(self, mask: Callable[[str], str] | None) -> None:
        """Mask displayed texts and tooltips (workshop masking); None shows real values."""
        self._text_mask = mask
        self.layoutChanged.emit()  # every row's text may change; the structure does not

    def mask(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    # --- content --------------------------------------------------------------------------
    def set_findings(self, findings: list[Finding]) -> None:
        self._all = list(findings)
        self._rebuild()

    def set_visible_severities(self, severities: set[str]) -> None:
        self._visible = set(severities)
        self._rebuild()

    def visible_severities(self) -> set[str]:
        return set(self._visible)

    def counts(self) -> dict[str, int]:
        """Open (not accepted) findings per severity, whatever the filter shows."""
        counts = dict.fromkeys(SEVERITIES, 0)
        for f in self._all:
            if not f.accepted:
                counts[f.severity] = counts.get(f.severity, 0) + 1
        return counts

    def _rebuild(self) -> None:
        self.beginResetModel()
        by_check: dict[str, _Group] = {}
        accepted = _Group(ACCEPTED_GROUP, "Accepted")
        for f in self._all:
            if f.severity not in self._visible:
                continue
            if f.accepted:
                accepted.findings.append(f)
                continue
            group = by_check.get(f.check)
            if group is None:
                spec = CHECKS.get(f.check)
                group = by_check[f.check] = _Group(f.check, spec.title if spec else f.check)
            group.findings.append(f)
        order = list(CHECKS)
        self._groups = sorted(by_check.values(), key=lambda g: (
            SEVERITIES.index(g.severity), order.index(g.key) if g.key in order else 999))
        if accepted.findings:
            self._groups.append(accepted)
        self.endResetModel()

    def group_keys(self) -> list[str]:
        return [g.key for g in self._groups]

    def group_index(self, key: str) -> QModelIndex:
        for row, group in enumerate(self._groups):
            if group.key == key:
                return self.index(row, 0)
        return QModelIndex()

    # --- QAbstractItemModel -----------------------------------------------------------------
    # internalId 0 marks a group row; a finding row carries its group's row + 1.
    def index(self, row: int, column: int,
              parent: QModelIndex | QPersistentModelIndex = _ROOT) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, 0)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: QModelIndex | QPersistentModelIndex = _ROOT
               ) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == 0 and parent.column() == 0:
            return len(self._groups[parent.row()].findings)
        return 0

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = _ROOT) -> int:
        return len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    def finding(self, index: QModelIndex | QPersistentModelIndex) -> Finding | None:
        if not index.isValid() or index.internalId() == 0:
            return None
        return self._groups[index.internalId() - 1].findings[index.row()]

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == 0:
            value = self._group_data(self._groups[index.row()], index.column(), role)
        else:
            value = self._finding_data(self.finding(index), index.column(), role)  # type: ignore[arg-type]
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
            return f"{group.key}: {CHECKS[group.key].doc}"
        return None

    def _finding_data(self, f: Finding, column: int, role: int) -> Any:
        if role == FINDING_ROLE:
            return f
        if role == OBJECT_REF_ROLE:
            return ObjectRef(f.object_kind, f.object_id)
        if role == NODE_TYPE_ROLE:
            return "object"
        if role == Qt.ItemDataRole.DisplayRole:
            return (f.message, f"{f.object_kind}:{f.object_id}", f.severity)[column]
        if role == Qt.ItemDataRole.DecorationRole and column == 0:
            return severity_icon(f.severity)
        if role == Qt.ItemDataRole.ToolTipRole:
            accepted = f"\nAccepted: {f.accepted_reason}" if f.accepted else ""
            return f"{f.explanation}\n\nWhat to do: {f.fix}\n\n{f.doc}{accepted}"
        return None


class FindingsPanel(QWidget):
    """Findings of one workspace, grouped by check; see the module docstring."""

    objectActivated = Signal(str, int)
    acceptanceChanged = Signal()  # after Accept…/Un-accept

    def __init__(self, workspace: Workspace | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self.model = FindingsModel(self)
        self.tree = QTreeView(self)
        self.tree.setModel(self.model)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.header().resizeSection(0, 520)
        self.details = QTextBrowser(self)
        self.details.setOpenLinks(False)
        self.severity_buttons: dict[str, QToolButton] = {}
        self.accept_action = QAction("Accept…", self)
        self.accept_action.setToolTip("Mark the selected finding as known and fine, with a reason")
        self.unaccept_action = QAction("Un-accept", self)
        self._build_layout()
        self._connect()
        self.reload()

    # --- construction -----------------------------------------------------------------------
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
        self.tree.selectionModel().currentChanged.connect(self._current_changed)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.accept_action.triggered.connect(lambda: self.accept_current())
        self.unaccept_action.triggered.connect(lambda: self.unaccept_current())

    # --- public API ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        self._workspace = workspace
        self.reload()

    def reload(self) -> None:
        """Read the findings again (after an import, a refresh or an acceptance elsewhere)."""
        expanded = self._expanded_groups()
        findings = list_findings(self._workspace.conn) if self._workspace else []
        self.model.set_findings(findings)
        self._after_reset(expanded)

    def set_severity_visible(self, severity: str, visible: bool) -> None:
        self.severity_buttons[severity].setChecked(visible)

    def current_finding(self) -> Finding | None:
        return self.model.finding(self.tree.currentIndex().siblingAtColumn(0))

    def accept_current(self, reason: str | None = None) -> bool:
        """Accept the current finding; asks for the reason when none is given."""
        finding = self.current_finding()
        if finding is None or finding.accepted or self._workspace is None:
            return False
        if reason is None:
            reason = self.ask_reason(finding)
            if reason is None:
                return False
        return self._write(accept_finding, finding, reason)

    def unaccept_current(self) -> bool:
        finding = self.current_finding()
        if finding is None or not finding.accepted or self._workspace is None:
            return False
        return self._write(unaccept_finding, finding)

    def ask_reason(self, finding: Finding) -> str | None:
        """The reason dialog; None when cancelled."""
        text, ok = QInputDialog.getText(
            self, "Accept finding",
            f"{finding.message}\n\nWhy is this fine? (kept with the workspace)")
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
        self.reload()
        self.acceptanceChanged.emit()
        return True

    def _expanded_groups(self) -> set[str] | None:
        if not self.model.rowCount():
            return None  # first load: use the default expansion
        return {key for key in self.model.group_keys()
                if self.tree.isExpanded(self.model.group_index(key))}

    def _after_reset(self, expanded: set[str] | None) -> None:
        for row, key in enumerate(self.model.group_keys()):
            index = self.model.index(row, 0)
            if expanded is None:
                open_it = key != ACCEPTED_GROUP and self.model.rowCount(index) <= _EXPAND_AT_MOST
            else:
                open_it = key in expanded
            self.tree.setExpanded(index, open_it)
        self._update_counts()
        self._update_actions()
        self._show_details(None)

    def _update_counts(self) -> None:
        counts = self.model.counts()
        for severity, button in self.severity_buttons.items():
            button.setText(f"{_SEVERITY_LABELS[severity]} ({counts[severity]:,})")

    def _update_actions(self) -> None:
        finding = self.current_finding()
        self.accept_action.setEnabled(finding is not None and not finding.accepted)
        self.unaccept_action.setEnabled(finding is not None and finding.accepted)

    def _severity_toggled(self) -> None:
        visible = {s for s, b in self.severity_buttons.items() if b.isChecked()}
        expanded = self._expanded_groups()
        self.model.set_visible_severities(visible)
        self._after_reset(expanded)

    def _activated(self, index: QModelIndex) -> None:
        finding = self.model.finding(index.siblingAtColumn(0))
        if finding is not None:
            self.objectActivated.emit(finding.object_kind, finding.object_id)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._update_actions()
        self._show_details(self.model.finding(current.siblingAtColumn(0)))

    def set_text_mask(self, mask: Callable[[str], str] | None) -> None:
        """Mask the findings tree and the details pane (workshop masking)."""
        self.model.set_text_mask(mask)
        self._show_details(self.current_finding())

    def _show_details(self, finding: Finding | None) -> None:
        # Collapsed until a finding is chosen: the tree gets the dock's height (review).
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
