"""Which rows the explorer tree has (``TreeShape``): the node factories, a node's fixed
children (folders, "Traits"/"Segments" under a data source) and where its paged objects come
from, and the path of keys from the root down to any object (what ``index_for`` walks)."""

from __future__ import annotations

from typing import Any

from explorer.kinds import FOLDER_KIND_OF, KINDS, ObjectRef
from explorer.store import tree as q
from explorer.store.workspace import Workspace
from explorer.ui.tree_nodes import (
    FLAT_GROUP_KIND,
    GROUPS,
    KIND_GROUP,
    STORAGE_GROUP,
    Key,
    Node,
    TreeFacts,
    attach,
)


class TreeShape:
    """The rows of one ``WorkspaceTreeModel`` reload: every node made so far (by uid), under
    the model's grouping and options, built from the facts read for that reload."""

    def __init__(self, workspace: Workspace, grouping: str, show_mappings: bool) -> None:
        self._ws = workspace
        self._grouping = grouping
        self._show_mappings = show_mappings
        self.facts = TreeFacts.load(workspace.conn, grouping)
        self.nodes: dict[int, Node] = {}
        self._next_uid = 1

    def new_node(self, parent: Node | None, key: Key, node_type: str, label: str,
                  **kw: Any) -> Node:
        node = Node(self._next_uid, parent, key, node_type, label, **kw)
        self._next_uid += 1
        self.nodes[node.uid] = node
        return node

    def build_root(self) -> Node:
        root = self.new_node(None, ("root",), "group", "")
        groups = ["data-sources"]
        if self._grouping == "storage":
            groups += ["trait-storage", "segment-storage"]
        groups += ["merge-rules", "destinations"]
        groups += [g for g, table in (("algo-models", "algo_models"),
                                      ("derived-signals", "derived_signals"))
                   if self.facts.table_counts[table]]
        attach(root, [self._group_node(root, g) for g in groups])
        return root

    def _group_node(self, root: Node, group: str) -> Node:
        if group in ("trait-storage", "segment-storage"):
            folder_kind = next(fk for fk, g in STORAGE_GROUP.items() if g == group)
            ftree = self.facts.folder_trees[folder_kind]
            count = ftree.total()
            child_total = len(ftree.children.get(None, [])) + len(ftree.missing)
        else:
            table = KINDS[FLAT_GROUP_KIND[group]].table
            count = self.facts.table_counts[table]
            child_total = count
            if group == "data-sources" and self._grouping == "data-source":
                child_total += len(self.facts.missing_data_sources())
        return self.new_node(root, ("group", group), "group", GROUPS[group][0],
                              count=count, child_total=child_total)

    # ----- a node's children ----------------------------------------------------------------
    def static_children(self, node: Node) -> list[Node]:
        kind = node.key[0]
        if kind == "group" and node.key[1] in ("trait-storage", "segment-storage"):
            fk = next(f for f, g in STORAGE_GROUP.items() if g == node.key[1])
            ftree = self.facts.folder_trees[fk]
            top = [self._folder_node(node, ftree, fid) for fid in ftree.children.get(None, [])]
            return top + [self._missing_folder_node(node, ftree, fid) for fid in ftree.missing]
        if kind == "group" and node.key[1] == "data-sources" and self._grouping == "data-source":
            return [self._missing_ds_node(node, ds) for ds in self.facts.missing_data_sources()]
        if kind == "folder":
            ftree = self.facts.folder_trees[node.key[1]]
            return [self._folder_node(node, ftree, fid)
                    for fid in ftree.children.get(node.key[2], [])]
        if self._is_ds_with_kinds(node):
            ds_id = node.key[2] if kind == "object" else node.key[1]
            return [self._ds_kind_node(node, ok, ds_id) for ok in ("trait", "segment")
                    if self.facts.ds_counts[ok].get(ds_id)]
        return []

    def page_source(self, node: Node) -> q.PageSource | None:
        kind = node.key[0]
        if kind == "group" and node.key[1] in FLAT_GROUP_KIND:
            return q.PageSource(FLAT_GROUP_KIND[node.key[1]])
        if kind in ("folder", "missing-folder"):
            return q.PageSource(q.STORAGES[node.key[1]][1], "folder_id", node.key[2])
        if kind == "ds-kind":
            return q.PageSource(node.key[1], "data_source_id", node.key[2])
        if kind == "object" and node.key[1] == "destination" and self._show_mappings:
            return q.PageSource("destination-mapping", "destination_id", node.key[2])
        return None

    def _is_ds_with_kinds(self, node: Node) -> bool:
        if self._grouping != "data-source":
            return False
        return node.key[0] == "missing-ds" or node.key[:2] == ("object", "data-source")

    # ----- node factories -------------------------------------------------------------------
    def _folder_node(self, parent: Node, ftree: q.FolderTree, fid: int) -> Node:
        folder = ftree.folders[fid]
        return self.new_node(
            parent, ("folder", ftree.folder_kind, fid), "folder", folder.name or "(unnamed)",
            count=ftree.subtree_counts.get(fid, 0),
            child_total=len(ftree.children.get(fid, [])) + ftree.direct_counts.get(fid, 0),
            aep=folder.name in q.AEP_FOLDER_NAMES)

    def _missing_folder_node(self, parent: Node, ftree: q.FolderTree, fid: int | None
                             ) -> Node:
        label = "(no folder)" if fid is None else f"(folder missing: {fid})"
        count = ftree.direct_counts.get(fid, 0)
        return self.new_node(
            parent, ("missing-folder", ftree.folder_kind, fid), "folder", label,
            count=count, child_total=count)

    def _missing_ds_node(self, parent: Node, ds_id: int | None) -> Node:
        label = "(no data source)" if ds_id is None else f"(data source missing: {ds_id})"
        count = self.facts.ds_object_count(ds_id)
        return self.new_node(
            parent, ("missing-ds", ds_id), "folder", label, count=count, child_total=count)

    def _ds_kind_node(self, parent: Node, object_kind: str, ds_id: int | None) -> Node:
        count = self.facts.ds_counts[object_kind].get(ds_id, 0)
        return self.new_node(parent, ("ds-kind", object_kind, ds_id), "group",
                              KINDS[object_kind].plural_label, count=count, child_total=count)

    def more_node(self, parent: Node) -> Node:
        return self.new_node(parent, ("more",), "more", "Load more…")

    def object_node(self, parent: Node, row: q.ObjectRow) -> Node:
        child_total, count = 0, None
        if row.kind == "destination" and self._show_mappings:
            child_total = self.facts.mapping_counts.get(row.id, 0)
        elif row.kind == "data-source" and self._grouping == "data-source":
            count = self.facts.ds_object_count(row.id)
            child_total = count
        return self.new_node(
            parent, ("object", row.kind, row.id), "object", row.name or "(unnamed)",
            count=count, child_total=child_total, subtype=row.type,
            data_source_id=row.data_source_id, aep=self._is_aep(row),
            findings=row.findings, annotation=row.annotation)

    def _is_aep(self, row: q.ObjectRow) -> bool:
        if row.kind in ("trait", "segment", "data-source"):
            return row.data_source_id in self.facts.aep_ds
        if row.kind == "merge-rule":
            return q.is_external_merge_rule(row.name, row.extra)
        return False

    # ----- index_for paths ------------------------------------------------------------------
    def chain_for(self, ref: ObjectRef) -> list[Key]:
        """The keys from the root down to the node that shows ``ref`` ([] if not shown)."""
        object_key: Key = ("object", ref.kind, ref.id)
        if ref.kind in KIND_GROUP:
            return [("group", KIND_GROUP[ref.kind]), object_key]
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
            ds_key: Key = (("object", "data-source", ds_id) if ds_id in self.facts.ds_names
                           else ("missing-ds", ds_id))
            return [("group", "data-sources"), ds_key, ("ds-kind", ref.kind, ds_id), object_key]
        folder_kind = FOLDER_KIND_OF[ref.kind]
        return [*self._folder_chain(folder_kind, location["folder_id"]), object_key]

    def _folder_chain(self, folder_kind: str, folder_id: int | None) -> list[Key]:
        ftree = self.facts.folder_trees[folder_kind]
        head: Key = ("group", STORAGE_GROUP[folder_kind])
        if folder_id in ftree.folders:
            return [head, *(("folder", folder_kind, f) for f in ftree.chain(folder_id))]
        if folder_id in ftree.missing:
            return [head, ("missing-folder", folder_kind, folder_id)]
        return []
