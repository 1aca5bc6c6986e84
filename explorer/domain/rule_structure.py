"""A segment rule as AAM's segment builder draws it: groups of AND, OR and NOT with the traits
and frequency clauses as leaves, for the inspector, the report and the plain-words reading.

It is the parser's tree with a group nested in a group of the same kind merged into it
(``(1T AND 2T) AND 3T`` is one group of three), since the builder shows them so and the
meaning is the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from explorer.domain.segment_rule import (
    And,
    Frequency,
    Node,
    Not,
    TraitRef,
    parse_segment_rule,
)

RuleNodeKind = Literal["and", "or", "not", "trait", "frequency"]


@dataclass(frozen=True)
class RuleNode:
    """One node: ``and``/``or`` have two or more ``children``, ``not`` has one; a ``trait``
    leaf has its id in ``trait_ids``; a ``frequency`` leaf has its traits in ``trait_ids`` and
    the clause in ``frequency``."""

    kind: RuleNodeKind
    children: tuple[RuleNode, ...] = ()
    trait_ids: tuple[int, ...] = ()
    frequency: Frequency | None = None

    @property
    def is_leaf(self) -> bool:
        """A trait, a frequency clause, or NOT of one of them: one line of the builder."""
        if self.kind == "not":
            return self.children[0].kind in ("trait", "frequency")
        return self.kind in ("trait", "frequency")

    @property
    def is_flat_group(self) -> bool:
        """An AND or OR group of leaves only: it reads as one line."""
        return self.kind in ("and", "or") and all(c.is_leaf for c in self.children)


def rule_structure(rule: str) -> RuleNode:
    """The tree of a segment rule; raises RuleSyntaxError as ``parse_segment_rule`` does."""
    return structure_of(parse_segment_rule(rule))


def structure_of(node: Node) -> RuleNode:
    """The builder's tree of a parsed rule."""
    if isinstance(node, TraitRef):
        return RuleNode("trait", trait_ids=(node.trait_id,))
    if isinstance(node, Frequency):
        return RuleNode("frequency", trait_ids=node.trait_ids, frequency=node)
    if isinstance(node, Not):
        return RuleNode("not", (structure_of(node.operand),))
    kind: RuleNodeKind = "and" if isinstance(node, And) else "or"
    children: list[RuleNode] = []
    for operand in node.operands:
        child = structure_of(operand)
        children.extend(child.children if child.kind == kind else (child,))
    return RuleNode(kind, tuple(children))


def leaves(node: RuleNode) -> list[RuleNode]:
    """The trait and frequency leaves, in the rule's order."""
    if node.kind in ("trait", "frequency"):
        return [node]
    return [leaf for child in node.children for leaf in leaves(child)]

