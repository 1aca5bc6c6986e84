"""Lineage: where an object's data comes from and where it goes, as a small directed graph.

Edges point the way data flows: ``aep-segment → trait``, ``data-source → trait → segment →
destination`` (one edge per destination mapping, carrying ``mapping_id``) and ``segment →
target`` (Core Services Shared Audiences). Every edge carries a state; a mapping's state comes
from ``explorer.analysis.mapping_status`` (the one answer to it), the Target edge's from the
tenant's last Shared Audiences event on or before the export date.

From the object asked about, the graph follows data upstream (what feeds it) and downstream
(what it feeds), never sideways: a trait's lineage shows the segments using it and where they
go, not those segments' other traits. Data sources and folders hold thousands of objects: their
lineage is a summary (counts by kind and status, the largest few by population) instead. A
fan-out of more than ``FANOUT_LIMIT`` nodes of one kind becomes one counted ``more`` node,
which a caller can ``expand``.
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from explorer.analysis.mapping_status import MappingState, mapping_state
from explorer.domain.gaps import ExportPart
from explorer.domain.segment_rule import (
    And,
    Frequency,
    Node,
    Not,
    RuleSyntaxError,
    TraitRef,
    parse_segment_rule,
)
from explorer.kinds import AEP_DATA_SOURCE_NAME, KINDS
from explorer.store import usage_events as history
from explorer.store.gaps import missing_parts
from explorer.store.names import lookup_name
from explorer.store.queries import latest_export_date
from explorer.store.stored_records import field_sql, stores_remainder

FANOUT_LIMIT = 50
SUMMARY_TOP = 5
POPULATION_SCAN_LIMIT = 5_000

TARGET_KEY = "target:adobe-target"
NOT_CHECKED = MappingState.NOT_CHECKED.value
ACTIVE = MappingState.ACTIVE.value
PAUSED = MappingState.PAUSED.value
MISSING = MappingState.MISSING.value

# Kinds that are not AAM object kinds but appear in the graph.
EXTRA_KINDS = ("target", "aep-segment", "more")
# Left to right: the order data flows in. A ``more`` node sits in the column of its ``of``.
COLUMN_ORDER = ("aep-segment", "algo-model", "data-source", "trait-folder", "trait",
                "merge-rule", "segment-folder", "segment", "destination", "target",
                "derived-signal")
_INACTIVE = {"inactive", "paused", "deleted", "disabled"}
_SUMMARISED = ("data-source", "trait-folder", "segment-folder")


@dataclass
class LineageNode:
    kind: str
    id: int | str
    name: str | None
    status: str | None = None
    folder: str | None = None  # the folder path of a trait or segment
    missing: bool = False  # referenced, but not in the export
    of: str | None = None  # a ``more`` node: the kind it stands for
    count: int | None = None  # a ``more`` node: how many it stands for
    parent: str | None = None  # a ``more`` node: the node whose fan-out it collapses
    summary: dict[str, Any] | None = None  # a data source or folder: what it holds

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def column(self) -> str:
        if self.kind == "more" and self.of:
            return self.of
        # Target receives segments as destinations do: one column keeps the flow short.
        return "destination" if self.kind == "target" else self.kind

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"kind": self.kind, "id": self.id, "name": self.name}
        for name in ("status", "folder", "of", "count", "summary"):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.missing:
            data["missing"] = True
        return data


@dataclass
class LineageEdge:
    source: str  # "KIND:ID"
    target: str
    state: str
    mapping_id: int | None = None  # a destination mapping (segment → destination)
    position: str | None = None  # where a trait sits in the segment rule
    states: dict[str, int] | None = None  # an edge to a ``more`` node: states it stands for

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"from": self.source, "to": self.target, "state": self.state}
        if self.mapping_id is not None:
            data["mapping_id"] = self.mapping_id
        if self.position is not None:
            data["position"] = self.position
        if self.states is not None:
            data["states"] = self.states
        return data


@dataclass
class Lineage:
    root: str
    nodes: dict[str, LineageNode] = field(default_factory=dict)
    edges: list[LineageEdge] = field(default_factory=list)
    export_date: str | None = None
    target_sharing: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {"root": self.root, "export_date": self.export_date,
                "target_sharing": self.target_sharing, "notes": self.notes,
                "nodes": [n.to_json() for n in self.nodes.values()],
                "edges": [e.to_json() for e in self.edges]}

    def add_node(self, node: LineageNode) -> LineageNode:
        return self.nodes.setdefault(node.key, node)

    def add_edge(self, edge: LineageEdge) -> None:
        if edge.source in self.nodes and edge.target in self.nodes:
            self.edges.append(edge)


class LineageError(LookupError):
    """The object asked about is not in the workspace."""


# --- facts read once per graph ----------------------------------------------------------------

def target_sharing_at(conn: sqlite3.Connection, export_date: str | None) -> dict[str, Any]:
    """Shared Audiences at the export date: the last event on or before it.

    ``state`` is ``enabled``, ``disabled`` or ``not checked`` (no export date, or no event on
    or before it); ``since`` the event's date.
    """
    events = [e for e in history.list_events(conn) if e.setting == history.SHARED_AUDIENCES]
    if export_date is None:
        return {"state": NOT_CHECKED, "since": None,
                "why": "the export date is unknown"}
    before = [e for e in events if e.date <= export_date]
    if not before:
        return {"state": NOT_CHECKED, "since": None,
                "why": f"no Shared Audiences settings event on or before {export_date}"}
    last = before[-1]
    return {"state": last.value, "since": last.date, "why": None}


@lru_cache(maxsize=4096)
def _parsed(rule: str) -> Node | None:
    try:
        return parse_segment_rule(rule)
    except RuleSyntaxError:
        return None


def rule_tree(rule: str | None) -> Node | None:
    """The parsed segment rule, or None when it is empty or does not parse."""
    return _parsed(rule) if rule and rule.strip() else None


def trait_positions(tree: Node, trait_id: int) -> list[str]:
    """Where the trait sits in the rule, once per occurrence: ``and``, ``or``, ``not``
    (under an odd number of NOTs), ``frequency`` (in a frequency clause) or ``only`` (the
    whole rule)."""
    found: list[str] = []

    def walk(node: Node, operator: str, negated: bool) -> None:
        if isinstance(node, TraitRef):
            if node.trait_id == trait_id:
                found.append("not" if negated else operator)
        elif isinstance(node, Frequency):
            if trait_id in node.trait_ids:
                found.append("not" if negated else "frequency")
        elif isinstance(node, Not):
            walk(node.operand, operator, not negated)
        elif isinstance(node, And):
            for child in node.operands:
                walk(child, "and", negated)
        else:
            for child in node.operands:
                walk(child, "or", negated)

    walk(tree, "only", False)
    return found


def position_of(rule: str | None, trait_id: int, *, negated: bool = False,
                in_frequency: bool = False) -> str:
    """One word for where a trait sits in a rule (occurrences joined with ``+``). A rule that
    does not parse falls back to the stored ``segment_traits`` flags."""
    tree = rule_tree(rule)
    if tree is None:
        return "not" if negated else "frequency" if in_frequency else "unknown"
    positions = list(dict.fromkeys(trait_positions(tree, trait_id)))
    return "+".join(positions) if positions else "unknown"


class _Reader:
    """Queries the graph needs, with the per-workspace facts read once."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.export_date = latest_export_date(conn)
        self.sharing = target_sharing_at(conn, self.export_date)
        self.missing_parts = missing_parts(conn)
        self.aep_sources = {r[0] for r in conn.execute(
            "SELECT id FROM data_sources WHERE lower(trim(name)) = lower(?)",
            (AEP_DATA_SOURCE_NAME,))}

    def lacks(self, part: ExportPart) -> bool:
        return self.missing_parts is not None and part in self.missing_parts

    # -- nodes -----------------------------------------------------------------------------
    def node(self, kind: str, object_id: int) -> LineageNode | None:
        table = KINDS[kind].table
        columns = {"trait": "t.name, t.status, f.path", "segment": "t.name, t.status, f.path"}
        if kind in columns:
            folders = "trait_folders" if kind == "trait" else "segment_folders"
            row = self.conn.execute(
                f"SELECT {columns[kind]} FROM {table} t LEFT JOIN {folders} f "
                "ON f.id = t.folder_id WHERE t.id = ?", (object_id,)).fetchone()
            if row is None:
                return None
            return LineageNode(kind, object_id, row[0], status=row[1], folder=row[2])
        exists, name = lookup_name(self.conn, kind, object_id)
        if not exists:
            return None
        status = None
        if kind in ("data-source", "destination", "algo-model"):
            status = self._found_with_status(table, object_id)[1]
        return LineageNode(kind, object_id, name, status=status)

    def _found_with_status(self, table: str, object_id: int) -> tuple[bool, str | None]:
        """Whether the export holds the object, and its status (None when it does not)."""
        # table is a kind's table from KINDS or a fixed name, never input
        row = self.conn.execute(f"SELECT status FROM {table} WHERE id = ?",
                                (object_id,)).fetchone()
        return row is not None, (row[0] if row is not None else None)

    def node_or_missing(self, kind: str, object_id: int) -> LineageNode:
        return self.node(kind, object_id) or LineageNode(kind, object_id, None, missing=True)

    def target_node(self) -> LineageNode:
        return LineageNode("target", "adobe-target", "Adobe Target")

    # -- upstream --------------------------------------------------------------------------
    def trait_sources(self, trait_id: int) -> list[tuple[LineageNode, LineageEdge]]:
        row = self.conn.execute("SELECT data_source_id, integration_code, algo_model_id "
                                "FROM traits WHERE id = ?", (trait_id,)).fetchone()
        if row is None:
            return []
        found: list[tuple[LineageNode, LineageEdge]] = []
        key = f"trait:{trait_id}"
        if row[0] is not None:
            source = self.node_or_missing("data-source", row[0])
            found.append((source, LineageEdge(source.key, key,
                                              MISSING if source.missing else ACTIVE)))
            if row[0] in self.aep_sources and (row[1] or "").strip():
                aep = LineageNode("aep-segment", row[1].strip(), "AEP segment")
                found.append((aep, LineageEdge(aep.key, key, ACTIVE)))
        if row[2] is not None:
            model = self.node_or_missing("algo-model", row[2])
            found.append((model, LineageEdge(model.key, key,
                                             MISSING if model.missing else ACTIVE)))
        return found

    def segment_traits(self, segment_id: int) -> list[tuple[LineageNode, LineageEdge]]:
        seg = self.conn.execute("SELECT rule, status FROM segments WHERE id = ?",
                                (segment_id,)).fetchone()
        if seg is None:
            return []
        rows = self.conn.execute(
            "SELECT st.trait_id, st.negated, st.in_frequency, t.name, t.status, f.path, "
            "t.id IS NOT NULL FROM segment_traits st LEFT JOIN traits t ON t.id = st.trait_id "
            "LEFT JOIN trait_folders f ON f.id = t.folder_id WHERE st.segment_id = ? "
            "ORDER BY t.name, st.trait_id", (segment_id,)).fetchall()
        found = []
        for trait_id, negated, in_frequency, name, status, path, present in rows:
            node = LineageNode("trait", trait_id, name, status=status, folder=path,
                               missing=not present)
            found.append((node, self._rule_edge(trait_id, segment_id, seg[0], seg[1], status,
                                                bool(present), bool(negated),
                                                bool(in_frequency))))
        return found

    def _rule_edge(self, trait_id: int, segment_id: int, rule: str | None,
                   segment_status: str | None, trait_status: str | None, present: bool,
                   negated: bool, in_frequency: bool) -> LineageEdge:
        if not present:
            state = MISSING
        elif {(segment_status or "").lower(), (trait_status or "").lower()} & _INACTIVE:
            state = PAUSED
        else:
            state = ACTIVE
        return LineageEdge(f"trait:{trait_id}", f"segment:{segment_id}", state,
                           position=position_of(rule, trait_id, negated=negated,
                                                in_frequency=in_frequency))

    def mapped_segments(self, destination_id: int) -> list[tuple[LineageNode, LineageEdge]]:
        rows = self.conn.execute(
            "SELECT m.id, m.segment_id, s.name, s.status, f.path, s.id IS NOT NULL, "
            "m.element_status, m.start_date, m.end_date FROM destination_mappings m "
            "LEFT JOIN segments s ON s.id = m.segment_id "
            "LEFT JOIN segment_folders f ON f.id = s.folder_id "
            "WHERE m.destination_id = ? ORDER BY s.name, m.segment_id, m.id",
            (destination_id,)).fetchall()
        found = []
        for mapping_id, seg_id, name, status, path, present, element, start, end in rows:
            node = LineageNode("segment", seg_id, name, status=status, folder=path,
                               missing=not present)
            state = self._mapping_state(present, True, status, element, start, end)
            found.append((node, LineageEdge(node.key, f"destination:{destination_id}", state,
                                            mapping_id=mapping_id)))
        return found

    def _mapping_state(self, segment_found: Any, destination_found: Any,
                       segment_status: str | None, element_status: str | None,
                       start: str | None, end: str | None) -> str:
        return mapping_state(segment_found=bool(segment_found),
                             destination_found=bool(destination_found),
                             segment_status=segment_status, element_status=element_status,
                             start_date=start, end_date=end,
                             export_date=self.export_date).value

    # -- downstream ------------------------------------------------------------------------
    def trait_segments(self, trait_id: int) -> list[tuple[LineageNode, LineageEdge]]:
        trait_found, trait_status = self._found_with_status("traits", trait_id)
        rows = self.conn.execute(
            "SELECT s.id, s.name, s.status, f.path, s.rule, st.negated, st.in_frequency "
            "FROM segment_traits st JOIN segments s ON s.id = st.segment_id "
            "LEFT JOIN segment_folders f ON f.id = s.folder_id WHERE st.trait_id = ? "
            "ORDER BY s.name, s.id", (trait_id,)).fetchall()
        found = []
        for seg_id, name, status, path, rule, negated, in_frequency in rows:
            node = LineageNode("segment", seg_id, name, status=status, folder=path)
            found.append((node, self._rule_edge(
                trait_id, seg_id, rule, status, trait_status, trait_found, bool(negated),
                bool(in_frequency))))
        return found

    def segment_outputs(self, segment_id: int) -> list[tuple[LineageNode, LineageEdge]]:
        seg_found, seg_status = self._found_with_status("segments", segment_id)
        rows = self.conn.execute(
            "SELECT m.id, m.destination_id, d.name, d.status, d.id IS NOT NULL, "
            "m.element_status, m.start_date, m.end_date FROM destination_mappings m "
            "LEFT JOIN destinations d ON d.id = m.destination_id WHERE m.segment_id = ? "
            "ORDER BY d.name, m.destination_id, m.id", (segment_id,)).fetchall()
        key = f"segment:{segment_id}"
        found = []
        for mapping_id, dest_id, name, status, present, element, start, end in rows:
            node = LineageNode("destination", dest_id, name, status=status,
                               missing=not present)
            state = self._mapping_state(seg_found, present, seg_status, element, start, end)
            found.append((node, LineageEdge(key, node.key, state, mapping_id=mapping_id)))
        if seg_found and self.sharing["state"] != history.DISABLED:
            state = ACTIVE if self.sharing["state"] == history.ENABLED else NOT_CHECKED
            target = self.target_node()
            found.append((target, LineageEdge(key, target.key, state)))
        return found

    def children(self, column: str, parent_column: str, object_id: int
                 ) -> list[tuple[LineageNode, LineageEdge]]:
        """Objects that a merge rule or an algorithmic model feeds."""
        kind, table = ("segment", "segments") if column == "merge_rule_id" else \
            ("trait", "traits")
        folders = "segment_folders" if kind == "segment" else "trait_folders"
        rows = self.conn.execute(
            f"SELECT t.id, t.name, t.status, f.path FROM {table} t LEFT JOIN {folders} f "
            f"ON f.id = t.folder_id WHERE t.{column} = ? ORDER BY t.name, t.id",
            (object_id,)).fetchall()
        source = f"{parent_column}:{object_id}"
        return [(LineageNode(kind, r[0], r[1], status=r[2], folder=r[3]),
                 LineageEdge(source, f"{kind}:{r[0]}", ACTIVE)) for r in rows]

    def upstream(self, node: LineageNode) -> list[tuple[LineageNode, LineageEdge]]:
        return self._related(node, {"trait": self.trait_sources,
                                    "segment": self.segment_traits,
                                    "destination": self.mapped_segments})

    def downstream(self, node: LineageNode) -> list[tuple[LineageNode, LineageEdge]]:
        return self._related(node, {
            "trait": self.trait_segments,
            "segment": self.segment_outputs,
            "merge-rule": partial(self.children, "merge_rule_id", "merge-rule"),
            "algo-model": partial(self.children, "algo_model_id", "algo-model"),
        })

    @staticmethod
    def _related(node: LineageNode,
                 readers: dict[str, Callable[[int], list[tuple[LineageNode, LineageEdge]]]]
                 ) -> list[tuple[LineageNode, LineageEdge]]:
        """What the reader of the node's kind finds; nothing for a missing node, a node with
        no id of the export's own or a kind that has no such neighbours."""
        reader = readers.get(node.kind)
        if reader is None or node.missing or not isinstance(node.id, int):
            return []
        return reader(node.id)


