"""Segment rules: the trait references they make, and a parser into a small AST.

Syntax (aam-formats.md §9): trait references ``<sid>T``; groups in parentheses joined with
``AND``, ``OR``, ``NOT`` / ``AND NOT``; recency and frequency as
``frequency([<sid>T, <sid>T] <= 7D) >= 3`` (recency ops ``>=``/``<=``, frequency ops
``>=``/``<=``/``==``). The traits of a frequency list are separated by commas, as Code View
writes them, or by ``OR``, as Adobe's sample app writes them: both mean the same OR-ed list.
Keywords and the ``T``/``D`` suffixes are case-insensitive.

Numbers are refused past what AAM stores: a trait id must fit SQLite's signed 64-bit integer
(below 2**63), a count or a number of days at most MAX_FREQUENCY_NUMBER; so a rule of any text
never reaches Python's int-string limit or overflows the workspace.

Precedence, loosest first: ``OR``, ``AND``, ``NOT``, then parentheses and atoms, the same
order AAM documents for trait rules.

``referenced_traits`` never fails: on a rule the parser rejects it falls back to a plain
``<digits>T`` scan, so an import never loses a reference because of a syntax it does not know.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import NoReturn

from explorer.domain.rule_tokens import RuleToken, tokenize

# ---------------------------------------------------------------------------------------------
# AST


@dataclass(frozen=True)
class TraitRef:
    """A trait the rule references.

    As an AST node, ``in_frequency``/``negated`` are False (the tree says where it sits). In the
    list ``referenced_traits`` returns they summarise every occurrence of the trait.
    """

    trait_id: int
    in_frequency: bool = False
    negated: bool = False


@dataclass(frozen=True)
class And:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    operands: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    operand: Node


@dataclass(frozen=True)
class Frequency:
    """``frequency([ids] <recency_op> <recency_days>D) <freq_op> <count>``; recency optional."""

    trait_ids: tuple[int, ...]
    recency_op: str | None
    recency_days: int | None
    freq_op: str
    count: int
    position: int = field(default=0, compare=False)


Node = TraitRef | And | Or | Not | Frequency


# Largest trait id a rule may name (SQLite's INTEGER), and the largest count or number of days
# a frequency clause may hold: AAM keeps profiles for months, so a billion is absurd already.
MAX_TRAIT_ID = 2**63 - 1
MAX_FREQUENCY_NUMBER = 999_999_999

# Deepest nesting of parentheses and NOTs the parser accepts. AAM's real rules stay within a
# handful of levels; the limit keeps the recursive parser (and every recursive walk of its
# AST: explanations, reference lists) far below Python's recursion limit.
MAX_RULE_DEPTH = 100


class RuleSyntaxError(ValueError):
    """A malformed segment rule; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at character {position + 1})")
        self.message = message
        self.position = position


# ---------------------------------------------------------------------------------------------
# Tokenizer


_TOKEN_RE = re.compile(
    r"(?P<whitespace>\s+)"
    r"|(?P<numeric>\d+[A-Za-z]*)"
    r"|(?P<word>[A-Za-z_]\w*)"
    r"|(?P<placeholder><[A-Za-z][^<>]*>)"
    r"|(?P<op>>=|<=|==|=>|=<|!=|>|<|=)"
    r"|(?P<lparen>\()|(?P<rparen>\))|(?P<lbracket>\[)|(?P<rbracket>\])|(?P<comma>,)"
)
_KEYWORDS = {"and": "and", "or": "or", "not": "not", "frequency": "frequency"}


def tokenize_segment_rule(rule: str) -> list[RuleToken]:
    """Split a segment rule into tokens, losslessly (unknown characters become ``error``).

    Token types: trait, days, number, and, or, not, frequency, op, lparen, rparen, lbracket,
    rbracket, comma, placeholder (a template's ``<traitId>``), whitespace or error.
    """
    return tokenize(rule, _TOKEN_RE, _token_type)


