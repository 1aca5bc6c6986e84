"""What a snapshot covers: the objects it shows, and the objects those reference.

A scope is the whole tenant (the default), a list of ``KIND:ID`` picks, or one of the
``SPECIAL_SCOPES``: the objects with open findings, or the annotated objects. A folder pick brings
its subfolders and every trait or segment in them; a data source pick brings its traits and
segments; any other pick is the object alone. ``reference_closure`` adds what the picked
objects point at (folder chains, data sources, merge rules, referenced traits, destinations
and mappings), which the reduced workspace of a bundle needs to show them intact.

Qt-free, plain ``sqlite3``; id lists go to SQLite as one JSON parameter (``json_each``), so a
scope of any size stays within the bound-variable limit.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from explorer.kinds import KIND_IN_FOLDER, KINDS, ObjectRef
from explorer.store.finding_marks import NOT_ACCEPTED

# Kinds the report lists as objects of their own (mappings appear inside destinations/segments).
OUTLINE_KINDS: tuple[str, ...] = (
    "data-source", "trait-folder", "trait", "segment-folder", "segment", "merge-rule",
    "destination", "algo-model", "derived-signal",
)
_FOLDER_OBJECTS = {"trait-folder": "trait", "segment-folder": "segment"}
# Scopes named by a word instead of picks (the CLI's ``--scope WORD``, the dialog's buttons).
SPECIAL_SCOPES: dict[str, str] = {
    "with-findings": "Objects with open findings",
    "annotated": "Annotated objects",
}


class ScopeError(ValueError):
    """A scope pick that cannot be used; the message is meant for the user."""


@dataclass
class Scope:
    """The objects a snapshot shows, per kind; ``picks`` are what the user asked for."""

    picks: tuple[ObjectRef, ...] = ()
    members: dict[str, set[int]] = field(default_factory=dict)
    special: str | None = None  # a key of SPECIAL_SCOPES

    @property
    def whole_tenant(self) -> bool:
        return not self.picks and self.special is None

    def ids(self, kind: str) -> set[int]:
        return self.members.get(kind, set())

    def contains(self, kind: str, object_id: int) -> bool:
        return object_id in self.members.get(kind, set())

    def size(self) -> int:
        return sum(len(ids) for ids in self.members.values())


def parse_picks(texts: Iterable[str]) -> tuple[ObjectRef, ...]:
    """``["trait-folder:12", "segment:7"]`` -> ObjectRefs (ScopeError on a malformed pick)."""
    picks = []
    for text in texts:
        try:
            picks.append(ObjectRef.parse(text.strip()))
        except ValueError as exc:
            raise ScopeError(str(exc)) from None
    return tuple(dict.fromkeys(picks))


def _id_param(ids: Iterable[int]) -> str:
    return json.dumps(sorted({int(i) for i in ids}))


def _existing(conn: sqlite3.Connection, kind: str, ids: Iterable[int]) -> set[int]:
    table = KINDS[kind].table
    rows = conn.execute(f"SELECT id FROM {table} WHERE id IN (SELECT value FROM json_each(?))",
                        (_id_param(ids),))
    return {r[0] for r in rows}


def _all_ids(conn: sqlite3.Connection, kind: str) -> set[int]:
    return {r[0] for r in conn.execute(f"SELECT id FROM {KINDS[kind].table}")}


def _subfolders(conn: sqlite3.Connection, folder_kind: str, folder_id: int) -> set[int]:
    table = KINDS[folder_kind].table
    rows = conn.execute(
        f"WITH RECURSIVE tree(id) AS (SELECT ? UNION SELECT f.id FROM {table} f "
        f"JOIN tree ON f.parent_id = tree.id) SELECT id FROM tree", (folder_id,))
    return {r[0] for r in rows}


def _objects_in_folders(conn: sqlite3.Connection, kind: str, folders: set[int]) -> set[int]:
    rows = conn.execute(
        f"SELECT id FROM {KINDS[kind].table} WHERE folder_id IN "
        f"(SELECT value FROM json_each(?))", (_id_param(folders),))
    return {r[0] for r in rows}


def split_scope_words(texts: Iterable[str]) -> tuple[str | None, list[str]]:
    """``["annotated"]`` -> ("annotated", []); ``["trait:1"]`` -> (None, ["trait:1"]).

    A special scope cannot be combined with picks (ScopeError)."""
    words = [t.strip() for t in texts if t.strip()]
    special = [w for w in words if w in SPECIAL_SCOPES]
    if special and (len(special) > 1 or len(words) > 1):
        raise ScopeError(f"--scope {special[0]} stands alone: it cannot be combined with "
                         "other scopes")
    return (special[0] if special else None), [w for w in words if w not in SPECIAL_SCOPES]


def resolve_scope(conn: sqlite3.Connection, picks: Sequence[ObjectRef] = (), *,
                  special: str | None = None) -> Scope:
    """The objects shown for ``picks`` (everything when there is none) or for a special
    scope.

    A pick the export does not contain is refused, so a typo never yields an empty report.
    """
    if special is not None:
        return _special_scope(conn, special)
    scope = Scope(picks=tuple(picks), members={k: set() for k in OUTLINE_KINDS})
    if not picks:
        for kind in OUTLINE_KINDS:
            scope.members[kind] = _all_ids(conn, kind)
        return scope
    for pick in picks:
        if pick.kind not in OUTLINE_KINDS:
            raise ScopeError(f"{pick}: a {KINDS[pick.kind].label.lower()} cannot be a scope; "
                             "pick its destination or segment")
        if not _existing(conn, pick.kind, [pick.id]):
            raise ScopeError(f"{pick}: no such {KINDS[pick.kind].label.lower()} in this "
                             "workspace")
        _add_pick(conn, scope, pick)
    return scope


def _special_scope(conn: sqlite3.Connection, special: str) -> Scope:
    """The objects with an open finding, or with an annotation; a mapping's finding or note
    brings its segment."""
    if special not in SPECIAL_SCOPES:
        raise ScopeError(f"unknown scope {special!r}; expected KIND:ID or one of: "
                         f"{', '.join(SPECIAL_SCOPES)}")
    scope = Scope(special=special, members={k: set() for k in OUTLINE_KINDS})
    if special == "with-findings":
        rows = conn.execute(
            f"SELECT f.object_kind, f.object_id FROM findings f WHERE {NOT_ACCEPTED}").fetchall()
    else:
        rows = conn.execute("SELECT kind, object_id FROM annotations").fetchall()
    mappings = [object_id for kind, object_id in rows if kind == "destination-mapping"]
    segments = _select_ids(conn, "SELECT segment_id FROM destination_mappings WHERE id IN "
                                 "(SELECT value FROM json_each(?))", mappings)
    pairs = [(kind, object_id) for kind, object_id in rows if kind in OUTLINE_KINDS]
    pairs += [("segment", segment_id) for segment_id in segments]
    for kind in OUTLINE_KINDS:
        wanted = {object_id for k, object_id in pairs if k == kind}
        scope.members[kind] = _existing(conn, kind, wanted) if wanted else set()
    return scope


def _add_pick(conn: sqlite3.Connection, scope: Scope, pick: ObjectRef) -> None:
    members = scope.members
    if pick.kind in KIND_IN_FOLDER:
        folders = _subfolders(conn, pick.kind, pick.id)
        members[pick.kind] |= folders
        object_kind = KIND_IN_FOLDER[pick.kind]
        members[object_kind] |= _objects_in_folders(conn, object_kind, folders)
    elif pick.kind == "data-source":
        members["data-source"].add(pick.id)
        for kind in ("trait", "segment"):
            rows = conn.execute(f"SELECT id FROM {KINDS[kind].table} WHERE data_source_id = ?",
                                (pick.id,))
            members[kind] |= {r[0] for r in rows}
    else:
        members[pick.kind].add(pick.id)


# ---------------------------------------------------------------------------------------------
# What the scoped objects reference (for the bundle's reduced workspace)


def reference_closure(conn: sqlite3.Connection, scope: Scope) -> dict[str, set[int]]:
    """Every object a reduced workspace needs so the scoped objects show intact.

    Adds: the destination mappings of scoped segments and destinations, the destinations and
    segments those mappings join; the traits scoped segments reference; the data sources,
    folder chains and algorithmic models of every trait and segment kept; the data sources of
    kept destinations and the cross-device data sources of kept merge rules.
    """
    keep = {kind: set(scope.ids(kind)) for kind in KINDS}
    if scope.whole_tenant:
        return {kind: _all_ids(conn, kind) for kind in KINDS}
    _add_mappings(conn, keep)
    _add_referenced_traits(conn, keep)
    _add_columns(conn, keep, "segment", {"merge_rule_id": "merge-rule",
                                         "data_source_id": "data-source",
                                         "folder_id": "segment-folder"})
    _add_columns(conn, keep, "trait", {"data_source_id": "data-source",
                                       "folder_id": "trait-folder",
                                       "algo_model_id": "algo-model"})
    _add_columns(conn, keep, "destination", {"data_source_id": "data-source"})
    _add_cross_device_sources(conn, keep)
    for folder_kind in KIND_IN_FOLDER:
        keep[folder_kind] |= _ancestors(conn, folder_kind, keep[folder_kind])
    return {kind: _existing(conn, kind, ids) if ids else set() for kind, ids in keep.items()}


def _select_ids(conn: sqlite3.Connection, sql: str, ids: Iterable[int]) -> set[int]:
    return {r[0] for r in conn.execute(sql, (_id_param(ids),)) if r[0] is not None}


def _add_mappings(conn: sqlite3.Connection, keep: dict[str, set[int]]) -> None:
    rows = conn.execute(
        "SELECT id, destination_id, segment_id FROM destination_mappings "
        "WHERE segment_id IN (SELECT value FROM json_each(?)) "
        "OR destination_id IN (SELECT value FROM json_each(?))",
        (_id_param(keep["segment"]), _id_param(keep["destination"])),
    ).fetchall()
    for mapping_id, destination_id, segment_id in rows:
        keep["destination-mapping"].add(mapping_id)
        if destination_id is not None:
            keep["destination"].add(destination_id)
        if segment_id is not None:
            keep["segment"].add(segment_id)


def _add_referenced_traits(conn: sqlite3.Connection, keep: dict[str, set[int]]) -> None:
    keep["trait"] |= _select_ids(
        conn, "SELECT trait_id FROM segment_traits WHERE segment_id IN "
              "(SELECT value FROM json_each(?))", keep["segment"])


def _add_columns(conn: sqlite3.Connection, keep: dict[str, set[int]], kind: str,
                 columns: dict[str, str]) -> None:
    table = KINDS[kind].table
    for column, target_kind in columns.items():
        keep[target_kind] |= _select_ids(
            conn, f"SELECT DISTINCT {column} FROM {table} WHERE id IN "
                  f"(SELECT value FROM json_each(?))", keep[kind])


def _add_cross_device_sources(conn: sqlite3.Connection, keep: dict[str, set[int]]) -> None:
    rows = conn.execute(
        "SELECT raw FROM merge_rules WHERE id IN (SELECT value FROM json_each(?))",
        (_id_param(keep["merge-rule"]),))
    for (raw,) in rows:
        try:
            ids = json.loads(raw or "{}").get("crossDeviceDataSourceIds") or []
        except (ValueError, AttributeError):
            continue
        keep["data-source"] |= {int(i) for i in ids if isinstance(i, int)}


def _ancestors(conn: sqlite3.Connection, folder_kind: str, folders: set[int]) -> set[int]:
    table = KINDS[folder_kind].table
    rows = conn.execute(
        f"WITH RECURSIVE up(id) AS (SELECT value FROM json_each(?) "
        f"UNION SELECT f.parent_id FROM {table} f JOIN up ON f.id = up.id "
        f"WHERE f.parent_id IS NOT NULL) SELECT id FROM up", (_id_param(folders),))
    return {r[0] for r in rows}