# --- building the graph -----------------------------------------------------------------------

def build_lineage(conn: sqlite3.Connection, kind: str, object_id: int, *,
                  depth: int | None = None, expand: Iterable[str] = ()) -> Lineage:
    """The lineage of one object; ``depth`` limits the hops followed each way (None: all).

    ``expand`` lists ``more`` node keys whose objects should be shown one by one. Raises
    LineageError when the object is not in the workspace.
    """
    reader = _Reader(conn)
    expanded = frozenset(expand)
    if kind not in KINDS:
        raise LineageError(f"unknown kind {kind!r}")
    if kind == "destination-mapping":
        return _mapping_lineage(reader, object_id, depth, expanded)
    root = reader.node(kind, object_id)
    if root is None:
        raise LineageError(f"{kind} {object_id} is not in the workspace")
    graph = Lineage(root.key, export_date=reader.export_date,
                    target_sharing=dict(reader.sharing))
    graph.add_node(root)
    if kind in _SUMMARISED:
        _summarise(reader, graph, root, expanded)
    else:
        _walk(reader, graph, [root], "up", depth, expanded)
        _walk(reader, graph, [root], "down", depth, expanded)
    _add_notes(reader, graph)
    return graph


def _mapping_lineage(reader: _Reader, mapping_id: int, depth: int | None,
                     expanded: frozenset[str]) -> Lineage:
    row = reader.conn.execute("SELECT segment_id, destination_id FROM destination_mappings "
                              "WHERE id = ?", (mapping_id,)).fetchone()
    if row is None:
        raise LineageError(f"destination-mapping {mapping_id} is not in the workspace")
    segment = reader.node_or_missing("segment", row[0])
    graph = Lineage(f"destination:{row[1]}", export_date=reader.export_date,
                    target_sharing=dict(reader.sharing))
    graph.add_node(segment)
    for node, edge in reader.segment_outputs(row[0]):
        if edge.mapping_id == mapping_id:
            graph.add_node(node)
            graph.root = node.key
            graph.add_edge(edge)
    if graph.root not in graph.nodes:  # the mapping's segment is not in the export
        graph.add_node(reader.node_or_missing("destination", row[1]))
        graph.add_edge(LineageEdge(segment.key, graph.root, MISSING, mapping_id=mapping_id))
    _walk(reader, graph, [segment], "up", None if depth is None else depth - 1, expanded)
    _add_notes(reader, graph)
    return graph


