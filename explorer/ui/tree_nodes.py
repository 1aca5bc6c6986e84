"""What the explorer tree is made of: its rows (``Node``), the top-level groups, and the
workspace facts read once per reload to build it (cheap aggregates: counts, folder trees,
data source names; marks are read with the rows, never tenant-wide). Qt-free;
``tree_model.WorkspaceTreeModel`` builds on these."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

from explorer.analysis.sharing import tenant_target_sharing
from explorer.kinds import FOLDER_KIND_OF, GROUP_KEYS, ObjectRef
from explorer.store import tree as q

GROUPINGS = ("storage", "data-source")
# Group node key -> (label, ObjectListView group key)
GROUPS: dict[str, tuple[str, str | None]] = {
    "data-sources": ("Data sources", "data-sources"),
    "trait-storage": ("Trait storage", "traits"),
    "segment-storage": ("Segment storage", "segments"),
    "merge-rules": ("Merge rules", "merge-rules"),
    "destinations": ("Destinations", "destinations"),
    "algo-models": ("Algorithmic models", None),
    "derived-signals": ("Derived signals", None),
}
# The groups that list their objects without folders (the others are storages).
FLAT_GROUP_KIND = {group: kind for group, kind in GROUP_KEYS.items() if kind not in FOLDER_KIND_OF}
KIND_GROUP = {kind: group for group, kind in FLAT_GROUP_KIND.items()}
STORAGE_GROUP = {"trait-folder": "trait-storage", "segment-folder": "segment-storage"}

Key = tuple[Any, ...]


@dataclass(eq=False, slots=True)
class Node:
    """One tree row. ``key`` identifies it among its siblings (see ``_chain_for``).

    A large tree holds tens of thousands of these, so a node keeps only what differs per row
    (slots, no per-node dict until it has children; its ObjectRef is derived from ``key``)."""

    uid: int
    parent: Node | None
    key: Key
    node_type: str  # group / folder / object / more
    label: str
    count: int | None = None  # shown in the label
    child_total: int = 0  # > 0 means hasChildren
    subtype: str | None = None  # object rows: trait type, destination type, …
    data_source_id: int | None = None  # object rows: as stored
    aep: bool = False
    findings: bool = False  # has an open (not accepted) finding
    annotation: bool = False
    row: int = 0
    children: list[Node] | None = None  # None until fetched
    child_by_key: dict[Key, Node] | None = None  # created with the first children
    page: q.PageSource | None = None
    page_loaded: int = 0
    page_total: int | None = None  # known once a page came back full

    def kind_and_id(self) -> tuple[str, int] | None:
        """The (kind, id) of the object this row shows, or None (groups, "Load more…")."""
        tag = self.key[0]
        if tag in ("object", "folder", "missing-folder"):
            return None if self.key[2] is None else (self.key[1], self.key[2])
        if tag == "missing-ds" and self.key[1] is not None:
            return ("data-source", self.key[1])
        return None

    @property
    def ref(self) -> ObjectRef | None:
        pair = self.kind_and_id()
        return None if pair is None else ObjectRef(*pair)

    def child(self, key: Key) -> Node | None:
        return None if self.child_by_key is None else self.child_by_key.get(key)


def attach(parent: Node, children: list[Node]) -> None:
    """Append ``children`` to ``parent`` (rows and the by-key lookup follow)."""
    if parent.children is None:
        parent.children = []
    if parent.child_by_key is None:
        parent.child_by_key = {}
    for child in children:
        child.row = len(parent.children)
        parent.children.append(child)
        parent.child_by_key[child.key] = child


@dataclass
class TreeFacts:
    """Everything the tree's structure, labels and marks need, read in one go per reload."""

    table_counts: dict[str, int]
    folder_trees: dict[str, q.FolderTree]
    ds_names: dict[int, str]
    aep_ds: set[int]
    mapping_counts: dict[int | None, int]
    # "trait" / "segment" -> data source -> n; only the data-source grouping shows these, so
    # the other grouping skips their two GROUP BYs over every trait and segment (empty then)
    ds_counts: dict[str, dict[int | None, int]]
    target: dict[str, Any]  # tenant-wide Target sharing (Shared Audiences)

    @classmethod
    def load(cls, conn: sqlite3.Connection, grouping: str = "storage") -> TreeFacts:
        return cls(
            table_counts={t: q.table_count(conn, t) for t in (
                "data_sources", "traits", "segments", "merge_rules", "destinations",
                "algo_models", "derived_signals", "destination_mappings")},
            folder_trees={fk: q.load_folder_tree(conn, fk) for fk in q.STORAGES},
            ds_names=q.data_source_names(conn),
            aep_ds=q.aep_data_source_ids(conn),
            mapping_counts=q.counts_by(conn, "destination_mappings", "destination_id"),
            ds_counts={kind: q.counts_by(conn, table, "data_source_id")
                       if grouping == "data-source" else {}
                       for kind, table in (("trait", "traits"), ("segment", "segments"))},
            target=tenant_target_sharing(conn),
        )

    def missing_data_sources(self) -> list[int | None]:
        """Data source ids that traits or segments name but the export does not have."""
        referenced = set(self.ds_counts["trait"]) | set(self.ds_counts["segment"])
        missing = [d for d in referenced if d is None or d not in self.ds_names]
        return sorted(missing, key=lambda d: -1 if d is None else d)

    def ds_object_count(self, ds_id: int | None) -> int:
        """Traits plus segments of one data source."""
        return sum(self.ds_counts[k].get(ds_id, 0) for k in ("trait", "segment"))
