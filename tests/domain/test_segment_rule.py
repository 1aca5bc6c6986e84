"""Segment rule parser and trait references (aam-formats.md §9)."""

from __future__ import annotations

import json

import pytest

from explorer.domain.segment_rule import (
    And,
    Frequency,
    Not,
    Or,
    RuleSyntaxError,
    TraitRef,
    parse_segment_rule,
    referenced_trait_ids,
    referenced_traits,
    tokenize_segment_rule,
)
from tests.helpers.paths import DATA_DIR

SAMPLE_TENANT = DATA_DIR / "sample-tenant"


def test_plain_and_of_groups() -> None:
    assert parse_segment_rule("(1634962T) AND (1634961T OR 1634966T)") == And((
        TraitRef(1634962),
        Or((TraitRef(1634961), TraitRef(1634966))),
    ))


def test_and_binds_tighter_than_or() -> None:
    expected = Or((TraitRef(1), And((TraitRef(2), TraitRef(3)))))
    assert parse_segment_rule("1T OR 2T AND 3T") == expected


def test_and_not_and_bare_not() -> None:
    assert parse_segment_rule("(5T) AND NOT (4T)") == And((TraitRef(5), Not(TraitRef(4))))
    assert parse_segment_rule("NOT 4T") == Not(TraitRef(4))
    assert parse_segment_rule("NOT NOT 4T") == Not(Not(TraitRef(4)))


def test_keywords_and_suffixes_are_case_insensitive() -> None:
    assert parse_segment_rule("1t and not (2T Or 3T)") == And((
        TraitRef(1), Not(Or((TraitRef(2), TraitRef(3)))),
    ))
    node = parse_segment_rule("FREQUENCY([7t] >= 2d) == 4")
    assert node == Frequency((7,), ">=", 2, "==", 4)


def test_frequency_with_recency() -> None:
    node = parse_segment_rule("(frequency([1000001T, 1000002T] <= 7D) >= 3)")
    assert node == Frequency((1000001, 1000002), "<=", 7, ">=", 3)


def test_frequency_range_without_recency() -> None:
    node = parse_segment_rule("frequency([1000T]) >= 1 AND frequency([1000T]) <= 5")
    assert node == And((
        Frequency((1000,), None, None, ">=", 1),
        Frequency((1000,), None, None, "<=", 5),
    ))


def test_frequency_combined_with_traits() -> None:
    node = parse_segment_rule("(frequency([1000T] <= 2D) >= 5) AND NOT 9T")
    assert node == And((Frequency((1000,), "<=", 2, ">=", 5), Not(TraitRef(9))))


@pytest.mark.parametrize(
    ("rule", "position", "fragment"),
    [
        ("", 0, "empty"),
        ("   ", 0, "empty"),
        ("1T AND", 6, "rule ended"),
        ("(1T", 3, "')'"),
        ("1T)", 2, "end of the rule"),
        ("1T 2T", 3, "end of the rule"),
        ("1T AND OR 2T", 7, "trait reference"),
        ("123", 0, "trait reference"),
        ("1X", 0, "unexpected '1X'"),
        ("1T & 2T", 3, "unexpected '&'"),
        ("frequency(1T) >= 2", 10, "'['"),
        ("frequency([1T 2T]) >= 2", 14, "']'"),
        ("frequency([]) >= 2", 11, "trait reference"),
        ("frequency([1T] <= 7) >= 2", 18, "days"),
        ("frequency([1T] == 7D) >= 2", 15, "recency"),
        ("frequency([1T]) >= ", 19, "count"),
        ("frequency([1T]) 2", 16, "frequency operator"),
        ("frequency([1T]) <= 5", 0, "lower bound"),
        ("NOT 2T AND frequency([1T]) <= 5", 11, "lower bound"),
    ],
)
def test_malformed_rules_raise_with_position(rule: str, position: int, fragment: str) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse_segment_rule(rule)
    assert info.value.position == position
    assert fragment in info.value.message


def test_tokenizer_is_lossless_and_typed() -> None:
    rule = "(frequency([1T, 2t] <= 7D) >= 3) and NOT 9T @"
    tokens = tokenize_segment_rule(rule)
    assert "".join(t.text for t in tokens) == rule
    assert all(rule[t.start:t.end] == t.text for t in tokens)
    types = [t.type for t in tokens if t.type != "whitespace"]
    assert types == [
        "lparen", "frequency", "lparen", "lbracket", "trait", "comma", "trait", "rbracket",
        "op", "days", "rparen", "op", "number", "rparen", "and", "not", "trait", "error",
    ]


def test_referenced_traits_order_and_flags() -> None:
    refs = referenced_traits("(3T OR frequency([1T, 2T] <= 7D) >= 3) AND NOT (4T OR 1T)")
    assert refs == [
        TraitRef(3, in_frequency=False, negated=False),
        TraitRef(1, in_frequency=True, negated=False),
        TraitRef(2, in_frequency=True, negated=False),
        TraitRef(4, in_frequency=False, negated=True),
    ]


def test_trait_both_negated_and_required_is_not_negated() -> None:
    assert referenced_traits("NOT 5T OR 5T") == [TraitRef(5, negated=False)]
    assert referenced_traits("NOT 5T OR NOT (5T AND 6T)") == [
        TraitRef(5, negated=True), TraitRef(6, negated=True),
    ]


def test_double_negation_is_not_negated() -> None:
    assert referenced_traits("NOT (1T AND NOT 2T)") == [
        TraitRef(1, negated=True), TraitRef(2, negated=False),
    ]


def test_referenced_traits_falls_back_on_malformed_rules() -> None:
    # Unknown syntax must never lose a reference: the importer relies on it.
    assert referenced_trait_ids("1T AND (2T OR 3T") == [1, 2, 3]
    assert referenced_trait_ids("1T XOR 2T XOR 1T") == [1, 2]
    refs = referenced_traits("frequency([7T, 8T] within 3D) >= 2 AND 9T")
    assert refs == [TraitRef(7, True), TraitRef(8, True), TraitRef(9, False)]


def test_referenced_traits_of_empty_rules() -> None:
    assert referenced_traits("") == []
    assert referenced_traits(None) == []


def test_every_sample_tenant_rule_parses() -> None:
    segments = json.loads((SAMPLE_TENANT / "segments.json").read_text())
    records = segments["list"] if isinstance(segments, dict) else segments
    rules = [s["segmentRule"] for s in records]
    assert rules
    for rule in rules:
        parse_segment_rule(rule)
        assert referenced_traits(rule)
