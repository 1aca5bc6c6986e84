"""A segment rule's trait references without building its tree: one pass over its tokens.

``scan_references`` gives exactly what ``referenced_traits`` gives for a rule the parser
accepts (the same ids in the same order, the same ``in_frequency`` and ``negated`` flags), and
None for every rule the parser refuses (syntax, nesting deeper than MAX_RULE_DEPTH, a number
out of range, a bare ``frequency(...) <= n``), so a caller falls back to the parser for the
reason. The import uses it for the ``segment_traits`` table, where the full parse cost ~75 µs
a rule; explaining a rule still parses it.

The pass keeps one frame per open parenthesis: the parity of the NOTs above it, and what the
parser needs to judge a bare upper-bound frequency, namely the operands of the current run of
ANDs (the parser's ``And`` node) and whether the group is a single operand (the parser returns
that operand itself, so it is the outer level's sibling).
"""

from __future__ import annotations

import re

from explorer.domain.segment_rule import (
    MAX_FREQUENCY_NUMBER,
    MAX_RULE_DEPTH,
    MAX_TRAIT_ID,
    TraitRef,
    referenced_traits,
    unindexable_trait_ids,
)

# The segment tokenizer's token boundaries: a number with its letters (``123T``, ``7D``), a
# word, a two-character operator, else any one character. Leading whitespace is skipped.
# Digits are ASCII only: the tokenizer makes a number with any other digit an error token, so
# here such a digit falls to ``\S`` or into a word, both refused.
_TOKEN_RE = re.compile(r"\s*(?:([0-9]+)([A-Za-z]*)|([<>=]=|[A-Za-z_]\w*|\S))")
_KINDS = {"and": "and", "or": "or", "not": "not", "frequency": "frequency", "(": "(", ")": ")",
          "[": "[", "]": "]", ",": ",", ">=": "op", "<=": "op", "==": "op"}
_SUFFIXES = {"": "number", "t": "trait", "T": "trait", "d": "days", "D": "days"}

# What an operand is to the upper-bound check (see segment_rule._check_upper_bounds).
_PLAIN, _NEGATED, _BARE_UPPER = 0, 1, 2
# A frame's slots: one per open parenthesis (and one for the whole rule).
_PARITY, _RUNS, _RUN_LENGTH, _RUN_PLAIN, _RUN_BARE, _FIRST, _NOTS = range(7)
_TRAIT_DIGITS = len(str(MAX_TRAIT_ID))
_COUNT_DIGITS = len(str(MAX_FREQUENCY_NUMBER))


# The commonest rules need no machine: operands of trait references in up to two levels of
# parentheses, each operand maybe under one NOT, joined by AND/OR with one space each side, no
# frequency. Every such text parses; a reference is negated where its operand has the NOT.
# 18 digits stay below 2**63.
_TRAIT = r"[0-9]{1,18}[Tt]"
_JOIN = r" (?i:and|or) "
_INNER_GROUP = rf"(?:{_TRAIT}|\({_TRAIT}(?:{_JOIN}{_TRAIT})*\))"
_OUTER_GROUP = rf"(?:{_TRAIT}|\({_INNER_GROUP}(?:{_JOIN}{_INNER_GROUP})*\))"
_OPERAND = rf"(?:(?i:not) )?{_OUTER_GROUP}"
_PLAIN_RULE_RE = re.compile(rf"{_OPERAND}(?:{_JOIN}{_OPERAND})*")
_OPERAND_RE = re.compile(rf"((?i:not) )?({_OUTER_GROUP})")
_TRAIT_ID_RE = re.compile(r"([0-9]+)[Tt]")
_NOT_RE = re.compile(r"(?i)not ")  # in a plain rule only the keyword has these letters


class _Refused(Exception):
    """The parser would refuse the rule."""


# A reference as the import stores it: (trait id, in a frequency clause, negated). Plain
# tuples: building a frozen dataclass per reference would cost as much as the scan itself.
Row = tuple[int, bool, bool]


