"""Selection, reveal and history: what the tree, list and inspector show, kept in step, and
browser-like back/forward (toolbar, keys and the mouse's side buttons)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractItemView, QWidget

from explorer.kinds import GROUP_OF_KIND, KINDS, ObjectRef
from explorer.ui.common import NODE_TYPE_ROLE, OBJECT_REF_ROLE
from explorer.ui.history import NavigationHistory


class NavigationMixin:
    """``MainWindow``'s current object: reveal it in the tree, list and inspector."""

    history: NavigationHistory[ObjectRef]
    tree_model: Any
    object_list: Any
    inspector: Any
    _record_history: bool
    _listed_target: ObjectRef | str | None
    currentObjectChanged: Signal

    def current_ref(self) -> ObjectRef | None:
        return self.history.current

    def reveal(self, ref: ObjectRef, *, record: bool = True) -> bool:
        """Expand the tree down to ``ref``, select it and show it in the inspector.

        Returns False when the object is not in the tree (it is still inspected)."""
        index = self.tree_model.index_for(ref) if self.tree_model is not None else QModelIndex()
        if not index.isValid():
            # Deleted or not shown: nothing else may stay highlighted as if it were current.
            self._clear_selections()
            self._inspect(ref, record=record)
            return False
        self._expand_to(index)
        self._record_history = record
        try:
            if self.tree.currentIndex() == index:
                self._inspect(ref, record=record)
            else:
                self.tree.setCurrentIndex(index)
        finally:
            self._record_history = True
        self.tree.scrollTo(index, QAbstractItemView.ScrollHint.PositionAtCenter)
        return True

    def _clear_selections(self) -> None:
        selection = self.tree.selectionModel()
        if selection is not None:
            selection.clear()  # selection and current row; the slot ignores the invalid one
        if self.object_list is not None and hasattr(self.object_list, "clear_selection"):
            self.object_list.clear_selection()

    def _expand_to(self, index: QModelIndex) -> None:
        parent = index.parent()
        chain = []
        while parent.isValid():
            chain.append(parent)
            parent = parent.parent()
        for ancestor in reversed(chain):
            self.tree.expand(ancestor)

    def _on_tree_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid() or current.data(NODE_TYPE_ROLE) == "more":
            return
        ref = current.data(OBJECT_REF_ROLE)
        target = self._list_target(current)
        sibling = target is None and ref is not None
        if sibling:
            # A plain object: list its siblings (its folder), so the list never sits empty.
            target = self._list_target(current.parent())
        self._show_in_list(target)
        if sibling and self.object_list is not None and hasattr(self.object_list, "select"):
            self.object_list.select(ref)  # the list highlights what the tree shows
        if ref is not None:
            self._inspect(ref, record=self._record_history)
            return
        if (isinstance(target, str) and not current.parent().isValid()
                and hasattr(self.inspector, "show_group")):
            self.inspector.show_group(target)  # a top-level group: its summary page
        else:
            self.inspector.clear()
        self.currentObjectChanged.emit(None)

    def _list_target(self, index: QModelIndex) -> ObjectRef | str | None:
        """What the list shows for a tree row. Top-level groups the tree model gives no list
        key (Algorithmic models, Derived signals) list the kind of their rows."""
        target = self.tree_model.list_target(index)
        if (target is not None or not index.isValid() or index.parent().isValid()
                or index.data(NODE_TYPE_ROLE) != "group"):
            return target
        if self.tree_model.canFetchMore(index):
            self.tree_model.fetchMore(index)  # a group's rows load on demand
        first = self.tree_model.index(0, 0, index) if self.tree_model.rowCount(index) else None
        ref = first.data(OBJECT_REF_ROLE) if first is not None else None
        return GROUP_OF_KIND.get(ref.kind) if isinstance(ref, ObjectRef) else None

    def _show_in_list(self, target: ObjectRef | str | None) -> None:
        """List ``target``; None clears the list, so it never shows another node's objects."""
        if self.object_list is None or target == self._listed_target:
            return
        self._listed_target = target
        self.object_list.show_node(target)

    def _on_list_current(self, kind: str, object_id: int) -> None:
        self._inspect(ObjectRef(kind, object_id))

    def _on_reveal_signal(self, kind: str, object_id: int) -> None:
        if kind in KINDS:
            self.reveal(ObjectRef(kind, object_id))

    def _inspect(self, ref: ObjectRef, *, record: bool = True) -> None:
        self.inspector.show_object(ref)
        self.currentObjectChanged.emit(ref)
        if record:
            self.history.visit(ref)
        self._update_history_actions()

    def go_back(self) -> None:
        ref = self.history.back()
        if ref is not None:
            self.reveal(ref, record=False)
        self._update_history_actions()

    def go_forward(self) -> None:
        ref = self.history.forward()
        if ref is not None:
            self.reveal(ref, record=False)
        self._update_history_actions()

    def _update_history_actions(self) -> None:
        self.actions_.back.setEnabled(self.history.can_go_back)
        self.actions_.forward.setEnabled(self.history.can_go_forward)

    def _on_grouping_toggled(self, by_data_source: bool) -> None:
        if self.tree_model is None:
            return
        current = self.current_ref()
        self.tree_model.set_grouping("data-source" if by_data_source else "storage")
        if current is not None:
            self.reveal(current, record=False)

    def _owns(self, watched: QObject) -> bool:
        return isinstance(watched, QWidget) and watched.window() is self

    def _mouse_navigation(self, event: QMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.BackButton:
            self.go_back()
            return True
        if event.button() == Qt.MouseButton.ForwardButton:
            self.go_forward()
            return True
        return False