def _token_type(match: re.Match[str], previous_significant: str | None) -> str:
    return _classify(match.lastgroup or "error", match.group())


def _classify(kind: str, text: str) -> str:
    if kind == "numeric":
        suffix = text.lstrip("0123456789").lower()
        return {"": "number", "t": "trait", "d": "days"}.get(suffix, "error")
    if kind == "word":
        return _KEYWORDS.get(text.lower(), "error")
    if kind == "op":
        return "op" if text in (">=", "<=", "==") else "error"
    return kind


# ---------------------------------------------------------------------------------------------
# Parser


def parse_segment_rule(rule: str) -> Node:
    """Parse a segment rule into an AST, or raise RuleSyntaxError naming the offending place."""
    return _Parser(rule).parse()


class _Parser:
    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.tokens = [t for t in tokenize_segment_rule(rule) if t.type != "whitespace"]
        self.index = 0
        self.depth = 0

    # -- token helpers ------------------------------------------------------------------------
    def _peek(self) -> RuleToken | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _at(self, *types: str) -> bool:
        token = self._peek()
        return token is not None and token.type in types

    def _take(self, token_type: str, what: str) -> RuleToken:
        token = self._peek()
        if token is None or token.type != token_type:
            self._fail(f"expected {what}")
        self.index += 1
        return token

    def _fail(self, expected: str) -> NoReturn:
        token = self._peek()
        if token is None:
            raise RuleSyntaxError(f"{expected} but the rule ended", len(self.rule))
        if token.type == "error":
            raise RuleSyntaxError(f"unexpected {token.text!r}", token.start)
        if token.type == "placeholder":
            raise RuleSyntaxError(
                f"{token.text!r} is a template placeholder, not part of a real rule", token.start)
        raise RuleSyntaxError(f"{expected}, found {token.text!r}", token.start)

    # -- grammar ------------------------------------------------------------------------------
    def parse(self) -> Node:
        if not self.tokens:
            raise RuleSyntaxError("the rule is empty", 0)
        node = self._or()
        if self._peek() is not None:
            self._fail("expected AND, OR or the end of the rule")
        _check_upper_bounds(node)
        return node

    def _or(self) -> Node:
        return self._joined("or", self._and, Or)

    def _and(self) -> Node:
        return self._joined("and", self._not, And)

    def _joined(self, word: str, operand: Callable[[], Node],
                combined: Callable[[tuple[Node, ...]], Node]) -> Node:
        """Operands separated by the boolean ``word``: one operand alone, several combined."""
        operands = [operand()]
        while self._at(word):
            self.index += 1
            operands.append(operand())
        return operands[0] if len(operands) == 1 else combined(tuple(operands))

    def _not(self) -> Node:
        if self._at("not"):
            token = self._take("not", "NOT")
            self._enter(token)
            node = Not(self._not())
            self.depth -= 1
            return node
        return self._atom()

    def _enter(self, token: RuleToken) -> None:
        """Count one more nesting level (a '(' or a NOT); refuse past MAX_RULE_DEPTH."""
        self.depth += 1
        if self.depth > MAX_RULE_DEPTH:
            raise RuleSyntaxError(
                f"the rule nests deeper than {MAX_RULE_DEPTH} levels", token.start
            )

    def _atom(self) -> Node:
        token = self._peek()
        if token is not None and token.type == "trait":
            self.index += 1
            return TraitRef(_trait_id(token))
        if token is not None and token.type == "lparen":
            self.index += 1
            self._enter(token)
            node = self._or()
            self._take("rparen", "')'")
            self.depth -= 1
            return node
        if token is not None and token.type == "frequency":
            return self._frequency()
        if token is not None and token.type == "error" and token.text[0].isalpha():
            raise RuleSyntaxError(
                f"{token.text!r} is not a trait reference: a segment rule names traits by id, "
                "like 123T", token.start)
        if token is not None and token.type == "lbracket":
            raise RuleSyntaxError("a trait list [...] belongs inside frequency(...)",
                                  token.start)
        self._fail("expected a trait reference like 123T, '(', NOT or frequency(")

    def _frequency(self) -> Frequency:
        start = self._take("frequency", "frequency").start
        self._take("lparen", "'(' after frequency")
        self._take("lbracket", "'[' starting the trait list")
        trait_ids = [_trait_id(self._take("trait", "a trait reference like 123T"))]
        while self._at("comma", "or"):
            self.index += 1
            trait_ids.append(_trait_id(self._take("trait", "a trait reference like 123T")))
        self._take("rbracket", "',' or ']' in the trait list")
        recency_op = recency_days = None
        if self._at("op"):
            op_token = self._take("op", "a recency operator")
            recency_op = op_token.text
            if recency_op == "==":
                raise RuleSyntaxError("recency takes >= or <=, not ==", op_token.start)
            recency_days = _bounded_number(
                self._take("days", "a number of days like 7D"), "number of days")
        self._take("rparen", "')' closing frequency(")
        freq_op = self._take("op", "a frequency operator (>=, <= or ==)").text
        count = _bounded_number(self._take("number", "a count"), "count")
        return Frequency(tuple(trait_ids), recency_op, recency_days, freq_op, count, start)


