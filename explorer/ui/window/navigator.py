"""The window's current object: reveal it in the tree, keep the list and the inspector in
step, and browser-like back/forward (toolbar, keys and the mouse's side buttons)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMainWindow, QWidget

from explorer.kinds import GROUP_OF_KIND, KINDS, ObjectRef
from explorer.ui.actions import WindowActions
from explorer.ui.item_roles import NODE_TYPE_ROLE, OBJECT_REF_ROLE
from explorer.ui.window.frame import WindowFrame
from explorer.ui.window.navigation_history import NavigationHistory
from explorer.ui.window.panels import Panels


class Navigator(QObject):
    """Owns back/forward (``history``), ``reveal`` and the tree ↔ list ↔ inspector sync;
    ``currentObjectChanged`` tells what the inspector shows (None: a group or nothing)."""

    currentObjectChanged = Signal(object)  # ObjectRef | None

    def __init__(self, window: QMainWindow, layout: WindowFrame, panels: Panels,
                 actions: WindowActions) -> None:
        super().__init__(window)
        self._window = window
        self._tree = layout.tree
        self._panels = panels
        self._actions = actions
        self.history: NavigationHistory[ObjectRef] = NavigationHistory()
        self._record_history = True
        self._listed_target: ObjectRef | str | None = None
        app = QApplication.instance()
        if app is not None:  # mouse back/forward buttons anywhere in this window
            app.installEventFilter(self)

    def detach(self) -> None:
        """Stop following the mouse (the window closes)."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def current_ref(self) -> ObjectRef | None:
        return self.history.current

    def reset(self) -> None:
        """Another workspace: no history, nothing listed."""
        self.history.clear()
        self._listed_target = None
        self._update_actions()

    def reveal(self, ref: ObjectRef, *, record: bool = True) -> bool:
        """Expand the tree down to ``ref``, select it and show it in the inspector.

        Returns False when the object is not in the tree (it is still inspected)."""
        model = self._panels.tree_model
        index = model.index_for(ref) if model is not None else QModelIndex()
        if not index.isValid():
            # Deleted or not shown: nothing else may stay highlighted as if it were current.
            self._clear_selections()
            self._inspect(ref, record=record)
            return False
        self.expand_to(index)
        self._record_history = record
        try:
            if self._tree.currentIndex() == index:
                self._inspect(ref, record=record)
            else:
                self._tree.setCurrentIndex(index)
        finally:
            self._record_history = True
        self._tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def show_overview(self) -> None:
        """The tenant overview: nothing stays highlighted as if it were shown."""
        self._clear_selections()
        self._panels.show_overview()
        self.currentObjectChanged.emit(None)

    def reveal_object(self, kind: str, object_id: int) -> None:
        """``reveal`` for the panels' ``(kind, id)`` signals."""
        if kind in KINDS:
            self.reveal(ObjectRef(kind, object_id))

    def inspect_listed(self, kind: str, object_id: int) -> None:
        """The list's current row changed: inspect it (the tree keeps its row)."""
        self._inspect(ObjectRef(kind, object_id))

    def go_back(self) -> None:
        ref = self.history.back()
        if ref is not None:
            self.reveal(ref, record=False)
        self._update_actions()

    def go_forward(self) -> None:
        ref = self.history.forward()
        if ref is not None:
            self.reveal(ref, record=False)
        self._update_actions()

    def regroup(self, by_data_source: bool) -> None:
        model = self._panels.tree_model
        if model is None:
            return
        current = self.current_ref()
        model.set_grouping("data-source" if by_data_source else "storage")
        if current is not None:
            self.reveal(current, record=False)

    def on_tree_current(self, current: QModelIndex, previous: QModelIndex) -> None:
        if not current.isValid() or current.data(NODE_TYPE_ROLE) == "more":
            return
        selection = self._tree.selectionModel()
        if (not previous.isValid() and selection is not None
                and not selection.isSelected(current)):
            return  # the tree took focus and made its first row current: keep the overview
        ref = current.data(OBJECT_REF_ROLE)
        target = self._list_target(current)
        sibling = target is None and ref is not None
        if sibling:
            # A plain object: list its siblings (its folder), so the list never sits empty.
            target = self._list_target(current.parent())
        self._show_in_list(target)
        object_list = self._panels.object_list
        if sibling and object_list is not None:
            object_list.select(ref)  # the list highlights what the tree shows
        if ref is not None:
            self._inspect(ref, record=self._record_history)
            return
        inspector = self._panels.inspector
        if inspector is not None:
            if isinstance(target, str) and not current.parent().isValid():
                inspector.show_group(target)  # a top-level group: its summary page
            else:
                inspector.clear()
        self.currentObjectChanged.emit(None)

    # ----- inside -------------------------------------------------------------------------
    def _clear_selections(self) -> None:
        selection = self._tree.selectionModel()
        if selection is not None:
            selection.clear()  # selection and current row; the slot ignores the invalid one
        if self._panels.object_list is not None:
            self._panels.object_list.clear_selection()

    def expand_to(self, index: QModelIndex) -> None:
        """Expand the tree's rows above ``index`` (not ``index`` itself)."""
        parent = index.parent()
        chain = []
        while parent.isValid():
            chain.append(parent)
            parent = parent.parent()
        for ancestor in reversed(chain):
            self._tree.expand(ancestor)

    def _list_target(self, index: QModelIndex) -> ObjectRef | str | None:
        """What the list shows for a tree row. Top-level groups the tree model gives no list
        key (Algorithmic models, Derived signals) list the kind of their rows."""
        model = self._panels.tree_model
        if model is None:
            return None
        target = model.list_target(index)
        if (target is not None or not index.isValid() or index.parent().isValid()
                or index.data(NODE_TYPE_ROLE) != "group"):
            return target
        if model.canFetchMore(index):
            model.fetchMore(index)  # a group's rows load on demand
        first = model.index(0, 0, index) if model.rowCount(index) else None
        ref = first.data(OBJECT_REF_ROLE) if first is not None else None
        return GROUP_OF_KIND.get(ref.kind) if isinstance(ref, ObjectRef) else None

    def _show_in_list(self, target: ObjectRef | str | None) -> None:
        """List ``target``; None clears the list, so it never shows another node's objects."""
        object_list = self._panels.object_list
        if object_list is None or target == self._listed_target:
            return
        self._listed_target = target
        object_list.show_node(target)

    def _inspect(self, ref: ObjectRef, *, record: bool = True) -> None:
        if self._panels.inspector is not None:
            self._panels.inspector.show_object(ref)
        self.currentObjectChanged.emit(ref)
        if record:
            self.history.visit(ref)
        self._update_actions()

    def _update_actions(self) -> None:
        self._actions.back.setEnabled(self.history.can_go_back)
        self._actions.forward.setEnabled(self.history.can_go_forward)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.MouseButtonPress and isinstance(watched, QWidget)
                and watched.window() is self._window and isinstance(event, QMouseEvent)):
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return False
