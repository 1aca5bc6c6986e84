"""The inspector: everything about the current object, as one scrollable, linkable page.

A ``QTextBrowser`` shows the HTML that ``explorer.report.inspector_html`` builds from the
object's ``explorer.analysis.object_view`` (the view the report and `show` use too). Links are
``aam://KIND/ID``; the browser never follows them itself (and never loads any resource): the
view turns them into ``objectLinkActivated(kind, id)`` for the main window to navigate.
"""

from __future__ import annotations

from typing import Any, TypeVar

from PySide6.QtCore import Property, QEvent, QPoint, Qt, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.analysis.object_view import object_view
from explorer.analysis.overview import Overview, tenant_overview, with_recent_changes
from explorer.kinds import KINDS, ObjectRef
from explorer.masking import Masker
from explorer.report.inspector_html import (
    DARK,
    EXPAND_LISTS_URL,
    HIGH_CONTRAST,
    LIGHT,
    TOGGLE_ALL_FIELDS_URL,
    Theme,
    parse_object_url,
    parse_page_url,
    render_details_html,
    render_message_html,
    render_overview_html,
)
from explorer.report.inspector_html.group import group_summary
from explorer.report.inspector_html.page import render_group_html
from explorer.store.workspace import Workspace
from explorer.ui.settings import app_settings

_ALL_FIELDS_SETTING = "inspector/allFieldsExpanded"
_Data = TypeVar("_Data")


class _Browser(QTextBrowser):
    """A text browser that loads nothing: no images, style sheets or pages from anywhere."""

    def loadResource(self, type: int, name: QUrl | str) -> Any:
        return None