def _digits(token: RuleToken) -> str:
    """The token's digits without leading zeros or its T/D suffix ("0" for zero)."""
    return token.text.rstrip("TtDd").lstrip("0") or "0"


def number_preview(digits: str) -> str:
    """A number as a message names it: whole when short, else its first digits and length."""
    if len(digits) <= 24:
        return digits
    return f"{digits[:12]}… ({len(digits):,} digits)"


def _beyond(digits: str, most: int) -> bool:
    """Whether the number written ``digits`` (no leading zeros) is larger than ``most``."""
    # The length test comes first: int() of more than 4,300 digits raises ValueError.
    return len(digits) > len(str(most)) or int(digits) > most


def _trait_id(token: RuleToken) -> int:
    return _bounded_number(token, "trait id", MAX_TRAIT_ID,
                           f"AAM's id range (at most {MAX_TRAIT_ID})")


def _bounded_number(token: RuleToken, what: str, most: int = MAX_FREQUENCY_NUMBER,
                    limit: str = f"{MAX_FREQUENCY_NUMBER:,}") -> int:
    """The token's number; RuleSyntaxError naming ``what`` and the ``limit`` past ``most``."""
    digits = _digits(token)
    if _beyond(digits, most):
        raise RuleSyntaxError(
            f"number out of range: {what} {number_preview(digits)} is beyond {limit}",
            token.start)
    return int(digits)


def is_bare_upper_bound(node: Node) -> bool:
    """``frequency([…]) <= n`` without recency: on its own it also matches every visitor who
    never qualified for the traits."""
    return isinstance(node, Frequency) and node.freq_op == "<=" and node.recency_op is None


def _check_upper_bounds(root: Node) -> None:
    """AAM does not validate a bare ``frequency([…]) <= n``; it does when the clause is AND-ed
    with something a visitor must have: a lower bound (``… >= 1 AND … <= 5``), another trait or
    a group. A sibling under NOT, or another bare upper bound, requires nothing."""
    for node, siblings in _frequencies_with_siblings(root, ()):
        if not is_bare_upper_bound(node):
            continue
        if not any(_requires_something(s) for s in siblings if s is not node):
            raise RuleSyntaxError(
                "frequency(...) <= n alone also matches visitors who never qualified: give it "
                "a recency, or AND it with a >= lower bound or another trait",
                node.position,
            )


def _requires_something(node: Node) -> bool:
    return not isinstance(node, Not) and not is_bare_upper_bound(node)


