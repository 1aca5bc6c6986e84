"""Wires annotations into the main window: the editor under the inspector, the Annotations
dock, Edit > Undo/Redo, and the refreshes an edit triggers (inspector, tree marks, panel).

Kept apart from ``main_window.py`` so the window only has to say when the workspace and the
current object change (its ``workspaceAboutToChange``, ``workspaceOpened`` and
``currentObjectChanged`` signals).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QFrame, QMainWindow, QMenu, QScrollArea

from explorer.kinds import ObjectRef
from explorer.ui.annotations.editor import AnnotationEditor
from explorer.ui.annotations.panel import AnnotationsPanel


class AnnotationsIntegration(QObject):
    def __init__(self, window: Any) -> None:
        super().__init__(window)
        self.window = window
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
        window.content_splitter.addWidget(self.editor_area)
        window.content_splitter.setStretchFactor(2, 0)
        self.dock = window.add_panel_dock("Annotations", "annotationsDock", self.panel)
        self.edit_menu = self._add_edit_menu(window)
        self.editor.annotationChanged.connect(self._on_annotation_changed)
        self.panel.objectActivated.connect(window._on_reveal_signal)
        window.workspaceAboutToChange.connect(self._before_workspace_change)
        window.workspaceOpened.connect(self._after_workspace_opened)
        window.currentObjectChanged.connect(self._on_current_object)

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

    def _before_workspace_change(self) -> None:
        # Commands hold the old connection: save what is typed, then forget them.
        self.editor.save_pending()
        self.undo_stack.clear()
        self.editor.set_workspace(None)
        self.panel.set_workspace(None)

    def _after_workspace_opened(self, _path: str) -> None:
        workspace = self.window.workspace
        self.editor.set_workspace(workspace)
        self.editor.set_read_only(bool(getattr(self.window, "read_only", False)))
        self.panel.set_workspace(workspace)

    def _on_current_object(self, ref: ObjectRef | None) -> None:
        self.editor.set_object(ref)

    def _on_annotation_changed(self, _kind: str, _object_id: int) -> None:
        window = self.window
        if getattr(window, "inspector", None) is not None:
            window.inspector.refresh()
        if window.tree_model is not None:
            window.tree_model.refresh_marks()
        self.panel.reload()
