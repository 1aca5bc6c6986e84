"""The one-pass reference scanner gives exactly the parser's answer."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Iterator
from typing import Any

import pytest

from explorer.domain.rule_references import references_for_index, scan_references
from explorer.domain.segment_rule import (
    MAX_RULE_DEPTH,
    RuleSyntaxError,
    TraitRef,
    parse_segment_rule,
    referenced_traits,
)
from tests.helpers.paths import DATA_DIR, DEMO_DIR


def parser_answer(rule: str) -> list[TraitRef] | None:
    """What the scanner must say: the parser's references, or None where it refuses."""
    if not rule.strip():
        return []
    try:
        parse_segment_rule(rule)
    except RuleSyntaxError:
        return None
    return referenced_traits(rule)


# -- every rule of the project's fixtures ------------------------------------------------------


def _rules_in(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "segmentRule" and isinstance(item, str):
                yield item
            else:
                yield from _rules_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from _rules_in(item)


def fixture_rules() -> list[str]:
    rules: list[str] = []
    for root in (DATA_DIR, DEMO_DIR):
        for path in sorted(root.rglob("*.json")):
            try:
                rules += _rules_in(json.loads(path.read_text(encoding="utf-8")))
            except (ValueError, UnicodeDecodeError):
                continue  # the bad-input fixtures hold files that are not JSON on purpose
        for path in sorted(root.rglob("*.csv")):
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                rules += [row["segmentRule"] for row in csv.DictReader(handle)
                          if row.get("segmentRule")]
    return rules


def test_scanner_agrees_with_the_parser_on_every_fixture_rule() -> None:
    rules = fixture_rules()
    assert len(rules) >= 100  # the demo tenant alone has 85 segments
    for rule in rules:
        assert scan_references(rule) == parser_answer(rule), rule


# -- a generated corpus ------------------------------------------------------------------------


class RuleMaker:
    """Random segment rules, most well formed and some broken on purpose."""

    IDS = ("1T", "22T", "22t", "0T", "0007T", "7T", "333T", f"{2**63 - 1}T", f"{2**63}T",
           "1" * 30 + "T", "4444T")

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def trait(self) -> str:
        return self.rng.choice(self.IDS)

    def frequency(self) -> str:
        rng = self.rng
        ids = [self.trait() for _ in range(rng.randint(1, 3))]
        separator = rng.choice([", ", ",", " OR ", " or "])
        recency = rng.choice(["", "", " <= 7D", " >= 30d", " == 3D", " <= 999999999D",
                              " <= 1000000000D", " <= 7"])
        operator = rng.choice([">=", "<=", "==", ">"])
        count = rng.choice(["1", "3", "0", "999999999", "1000000000", "2x"])
        keyword = rng.choice(["frequency", "FREQUENCY", "Frequency"])
        return f"{keyword}([{separator.join(ids)}]{recency}) {operator} {count}"

    def expression(self, depth: int) -> str:
        rng = self.rng
        roll = rng.random()
        if depth > 4 or roll < 0.3:
            return self.frequency() if rng.random() < 0.3 else self.trait()
        if roll < 0.45:
            return rng.choice(["NOT ", "not ", "NOT NOT "]) + self.expression(depth + 1)
        if roll < 0.6:
            return "(" + self.expression(depth + 1) + ")"
        joiner = rng.choice([" AND ", " OR ", " AND NOT ", " and ", " Or "])
        return joiner.join(self.expression(depth + 1) for _ in range(rng.randint(2, 4)))

    def broken(self, rule: str) -> str:
        rng = self.rng
        at = rng.randrange(len(rule) + 1)
        if rng.random() < 0.5 and rule:
            return rule[:at] + rule[at + 1:]
        noise = rng.choice(["(", ")", "[", "]", ",", "T", "NOT ", " AND", "OR ", "<=", "x",
                            "1", "?", "<id>", "\n", "é", "٣"])
        return rule[:at] + noise + rule[at:]

    def rule(self) -> str:
        rule = self.expression(0)
        roll = self.rng.random()
        if roll < 0.3:
            return self.broken(rule)
        if roll < 0.32:
            depth = self.rng.choice([MAX_RULE_DEPTH, MAX_RULE_DEPTH + 1])
            return "(" * depth + rule + ")" * depth
        if roll < 0.34:
            return "NOT " * self.rng.choice([MAX_RULE_DEPTH, MAX_RULE_DEPTH + 1]) + "5T"
        return rule


def test_scanner_agrees_with_the_parser_on_a_generated_corpus() -> None:
    maker = RuleMaker(seed=18)
    accepted = refused = negated = in_frequency = 0
    for _ in range(6000):
        rule = maker.rule()
        expected = parser_answer(rule)
        assert scan_references(rule) == expected, rule
        if expected is None:
            refused += 1
        else:
            accepted += 1
            negated += any(ref.negated for ref in expected)
            in_frequency += any(ref.in_frequency for ref in expected)
    # The corpus exercises both answers and both flags, not only one of them.
    assert accepted > 1000 and refused > 1000, (accepted, refused)
    assert negated > 100 and in_frequency > 100, (negated, in_frequency)


@pytest.mark.parametrize("rule", [
    "frequency([1T]) <= 5",
    "frequency([1T]) <= 5 OR 2T",
    "NOT frequency([1T]) <= 5 AND 2T",
    "((frequency([1T]) <= 5)) AND NOT 2T",
    "(frequency([1T]) <= 5 AND frequency([2T]) <= 5) AND 3T",
    "(" * (MAX_RULE_DEPTH + 1) + "1T" + ")" * (MAX_RULE_DEPTH + 1),
    "NOT " * (MAX_RULE_DEPTH + 1) + "1T",
    f"{2**63}T",
    "frequency([1T] == 3D) >= 1",
])
def test_scanner_refuses_what_the_parser_refuses(rule: str) -> None:
    with pytest.raises(RuleSyntaxError):
        parse_segment_rule(rule)
    assert scan_references(rule) is None


@pytest.mark.parametrize(("rule", "expected"), [
    ("((frequency([1T]) <= 5)) AND 2T",
     [TraitRef(1, in_frequency=True), TraitRef(2)]),
    ("NOT (2T AND frequency([1T]) <= 5) OR 3T",
     [TraitRef(2, negated=True), TraitRef(1, in_frequency=True, negated=True), TraitRef(3)]),
    ("NOT 5T OR 5T AND NOT NOT 6T", [TraitRef(5), TraitRef(6)]),
    ("(07T OR 7T) AND (8T)", [TraitRef(7), TraitRef(8)]),  # one trait, however written
    ("(1T AND (2T OR (3T)))", [TraitRef(1), TraitRef(2), TraitRef(3)]),
    ("", []),
    ("   ", []),
])
def test_scanner_answers(rule: str, expected: list[TraitRef]) -> None:
    assert scan_references(rule) == expected
    assert parser_answer(rule) == expected


# -- what the import stores --------------------------------------------------------------------


def test_references_for_index_of_readable_and_refused_rules() -> None:
    assert references_for_index("1T AND NOT 2T") == ([(1, False, False), (2, False, True)], [])
    assert references_for_index("frequency([3T] <= 2D) >= 1") == ([(3, True, False)], [])
    # Refused: the parser's fallback scan, and no warning when nothing was left out.
    assert references_for_index("1T XOR 2T") == ([(1, False, False), (2, False, False)], [])
    assert references_for_index(None) == ([], [])


@pytest.mark.parametrize(("rule", "kept", "left_out"), [
    (f"({2**63}T) OR (1000001T)", [(1000001, False, False)], "9223372036854775808"),
    ("(" + "1" * 5000 + "T) OR (1000001T)", [(1000001, False, False)],
     "111111111111… (5,000 digits)"),
])
def test_references_for_index_leaves_out_ids_beyond_range_with_a_message(
        rule: str, kept: list[tuple[int, bool, bool]], left_out: str) -> None:
    references, messages = references_for_index(rule)
    assert references == kept
    assert messages == [f"trait id {left_out} in the rule is beyond AAM's id range; that "
                        "reference is not indexed"]