def scan_references(rule: str | None) -> list[TraitRef] | None:
    """The rule's references as ``referenced_traits`` lists them, or None where
    ``parse_segment_rule`` refuses the rule. A blank rule has none."""
    rows = scan_rows(rule)
    return None if rows is None else [TraitRef(*row) for row in rows]


def scan_rows(rule: str | None) -> list[Row] | None:
    """``scan_references`` as (trait id, in_frequency, negated) rows."""
    if not rule or not rule.strip():
        return []
    if _PLAIN_RULE_RE.fullmatch(rule):
        return _plain_rows(rule)
    tokens = _TOKEN_RE.findall(rule)
    kinds = [_SUFFIXES.get(suffix, "bad") if digits else _KINDS.get(other.lower(), "bad")
             for digits, suffix, other in tokens]
    try:
        return _scan(tokens, kinds)
    except _Refused:
        return None


def _plain_rows(rule: str) -> list[Row]:
    if _NOT_RE.search(rule) is None:
        return [(trait_id, False, False)
                for trait_id in dict.fromkeys(map(int, _TRAIT_ID_RE.findall(rule)))]
    negated: dict[int, bool] = {}  # id -> every occurrence negated
    for operand in _OPERAND_RE.finditer(rule):
        under_not = operand.group(1) is not None
        for digits in _TRAIT_ID_RE.findall(operand.group(2)):
            trait_id = int(digits)
            negated[trait_id] = negated.get(trait_id, True) and under_not
    return [(trait_id, False, flag) for trait_id, flag in negated.items()]


def _number(digits: str, max_digits: int, limit: int) -> int:
    digits = digits.lstrip("0") or "0"
    if len(digits) > max_digits:
        raise _Refused  # before int(): past 4,300 digits it raises ValueError
    value = int(digits)
    if value > limit:
        raise _Refused
    return value


def _end_run(frame: list[int], *, last: bool) -> None:
    """Judge the run of ANDs that just ended (at OR, or as the ``last`` of its level): a bare
    upper bound needs a sibling that requires something, unless it is its level's only
    operand (the parser then hands it up as an operand of the level above)."""
    if not frame[_RUN_BARE]:
        return
    only_operand = last and frame[_RUNS] == 1 and frame[_RUN_LENGTH] == 1
    if not only_operand and (frame[_RUN_LENGTH] == 1 or not frame[_RUN_PLAIN]):
        raise _Refused


def _add(frame: list[int], operand: int) -> None:
    """An operand ended at this level: the NOTs in front of it apply, then it joins the run."""
    if frame[_NOTS]:
        if operand == _BARE_UPPER:
            raise _Refused  # under NOT it has no sibling to bound it
        operand = _NEGATED
        frame[_NOTS] = 0
    if frame[_RUNS] == 1 and frame[_RUN_LENGTH] == 0:
        frame[_FIRST] = operand
    frame[_RUN_LENGTH] += 1
    if operand == _PLAIN:
        frame[_RUN_PLAIN] = 1
    elif operand == _BARE_UPPER:
        frame[_RUN_BARE] = 1


def _close(frame: list[int]) -> int:
    """End a level; the class of the operand it is to the level above."""
    _end_run(frame, last=True)
    return frame[_FIRST] if frame[_RUNS] == 1 and frame[_RUN_LENGTH] == 1 else _PLAIN


