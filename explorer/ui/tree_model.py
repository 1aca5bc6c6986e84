"""The explorer tree: a lazy QAbstractItemModel over a workspace.

Structure (grouping "storage"): Data sources, Trait storage (folders -> traits), Segment storage
(folders -> segments), Merge rules, Destinations (-> mappings), and Algorithmic models / Derived
signals when the workspace has any. Grouping "data-source": each data source -> Traits /
Segments of it. Folder structures and counts are read once per reload (cheap aggregates);
objects are read a page at a time when a node is expanded, and a folder bigger than
``page_size`` ends in a "Load more…" row (``load_more``), because QTreeView only calls
``fetchMore`` on scroll for the last parent in the view.

This module holds the Qt model and its lazy loading; the rows and the facts they are built
from live in ``tree_nodes``, which rows exist in ``tree_structure``, how they look in
``tree_display``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView

from explorer.analysis.sharing import tenant_target_sharing
from explorer.kinds import ObjectRef
from explorer.masking import TextMask
from explorer.store import tree as q
from explorer.store.workspace import Workspace
from explorer.ui.item_roles import NODE_TYPE_ROLE, OBJECT_REF_ROLE, SORT_ROLE
from explorer.ui.tree_display import TreeRowLook
from explorer.ui.tree_nodes import GROUPINGS, GROUPS, Key, Node, attach
from explorer.ui.tree_structure import TreeShape

__all__ = ["GROUPINGS", "GROUP_KEY_ROLE", "MARKS_ROLE", "PAGE_SIZE", "WorkspaceTreeModel",
           "connect_load_more"]

PAGE_SIZE = 2000
# Extra roles of this model (the shared ones live in explorer.ui.item_roles).
MARKS_ROLE = Qt.ItemDataRole.UserRole + 20  # frozenset of "aep", "findings", "annotation",
# "changed" (added, changed or moved since the previous import: set_changed)
GROUP_KEY_ROLE = Qt.ItemDataRole.UserRole + 21  # list group key of a group node, else None

_NO_PARENT = QModelIndex()  # the root as a default argument (never mutated)
_Index = QModelIndex | QPersistentModelIndex


class WorkspaceTreeModel(QAbstractItemModel):
    """Lazy tree over a workspace (the GUI thread's own connection). Its rows come from a
    ``TreeShape`` (rebuilt on reload), their texts and icons from a ``TreeRowLook``."""

    def __init__(self, workspace: Workspace, *, page_size: int = PAGE_SIZE,
                 grouping: str = "storage", show_mappings: bool = True,
                 show_ids: bool = False, parent: QObject | None = None) -> None:
        super().__init__(parent)
        if grouping not in GROUPINGS:
            raise ValueError(f"grouping must be one of {GROUPINGS}")
        self._ws = workspace
        self._page_size = max(1, page_size)
        self._grouping = grouping
        self._show_mappings = show_mappings
        self._shape = TreeShape(workspace, grouping, show_mappings)
        self._look = TreeRowLook(self._page_size, self._shape.facts, show_ids=show_ids)
        self._root = self._shape.build_root()

    # ----- public API -------------------------------------------------------------------
    @property
    def grouping(self) -> str:
        return self._grouping

    @property
    def page_size(self) -> int:
        return self._page_size

    def reload(self) -> None:
        """Re-read everything (after an import): structure, counts and marks."""
        self.beginResetModel()
        self._shape = TreeShape(self._ws, self._grouping, self._show_mappings)
        self._look.facts = self._shape.facts
        self._root = self._shape.build_root()
        self.endResetModel()

    def set_grouping(self, grouping: str) -> None:
        if grouping not in GROUPINGS:
            raise ValueError(f"grouping must be one of {GROUPINGS}")
        if grouping != self._grouping:
            self._grouping = grouping
            self.reload()

    def set_show_ids(self, show: bool) -> None:
        """Show object ids in the labels ("Viewed Phones (1000001)")."""
        if show != self._look.show_ids:
            self._look.show_ids = show
            self._emit_changed_everywhere([Qt.ItemDataRole.DisplayRole])

    def set_text_mask(self, mask: TextMask | None) -> None:
        """Mask what rows display and tell (workshop masking); None shows real values."""
        self._look.text_mask = mask
        self._emit_changed_everywhere([Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    def set_changed(self, refs: set[tuple[str, int]] | frozenset[tuple[str, int]]) -> None:
        """Mark these (kind, id) objects as changed since the previous import."""
        self._look.changed = frozenset(refs)
        self._emit_changed_everywhere(
            [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, MARKS_ROLE])

    def refresh_marks(self) -> None:
        """Re-read which loaded rows have findings or annotations and repaint them (rows not
        loaded yet get their marks when they are read)."""
        self._read_marks(self._shape.nodes.values())
        self._emit_changed_everywhere(
            [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, MARKS_ROLE])

    def refresh_target_sharing(self) -> None:
        """Re-read the tenant's Target sharing (a settings event was added, edited or
        deleted) and repaint the "Segment storage · Target: …" row."""
        self._shape.facts.target = tenant_target_sharing(self._ws.conn)
        node = self._root.child(("group", "segment-storage"))
        if node is not None:
            index = self._index_of(node)
            self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])

    def built_rows(self) -> int:
        """How many rows have been built so far (they are built as the view asks)."""
        return len(self._shape.nodes)

    def ref_for(self, index: QModelIndex) -> ObjectRef | None:
        return self._node(index).ref if index.isValid() else None

    def name_for(self, index: QModelIndex) -> str:
        """The row's bare name, without counts, ids or "· Target: shared"."""
        return self._node(index).label if index.isValid() else ""

    def node_type(self, index: QModelIndex) -> str | None:
        return self._node(index).node_type if index.isValid() else None

    def list_target(self, index: QModelIndex) -> ObjectRef | str | None:
        """What ObjectListView.show_node should list for this row: a group key for group
        nodes, a ref for folders / data sources / merge rules / destinations, else None."""
        if not index.isValid():
            return None
        node = self._node(index)
        if node.node_type == "group":
            if node.key[0] == "group":
                return GROUPS[node.key[1]][1]
            if node.key[0] == "ds-kind" and node.key[2] is not None:
                return ObjectRef("data-source", node.key[2])
            return None
        if node.ref and node.ref.kind in ("trait-folder", "segment-folder", "data-source",
                                          "merge-rule", "destination"):
            return node.ref
        return None

    def load_more(self, index: QModelIndex) -> int:
        """Load the next page under a "Load more…" row; returns how many objects came."""
        if not index.isValid() or self._node(index).node_type != "more":
            return 0
        parent = self._node(index).parent
        assert parent is not None
        return self._load_next_page(parent)

    def index_for(self, ref: ObjectRef) -> QModelIndex:
        """Reveal an object: load its ancestors (and pages) as needed; invalid if not shown."""
        node = self._root
        for key in self._shape.chain_for(ref):
            self._ensure_children(node)
            child = node.child(key)
            if child is None and key[0] == "object":
                child = self._load_pages_until(node, key)
            if child is None:
                return QModelIndex()
            node = child
        return self._index_of(node) if node is not self._root else QModelIndex()

    # ----- Qt model interface -------------------------------------------------------------
    def index(self, row: int, column: int, parent: _Index = _NO_PARENT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        node = self._node(parent)
        if node.children is None or row >= len(node.children):
            return QModelIndex()
        return self.createIndex(row, 0, node.children[row].uid)

    def parent(self, index: QModelIndex | None = None) -> Any:  # type: ignore[override]
        if index is None:  # QObject.parent()
            return QObject.parent(self)
        if not index.isValid():
            return QModelIndex()
        parent = self._node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row, 0, parent.uid)

    def rowCount(self, parent: _Index = _NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        children = self._node(parent).children
        return 0 if children is None else len(children)

    def columnCount(self, parent: _Index = _NO_PARENT) -> int:
        return 1

    def hasChildren(self, parent: _Index = _NO_PARENT) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        if node.children is not None:
            return bool(node.children)
        return node.child_total > 0

    def canFetchMore(self, parent: _Index) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        return node.children is None and node.child_total > 0

    def fetchMore(self, parent: _Index) -> None:
        if self.canFetchMore(parent):
            self._ensure_children(self._node(parent))

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (section == 0 and orientation == Qt.Orientation.Horizontal
                and role == Qt.ItemDataRole.DisplayRole):
            return "Name"
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._look.masked(self._look.display(node))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._look.icon(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._look.masked(self._look.tooltip(node))
        if role == OBJECT_REF_ROLE:
            return node.ref
        if role == NODE_TYPE_ROLE:
            return node.node_type
        if role == MARKS_ROLE:
            return self._look.marks(node)
        if role == GROUP_KEY_ROLE:
            return GROUPS[node.key[1]][1] if node.key[0] == "group" else None
        if role == SORT_ROLE:
            return node.label.casefold()
        return None

    # ----- loading children -----------------------------------------------------------------
    def _ensure_children(self, node: Node) -> None:
        if node.children is not None:
            return
        static = self._shape.static_children(node)
        self._read_marks(static)  # object rows bring theirs with the page
        node.page = self._shape.page_source(node)
        rows, more = self._read_page(node) if node.page else ([], False)
        new = static + [self._shape.object_node(node, r) for r in rows]
        if more:
            new.append(self._shape.more_node(node))
        if not new:
            node.children = []
            node.child_total = 0
            return
        self.beginInsertRows(self._index_of(node), 0, len(new) - 1)
        attach(node, new)
        self.endInsertRows()

    def _read_page(self, node: Node) -> tuple[list[q.ObjectRow], bool]:
        assert node.page is not None
        rows = q.fetch_page(self._ws.conn, node.page, self._page_size + 1, node.page_loaded)
        more = len(rows) > self._page_size
        rows = rows[: self._page_size]
        node.page_loaded += len(rows)
        if more and node.page_total is None:
            node.page_total = q.count_rows(self._ws.conn, node.page)
        return rows, more

    def _load_next_page(self, node: Node) -> int:
        if node.children is None or node.page is None:
            return 0
        more_node = node.children[-1] if node.children else None
        if more_node is None or more_node.node_type != "more":
            return 0
        rows, more = self._read_page(node)
        first = more_node.row
        if rows:
            self.beginInsertRows(self._index_of(node), first, first + len(rows) - 1)
            new = [self._shape.object_node(node, r) for r in rows]
            node.children[first:first] = new
            assert node.child_by_key is not None  # the "more" row was attached
            for offset, child in enumerate(new):
                child.row = first + offset
                node.child_by_key[child.key] = child
            more_node.row = first + len(rows)
            self.endInsertRows()
        if not more:
            self.beginRemoveRows(self._index_of(node), more_node.row, more_node.row)
            node.children.pop()
            if node.child_by_key is not None:
                node.child_by_key.pop(more_node.key, None)
            self._shape.nodes.pop(more_node.uid, None)
            self.endRemoveRows()
        else:
            self.dataChanged.emit(self._index_of(more_node), self._index_of(more_node))
        return len(rows)

    def _load_pages_until(self, node: Node, key: Key) -> Node | None:
        """Load pages of ``node`` until the object ``key`` is loaded (if it is listed there)."""
        if node.page is None or node.page.kind != key[1]:
            return None
        position = q.position_of(self._ws.conn, node.page, key[2])
        if position is None:
            return None
        while node.child(key) is None and node.page_loaded <= position:
            if not self._load_next_page(node):
                break
        return node.child(key)

    # ----- marks ------------------------------------------------------------------------------
    def _read_marks(self, nodes: Iterable[Node]) -> None:
        """Set the findings / annotation marks of these nodes: one query per kind (per 500
        ids), so the cost follows the rows loaded, never the tenant."""
        by_kind: dict[str, list[tuple[int, Node]]] = {}
        for node in nodes:
            pair = node.kind_and_id()
            if pair is not None:
                by_kind.setdefault(pair[0], []).append((pair[1], node))
        for kind, members in by_kind.items():
            findings, annotated = q.marked_ids(self._ws.conn, kind, (i for i, _ in members))
            for object_id, node in members:
                node.findings = object_id in findings
                node.annotation = object_id in annotated

    # ----- helpers ------------------------------------------------------------------------
    def _node(self, index: QModelIndex | QPersistentModelIndex) -> Node:
        if not index.isValid():
            return self._root
        return self._shape.nodes[index.internalId()]

    def _index_of(self, node: Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node.uid)

    def _loaded_parents(self) -> Iterator[Node]:
        stack = [self._root]
        while stack:
            node = stack.pop()
            if node.children:
                yield node
                stack.extend(node.children)

    def _emit_changed_everywhere(self, roles: list[int]) -> None:
        for parent in self._loaded_parents():
            assert parent.children is not None
            first = self._index_of(parent.children[0])
            last = self._index_of(parent.children[-1])
            self.dataChanged.emit(first, last, roles)


def connect_load_more(view: QAbstractItemView, model: WorkspaceTreeModel) -> None:
    """Make activating (Enter / double-click) a "Load more…" row load the next page."""
    def on_activated(index: QModelIndex) -> None:
        if index.data(NODE_TYPE_ROLE) == "more":
            model.load_more(index)

    view.activated.connect(on_activated)
