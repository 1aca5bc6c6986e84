"""Qt-free queries behind the explorer tree: folder structure, cheap counts, object pages.

The tree shows a few thousand folders at most, so the folder structure of a storage is loaded
whole (one query) and its per-folder object counts come from one ``GROUP BY`` over the indexed
``folder_id``. Objects themselves are only ever read a page at a time, and so are their marks
(open findings, annotation): nothing here reads something for every object of the tenant.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

from explorer.kinds import (
    AEP_DATA_SOURCE_NAME,
    AEP_SEGMENT_FOLDER_NAME,
    AEP_TRAIT_FOLDER_NAME,
    EXTERNAL_MERGE_POLICY_NAME,
    KIND_IN_FOLDER,
    KINDS,
)
from explorer.store.finding_marks import MARKS_ITS_OBJECT
from explorer.store.names import all_names

# Folder kind -> (folder table, object kind, object table)
STORAGES: dict[str, tuple[str, str, str]] = {
    folder: (KINDS[folder].table, kind, KINDS[kind].table)
    for folder, kind in KIND_IN_FOLDER.items()
}
AEP_FOLDER_NAMES = frozenset({AEP_TRAIT_FOLDER_NAME, AEP_SEGMENT_FOLDER_NAME})

# Per kind: the SELECT that yields (id, name, type, data_source_id, extra) for one tree row.
# Names that are NULL or empty sort (and show) as empty strings.
_ROW_SQL: dict[str, str] = {
    "trait": "SELECT id, name, trait_type, data_source_id, NULL AS extra FROM traits t",
    "segment": "SELECT id, name, NULL, data_source_id, merge_rule_id AS extra FROM segments t",
    "data-source": "SELECT id, name, type, id AS ds_id, NULL AS extra FROM data_sources t",
    "merge-rule": "SELECT id, name, cross_device_option, NULL, external AS extra "
                  "FROM merge_rules t",
    "destination": "SELECT id, name, destination_type, data_source_id, NULL AS extra "
                   "FROM destinations t",
    "destination-mapping": (
        "SELECT t.id, COALESCE(NULLIF(s.name, ''), t.name) AS name, t.trait_type, NULL, "
        "t.segment_id AS extra FROM destination_mappings t "
        "LEFT JOIN segments s ON s.id = t.segment_id"
    ),
    "algo-model": "SELECT id, name, status, NULL, NULL AS extra FROM algo_models t",
    "derived-signal": (
        "SELECT id, COALESCE(NULLIF(name, ''), COALESCE(source_key, '') || '=' || "
        "COALESCE(source_value, '') || ' → ' || COALESCE(target_key, '') || '=' || "
        "COALESCE(target_value, '')) AS name, NULL, NULL, NULL AS extra FROM derived_signals t"
    ),
}
# Columns a page of objects may be filtered on (whitelist: they are spliced into SQL).
_FILTER_COLUMNS: dict[str, frozenset[str]] = {
    "trait": frozenset({"folder_id", "data_source_id"}),
    "segment": frozenset({"folder_id", "data_source_id", "merge_rule_id"}),
    "destination-mapping": frozenset({"destination_id"}),
}
_ORDER = "COALESCE(t.name, '') COLLATE NOCASE, t.id"
# Whether the object with id {id} of kind ? has a finding that marks it, and whether it has an
# annotation: probes of idx_findings_object (object_kind, object_id) with the acceptances'
# primary key, and of the annotations' primary key (kind, object_id).
_OPEN_FINDING = ("EXISTS (SELECT 1 FROM findings f WHERE f.object_kind = ? "
                 f"AND f.object_id = {{id}} AND {MARKS_ITS_OBJECT})")
_ANNOTATED = "EXISTS (SELECT 1 FROM annotations n WHERE n.kind = ? AND n.object_id = {id})"
_IDS_PER_QUERY = 500  # well under SQLite's host-parameter limit on every build


@dataclass(frozen=True, slots=True)
class ObjectRow:
    """One object as the tree shows it, with its marks as read with the page."""

    kind: str
    id: int
    name: str
    type: str | None
    data_source_id: int | None
    extra: int | None  # segment: merge rule id; mapping: segment id; merge rule: external
    findings: bool = False  # has an open (not accepted) error or warning finding
    annotation: bool = False


@dataclass(frozen=True)
class PageSource:
    """Which objects a paged tree node lists: all of a kind, or those where column = value."""

    kind: str
    column: str | None = None
    value: int | None = None  # None with a column means "column IS NULL"

    def where(self) -> tuple[str, tuple[int, ...]]:
        if self.column is None:
            return "", ()
        if self.column not in _FILTER_COLUMNS.get(self.kind, frozenset()):
            raise ValueError(f"cannot filter {self.kind} on {self.column!r}")
        if self.value is None:
            return f" WHERE t.{self.column} IS NULL", ()
        return f" WHERE t.{self.column} = ?", (self.value,)


@dataclass(frozen=True, slots=True)
class Folder:
    id: int
    parent_id: int | None
    name: str


@dataclass
class FolderTree:
    """The whole folder structure of one storage, with object counts per folder."""

    folder_kind: str
    object_kind: str
    folders: dict[int, Folder]
    children: dict[int | None, list[int]]  # None = top level; each list sorted by name
    direct_counts: dict[int | None, int]  # objects per folder_id as stored (missing ids too)
    subtree_counts: dict[int, int] = field(default_factory=dict)
    missing: list[int | None] = field(default_factory=list)  # referenced, not in the export

    def total(self) -> int:
        return sum(self.direct_counts.values())

    def chain(self, folder_id: int) -> list[int]:
        """Folder ids from the top level down to ``folder_id`` (as the tree places them)."""
        path: list[int] = []
        current: int | None = folder_id
        while current is not None and current in self.folders and current not in path:
            path.append(current)
            parent = self.folders[current].parent_id
            current = parent if self._placed_under(current, parent) else None
        return list(reversed(path))

    def _placed_under(self, folder_id: int, parent: int | None) -> bool:
        return parent is not None and folder_id in self.children.get(parent, [])


def load_folder_tree(conn: sqlite3.Connection, folder_kind: str) -> FolderTree:
    """Read every folder of a storage and count objects per folder (one GROUP BY)."""
    folder_table, object_kind, object_table = STORAGES[folder_kind]
    folders = {
        r[0]: Folder(r[0], r[1] or None, r[2] or "")
        for r in conn.execute(f"SELECT id, parent_id, name FROM {folder_table}")
    }
    direct = {
        r[0]: r[1]
        for r in conn.execute(
            f"SELECT folder_id, count(*) FROM {object_table} GROUP BY folder_id"
        )
    }
    tree = FolderTree(folder_kind, object_kind, folders, _place_folders(folders), direct)
    tree.subtree_counts = _subtree_counts(tree)
    tree.missing = sorted(
        (fid for fid in direct if fid is None or fid not in folders),
        key=lambda fid: -1 if fid is None else fid,
    )
    return tree


def _place_folders(folders: dict[int, Folder]) -> dict[int | None, list[int]]:
    """Children per parent. Folders whose parent is missing (or in a cycle) go to the top."""
    children: dict[int | None, list[int]] = {}
    for folder in folders.values():
        parent = folder.parent_id if folder.parent_id in folders else None
        children.setdefault(parent, []).append(folder.id)
    reachable = _reachable(children)
    for fid in folders:
        if fid not in reachable:  # part of a parent cycle: nothing may stay hidden
            parent = folders[fid].parent_id
            if parent in children:
                children[parent] = [c for c in children[parent] if c != fid]
            children.setdefault(None, []).append(fid)
            reachable |= _reachable(children)
    for ids in children.values():
        ids.sort(key=lambda fid: (folders[fid].name.casefold(), fid))
    return children


def _reachable(children: dict[int | None, list[int]]) -> set[int]:
    seen: set[int] = set()
    stack = list(children.get(None, []))
    while stack:
        fid = stack.pop()
        if fid not in seen:
            seen.add(fid)
            stack.extend(children.get(fid, []))
    return seen


def _subtree_counts(tree: FolderTree) -> dict[int, int]:
    """Objects per folder including its subfolders (iterative: no recursion-depth limit)."""
    order: list[int] = []
    stack = list(tree.children.get(None, []))
    while stack:
        fid = stack.pop()
        order.append(fid)
        stack.extend(tree.children.get(fid, []))
    counts: dict[int, int] = {}
    for fid in reversed(order):  # children always come after their parent in `order`
        counts[fid] = tree.direct_counts.get(fid, 0) + sum(
            counts[child] for child in tree.children.get(fid, []))
    return counts


def count_rows(conn: sqlite3.Connection, source: PageSource) -> int:
    table_sql = _ROW_SQL[source.kind]
    where, params = source.where()
    return conn.execute(f"SELECT count(*) FROM ({table_sql}{where})", params).fetchone()[0]


def fetch_page(conn: sqlite3.Connection, source: PageSource, limit: int, offset: int
               ) -> list[ObjectRow]:
    """One page of objects, ordered by name (case-insensitive), then id, with their marks."""
    where, params = source.where()
    # Sort outside the row SQL so the order is by the name shown (mappings: the segment's).
    page = f"SELECT * FROM ({_ROW_SQL[source.kind]}{where}) t ORDER BY {_ORDER} LIMIT ? OFFSET ?"
    # The page is a co-routine of the outer query, so the marks are probed for the rows of
    # this page only, not for every row the page was sorted from.
    marks = f"{_OPEN_FINDING.format(id='p.id')}, {_ANNOTATED.format(id='p.id')}"
    sql = f"SELECT p.*, {marks} FROM ({page}) p ORDER BY {_ORDER.replace('t.', 'p.')}"
    rows = conn.execute(sql, (source.kind, source.kind, *params, limit, offset))
    shared: dict[int, int] = {}  # one int object per data source id, not one per row
    return [
        ObjectRow(source.kind, r[0], r[1] or "", _shared_text(r[2]),
                  None if r[3] is None else shared.setdefault(r[3], r[3]), r[4],
                  bool(r[5]), bool(r[6]))
        for r in rows
    ]


def _shared_text(value: str | None) -> str | None:
    """Types repeat across rows (RULE_BASED_TRAIT…): keep one string object per value."""
    return sys.intern(value) if isinstance(value, str) else value


def marked_ids(conn: sqlite3.Connection, kind: str, ids: Iterable[int]
               ) -> tuple[set[int], set[int]]:
    """Which of these objects of one kind have a finding that marks them (``MARKS_ITS_OBJECT``:
    open, a warning or worse), and which an annotation."""
    wanted = sorted(set(ids))
    findings: set[int] = set()
    annotated: set[int] = set()
    for start in range(0, len(wanted), _IDS_PER_QUERY):
        chunk = wanted[start:start + _IDS_PER_QUERY]
        places = ", ".join("?" * len(chunk))
        findings.update(r[0] for r in conn.execute(
            "SELECT DISTINCT f.object_id FROM findings f WHERE f.object_kind = ? "
            f"AND f.object_id IN ({places}) AND {MARKS_ITS_OBJECT}",
            (kind, *chunk)))
        annotated.update(r[0] for r in conn.execute(
            "SELECT object_id FROM annotations WHERE kind = ? "
            f"AND object_id IN ({places})", (kind, *chunk)))
    return findings, annotated


def position_of(conn: sqlite3.Connection, source: PageSource, object_id: int) -> int | None:
    """The 0-based position of an object in ``fetch_page`` order, or None if not listed."""
    where, params = source.where()
    rows = list(conn.execute(
        f"SELECT COALESCE(t.name, '') AS n FROM ({_ROW_SQL[source.kind]}{where}) t "
        "WHERE t.id = ?", (*params, object_id),
    ))
    if not rows:
        return None
    name = rows[0][0]
    before = conn.execute(
        f"SELECT count(*) FROM ({_ROW_SQL[source.kind]}{where}) t "
        "WHERE COALESCE(t.name, '') < ? COLLATE NOCASE "
        "OR (COALESCE(t.name, '') = ? COLLATE NOCASE AND t.id < ?)",
        (*params, name, name, object_id),
    ).fetchone()[0]
    return int(before)


def object_location(conn: sqlite3.Connection, kind: str, object_id: int
                    ) -> dict[str, int | None] | None:
    """The columns the tree places an object by (folder, data source, destination)."""
    columns = {
        "trait": "folder_id, data_source_id",
        "segment": "folder_id, data_source_id",
        "destination-mapping": "destination_id",
    }.get(kind)
    if columns is None:
        return None
    row = conn.execute(f"SELECT {columns} FROM {KINDS[kind].table} WHERE id = ?",
                       (object_id,)).fetchone()
    return None if row is None else dict(row)


def table_count(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def counts_by(conn: sqlite3.Connection, table: str, column: str) -> dict[int | None, int]:
    """Rows per value of an indexed column (one aggregate query)."""
    return {
        r[0]: r[1]
        for r in conn.execute(f"SELECT {column}, count(*) FROM {table} GROUP BY {column}")
    }


def data_source_names(conn: sqlite3.Connection) -> dict[int, str]:
    return {ds_id: name or "" for ds_id, name in all_names(conn, "data-source").items()}


def aep_data_source_ids(conn: sqlite3.Connection) -> set[int]:
    rows = conn.execute("SELECT id FROM data_sources WHERE name = ?", (AEP_DATA_SOURCE_NAME,))
    return {r[0] for r in rows}


def is_external_merge_rule(name: str, external: int | None) -> bool:
    return bool(external) or name == EXTERNAL_MERGE_POLICY_NAME
