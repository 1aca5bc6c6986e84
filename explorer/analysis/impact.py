"""Impact: what changes if an object is deleted or paused.

A trait that stops qualifying anyone changes every segment whose rule uses it, and how depends
on where it sits: the rule is evaluated with the trait false (``fold_rule``), so a trait in an
``AND`` removes the segment's audience, one in an ``OR`` narrows it, one under ``NOT`` widens
it, whatever the nesting. Segments that lose their audience (or are deleted or paused
themselves) stop reaching the destinations they are mapped to; deleted segments leave Adobe
Target too when Core Services Shared Audiences was enabled at the export date (pausing a
segment does not remove it from Target).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from explorer.analysis.lineage import (
    ACTIVE,
    LineageError,
    position_of,
    rule_tree,
    target_sharing_at,
)
from explorer.analysis.mapping_status import mapping_states
from explorer.domain.segment_rule import And, Frequency, Node, Not, Or, TraitRef
from explorer.kinds import KINDS
from explorer.store import usage_events as history
from explorer.store.names import lookup_name, object_name
from explorer.store.queries import latest_export_date

# What a segment's audience does when the removed traits stop qualifying anyone.
REMOVES = "removes"  # the rule can no longer qualify anyone
NARROWS = "narrows"  # fewer visitors qualify
WIDENS = "widens"  # more visitors qualify (the trait was excluding them)
CHANGES = "changes"  # some more, some fewer
EVERYONE = "everyone"  # the rule then qualifies every visitor it evaluates
UNKNOWN = "unknown"  # the rule does not parse
DELETED = "deleted"  # the segment itself is deleted or paused
MERGE_RULE = "merge rule"  # the segment is evaluated with the merge rule in question

EFFECT_TEXT = {
    REMOVES: "can no longer qualify anyone",
    NARROWS: "qualifies fewer visitors",
    WIDENS: "qualifies more visitors",
    CHANGES: "qualifies a different audience",
    EVERYONE: "qualifies every visitor it evaluates",
    UNKNOWN: "changes in a way the explorer cannot tell (the rule does not parse)",
    DELETED: "is deleted",
    MERGE_RULE: "is evaluated with this merge rule: which profiles it merges changes with it",
}

Folded = Node | bool


def fold_rule(node: Node, removed: frozenset[int]) -> Folded:
    """The rule with every trait in ``removed`` false, simplified: True or False when the
    rule no longer depends on any trait."""
    if isinstance(node, TraitRef):
        return False if node.trait_id in removed else node
    if isinstance(node, Frequency):
        kept = tuple(t for t in node.trait_ids if t not in removed)
        if len(kept) == len(node.trait_ids):
            return node
        # A count over traits nobody realises anymore qualifies no one.
        return replace(node, trait_ids=kept) if kept else False
    if isinstance(node, Not):
        inner = fold_rule(node.operand, removed)
        return (not inner) if isinstance(inner, bool) else Not(inner)
    is_and = isinstance(node, And)
    kept_operands: list[Node] = []
    for child in node.operands:
        folded = fold_rule(child, removed)
        if isinstance(folded, bool):
            if folded != is_and:  # False in an AND, True in an OR decides the whole
                return folded
            continue
        kept_operands.append(folded)
    if not kept_operands:
        return is_and
    if len(kept_operands) == 1:
        return kept_operands[0]
    return And(tuple(kept_operands)) if is_and else Or(tuple(kept_operands))


def _directions(node: Node, removed: frozenset[int], negated: bool = False) -> set[str]:
    """How each removed occurrence moves the audience: NARROWS (it was required) or WIDENS
    (it was excluding), from its place in the tree."""
    if isinstance(node, TraitRef):
        if node.trait_id not in removed:
            return set()
        return {WIDENS if negated else NARROWS}
    if isinstance(node, Frequency):
        if not removed & set(node.trait_ids):
            return set()
        # Fewer realisations to count: a lower bound is met less often, an upper bound more.
        if node.freq_op == "==":
            return {NARROWS, WIDENS}
        fewer = NARROWS if node.freq_op == ">=" else WIDENS
        return {fewer if not negated else (WIDENS if fewer == NARROWS else NARROWS)}
    if isinstance(node, Not):
        return _directions(node.operand, removed, not negated)
    found: set[str] = set()
    for child in node.operands:
        found |= _directions(child, removed, negated)
    return found


def rule_effect(rule: str | None, removed: Iterable[int]) -> str:
    """The effect on a segment of the traits in ``removed`` no longer qualifying anyone."""
    tree = rule_tree(rule)
    if tree is None:
        return UNKNOWN
    gone = frozenset(removed)
    folded = fold_rule(tree, gone)
    if folded is False:
        return REMOVES
    if folded is True:
        return EVERYONE
    directions = _directions(tree, gone)
    if not directions:
        return CHANGES if folded != tree else NARROWS
    return directions.pop() if len(directions) == 1 else CHANGES


# --- what an object's deletion touches ------------------------------------------------------

def _traits_and_segments(conn: sqlite3.Connection, kind: str, object_id: int
                         ) -> tuple[list[int], list[int]]:
    """The traits that stop qualifying and the segments that disappear with the object."""
    def ids(sql: str, *params: Any) -> list[int]:
        return [r[0] for r in conn.execute(sql, params)]

    if kind == "trait":
        return [object_id], []
    if kind == "segment":
        return [], [object_id]
    if kind == "data-source":
        return (ids("SELECT id FROM traits WHERE data_source_id = ?", object_id),
                ids("SELECT id FROM segments WHERE data_source_id = ?", object_id))
    if kind in ("trait-folder", "segment-folder"):
        table = KINDS[kind].table
        below = ids(f"WITH RECURSIVE below(id) AS (SELECT ? UNION SELECT f.id FROM {table} f "
                    "JOIN below b ON f.parent_id = b.id) SELECT id FROM below", object_id)
        marks = ",".join("?" * len(below))
        objects = "traits" if kind == "trait-folder" else "segments"
        found = ids(f"SELECT id FROM {objects} WHERE folder_id IN ({marks})", *below)
        return (found, []) if kind == "trait-folder" else ([], found)
    if kind == "algo-model":
        return ids("SELECT id FROM traits WHERE algo_model_id = ?", object_id), []
    return [], []


def build_impact(conn: sqlite3.Connection, kind: str, object_id: int) -> dict[str, Any]:
    """What stops, per action (``delete``, ``pause``), if the object is deleted or paused.

    Raises LineageError when the object is not in the workspace.
    """
    exists, name = lookup_name(conn, kind, object_id)
    if not exists:
        raise LineageError(f"{kind} {object_id} is not in the workspace")
    export_date = latest_export_date(conn)
    sharing = target_sharing_at(conn, export_date)
    traits, segments = _traits_and_segments(conn, kind, object_id)
    report: dict[str, Any] = {
        "object": {"kind": kind, "id": object_id, "name": name},
        "export_date": export_date,
        "target_sharing": sharing,
        "scenarios": [],
    }
    if kind in ("destination", "destination-mapping"):
        report["scenarios"].append(_delivery_scenario(conn, kind, object_id, export_date))
        return report
    if kind == "segment":
        for action in ("delete", "pause"):
            report["scenarios"].append(_scenario(conn, action, traits, segments, export_date,
                                                 sharing))
        return report
    report["scenarios"].append(_scenario(conn, "delete or pause", traits, segments,
                                         export_date, sharing))
    scenario = report["scenarios"][0]
    if kind == "merge-rule":
        for seg_id, name in conn.execute("SELECT id, name FROM segments WHERE merge_rule_id = ? "
                                         "ORDER BY name, id", (object_id,)):
            scenario["segments"].append({"id": seg_id, "name": name, "effect": MERGE_RULE,
                                         "text": EFFECT_TEXT[MERGE_RULE]})
    elif kind == "derived-signal":
        scenario["notes"].append("A derived signal rewrites incoming signals before trait "
                                 "rules see them; which traits rely on it the export does not "
                                 "say.")
    return report


def _scenario(conn: sqlite3.Connection, action: str, traits: list[int], segments: list[int],
              export_date: str | None, sharing: dict[str, Any]) -> dict[str, Any]:
    removed = frozenset(traits)
    gone = set(segments)
    affected = _segments_using(conn, removed, gone)
    segment_rows: list[dict[str, Any]] = []
    for seg_id in sorted(gone):
        segment_rows.append({"id": seg_id, "name": object_name(conn, "segment", seg_id),
                             "effect": DELETED,
                             "text": "is paused" if action == "pause" else EFFECT_TEXT[DELETED]})
    emptied: list[int] = []
    for seg_id, name, rule in affected:
        effect = rule_effect(rule, removed)
        entry: dict[str, Any] = {"id": seg_id, "name": name, "effect": effect,
                                 "text": EFFECT_TEXT[effect]}
        if len(removed) == 1:
            entry["position"] = position_of(rule, next(iter(removed)))
        segment_rows.append(entry)
        if effect == REMOVES:
            emptied.append(seg_id)
    stopped = sorted(gone) + emptied
    destinations = _destinations_of(conn, stopped, export_date)
    target = _target_effect(action, sorted(gone), emptied, sharing)
    return {"action": action, "traits": len(traits), "segments": segment_rows,
            "destinations": destinations, "target": target,
            "notes": [] if action != "pause" else [
                "Pausing a segment stops its destination mappings but does not remove it "
                "from Adobe Target: delete it in Audience Manager to remove it there."]}


def _segments_using(conn: sqlite3.Connection, traits: frozenset[int], skip: set[int]
                    ) -> list[tuple[int, str | None, str | None]]:
    if not traits:
        return []
    rows = conn.execute(
        "SELECT DISTINCT s.id, s.name, s.rule FROM segment_traits st "
        "JOIN segments s ON s.id = st.segment_id "
        "WHERE st.trait_id IN (SELECT value FROM json_each(?)) ORDER BY s.name, s.id",
        ("[" + ",".join(str(t) for t in sorted(traits)) + "]",)).fetchall()
    return [(r[0], r[1], r[2]) for r in rows if r[0] not in skip]


def _destinations_of(conn: sqlite3.Connection, segment_ids: list[int],
                     export_date: str | None) -> list[dict[str, Any]]:
    """The destinations mapped to these segments, with each mapping's current state."""
    if not segment_ids:
        return []
    rows = conn.execute(
        "SELECT m.id, m.destination_id, d.name, m.segment_id, s.name "
        "FROM destination_mappings m LEFT JOIN destinations d ON d.id = m.destination_id "
        "LEFT JOIN segments s ON s.id = m.segment_id "
        "WHERE m.segment_id IN (SELECT value FROM json_each(?)) "
        "ORDER BY d.name, m.destination_id, s.name, m.id",
        ("[" + ",".join(str(s) for s in segment_ids) + "]",)).fetchall()
    states = mapping_states(conn, export_date, [r[0] for r in rows])
    by_destination: dict[int, dict[str, Any]] = {}
    for mapping_id, dest_id, dest_name, seg_id, seg_name in rows:
        entry = by_destination.setdefault(dest_id, {"id": dest_id, "name": dest_name,
                                                    "segments": []})
        entry["segments"].append({"id": seg_id, "name": seg_name, "mapping_id": mapping_id,
                                  "state": states[mapping_id].value})
    for entry in by_destination.values():
        entry["stops_receiving"] = [s["id"] for s in entry["segments"] if s["state"] == ACTIVE]
    return list(by_destination.values())