def _frequencies_with_siblings(
    node: Node, siblings: tuple[Node, ...]
) -> Iterator[tuple[Frequency, tuple[Node, ...]]]:
    if isinstance(node, Frequency):
        yield node, siblings
    elif isinstance(node, And):
        for child in node.operands:
            yield from _frequencies_with_siblings(child, node.operands)
    elif isinstance(node, Or):
        for child in node.operands:
            yield from _frequencies_with_siblings(child, ())
    elif isinstance(node, Not):
        yield from _frequencies_with_siblings(node.operand, ())


# ---------------------------------------------------------------------------------------------
# References

_TRAIT_SCAN_RE = re.compile(r"\b(\d+)[Tt]\b")
_FREQUENCY_LIST_RE = re.compile(r"frequency\s*\(\s*\[[^\]]*\]", re.IGNORECASE)


def referenced_traits(rule: str | None) -> list[TraitRef]:
    """Every distinct trait the rule references, in order of first appearance.

    ``in_frequency`` is True if any occurrence sits inside ``frequency([...])``. ``negated`` is
    True only if *every* occurrence is under an odd number of NOTs: a trait that the rule also
    requires positively is not "excluded" by the segment, and a reader who sees negated=True
    can trust that the trait only ever removes visitors.
    On a rule the parser rejects, references come from a plain ``<digits>T`` scan (negation
    is then unknown and reported as False); a number too large to be a trait id is left out.
    """
    if not rule or not rule.strip():
        return []
    try:
        root = parse_segment_rule(rule)
    except RuleSyntaxError:
        return _scan_references(rule)
    merged: dict[int, TraitRef] = {}
    for ref in _occurrences(root, negated=False):
        seen = merged.get(ref.trait_id)
        if seen is None:
            merged[ref.trait_id] = ref
        else:
            merged[ref.trait_id] = TraitRef(
                ref.trait_id,
                in_frequency=seen.in_frequency or ref.in_frequency,
                negated=seen.negated and ref.negated,
            )
    return list(merged.values())


def _occurrences(node: Node, *, negated: bool) -> Iterator[TraitRef]:
    if isinstance(node, TraitRef):
        yield TraitRef(node.trait_id, in_frequency=False, negated=negated)
    elif isinstance(node, Frequency):
        for trait_id in node.trait_ids:
            yield TraitRef(trait_id, in_frequency=True, negated=negated)
    elif isinstance(node, Not):
        yield from _occurrences(node.operand, negated=not negated)
    else:
        for child in node.operands:
            yield from _occurrences(child, negated=negated)


def _scan_references(rule: str) -> list[TraitRef]:
    in_frequency_spans = [m.span() for m in _FREQUENCY_LIST_RE.finditer(rule)]
    merged: dict[int, TraitRef] = {}
    for match in _TRAIT_SCAN_RE.finditer(rule):
        digits = match.group(1).lstrip("0") or "0"
        if _beyond(digits, MAX_TRAIT_ID):
            continue  # not an id AAM can hold; the parser's error names it
        trait_id = int(digits)
        inside = any(start <= match.start() < end for start, end in in_frequency_spans)
        seen = merged.get(trait_id)
        in_frequency = inside or (seen is not None and seen.in_frequency)
        merged[trait_id] = TraitRef(trait_id, in_frequency=in_frequency)
    return list(merged.values())


def unindexable_trait_ids(rule: str) -> list[str]:
    """A message for each ``<digits>T`` in the rule whose number cannot be a trait id (the
    fallback scan leaves them out; the import warns with these)."""
    messages = []
    for match in _TRAIT_SCAN_RE.finditer(rule):
        digits = match.group(1).lstrip("0") or "0"
        if _beyond(digits, MAX_TRAIT_ID):
            messages.append(f"trait id {number_preview(digits)} in the rule is beyond AAM's id "
                            "range; that reference is not indexed")
    return messages


def referenced_trait_ids(rule: str | None) -> list[int]:
    """Just the ids, in order of first appearance."""
    return [ref.trait_id for ref in referenced_traits(rule)]
