"""The parts rebuilt for each workspace: tree model, object list, inspector, findings panel
and the (lazily built) trends panel. A missing sibling module leaves a placeholder."""

from __future__ import annotations

import importlib
from typing import Any

from PySide6.QtWidgets import QFrame, QScrollArea

from explorer.store.workspace import Workspace
from explorer.ui.window.messages import APP_TITLE, log, workspace_summary


def _component(module: str, name: str) -> Any:
    """A component class from a sibling module, or None while that module is not there."""
    try:
        return getattr(importlib.import_module(module), name)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise
        log.warning("%s is not available: %s", module, exc)
        return None


class ComponentsMixin:
    """Installs a workspace into ``MainWindow``: every component gets the new one."""

    workspace: Workspace | None
    tree_model: Any
    object_list: Any
    inspector: Any
    findings_panel: Any
    trends_panel: Any
    _is_ready: bool
    _trends_created: bool
    _listed_target: Any

    def _install_workspace(self, workspace: Workspace) -> None:
        self.workspaceAboutToChange.emit()
        old = self.workspace
        self.workspace = workspace
        self._is_ready = False
        self.history.clear()
        self._update_history_actions()
        self._install_tree(workspace)
        self._install_object_list(workspace)
        self._install_inspector(workspace)
        self._install_findings(workspace)
        self._reset_trends(workspace)
        self.stack.setCurrentWidget(self.main_splitter)
        self.setWindowTitle(f"{workspace.path.stem} — {APP_TITLE}")
        self._status_label.setText(workspace_summary(workspace))
        if self.search_box.text().strip():
            self.search.run_now()
        if old is not None:
            old.close()

    def _install_tree(self, workspace: Workspace) -> None:
        model_class = _component("explorer.ui.tree_model", "WorkspaceTreeModel")
        old_model = self.tree_model
        grouping = "data-source" if self.actions_.group_by_data_source.isChecked() else "storage"
        self.tree_model = model_class(workspace, grouping=grouping, parent=self)
        self.tree.setModel(self.tree_model)
        connect_load_more = _component("explorer.ui.tree_model", "connect_load_more")
        if connect_load_more is not None:
            connect_load_more(self.tree, self.tree_model)
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current)
        if old_model is not None:
            old_model.deleteLater()

    def _install_object_list(self, workspace: Workspace) -> None:
        view_class = _component("explorer.ui.object_list", "ObjectListView")
        if view_class is None:
            self.list_slot.set_placeholder("The object list is not available.")
            self.object_list = None
            return
        self.object_list = view_class(workspace)
        self._listed_target = None
        # Its filter bar asks for ~900 px; the splitter decides the width instead.
        self.object_list.setMinimumWidth(240)
        self.object_list.currentObjectChanged.connect(self._on_list_current)
        self.object_list.objectActivated.connect(self._on_reveal_signal)
        self.list_slot.set_widget(self.object_list)

    def _install_inspector(self, workspace: Workspace) -> None:
        view_class = _component("explorer.ui.inspector", "InspectorView")
        self.inspector = view_class(workspace)
        self.inspector.objectLinkActivated.connect(self._on_reveal_signal)
        self.inspector_slot.set_widget(self.inspector)

    def _install_findings(self, workspace: Workspace) -> None:
        panel_class = _component("explorer.ui.findings", "FindingsPanel")
        if panel_class is None:
            self.findings_panel = None
            self.findings_slot.set_placeholder("The findings panel is not available.")
            return
        self.findings_panel = panel_class(workspace)
        self.findings_panel.objectActivated.connect(self._on_reveal_signal)
        if hasattr(self.findings_panel, "acceptanceChanged"):
            self.findings_panel.acceptanceChanged.connect(self._on_findings_changed)
        self.findings_slot.set_widget(self.findings_panel)

    def _on_findings_changed(self) -> None:
        """An accepted finding changes the tree's badges and the inspector's findings."""
        if self.tree_model is not None and hasattr(self.tree_model, "refresh_marks"):
            self.tree_model.refresh_marks()
        self.inspector.refresh()

    def _reset_trends(self, workspace: Workspace) -> None:
        self.trends_panel = None
        self._trends_created = False
        self.trends_slot.set_placeholder("Loading Target call trends…")
        if self.trends_dock.isVisible() and not self.trends_dock.visibleRegion().isEmpty():
            self._create_trends()

    def _on_trends_visibility(self, visible: bool) -> None:
        if visible and not self._trends_created and self.workspace is not None:
            self._create_trends()

    def _create_trends(self) -> None:
        self._trends_created = True
        panel_class = _component("explorer.ui.trends", "TrendsPanel")
        if panel_class is None:
            self.trends_slot.set_placeholder("Target call trends are not available.")
            return
        self.trends_panel = panel_class(self.workspace)
        # The panel fits a normal dock (~270 px, the plot keeps its date axis in view); only a
        # dock squeezed below that scrolls, rather than raising the window's minimum height.
        scroller = QScrollArea()
        scroller.setObjectName("trendsScroller")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(self.trends_panel)
        self.trends_slot.set_widget(scroller)
        self.workshop.apply_to(self.trends_panel)