def _walk(reader: _Reader, graph: Lineage, frontier: list[LineageNode], direction: str,
          depth: int | None, expanded: frozenset[str]) -> None:
    hops = 0
    seen = {n.key for n in frontier}
    while frontier and (depth is None or hops < depth):
        hops += 1
        following: list[LineageNode] = []
        for node in frontier:
            links = reader.upstream(node) if direction == "up" else reader.downstream(node)
            for neighbour, edge in _collapse(node, links, direction, expanded):
                neighbour = graph.add_node(neighbour)
                graph.add_edge(edge)
                if neighbour.key not in seen and neighbour.kind != "more":
                    seen.add(neighbour.key)
                    following.append(neighbour)
        frontier = following


def more_key(parent: str, kind: str) -> str:
    """The key of the ``more`` node standing for ``parent``'s fan-out of ``kind``."""
    return f"more:{kind}@{parent}"


def _collapse(parent: LineageNode, links: list[tuple[LineageNode, LineageEdge]],
              direction: str, expanded: frozenset[str]
              ) -> list[tuple[LineageNode, LineageEdge]]:
    """Replace each kind's fan-out larger than FANOUT_LIMIT with one counted node."""
    by_kind: dict[str, list[tuple[LineageNode, LineageEdge]]] = {}
    for node, edge in links:
        by_kind.setdefault(node.kind, []).append((node, edge))
    result: list[tuple[LineageNode, LineageEdge]] = []
    for kind, group in by_kind.items():
        distinct = {n.key for n, _e in group}
        key = more_key(parent.key, kind)
        if len(distinct) <= FANOUT_LIMIT or key in expanded:
            result.extend(group)
            continue
        result.append(_more(parent, kind, len(distinct), [e.state for _n, e in group],
                            direction))
    return result


