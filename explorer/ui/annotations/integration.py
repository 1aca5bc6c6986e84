"""Wires annotations into the main window: the editor under the inspector, the Annotations
dock, Edit > Undo/Redo, and the refreshes an edit triggers (inspector, tree marks, panel).

Kept apart from ``main_window.py``: it follows the window's session (``aboutToChange``,
``opened``, ``changed``) and navigator (``currentObjectChanged``); an edit is announced once
as ``Change(annotations=True)`` and every view refreshes itself from it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QFrame, QMainWindow, QMenu, QScrollArea

from explorer.kinds import ObjectRef
from explorer.ui.annotations.editor import AnnotationEditor
from explorer.ui.annotations.panel import AnnotationsPanel
from explorer.ui.window.change import Change

if TYPE_CHECKING:
    from explorer.ui.window.services import WindowServices


class AnnotationsIntegration(QObject):
    def __init__(self, window: WindowServices) -> None:
        super().__init__(window.main_window())
        self.session = window.session
        self.undo_stack = QUndoStack(self)
        self.editor = AnnotationEditor(None, self.undo_stack)
        self.editor.setObjectName("annotationEditor")
        self.panel = AnnotationsPanel(None)
        self.panel.setObjectName("annotationsPanel")
        # In a scroll area so the editor never raises the window's minimum height.
        self.editor_area = QScrollArea()
        self.editor_area.setObjectName("annotationEditorArea")
        self.editor_area.setWidgetResizable(True)
        self.editor_area.setFrameShape(QFrame.Shape.NoFrame)
        self.editor_area.setWidget(self.editor)
        self.editor_area.setMinimumHeight(24)  # an explicit minimum overrides the size hint
        window.frame.content_splitter.addWidget(self.editor_area)
        window.frame.content_splitter.setStretchFactor(2, 0)
        self.dock = window.frame.add_panel_dock("Annotations", "annotationsDock", self.panel)
        frame = window.frame
        self.editor.expandedChanged.connect(lambda _expanded: frame.fit_region(self.editor_area))
        self.show_editor = QAction("&Note editor", self)
        self.show_editor.setObjectName("showNoteEditorAction")
        self.show_editor.setCheckable(True)
        self.show_editor.setChecked(True)
        self.show_editor.setToolTip("Show the note editor under the inspector")
        self.show_editor.toggled.connect(self._show_editor)
        frame.add_view_toggle(self.dock.toggleViewAction())
        frame.add_view_toggle(self.show_editor)
        self._frame = frame
        self.edit_menu = self._add_edit_menu(window.main_window())
        self.editor.annotationChanged.connect(
            lambda *_: self.session.notify(Change(annotations=True)))
        self.panel.objectActivated.connect(window.navigator.reveal_object)
        self.session.aboutToChange.connect(self._before_workspace_change)
        self.session.opened.connect(self._after_workspace_opened)
        self.session.changed.connect(self._on_change)
        window.navigator.currentObjectChanged.connect(self._on_current_object)

    def _add_edit_menu(self, window: QMainWindow) -> QMenu:
        menu = QMenu("&Edit", window)
        menu.setObjectName("editMenu")
        self.undo_action = self.undo_stack.createUndoAction(window, "&Undo")
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(window, "&Redo")
        self.redo_action.setShortcut(QKeySequence.StandardKey.Redo)
        menu.addAction(self.undo_action)
        menu.addAction(self.redo_action)
        menus = [a for a in window.menuBar().actions() if a.menu() is not None]
        before = menus[1] if len(menus) > 1 else None  # right after File
        window.menuBar().insertMenu(before, menu) if before else window.menuBar().addMenu(menu)
        return menu

    def _show_editor(self, shown: bool) -> None:
        if not shown:
            self.editor.save_pending()
        self.editor_area.setVisible(shown)
        self._frame.fit_region(self.editor_area)

    def _before_workspace_change(self) -> None:
        # Commands hold the old connection: save what is typed, then forget them.
        self.editor.save_pending()
        self.undo_stack.clear()
        self.editor.set_workspace(None)
        self.panel.set_workspace(None)

    def _after_workspace_opened(self, _path: str) -> None:
        workspace = self.session.workspace
        self.editor.set_workspace(workspace)
        self.editor.set_read_only(self.session.read_only)
        self.panel.set_workspace(workspace)

    def _on_current_object(self, ref: ObjectRef | None) -> None:
        self.editor.set_object(ref)

    def _on_change(self, change: Change) -> None:
        if change.annotations:
            self.panel.reload()
        if change.masking:
            masker = self.session.masker
            self.panel.set_text_mask(masker)
            self.editor.set_text_mask(masker)
