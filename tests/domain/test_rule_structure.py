"""The segment rule as the segment builder draws it."""

from __future__ import annotations

import pytest

from explorer.domain.rule_structure import RuleNode, leaves, rule_structure
from explorer.domain.segment_rule import Frequency, RuleSyntaxError


def trait(trait_id: int) -> RuleNode:
    return RuleNode("trait", trait_ids=(trait_id,))


def test_nested_frequency_rule_structure() -> None:
    tree = rule_structure("(frequency([1T, 2T] <= 14D) >= 3) AND NOT (3T) AND (4T OR (5T AND 6T))")
    clause = Frequency((1, 2), "<=", 14, ">=", 3)
    assert tree == RuleNode("and", (
        RuleNode("frequency", trait_ids=(1, 2), frequency=clause),
        RuleNode("not", (trait(3),)),
        RuleNode("or", (trait(4), RuleNode("and", (trait(5), trait(6))))),
    ))
    assert [child.is_leaf for child in tree.children] == [True, True, False]
    assert not tree.is_flat_group
    assert tree.children[2].children[1].is_flat_group
    assert [leaf.trait_ids for leaf in leaves(tree)] == [(1, 2), (3,), (4,), (5,), (6,)]


def test_groups_of_the_same_kind_merge_and_others_stay() -> None:
    assert rule_structure("((1T AND 2T) AND 3T) AND (4T OR 5T)") == RuleNode("and", (
        trait(1), trait(2), trait(3), RuleNode("or", (trait(4), trait(5))),
    ))
    assert rule_structure("(1T OR 2T) OR NOT (3T OR 4T)") == RuleNode("or", (
        trait(1), trait(2), RuleNode("not", (RuleNode("or", (trait(3), trait(4))),)),
    ))


def test_not_of_a_group_is_not_a_leaf() -> None:
    tree = rule_structure("NOT (1T AND 2T)")
    assert tree.kind == "not" and not tree.is_leaf
    assert rule_structure("NOT 1T").is_leaf


def test_unreadable_rule_raises_the_parser_error() -> None:
    with pytest.raises(RuleSyntaxError, match="unexpected '\\?'"):
        rule_structure("1T?")