def _target_effect(action: str, deleted: list[int], emptied: list[int],
                   sharing: dict[str, Any]) -> dict[str, Any]:
    state = sharing["state"]
    effect: dict[str, Any] = {"sharing": state, "since": sharing.get("since")}
    if state == history.DISABLED:
        effect["loses"] = []
        effect["text"] = "Target receives no segment (Shared Audiences disabled)."
        return effect
    loses = [] if action == "pause" else list(deleted)
    effect["loses"] = loses
    effect["emptied"] = emptied
    prefix = "not checked: " if state != history.ENABLED else ""
    parts = []
    if loses:
        parts.append(f"loses {len(loses)} segment{'s' if len(loses) != 1 else ''}")
    if emptied:
        parts.append(f"keeps {len(emptied)} segment{'s' if len(emptied) != 1 else ''} "
                     "that no longer qualifies anyone")
    if action == "pause" and deleted:
        parts.append("keeps the paused segment")
    effect["text"] = prefix + ("Target " + "; ".join(parts) if parts else "no change in Target")
    return effect


def _delivery_scenario(conn: sqlite3.Connection, kind: str, object_id: int,
                       export_date: str | None) -> dict[str, Any]:
    column = "destination_id" if kind == "destination" else "id"
    segment_ids = [r[0] for r in conn.execute(
        f"SELECT DISTINCT segment_id FROM destination_mappings WHERE {column} = ?",
        (object_id,))]
    destinations = [d for d in _destinations_of(conn, segment_ids, export_date)
                    if kind != "destination" or d["id"] == object_id]
    if kind == "destination-mapping":
        for entry in destinations:
            entry["segments"] = [s for s in entry["segments"] if s["mapping_id"] == object_id]
            entry["stops_receiving"] = [s["id"] for s in entry["segments"]
                                        if s["state"] == ACTIVE]
        destinations = [d for d in destinations if d["segments"]]
    return {"action": "delete or pause", "traits": 0, "segments": [],
            "destinations": destinations,
            "target": {"sharing": None, "loses": [], "text": "no change in Target"},
            "notes": []}