def _scan(tokens: list[tuple[str, str, str]], kinds: list[str]
          ) -> list[Row]:
    found: dict[int, list[bool]] = {}  # id -> [in_frequency, negated]
    frame = [0, 1, 0, 0, 0, _PLAIN, 0]
    frames = [frame]
    depth = 0  # open parentheses and NOTs, as the parser counts them
    expect_operand = True
    index, count = 0, len(tokens)
    while index < count:
        kind = kinds[index]
        index += 1
        if not expect_operand:
            if kind == "and":
                expect_operand = True
            elif kind == "or":
                _end_run(frame, last=False)
                frame[_RUNS] += 1
                frame[_RUN_LENGTH] = frame[_RUN_PLAIN] = frame[_RUN_BARE] = 0
                expect_operand = True
            elif kind == ")" and len(frames) > 1:
                operand = _close(frames.pop())
                frame = frames[-1]
                depth -= 1 + frame[_NOTS]
                _add(frame, operand)
            else:
                raise _Refused
            continue
        negated = frame[_PARITY] ^ (frame[_NOTS] & 1)
        if kind == "not" or kind == "(":
            depth += 1
            if depth > MAX_RULE_DEPTH:
                raise _Refused
            if kind == "not":
                frame[_NOTS] += 1
            else:
                frame = [negated, 1, 0, 0, 0, _PLAIN, 0]
                frames.append(frame)
            continue
        if kind == "trait":
            trait_id = _number(tokens[index - 1][0], _TRAIT_DIGITS, MAX_TRAIT_ID)
            seen = found.get(trait_id)
            if seen is None:
                found[trait_id] = [False, bool(negated)]
            elif seen[1] and not negated:
                seen[1] = False
            operand = _PLAIN
        elif kind == "frequency":
            index, ids, bare_upper = _frequency(tokens, kinds, index)
            for trait_id in ids:
                seen = found.get(trait_id)
                if seen is None:
                    found[trait_id] = [True, bool(negated)]
                else:
                    seen[0] = True
                    seen[1] = seen[1] and bool(negated)
            operand = _BARE_UPPER if bare_upper else _PLAIN
        else:
            raise _Refused
        depth -= frame[_NOTS]
        _add(frame, operand)
        expect_operand = False
    if expect_operand or len(frames) > 1 or _close(frame) == _BARE_UPPER:
        raise _Refused
    return [(trait_id, flags[0], flags[1]) for trait_id, flags in found.items()]


def _frequency(tokens: list[tuple[str, str, str]], kinds: list[str], index: int
               ) -> tuple[int, list[int], bool]:
    """Read ``( [ idT, … ] [op nD] ) op n`` after ``frequency``: the index after it, its
    trait ids, and whether it is a bare upper bound."""
    end = len(tokens)

    def take(kind: str) -> tuple[str, str, str]:
        nonlocal index
        if index >= end or kinds[index] != kind:
            raise _Refused
        index += 1
        return tokens[index - 1]

    take("(")
    take("[")
    ids = [_number(take("trait")[0], _TRAIT_DIGITS, MAX_TRAIT_ID)]
    while index < end and kinds[index] in (",", "or"):
        index += 1
        ids.append(_number(take("trait")[0], _TRAIT_DIGITS, MAX_TRAIT_ID))
    take("]")
    has_recency = index < end and kinds[index] == "op"
    if has_recency:
        if take("op")[2] == "==":
            raise _Refused
        _number(take("days")[0], _COUNT_DIGITS, MAX_FREQUENCY_NUMBER)
    take(")")
    freq_op = take("op")[2]
    _number(take("number")[0], _COUNT_DIGITS, MAX_FREQUENCY_NUMBER)
    return index, ids, freq_op == "<=" and not has_recency


def references_for_index(rule: str | None) -> tuple[list[Row], list[str]]:
    """The rows the import stores for a segment: the scanner's answer, or for a rule the
    parser refuses its plain ``<digits>T`` fallback; and one message per reference left out
    because its number cannot be a trait id (the import warns with it, naming the segment)."""
    rows = scan_rows(rule)
    if rows is not None:
        return rows, []
    assert rule is not None  # a blank rule has an answer
    fallback = [(ref.trait_id, ref.in_frequency, ref.negated) for ref in referenced_traits(rule)]
    return fallback, unindexable_trait_ids(rule)
