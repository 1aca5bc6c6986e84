"""The parts rebuilt for each workspace: tree model, object list, inspector, findings panel
and the (lazily built) trends panel. They follow the session: rebuilt when it is replaced,
refreshed from each ``Change`` as their content needs."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QDockWidget, QFrame, QScrollArea

from explorer.store.workspace import Workspace
from explorer.ui.actions import WindowActions
from explorer.ui.findings import FindingsPanel
from explorer.ui.inspector import InspectorView
from explorer.ui.object_list import ObjectListView
from explorer.ui.search import SearchController
from explorer.ui.tree_model import WorkspaceTreeModel, connect_load_more
from explorer.ui.trends import TrendsPanel
from explorer.ui.trends.panel import CHART_AREA_MINIMUM_HEIGHT
from explorer.ui.window.change import Change
from explorer.ui.window.frame import WindowFrame
from explorer.ui.window.session import WorkspaceSession


class Panels(QObject):
    """Owns the per-workspace components and forwards what they ask for: ``objectActivated``
    (show this object), ``listCurrentChanged`` and ``treeCurrentChanged`` (the navigator keeps
    tree, list and inspector in step); writes they make go to the session as a ``Change``."""

    objectActivated = Signal(str, int)  # kind, id
    listCurrentChanged = Signal(str, int)  # kind, id
    treeCurrentChanged = Signal(QModelIndex, QModelIndex)
    installed = Signal()  # the components of a new workspace are in place

    def __init__(self, layout: WindowFrame, session: WorkspaceSession,
                 actions: WindowActions, search: SearchController,
                 parent: QObject | None = None, *, remember_choices: bool = True) -> None:
        super().__init__(parent)
        self._layout = layout
        self._session = session
        self._actions = actions
        self._search = search
        self.tree_model: WorkspaceTreeModel | None = None
        self.object_list: ObjectListView | None = None
        self.inspector: InspectorView | None = None
        self.findings_panel: FindingsPanel | None = None
        self.trends_panel: TrendsPanel | None = None
        self._trends_created = False
        self._remember_choices = remember_choices  # False: scripted screenshots read no QSettings
        layout.set_preferred_height("trends", self._trends_height)
        session.replaced.connect(self._install)
        session.changed.connect(self._on_change)
        layout.trends_dock.visibilityChanged.connect(self._on_trends_visibility)

    def grouping(self) -> str:
        return "data-source" if self._actions.group_by_data_source.isChecked() else "storage"

    # ----- building -----------------------------------------------------------------------
    def _install(self, workspace: Workspace) -> None:
        self._install_tree(workspace)
        self._install_object_list(workspace)
        self._install_inspector(workspace)
        self._install_findings(workspace)
        self._reset_trends()
        self.installed.emit()

    def _install_tree(self, workspace: Workspace) -> None:
        old_model = self.tree_model
        tree = self._layout.tree
        self.tree_model = WorkspaceTreeModel(workspace, grouping=self.grouping(), parent=self)
        tree.setModel(self.tree_model)
        connect_load_more(tree, self.tree_model)
        tree.selectionModel().currentChanged.connect(self.treeCurrentChanged)
        if old_model is not None:
            old_model.deleteLater()

    def _install_object_list(self, workspace: Workspace) -> None:
        self.object_list = ObjectListView(workspace, remember_choices=self._remember_choices)
        self.object_list.setObjectName("objectList")
        # Its filter bar asks for ~900 px; the splitter decides the width instead.
        self.object_list.setMinimumWidth(240)
        self.object_list.currentObjectChanged.connect(self.listCurrentChanged)
        self.object_list.objectActivated.connect(self.objectActivated)
        self._layout.list_slot.set_widget(self.object_list)

    def _install_inspector(self, workspace: Workspace) -> None:
        self.inspector = InspectorView(workspace, remember_choices=self._remember_choices)
        self.inspector.setObjectName("inspector")
        self.inspector.objectLinkActivated.connect(self.objectActivated)
        self.inspector.pageLinkActivated.connect(self.open_page)
        self._layout.inspector_slot.set_widget(self.inspector)
        # The moment a workspace opens is the moment for the tenant at a glance.
        self.inspector.show_overview(self._session.diff)

    def show_overview(self) -> None:
        if self.inspector is not None:
            self.inspector.show_overview(self._session.diff)

    def open_page(self, target: str, argument: str) -> None:
        """A page link of the inspector: the findings panel filtered to one severity
        (``findings``, "error"), or a bottom panel raised (``panel``, "trends"/"changes")."""
        if target == "findings" and self.findings_panel is not None:
            for severity in self.findings_panel.severity_buttons:
                self.findings_panel.set_severity_visible(severity, severity == argument)
            self._raise(self._layout.findings_dock)
        elif target == "panel":
            name = f"{argument}Dock"
            dock = next((d for d in self._layout.docks() if d.objectName() == name), None)
            if dock is not None:
                self._raise(dock)

    @staticmethod
    def _raise(dock: QDockWidget) -> None:
        dock.show()
        dock.raise_()

    def _install_findings(self, workspace: Workspace) -> None:
        self.findings_panel = FindingsPanel(workspace)
        self.findings_panel.setObjectName("findingsPanel")
        self.findings_panel.objectActivated.connect(self.objectActivated)
        self.findings_panel.acceptanceChanged.connect(
            lambda: self._session.notify(Change(findings=True)))
        self._layout.findings_slot.set_widget(self.findings_panel)

    def _reset_trends(self) -> None:
        self.trends_panel = None
        self._trends_created = False
        self._layout.trends_slot.set_placeholder("Loading Target call trends…")
        dock = self._layout.trends_dock
        if dock.isVisible() and not dock.visibleRegion().isEmpty():
            self._create_trends()

    def _on_trends_visibility(self, visible: bool) -> None:
        # pyqtgraph costs ~0.4 s to import: the trends panel is built on first show only.
        if visible and not self._trends_created and self._session.workspace is not None:
            self._create_trends()

    def _create_trends(self) -> None:
        self._trends_created = True
        panel = TrendsPanel(self._session.workspace, remember_choices=self._remember_choices)
        panel.setObjectName("trendsPanel")
        panel.set_text_mask(self._session.masker)
        panel.eventsChanged.connect(lambda: self._session.notify(Change(events=True)))
        panel.priceChanged.connect(lambda _price: self._session.notify(Change(price=True)))
        self.trends_panel = panel
        # The panel fits a normal dock (~270 px, the plot keeps its date axis in view); only a
        # dock squeezed below that scrolls, rather than raising the window's minimum height.
        scroller = QScrollArea()
        scroller.setObjectName("trendsScroller")
        scroller.setWidgetResizable(True)
        scroller.setFrameShape(QFrame.Shape.NoFrame)
        scroller.setWidget(panel)
        self._layout.trends_slot.set_widget(scroller)

    def _trends_height(self) -> int:
        """The trends dock's need: the whole panel at the chart's minimum, nothing scrolled."""
        panel = self.trends_panel
        if panel is None:
            return CHART_AREA_MINIMUM_HEIGHT + 100
        return panel.minimumSizeHint().height() + 4

    # ----- following changes --------------------------------------------------------------
    def _on_change(self, change: Change) -> None:
        model, inspector = self.tree_model, self.inspector
        if model is not None:
            if change.annotations or change.findings:
                model.refresh_marks()
            if change.events:
                model.refresh_target_sharing()  # "Segment storage · Target: shared"
            if change.diff:
                diff = self._session.diff
                model.set_changed(diff.changed_refs() if diff else set())
        if inspector is not None:
            if (change.objects or change.annotations or change.findings or change.events
                    or change.price):
                inspector.forget_overview()  # what its counts and headline read changed
            if change.diff:
                diff = self._session.diff
                inspector.set_changes(diff.object_changes() if diff else {},
                                      diff.from_label if diff else "")
                inspector.set_overview_diff(diff)
            elif change.annotations or change.findings or change.events:
                inspector.refresh()  # its sections: annotation, findings, Target sharing
        if change.masking:
            self._apply_masking()

    def _apply_masking(self) -> None:
        masker = self._session.masker
        for component in (self.tree_model, self.object_list, self.inspector,
                          self.findings_panel, self.trends_panel):
            if component is not None:
                component.set_text_mask(masker)
        self._search.model.set_text_mask(masker)
