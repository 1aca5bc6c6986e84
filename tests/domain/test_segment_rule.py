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


# -- The forms Adobe's documentation, lab and sample app write (own ids) -----------------------

F = Frequency
ACCEPTED_FORMS = [
    # Code View: groups in parentheses, AND / OR.
    ("(4100002T) AND (4100001T OR 4100006T)",
     And((TraitRef(4100002), Or((TraitRef(4100001), TraitRef(4100006)))))),
    # The lab's category segment: product traits joined by OR.
    ("711T OR 822T", Or((TraitRef(711), TraitRef(822)))),
    # The sample app's one-trait segment.
    ("9090T", TraitRef(9090)),
    # The sample app's rule grown by appending " OR <sid>T".
    ("(5T) OR 6T OR 7T", Or((TraitRef(5), TraitRef(6), TraitRef(7)))),
    # Code View's base syntax, upper-case FREQUENCY over two lines, no spaces.
    ("FREQUENCY([31T,32T]<=3D)\n>=2", F((31, 32), "<=", 3, ">=", 2)),
    # Frequency capping: recency inside the brackets, frequency outside, all in parentheses.
    ("(frequency([3000T] <= 4D) >= 6)", F((3000,), "<=", 4, ">=", 6)),
    # A range: at least once and at most five times.
    ("frequency([3000T]) >= 1  AND  frequency([3000T]) <= 5",
     And((F((3000,), None, None, ">=", 1), F((3000,), None, None, "<=", 5)))),
    # An upper bound AND-ed with another trait is valid (it no longer matches everyone).
    ("frequency([3000T]) <= 5 AND 4000T",
     And((F((3000,), None, None, "<=", 5), TraitRef(4000)))),
    ("4000T AND (frequency([3000T]) <= 5)",
     And((TraitRef(4000), F((3000,), None, None, "<=", 5)))),
    # The sample app's frequency list joined by OR: the same OR-ed list as commas.
    ("frequency([61T OR 62T OR 63T] <= 5D) >=2", F((61, 62, 63), "<=", 5, ">=", 2)),
    ("frequency([61T or 62T, 63T] <= 5D) >= 2", F((61, 62, 63), "<=", 5, ">=", 2)),
]


@pytest.mark.parametrize(("rule", "tree"), ACCEPTED_FORMS)
def test_documented_forms_are_read(rule: str, tree: object) -> None:
    assert parse_segment_rule(rule) == tree


def test_or_list_in_frequency_gives_the_same_references_as_commas() -> None:
    expected = [TraitRef(61, in_frequency=True), TraitRef(62, in_frequency=True)]
    assert referenced_traits("frequency([61T OR 62T] <= 5D) >= 2") == expected
    assert referenced_traits("frequency([61T, 62T] <= 5D) >= 2") == expected


BARE_UPPER = ("frequency(...) <= n alone also matches visitors who never qualified: give it a "
              "recency, or AND it with a >= lower bound or another trait")
REFUSED_FORMS = [
    # The docs' own WRONG example: at most 5 times also matches who never qualified.
    ("frequency([3000T]) <= 5", BARE_UPPER, 0),
    ("frequency([3000T]) <= 5 OR 4000T", BARE_UPPER, 0),
    ("NOT 4000T AND frequency([3000T]) <= 5", BARE_UPPER, 14),
    ("NOT (frequency([3000T]) <= 5) AND 4000T", BARE_UPPER, 5),
    # A trait written by name, as the docs' prose does.
    ("frequency([3000T]) <= 5 AND isFrequentVisitor",
     "'isFrequentVisitor' is not a trait reference: a segment rule names traits by id, like "
     "123T", 28),
    ("Saw Banner 42 AND NOT Clicked Banner",
     "'Saw' is not a trait reference: a segment rule names traits by id, like 123T", 0),
    # A stray character after a published rule.
    ("(frequency([3000T] <= 4D) >= 6)?", "unexpected '?'", 31),
    # Templates with placeholders.
    ("<someTraitId>T", "'<someTraitId>' is a template placeholder, not part of a real rule", 0),
    ("<currentRule> OR <someTraitId>T",
     "'<currentRule>' is a template placeholder, not part of a real rule", 0),
    ("frequency([<first>T OR <second>T] <= 5D) >=2",
     "'<first>' is a template placeholder, not part of a real rule", 11),
    ("FREQUENCY([<idA>T,<idB>T]<Recency Op><Days>D)\n<Freq Op><Count>",
     "'<idA>' is a template placeholder, not part of a real rule", 11),
    # The trait-list fragment alone.
    ("[123T, 456T]", "a trait list [...] belongs inside frequency(...)", 0),
]


# -- Numbers beyond what AAM (and Python's int-string limit) can hold --------------------------

TRAIT_BEYOND = ("number out of range: trait id 111111111111… (5,000 digits) is beyond AAM's id "
                "range (at most 9223372036854775807)")
HUGE_RULES = [
    ("(" + "1" * 5000 + "T) OR (1000001T)", TRAIT_BEYOND, 1),
    ("frequency([1T]) >= " + "1" * 5000,
     "number out of range: count 111111111111… (5,000 digits) is beyond 999,999,999", 19),
    ("frequency([1T] <= " + "1" * 5000 + "D) >= 2",
     "number out of range: number of days 111111111111… (5,000 digits) is beyond 999,999,999",
     18),
    (f"{2**63}T AND 5T", "number out of range: trait id 9223372036854775808 is beyond AAM's id "
     "range (at most 9223372036854775807)", 0),
    (f"frequency([{2**63}T]) >= 1", "number out of range: trait id 9223372036854775808 is "
     "beyond AAM's id range (at most 9223372036854775807)", 11),
    ("frequency([1T] <= 1000000000D) >= 1",
     "number out of range: number of days 1000000000 is beyond 999,999,999", 18),
]


@pytest.mark.parametrize(("rule", "message", "position"), REFUSED_FORMS + HUGE_RULES)
def test_refused_forms_and_numbers_out_of_range_say_why(rule: str, message: str, position: int
                                                        ) -> None:
    with pytest.raises(RuleSyntaxError) as info:
        parse_segment_rule(rule)
    assert info.value.message == message
    assert info.value.position == position


@pytest.mark.parametrize(("rule", "expected"), [
    ("(" + "1" * 5000 + "T) OR (1000001T)", [TraitRef(1000001)]),
    ("frequency([1T]) >= " + "1" * 5000, [TraitRef(1, in_frequency=True)]),
    ("frequency([1T] <= " + "1" * 5000 + "D) >= 2", [TraitRef(1, in_frequency=True)]),
    (f"{2**63}T AND 5T", [TraitRef(5)]),
])
def test_references_of_out_of_range_rules_leave_the_number_out(
        rule: str, expected: list[TraitRef]) -> None:
    assert referenced_traits(rule) == expected


def test_largest_trait_id_and_leading_zeros_are_accepted() -> None:
    assert parse_segment_rule(f"{2**63 - 1}T") == TraitRef(2**63 - 1)
    assert parse_segment_rule("0000000000000000000000000007T") == TraitRef(7)
    assert parse_segment_rule("frequency([1T] <= 999999999D) >= 999999999") == F(
        (1,), "<=", 999_999_999, ">=", 999_999_999)