def _more(parent: LineageNode, kind: str, count: int, states: Sequence[str],
          direction: str) -> tuple[LineageNode, LineageEdge]:
    label = KINDS[kind].plural_label.lower() if kind in KINDS else kind
    node = LineageNode("more", more_key(parent.key, kind).partition(":")[2],
                       f"{count:,} {label}", of=kind, count=count, parent=parent.key)
    tally = Counter(states)
    state = ACTIVE if ACTIVE in tally else tally.most_common(1)[0][0]
    edge = (LineageEdge(node.key, parent.key, state, states=dict(tally)) if direction == "up"
            else LineageEdge(parent.key, node.key, state, states=dict(tally)))
    return node, edge


# --- data sources and folders: a summary -------------------------------------------------------

# Population fields of the export (present with ``includeMetrics``): the "largest" objects.
_POPULATION = {"trait": "uniques30Day", "segment": "totalUniques30Day"}


def _summarise(reader: _Reader, graph: Lineage, root: LineageNode,
               expanded: frozenset[str]) -> None:
    conn = reader.conn
    assert isinstance(root.id, int)
    scopes: dict[str, tuple[str, str, tuple[Any, ...]]]
    if root.kind == "data-source":
        scopes = {"trait": ("traits", "t.data_source_id = ?", (root.id,)),
                  "segment": ("segments", "t.data_source_id = ?", (root.id,))}
    else:
        kind = "trait" if root.kind == "trait-folder" else "segment"
        table, folders = KINDS[kind].table, KINDS[root.kind].table
        folder_ids = _folder_and_below(conn, folders, root.id)
        scopes = {kind: (table, "t.folder_id IN (SELECT value FROM json_each(?))",
                         (_json_list(folder_ids),))}
    summary: dict[str, Any] = {}
    for kind, (table, where, params) in scopes.items():
        counts = {str(status or "unknown").lower(): n for status, n in conn.execute(
            f"SELECT t.status, count(*) FROM {table} t WHERE {where} GROUP BY t.status "
            "ORDER BY t.status", params)}
        total = sum(counts.values())
        if not total:
            continue
        summary[kind] = {"count": total, "by_status": counts}
        folders = "trait_folders" if kind == "trait" else "segment_folders"
        shown = FANOUT_LIMIT if more_key(root.key, kind) in expanded else SUMMARY_TOP
        # Ranking by population reads every record; past POPULATION_SCAN_LIMIT the summary
        # shows the newest (AAM ids grow over time), which the index alone answers.
        ranked = total <= POPULATION_SCAN_LIMIT
        summary[kind]["largest_by"] = "population" if ranked else "newest"
        order = ("population IS NULL, population DESC, t.name, t.id" if ranked
                 else "t.id DESC")
        population = field_sql(table, "t", _POPULATION[kind],
                               split=stores_remainder(conn, table)) if ranked else "NULL"
        # The ids first (from the index alone when unranked), then the few rows shown.
        picked = (f"SELECT t.id FROM {table} t WHERE {where} ORDER BY {order} LIMIT ?"
                  if not ranked else
                  f"SELECT t.id FROM {table} t WHERE {where} ORDER BY {population} IS NULL, "
                  f"{population} DESC, t.name, t.id LIMIT ?")
        largest = conn.execute(
            f"SELECT t.id, t.name, t.status, f.path, {population} AS population "
            f"FROM {table} t LEFT JOIN {folders} f ON f.id = t.folder_id "
            f"WHERE t.id IN ({picked}) ORDER BY {order}", (*params, shown)).fetchall()
        summary[kind]["largest"] = [
            {"id": r[0], "name": r[1], **({"population": r[4]} if r[4] is not None else {})}
            for r in largest]
        for row in largest:
            node = graph.add_node(LineageNode(kind, row[0], row[1], status=row[2],
                                              folder=row[3]))
            graph.add_edge(LineageEdge(root.key, node.key, _status_state(row[2])))
        rest = total - len(largest)
        if rest > 0:
            node, edge = _more(root, kind, rest, [ACTIVE], "down")
            graph.add_node(node)
            graph.add_edge(edge)
    root.summary = summary


