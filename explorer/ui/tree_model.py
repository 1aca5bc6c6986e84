"""The explorer tree: a lazy QAbstractItemModel over a workspace.

Structure (grouping "storage"): Data sources, Trait storage (folders -> traits), Segment storage
(folders -> segments), Merge rules, Destinations (-> mappings), and Algorithmic models / Derived
signals when the workspace has any. Grouping "data-source": each data source -> Traits /
Segments of it. Folder structures and counts are read once per reload (cheap aggregates);
objects are read a page at a time when a node is expanded, and a folder bigger than
``page_size`` ends in a "Load more…" row (``load_more``), because QTreeView only calls
``fetchMore`` on scroll for the last parent in the view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QAbstractItemView

from explorer.analysis.sharing import tenant_target_sharing
from explorer.kinds import KINDS, ObjectRef
from explorer.store import tree as q
from explorer.store.workspace import Workspace
from explorer.ui.common import NODE_TYPE_ROLE, OBJECT_REF_ROLE, SORT_ROLE
from explorer.ui.icons import icon_for, trait_type_label

PAGE_SIZE = 2000
# Extra roles of this model (the shared ones live in explorer.ui.common).
MARKS_ROLE = Qt.ItemDataRole.UserRole + 20  # frozenset of "aep", "findings", "annotation",
# "changed" (added, changed or moved since the previous import: set_changed)
GROUP_KEY_ROLE = Qt.ItemDataRole.UserRole + 21  # list group key of a group node, else None

GROUPINGS = ("storage", "data-source")
# Group node key -> (label, ObjectListView group key)
_GROUPS: dict[str, tuple[str, str | None]] = {
    "data-sources": ("Data sources", "data-sources"),
    "trait-storage": ("Trait storage", "traits"),
    "segment-storage": ("Segment storage", "segments"),
    "merge-rules": ("Merge rules", "merge-rules"),
    "destinations": ("Destinations", "destinations"),
    "algo-models": ("Algorithmic models", None),
    "derived-signals": ("Derived signals", None),
}
_FLAT_GROUP_KIND = {"merge-rules": "merge-rule", "destinations": "destination",
                    "algo-models": "algo-model", "derived-signals": "derived-signal",
                    "data-sources": "data-source"}
# Every segment reaches Target when Core Services Shared Audiences is enabled (tenant-wide).
_TARGET_WORDS = {"enabled": "shared", "disabled": "not shared", "unknown": "unknown"}
_KIND_GROUP = {kind: group for group, kind in _FLAT_GROUP_KIND.items()}
_STORAGE_GROUP = {"trait-folder": "trait-storage", "segment-folder": "segment-storage"}

Key = tuple[Any, ...]
_NO_PARENT = QModelIndex()  # the root as a default argument (never mutated)


@dataclass(eq=False)
class _Node:
    """One tree row. ``key`` identifies it among its siblings (see ``_chain_for``)."""

    uid: int
    parent: _Node | None
    key: Key
    node_type: str  # group / folder / object / more
    label: str
    ref: ObjectRef | None = None
    count: int | None = None  # shown in the label
    child_total: int = 0  # > 0 means hasChildren
    row_info: q.ObjectRow | None = None
    aep: bool = False
    row: int = 0
    children: list[_Node] | None = None  # None until fetched
    child_by_key: dict[Key, _Node] = field(default_factory=dict)
    page: q.PageSource | None = None
    page_loaded: int = 0
    page_total: int | None = None  # known once a page came back full


class WorkspaceTreeModel(QAbstractItemModel):
    """Lazy tree over a workspace (the GUI thread's own connection)."""

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
        self._show_ids = show_ids
        self._nodes: dict[int, _Node] = {}
        self._next_uid = 1
        self._text_mask: Callable[[str], str] | None = None  # workshop masking
        self._changed: frozenset[tuple[str, int]] = frozenset()  # (kind, id): set_changed
        self._load_caches()
        self._root = self._build_root()

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
        self._nodes.clear()
        self._load_caches()
        self._root = self._build_root()
        self.endResetModel()

    def set_grouping(self, grouping: str) -> None:
        if grouping not in GROUPINGS:
            raise ValueError(f"grouping must be one of {GROUPINGS}")
        if grouping != self._grouping:
            self._grouping = grouping
            self.reload()

    def set_show_ids(self, show: bool) -> None:
        """Show object ids in the labels ("Viewed Phones (1000001)")."""
        if show != self._show_ids:
            self._show_ids = show
            self._emit_changed_everywhere([Qt.ItemDataRole.DisplayRole])

    def set_text_mask(self, mask: Callable[[str], str] | None) -> None:
        """Mask what rows display and tell (workshop masking); None shows real values."""
        self._text_mask = mask
        self._emit_changed_everywhere([Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole])

    def set_changed(self, refs: set[tuple[str, int]] | frozenset[tuple[str, int]]) -> None:
        """Mark these (kind, id) objects as changed since the previous import."""
        self._changed = frozenset(refs)
        self._emit_changed_everywhere(
            [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, MARKS_ROLE])

    def refresh_marks(self) -> None:
        """Re-read which objects have findings or annotations and repaint their rows."""
        self._findings, self._annotations = q.marked_objects(self._ws.conn)
        self._emit_changed_everywhere(
            [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole, MARKS_ROLE])

    def ref_for(self, index: QModelIndex) -> ObjectRef | None:
        return self._node(index).ref if index.isValid() else None

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
                return _GROUPS[node.key[1]][1]
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
        for key in self._chain_for(ref):
            self._ensure_children(node)
            child = node.child_by_key.get(key)
            if child is None and key[0] == "object":
                child = self._load_pages_until(node, key)
            if child is None:
                return QModelIndex()
            node = child
        return self._index_of(node) if node is not self._root else QModelIndex()

    # ----- Qt model interface -------------------------------------------------------------
    def index(self, row: int, column: int, parent: QModelIndex = _NO_PARENT) -> QModelIndex:
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

    def rowCount(self, parent: QModelIndex = _NO_PARENT) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        children = self._node(parent).children
        return 0 if children is None else len(children)

    def columnCount(self, parent: QModelIndex = _NO_PARENT) -> int:
        return 1

    def hasChildren(self, parent: QModelIndex = _NO_PARENT) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        if node.children is not None:
            return bool(node.children)
        return node.child_total > 0

    def canFetchMore(self, parent: QModelIndex) -> bool:
        if parent.isValid() and parent.column() != 0:
            return False
        node = self._node(parent)
        return node.children is None and node.child_total > 0

    def fetchMore(self, parent: QModelIndex) -> None:
        if self.canFetchMore(parent):
            self._ensure_children(self._node(parent))

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (section == 0 and orientation == Qt.Orientation.Horizontal
                and role == Qt.ItemDataRole.DisplayRole):
            return "Name"
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self._node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return self._masked(self._display(node))
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icon(node)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._masked(self._tooltip(node))
        if role == OBJECT_REF_ROLE:
            return node.ref
        if role == NODE_TYPE_ROLE:
            return node.node_type
        if role == MARKS_ROLE:
            return self._marks(node)
        if role == GROUP_KEY_ROLE:
            return _GROUPS[node.key[1]][1] if node.key[0] == "group" else None
        if role == SORT_ROLE:
            return node.label.casefold()
        return None

    # ----- caches and structure -------------------------------------------------------------
    def _load_caches(self) -> None:
        conn = self._ws.conn
        self._table_counts = {t: q.table_count(conn, t) for t in (
            "data_sources", "traits", "segments", "merge_rules", "destinations",
            "algo_models", "derived_signals", "destination_mappings")}
        self._folder_trees = {fk: q.load_folder_tree(conn, fk) for fk in q.STORAGES}
        self._ds_names = q.data_source_names(conn)
        self._aep_ds = q.aep_data_source_ids(conn)
        self._mapping_counts = q.counts_by(conn, "destination_mappings", "destination_id")
        self._ds_counts = {
            kind: q.counts_by(conn, table, "data_source_id")
            for kind, table in (("trait", "traits"), ("segment", "segments"))
        }
        self._findings, self._annotations = q.marked_objects(conn)
        self._target = tenant_target_sharing(conn)

    def _new_node(self, parent: _Node | None, key: Key, node_type: str, label: str,
                  **kw: Any) -> _Node:
        node = _Node(self._next_uid, parent, key, node_type, label, **kw)
        self._next_uid += 1
        self._nodes[node.uid] = node
        return node

    def _build_root(self) -> _Node:
        root = self._new_node(None, ("root",), "group", "")
        groups = ["data-sources"]
        if self._grouping == "storage":
            groups += ["trait-storage", "segment-storage"]
        groups += ["merge-rules", "destinations"]
        groups += [g for g, table in (("algo-models", "algo_models"),
                                      ("derived-signals", "derived_signals"))
                   if self._table_counts[table]]
        self._attach(root, [self._group_node(root, g) for g in groups])
        return root

    def _group_node(self, root: _Node, group: str) -> _Node:
        if group in ("trait-storage", "segment-storage"):
            folder_kind = next(fk for fk, g in _STORAGE_GROUP.items() if g == group)
            ftree = self._folder_trees[folder_kind]
            count = ftree.total()
            child_total = len(ftree.children.get(None, [])) + len(ftree.missing)
        else:
            table = KINDS[_FLAT_GROUP_KIND[group]].table
            count = self._table_counts[table]
            child_total = count
            if group == "data-sources" and self._grouping == "data-source":
                child_total += len(self._missing_ds())
        return self._new_node(root, ("group", group), "group", _GROUPS[group][0],
                              count=count, child_total=child_total)

    def _missing_ds(self) -> list[int | None]:
        referenced = set(self._ds_counts["trait"]) | set(self._ds_counts["segment"])
        missing = [d for d in referenced if d is None or d not in self._ds_names]
        return sorted(missing, key=lambda d: -1 if d is None else d)

    @staticmethod
    def _attach(parent: _Node, children: list[_Node]) -> None:
        if parent.children is None:
            parent.children = []
        for child in children:
            child.row = len(parent.children)
            parent.children.append(child)
            parent.child_by_key[child.key] = child

    # ----- loading children -----------------------------------------------------------------
    def _ensure_children(self, node: _Node) -> None:
        if node.children is not None:
            return
        static = self._static_children(node)
        node.page = self._page_source(node)
        rows, more = self._read_page(node) if node.page else ([], False)
        new = static + [self._object_node(node, r) for r in rows]
        if more:
            new.append(self._more_node(node))
        if not new:
            node.children = []
            node.child_total = 0
            return
        self.beginInsertRows(self._index_of(node), 0, len(new) - 1)
        self._attach(node, new)
        self.endInsertRows()

    def _read_page(self, node: _Node) -> tuple[list[q.ObjectRow], bool]:
        assert node.page is not None
        rows = q.fetch_page(self._ws.conn, node.page, self._page_size + 1, node.page_loaded)
        more = len(rows) > self._page_size
        rows = rows[: self._page_size]
        node.page_loaded += len(rows)
        if more and node.page_total is None:
            node.page_total = q.count_rows(self._ws.conn, node.page)
        return rows, more

    def _load_next_page(self, node: _Node) -> int:
        if node.children is None or node.page is None:
            return 0
        more_node = node.children[-1] if node.children else None
        if more_node is None or more_node.node_type != "more":
            return 0
        rows, more = self._read_page(node)
        first = more_node.row
        if rows:
            self.beginInsertRows(self._index_of(node), first, first + len(rows) - 1)
            new = [self._object_node(node, r) for r in rows]
            node.children[first:first] = new
            for offset, child in enumerate(new):
                child.row = first + offset
                node.child_by_key[child.key] = child
            more_node.row = first + len(rows)
            self.endInsertRows()
        if not more:
            self.beginRemoveRows(self._index_of(node), more_node.row, more_node.row)
            node.children.pop()
            node.child_by_key.pop(more_node.key, None)
            self._nodes.pop(more_node.uid, None)
            self.endRemoveRows()
        else:
            self.dataChanged.emit(self._index_of(more_node), self._index_of(more_node))
        return len(rows)

    def _load_pages_until(self, node: _Node, key: Key) -> _Node | None:
        """Load pages of ``node`` until the object ``key`` is loaded (if it is listed there)."""
        if node.page is None or node.page.kind != key[1]:
            return None
        position = q.position_of(self._ws.conn, node.page, key[2])
        if position is None:
            return None
        while key not in node.child_by_key and node.page_loaded <= position:
            if not self._load_next_page(node):
                break
        return node.child_by_key.get(key)

    def _static_children(self, node: _Node) -> list[_Node]:
        kind = node.key[0]
        if kind == "group" and node.key[1] in ("trait-storage", "segment-storage"):
            fk = next(f for f, g in _STORAGE_GROUP.items() if g == node.key[1])
            ftree = self._folder_trees[fk]
            top = [self._folder_node(node, ftree, fid) for fid in ftree.children.get(None, [])]
            return top + [self._missing_folder_node(node, ftree, fid) for fid in ftree.missing]
        if kind == "group" and node.key[1] == "data-sources" and self._grouping == "data-source":
            return [self._missing_ds_node(node, ds) for ds in self._missing_ds()]
        if kind == "folder":
            ftree = self._folder_trees[node.key[1]]
            return [self._folder_node(node, ftree, fid)
                    for fid in ftree.children.get(node.key[2], [])]
        if self._is_ds_with_kinds(node):
            ds_id = node.key[2] if kind == "object" else node.key[1]
            return [self._ds_kind_node(node, ok, ds_id) for ok in ("trait", "segment")
                    if self._ds_counts[ok].get(ds_id)]
        return []

    def _page_source(self, node: _Node) -> q.PageSource | None:
        kind = node.key[0]
        if kind == "group" and node.key[1] in _FLAT_GROUP_KIND:
            return q.PageSource(_FLAT_GROUP_KIND[node.key[1]])
        if kind in ("folder", "missing-folder"):
            return q.PageSource(q.STORAGES[node.key[1]][1], "folder_id", node.key[2])
        if kind == "ds-kind":
            return q.PageSource(node.key[1], "data_source_id", node.key[2])
        if kind == "object" and node.key[1] == "destination" and self._show_mappings:
            return q.PageSource("destination-mapping", "destination_id", node.key[2])
        return None

    def _is_ds_with_kinds(self, node: _Node) -> bool:
        if self._grouping != "data-source":
            return False
        return node.key[0] == "missing-ds" or node.key[:2] == ("object", "data-source")

    # ----- node factories -------------------------------------------------------------------
    def _folder_node(self, parent: _Node, ftree: q.FolderTree, fid: int) -> _Node:
        folder = ftree.folders[fid]
        return self._new_node(
            parent, ("folder", ftree.folder_kind, fid), "folder", folder.name or "(unnamed)",
            ref=ObjectRef(ftree.folder_kind, fid), count=ftree.subtree_counts.get(fid, 0),
            child_total=len(ftree.children.get(fid, [])) + ftree.direct_counts.get(fid, 0),
            aep=folder.name in q.AEP_FOLDER_NAMES)

    def _missing_folder_node(self, parent: _Node, ftree: q.FolderTree, fid: int | None
                             ) -> _Node:
        label = "(no folder)" if fid is None else f"(folder missing: {fid})"
        count = ftree.direct_counts.get(fid, 0)
        return self._new_node(
            parent, ("missing-folder", ftree.folder_kind, fid), "folder", label,
            ref=None if fid is None else ObjectRef(ftree.folder_kind, fid),
            count=count, child_total=count)

    def _missing_ds_node(self, parent: _Node, ds_id: int | None) -> _Node:
        label = "(no data source)" if ds_id is None else f"(data source missing: {ds_id})"
        count = sum(self._ds_counts[k].get(ds_id, 0) for k in ("trait", "segment"))
        return self._new_node(
            parent, ("missing-ds", ds_id), "folder", label,
            ref=None if ds_id is None else ObjectRef("data-source", ds_id),
            count=count, child_total=count)

    def _ds_kind_node(self, parent: _Node, object_kind: str, ds_id: int | None) -> _Node:
        count = self._ds_counts[object_kind].get(ds_id, 0)
        return self._new_node(parent, ("ds-kind", object_kind, ds_id), "group",
                              KINDS[object_kind].plural_label, count=count, child_total=count)

    def _more_node(self, parent: _Node) -> _Node:
        return self._new_node(parent, ("more",), "more", "Load more…")

    def _object_node(self, parent: _Node, row: q.ObjectRow) -> _Node:
        child_total, count = 0, None
        if row.kind == "destination" and self._show_mappings:
            child_total = self._mapping_counts.get(row.id, 0)
        elif row.kind == "data-source" and self._grouping == "data-source":
            count = sum(self._ds_counts[k].get(row.id, 0) for k in ("trait", "segment"))
            child_total = count
        return self._new_node(
            parent, ("object", row.kind, row.id), "object", row.name or "(unnamed)",
            ref=ObjectRef(row.kind, row.id), count=count, child_total=child_total,
            row_info=row, aep=self._is_aep(row))

    def _is_aep(self, row: q.ObjectRow) -> bool:
        if row.kind in ("trait", "segment", "data-source"):
            return row.data_source_id in self._aep_ds
        if row.kind == "merge-rule":
            return q.is_external_merge_rule(row.name, row.extra)
        return False

    # ----- index_for paths ------------------------------------------------------------------
    def _chain_for(self, ref: ObjectRef) -> list[Key]:
        """The keys from the root down to the node that shows ``ref`` ([] if not shown)."""
        object_key: Key = ("object", ref.kind, ref.id)
        if ref.kind in _KIND_GROUP:
            return [("group", _KIND_GROUP[ref.kind]), object_key]
        if ref.kind in q.STORAGES:
            return self._folder_chain(ref.kind, ref.id) if self._grouping == "storage" else []
        location = q.object_location(self._ws.conn, ref.kind, ref.id)
        if location is None:
            return []
        if ref.kind == "destination-mapping":
            if not self._show_mappings:
                return []
            return [("group", "destinations"),
                    ("object", "destination", location["destination_id"]), object_key]
        if self._grouping == "data-source":
            ds_id = location["data_source_id"]
            ds_key: Key = (("object", "data-source", ds_id) if ds_id in self._ds_names
                           else ("missing-ds", ds_id))
            return [("group", "data-sources"), ds_key, ("ds-kind", ref.kind, ds_id), object_key]
        folder_kind = q.FOLDER_KIND_OF[ref.kind]
        return [*self._folder_chain(folder_kind, location["folder_id"]), object_key]

    def _folder_chain(self, folder_kind: str, folder_id: int | None) -> list[Key]:
        ftree = self._folder_trees[folder_kind]
        head: Key = ("group", _STORAGE_GROUP[folder_kind])
        if folder_id in ftree.folders:
            return [head, *(("folder", folder_kind, f) for f in ftree.chain(folder_id))]
        if folder_id in ftree.missing:
            return [head, ("missing-folder", folder_kind, folder_id)]
        return []

    # ----- presentation ---------------------------------------------------------------------
    def _display(self, node: _Node) -> str:
        label = node.label
        if node.node_type == "object" and self._show_ids and node.ref:
            label = f"{label} ({node.ref.id})"
        if node.node_type == "more" and node.parent is not None:
            total = node.parent.page_total
            shown = node.parent.page_loaded
            return f"Load more… ({shown:,} of {total:,} shown)" if total else label
        if node.count is not None:
            label = f"{label} ({node.count:,})"
        if node.key == ("group", "segment-storage"):
            label = f"{label} · Target: {_TARGET_WORDS[self._target['shared_audiences']]}"
        return label

    def _masked(self, text: str) -> str:
        return self._text_mask(text) if self._text_mask is not None else text

    def _marks(self, node: _Node) -> frozenset[str]:
        marks = set()
        if node.aep:
            marks.add("aep")
        if node.ref is not None:
            key = (node.ref.kind, node.ref.id)
            if key in self._findings:
                marks.add("findings")
            if key in self._annotations:
                marks.add("annotation")
            if key in self._changed:
                marks.add("changed")
        return frozenset(marks)

    def _icon(self, node: _Node) -> QIcon:
        marks = self._marks(node)
        if node.node_type == "object" and node.ref is not None:
            base = node.ref.kind
        elif node.key[0] in ("missing-folder", "missing-ds"):
            base = "missing-folder"
        else:
            base = node.node_type
        subtype = node.row_info.type if node.row_info else None
        return icon_for(base, subtype, aep="aep" in marks, findings="findings" in marks,
                        annotation="annotation" in marks, changed="changed" in marks)

    def _tooltip(self, node: _Node) -> str:
        lines: list[str] = []
        if node.node_type == "more":
            return f"Load the next {self._page_size:,} objects"
        if node.ref is not None and node.ref.kind in KINDS:
            lines.append(f"{KINDS[node.ref.kind].label} {node.ref.id}")
        else:
            lines.append(node.label)
        info = node.row_info
        if info is not None and info.kind == "trait":
            lines.append(f"Type: {trait_type_label(info.type)}")
        elif info is not None and info.type and info.kind != "segment":
            lines.append(f"Type: {info.type}")
        if info is not None and info.kind in ("trait", "segment", "destination"):
            ds = info.data_source_id
            if ds is not None:
                lines.append(f"Data source: {self._ds_names.get(ds, '(missing)')} ({ds})")
        if node.node_type in ("folder", "group") and node.count is not None:
            lines.append(f"{node.count:,} objects (subfolders included)"
                         if node.node_type == "folder" else f"{node.count:,} objects")
        marks = self._marks(node)
        if "aep" in marks:
            lines.append("Shared with Adobe Experience Platform")
        if "findings" in marks:
            lines.append("Has findings")
        if "annotation" in marks:
            lines.append("Has an annotation")
        if "changed" in marks:
            lines.append("Changed since the previous import")
        if node.key == ("group", "segment-storage") or (info is not None
                                                         and info.kind == "segment"):
            lines.append(self._target_line())
        return "\n".join(lines)

    def _target_line(self) -> str:
        state, since = self._target["shared_audiences"], self._target["shared_audiences_since"]
        if state == "unknown":
            return "Adobe Target: unknown (no Shared Audiences event; when enabled, every " \
                   "segment reaches Target)"
        return f"Adobe Target: {_TARGET_WORDS[state]} (Shared Audiences {state} since {since})"

    # ----- helpers ------------------------------------------------------------------------
    def _node(self, index: QModelIndex | QPersistentModelIndex) -> _Node:
        if not index.isValid():
            return self._root
        return self._nodes[index.internalId()]

    def _index_of(self, node: _Node) -> QModelIndex:
        if node is self._root or node.parent is None:
            return QModelIndex()
        return self.createIndex(node.row, 0, node.uid)

    def _loaded_parents(self) -> Iterator[_Node]:
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
