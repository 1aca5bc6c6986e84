"""Checks on what segment rules ask of their traits."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator

from explorer.analysis.findings.base import (
    DOC_SEGMENT_CODE,
    CheckSpec,
    Context,
    FindingRow,
    check,
    label,
)
from explorer.domain.gaps import ExportPart
from explorer.domain.segment_rule import (
    And,
    Frequency,
    Node,
    Not,
    Or,
    RuleSyntaxError,
    parse_segment_rule,
)

_DAYS = re.compile(r"(\d+)\s*D\b", re.IGNORECASE)

RULE_WINDOW_BEYOND_TTL = CheckSpec(
    id="rule-window-beyond-ttl",
    severity="warning",
    title="Recency/frequency window longer than the trait's TTL",
    doc=DOC_SEGMENT_CODE,
    explanation=(
        "A trait realization is forgotten after the trait's TTL (time to live, in days). A "
        "segment rule that looks further back than that, e.g. frequency([1T] <= 90D) >= 3 on a "
        "trait with a 30-day TTL, can only count the last 30 days: the rule promises more than "
        "the profile holds, and a window 'more than N days ago' beyond the TTL never matches."
    ),
    fix="Raise the trait's TTL to at least the window, or shorten the window in the rule.",
    # TTLs come with the details (traits and the segment rules that name them)
    reads=((ExportPart.DETAILS, ("trait", "segment")),),
)


def _frequencies(node: Node) -> Iterator[Frequency]:
    if isinstance(node, Frequency):
        yield node
    elif isinstance(node, And | Or):
        for child in node.operands:
            yield from _frequencies(child)
    elif isinstance(node, Not):
        yield from _frequencies(node.operand)


@check(RULE_WINDOW_BEYOND_TTL)
def rule_window_beyond_ttl(conn: sqlite3.Connection, ctx: Context) -> Iterator[FindingRow]:
    # Only segments with a frequency clause on a trait whose TTL is known and finite (0 means
    # "never expires"), and only those whose rule names more days than that TTL, are parsed.
    rows = conn.execute(
        """
        SELECT s.id, s.name, s.rule, min(t.ttl) FROM segment_traits st
        JOIN segments s ON s.id = st.segment_id
        JOIN traits t ON t.id = st.trait_id
        WHERE st.in_frequency = 1 AND t.ttl > 0
        GROUP BY s.id ORDER BY s.id
        """
    ).fetchall()
    for seg_id, name, rule, shortest_ttl in rows:
        days = [int(d) for d in _DAYS.findall(rule or "")]
        if not days or max(days) <= shortest_ttl:
            continue
        try:
            tree = parse_segment_rule(rule)
        except RuleSyntaxError:
            continue  # a rule the parser refuses is explained as such in the inspector
        yield from _window_findings(conn, seg_id, name, tree)


def _window_findings(conn: sqlite3.Connection, seg_id: int, name: str | None, tree: Node
                     ) -> Iterator[FindingRow]:
    too_long: dict[int, int] = {}  # trait id -> the longest window over it
    for clause in _frequencies(tree):
        if clause.recency_days is None:
            continue
        for trait_id in clause.trait_ids:
            too_long[trait_id] = max(too_long.get(trait_id, 0), clause.recency_days)
    if not too_long:
        return
    marks = ", ".join("?" for _ in too_long)
    traits = conn.execute(
        f"SELECT id, name, ttl FROM traits WHERE id IN ({marks}) AND ttl > 0 ORDER BY id",
        tuple(too_long)).fetchall()
    flagged = [(t_id, t_name, ttl, too_long[t_id]) for t_id, t_name, ttl in traits
               if too_long[t_id] > ttl]
    if not flagged:
        return
    parts = [f"{window} days over trait {label(t_name, t_id)}, whose TTL is {ttl} days"
             for t_id, t_name, ttl, window in flagged]
    shown = "; ".join(parts[:3]) + (f"; and {len(parts) - 3} more" if len(parts) > 3 else "")
    yield RULE_WINDOW_BEYOND_TTL.finding(
        "segment", seg_id, f"Segment {label(name, seg_id)} looks back {shown}",
        traits=[{"trait_id": t_id, "ttl": ttl, "window_days": window}
                for t_id, _n, ttl, window in flagged],
    )