def _status_state(status: str | None) -> str:
    return PAUSED if (status or "").lower() in _INACTIVE else ACTIVE


def _json_list(values: Iterable[int]) -> str:
    return "[" + ",".join(str(int(v)) for v in values) + "]"


def _folder_and_below(conn: sqlite3.Connection, table: str, folder_id: int) -> list[int]:
    rows = conn.execute(
        f"WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT f.id FROM {table} f "
        "JOIN below b ON f.parent_id = b.id) SELECT id FROM below", (folder_id,))
    return [r[0] for r in rows]


def _add_notes(reader: _Reader, graph: Lineage) -> None:
    if reader.lacks(ExportPart.MAPPINGS):
        graph.notes.append("Destination mappings are not in the export: which destinations "
                           "receive these segments is not checked.")
    if reader.export_date is None:
        graph.notes.append("The export date is unknown: mapping dates and Target sharing are "
                           "not checked.")
    has_segment = any(n.kind == "segment" and not n.missing for n in graph.nodes.values())
    state = reader.sharing["state"]
    if has_segment and state == NOT_CHECKED:
        graph.notes.append(f"Adobe Target: not checked ({reader.sharing['why']}).")
    elif has_segment and state == history.DISABLED:
        graph.notes.append(f"Adobe Target: Core Services Shared Audiences disabled since "
                           f"{reader.sharing['since']}; segments do not reach Target.")