class InspectorView(QWidget):
    """Shows one object's details; emits ``objectLinkActivated`` when a reference is clicked.

    ``ready`` fires after every render (an object, "not found", or the empty page).
    """

    objectLinkActivated = Signal(str, int)
    # A page that is not an object and not the inspector's own: ("findings", "error"),
    # ("panel", "trends"), ("panel", "changes"). Groups and the overview it opens itself.
    pageLinkActivated = Signal(str, str)
    ready = Signal()

    def __init__(self, workspace: Workspace | None = None, parent: QWidget | None = None,
                 *, remember_choices: bool = True) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._remember_choices = remember_choices  # False: QSettings never read nor written
        self._ref: ObjectRef | None = None
        self._group: str | None = None  # a top-level group's summary page is shown
        self._overview_shown = False
        self._diff: Any = None  # explorer.analysis.diff.Diff the overview counts, or None
        # The overview as read from the workspace (unmasked, before the diff's section): a new
        # diff or mask re-renders it without re-reading (~70 ms on a 200k-trait tenant).
        self._overview: Overview | None = None
        self._details: dict[str, Any] | None = None
        self._lists_expanded = False  # per object: "show all" of long lists
        self._all_fields_expanded = (_read_bool_setting(_ALL_FIELDS_SETTING)
                                     if remember_choices else False)
        self._mask: Masker | None = None  # workshop masking (None: real values)
        # The Changes feature: explorer.analysis.diff.ObjectChange per (kind, id), and since what.
        self._changes: dict[tuple[str, int], Any] = {}
        self._changes_since = ""
        self.browser = _Browser(self)
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.setObjectName("inspectorBrowser")
        self.browser.document().setDocumentMargin(14)
        self.browser.anchorClicked.connect(self._on_anchor_clicked)
        self._copy_bar = self._build_copy_bar()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._copy_bar)
        layout.addWidget(self.browser, 1)
        self._install_copy_actions()
        self.clear()

    # -- public API ---------------------------------------------------------------------------
    def set_workspace(self, workspace: Workspace | None) -> None:
        """Show objects of another workspace (or none); the page is cleared."""
        self._workspace = workspace
        self.clear()

    def workspace(self) -> Workspace | None:
        return self._workspace

    def show_object(self, ref: ObjectRef) -> None:
        """Look the object up (one query) and render it; unknown objects say so."""
        self._ref = ref
        self._group = None
        self._overview_shown = False
        self._lists_expanded = False
        details = None
        if self._workspace is not None and ref.kind in KINDS:
            details = object_view(self._workspace.conn, ref.kind, ref.id)
        change = self._changes.get((ref.kind, ref.id))
        if details is not None and change is not None:
            details = {**details, "changes": _change_details(change, self._changes_since)}
        self._details = details
        if details is None:
            label = KINDS[ref.kind].label if ref.kind in KINDS else ref.kind
            removed = change is not None and change.status == "removed"
            self._set_html(render_message_html(
                f"{label} {ref.id} is not in this workspace.",
                f"It was removed since {self._masked(self._changes_since)}." if removed else
                "It may have been deleted, or the export did not contain it.", self._theme()))
        else:
            self._render(keep_scroll=False)

    def show_group(self, group: str) -> None:
        """A top-level tree group's page (``explorer.kinds.GROUP_KEYS`` key): its counts,
        the AEP-shared ones and, for segments, the tenant's Target sharing."""
        if self._workspace is None:
            self.clear()
            return
        self._ref, self._details, self._group = None, None, group
        self._overview_shown = False
        summary = self._masked_data(group_summary(self._workspace.conn, group))
        self._set_html(render_group_html(summary, self._theme()))

    def show_overview(self, diff: Any = None) -> None:
        """The tenant overview (``explorer.analysis.overview``); ``diff`` is the comparison
        with the previous import when there is one."""
        if self._workspace is None:
            self.clear()
            return
        self._ref, self._details, self._group = None, None, None
        self._overview_shown, self._diff = True, diff
        if self._overview is None:
            self._overview = tenant_overview(self._workspace.conn)
        overview = self._masked_data(with_recent_changes(self._overview, diff))
        self._set_html(render_overview_html(overview, self._theme()))

    def forget_overview(self) -> None:
        """What the overview reads changed (objects, findings, events, price): it is read
        again when it is next shown."""
        self._overview = None

    def is_overview_shown(self) -> bool:
        return self._overview_shown

    def set_overview_diff(self, diff: Any) -> None:
        """The diff the overview's "Recent changes" counts; re-rendered when it is shown."""
        self._diff = diff
        if self._overview_shown:
            self.show_overview(diff)

    def current_group(self) -> str | None:
        return self._group

    def set_changes(self, changes: dict[tuple[str, int], Any], since: str) -> None:
        """Show a "Changed since ``since``" section (previous values beside current ones) for
        these objects: ``explorer.analysis.diff.ObjectChange`` by (kind, id)."""
        self._changes, self._changes_since = dict(changes), since
        if self._ref is not None:
            self.refresh()

    def clear(self) -> None:
        """The empty page: nothing selected."""
        self._ref = None
        self._details = None
        self._group = None
        self._overview_shown = False
        self._set_html(render_message_html(
            "Nothing selected", "Choose an object in the tree or search for one.",
            self._theme()))

    def refresh(self) -> None:
        """Re-read and re-render the current object (after an annotation edit or re-import)."""
        self.forget_overview()
        if self._ref is None and self._overview_shown:
            self.show_overview(self._diff)
        elif self._ref is None and self._group is not None:
            self.show_group(self._group)
        elif self._ref is None:
            self.clear()
        else:
            scroll = self.browser.verticalScrollBar().value()
            self.show_object(self._ref)
            self.browser.verticalScrollBar().setValue(scroll)

    def details(self) -> dict[str, Any] | None:
        """The details dict currently shown (None when nothing or a missing object is)."""
        return self._details

    def all_fields_expanded(self) -> bool:
        return self._all_fields_expanded

    def set_all_fields_expanded(self, expanded: bool) -> None:
        """Show or hide the "All fields" table; the choice sticks across objects and runs."""
        self._all_fields_expanded = expanded
        if self._remember_choices:
            app_settings().setValue(_ALL_FIELDS_SETTING, expanded)
        if self._details is not None:
            self._render(keep_scroll=True)

    def set_text_mask(self, mask: Masker | None) -> None:
        """Mask the page and the copies (None: real values). Every page renders data the
        masker's ``mask_data`` masked (as ``show`` and the snapshot do), never real values."""
        self._mask = mask if mask is not None and mask.active else None
        if self._details is not None:
            self._render(keep_scroll=True)
        elif self._ref is not None:
            self.show_object(self._ref)
        elif self._overview_shown:
            self.show_overview(self._diff)
        elif self._group is not None:
            self.show_group(self._group)
        else:
            self.clear()

    def _masked(self, text: str) -> str:
        return self._mask.mask_text(text) if self._mask is not None else text

    def _masked_data(self, data: _Data) -> _Data:
        return data if self._mask is None else self._mask.mask_data(data)

    def plain_text(self) -> str:
        """What the page says, as plain text (tests and "copy all")."""
        return self.browser.toPlainText()

    def _get_current_ref(self) -> ObjectRef | None:
        return self._ref

    current_ref = Property(object, _get_current_ref)

    # -- copying ------------------------------------------------------------------------------
    @Slot()
    def copy_id(self) -> None:
        if self._ref is not None:
            QGuiApplication.clipboard().setText(str(self._ref.id))

    @Slot()
    def copy_name(self) -> None:
        if self._details is not None:
            QGuiApplication.clipboard().setText(self._masked(str(self._details.get("name")
                                                                 or "")))

    @Slot()
    def copy_integration_code(self) -> None:
        code = self._integration_code()
        if code:
            QGuiApplication.clipboard().setText(self._masked(code))

    def _integration_code(self) -> str:
        if self._details is None:
            return ""
        return str(self._details.get("integration_code") or "")

    def _build_copy_bar(self) -> QWidget:
        bar = QWidget(self)
        bar.setObjectName("inspectorCopyBar")
        row = QHBoxLayout(bar)
        row.setContentsMargins(6, 3, 6, 3)
        row.setSpacing(4)
        row.addWidget(QLabel("Copy:", bar))
        self._copy_buttons: dict[str, QToolButton] = {}
        for key, text, slot in (("id", "ID", self.copy_id), ("name", "Name", self.copy_name),
                                ("code", "Integration code", self.copy_integration_code)):
            button = QToolButton(bar)
            button.setText(text)
            button.setAutoRaise(True)
            button.setToolTip(f"Copy the object's {text.lower()} to the clipboard")
            button.clicked.connect(slot)
            row.addWidget(button)
            self._copy_buttons[key] = button
        row.addStretch(1)
        return bar

    def _install_copy_actions(self) -> None:
        # Ctrl+C copies the selection (QTextBrowser does it when it has focus); the context
        # menu adds the object-level copies.
        self.browser.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.browser.customContextMenuRequested.connect(self._show_context_menu)
        copy_selection = QAction("Copy", self)
        copy_selection.setShortcut(QKeySequence.StandardKey.Copy)
        copy_selection.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        copy_selection.triggered.connect(self.browser.copy)
        self.addAction(copy_selection)

    @Slot(QPoint)
    def _show_context_menu(self, position: QPoint) -> None:
        menu = self.browser.createStandardContextMenu(position)
        menu.addSeparator()
        for text, slot, enabled in (
            ("Copy ID", self.copy_id, self._ref is not None),
            ("Copy name", self.copy_name, self._details is not None),
            ("Copy integration code", self.copy_integration_code,
             bool(self._integration_code())),
        ):
            action = menu.addAction(text)
            action.setEnabled(enabled)
            action.triggered.connect(slot)
        menu.exec(self.browser.viewport().mapToGlobal(position))
        menu.deleteLater()

    # -- rendering ----------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        # A light/dark/high-contrast switch changes the palette: re-render in matching colours.
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._details is not None:
            self._render(keep_scroll=True)
        elif event.type() == QEvent.Type.PaletteChange and self._group is not None:
            self.show_group(self._group)

    def _render(self, *, keep_scroll: bool) -> None:
        assert self._details is not None
        scroll = self.browser.verticalScrollBar().value()
        details = self._masked_data(self._details)
        html = render_details_html(details, all_fields_expanded=self._all_fields_expanded,
                                   lists_expanded=self._lists_expanded, theme=self._theme())
        self._set_html(html)
        if keep_scroll:
            self.browser.verticalScrollBar().setValue(scroll)

    def _set_html(self, html: str) -> None:
        self.browser.setHtml(html)
        has_object = self._details is not None
        self._copy_bar.setEnabled(has_object)
        self._copy_buttons["code"].setEnabled(bool(self._integration_code()))
        self.ready.emit()

    def _theme(self) -> Theme:
        app = QGuiApplication.instance()
        if app is not None and app.property("explorerTheme") == "high-contrast":
            return HIGH_CONTRAST
        window = self.palette().color(QPalette.ColorRole.Base)
        return DARK if window.lightness() < 128 else LIGHT

    @Slot(QUrl)
    def _on_anchor_clicked(self, url: QUrl) -> None:
        text = url.toString()
        if text == TOGGLE_ALL_FIELDS_URL:
            self.set_all_fields_expanded(not self._all_fields_expanded)
            return
        if text == EXPAND_LISTS_URL and self._details is not None:
            self._lists_expanded = True
            self._render(keep_scroll=True)
            return
        target = parse_object_url(text)
        if target is not None:
            self.objectLinkActivated.emit(target[0], target[1])
            return
        page = parse_page_url(text)
        if page is None:
            return
        if page[0] == "overview":
            self.show_overview(self._diff)
        elif page[0] == "group":
            self.show_group(page[1])
        else:
            self.pageLinkActivated.emit(page[0], page[1])
        # Anything else (http links inside descriptions, say) is ignored: the app stays offline.


def _change_details(change: Any, since: str) -> dict[str, Any]:
    """An ObjectChange as the ``changes`` entry render_details_html understands."""
    return {"since": since, "status": change.status, "fields": change.fields,
            "moved_from": change.moved_from, "moved_to": change.moved_to}


def _read_bool_setting(key: str) -> bool:
    value = app_settings().value(key, False)
    return value in (True, "true", "1", 1)
