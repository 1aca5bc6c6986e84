"""Trait rules tokenized losslessly, so the GUI can highlight them and the report render them.

Syntax (aam-formats.md §9): ``key <op> value`` comparisons joined with ``AND`` / ``OR`` /
``NOT`` and grouped with parentheses; operators ``== != > < >= <= => =`` and the named
``contains matcheswords startswith endswith matchesregex`` (named operators and boolean words
are case-insensitive). Strings are double-quoted (single quotes are accepted too) with
backslash escapes; keys may contain dots (``c_contextdata.catname``).

The tokenizer never fails: characters it cannot place become ``error`` tokens, and
concatenating every token's text gives back the rule exactly. ``check_trait_rule`` says whether
the tokens form a rule: comparisons ``key <op> value`` joined by ``AND``/``OR``, each optionally
under ``NOT``, grouped with parentheses; it raises RuleSyntaxError naming what is wrong.
"""

from __future__ import annotations

import re
from typing import NoReturn

from explorer.domain.rule_tokens import RuleToken as Token
from explorer.domain.rule_tokens import tokenize
from explorer.domain.segment_rule import MAX_RULE_DEPTH, RuleSyntaxError

TOKEN_TYPES = (
    "key", "operator", "string", "number", "bool_op", "lparen", "rparen", "whitespace", "error",
)
NAMED_OPERATORS = ("contains", "matcheswords", "startswith", "endswith", "matchesregex")
SYMBOL_OPERATORS = ("==", "!=", ">=", "<=", "=>", ">", "<", "=")
BOOL_WORDS = ("and", "or", "not")


_TOKEN_RE = re.compile(
    r"(?P<whitespace>\s+)"
    r"|(?P<string>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
    r"|(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?![\w.]))"
    r"|(?P<word>[A-Za-z_0-9][\w.\-]*)"
    r"|(?P<operator>==|!=|>=|<=|=>|>|<|=)"
    r"|(?P<lparen>\()|(?P<rparen>\))"
    # an opening quote with no closing one: the rest of the rule is one error token
    r"|(?P<error>(?s:[\"'].*))"
)


def tokenize_trait_rule(rule: str) -> list[Token]:
    """Split a trait rule into typed tokens (lossless)."""
    return tokenize(rule, _TOKEN_RE, _token_type)


def _token_type(match: re.Match[str], previous_significant: str | None) -> str:
    group = match.lastgroup
    if group != "word":
        return group or "error"
    lowered = match.group().lower()
    if lowered in NAMED_OPERATORS:
        return "operator"
    if lowered in BOOL_WORDS:
        return "bool_op"
    # A bare word right after an operator is a value (``ic == abc``), not another key.
    return "string" if previous_significant == "operator" else "key"


def string_value(token: Token) -> str:
    """The text a string token stands for: quotes removed, backslash escapes resolved.

    A bare-word value (no quotes) is returned as written.
    """
    text = token.text
    if len(text) >= 2 and text[0] in "\"'" and text[-1] == text[0]:
        return re.sub(r"\\(.)", r"\1", text[1:-1], flags=re.DOTALL)
    return text


def significant(tokens: list[Token]) -> list[Token]:
    """The tokens without whitespace."""
    return [t for t in tokens if t.type != "whitespace"]


_PLACEHOLDER_RE = re.compile(r"<[A-Za-z][^<>\s]*(?: [^<>\s]+)*>")
_COMPARISON_WORDS = ("==, !=, <, >, <=, >=, contains, startswith, endswith, matcheswords or "
                     "matchesregex")


def check_trait_rule(rule: str) -> None:
    """Raise RuleSyntaxError if ``rule`` is not a trait rule AAM could hold (an empty rule is
    refused too: callers say "no trait rule" before asking)."""
    try:
        _TraitRuleChecker(rule).check()
    except RuleSyntaxError as exc:
        hint = _name_prefix_hint(rule)
        if hint is None:
            raise
        raise RuleSyntaxError(f"{exc.message}; {hint}", exc.position) from None


def _name_prefix_hint(rule: str) -> str | None:
    """Adobe's docs write a trait as ``YoungPeople = p_age < 25``: its name, ``=``, then its
    rule. Say so when the text reads like that and the part after ``=`` is a rule."""
    tokens = significant(tokenize_trait_rule(rule))
    if len(tokens) < 4 or tokens[0].type != "key" or tokens[1].text != "=":
        return None
    rest = rule[tokens[2].start:]
    try:
        _TraitRuleChecker(rest).check()
    except RuleSyntaxError:
        return None
    return (f"it reads as a trait name written in front of its rule ({tokens[0].text} = …); "
            f"the rule itself would be {rest.strip()!r}")


class _TraitRuleChecker:
    def __init__(self, rule: str) -> None:
        self.rule = rule
        self.tokens = significant(tokenize_trait_rule(rule))
        self.index = 0
        self.depth = 0

    def _peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def _fail(self, expected: str) -> NoReturn:
        token = self._peek()
        if token is None:
            raise RuleSyntaxError(f"{expected} but the rule ended", len(self.rule))
        placeholder = _PLACEHOLDER_RE.match(self.rule, token.start)
        if placeholder is not None:
            raise RuleSyntaxError(
                f"{placeholder.group()!r} is a template placeholder, not part of a real rule",
                token.start)
        if token.type == "error":
            if token.text[0] in "\"'" and len(token.text) > 1:
                raise RuleSyntaxError("this string has no closing quote", token.start)
            raise RuleSyntaxError(f"unexpected {token.text!r}", token.start)
        raise RuleSyntaxError(f"{expected}, found {token.text!r}", token.start)

    def check(self) -> None:
        if not self.tokens:
            raise RuleSyntaxError("the rule is empty", 0)
        self._or()
        token = self._peek()
        if token is None:
            return
        previous = self.tokens[self.index - 1]
        if token.type == "key" and previous.type == "string" and previous.text[0] not in "\"'":
            raise RuleSyntaxError(
                f"two words in a row ({previous.text} {token.text}): a value with spaces "
                "needs quotes", token.start)
        self._fail("expected AND, OR or the end of the rule")

    def _or(self) -> None:
        self._and()
        while self._bool_word("or"):
            self.index += 1
            self._and()

    def _and(self) -> None:
        self._not()
        while self._bool_word("and"):
            self.index += 1
            self._not()

    def _bool_word(self, word: str) -> bool:
        token = self._peek()
        return token is not None and token.type == "bool_op" and token.text.lower() == word

    def _not(self) -> None:
        if self._bool_word("not"):
            self._enter(self.tokens[self.index])
            self.index += 1
            self._not()
            self.depth -= 1
            return
        self._primary()

    def _enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_RULE_DEPTH:
            raise RuleSyntaxError(f"the rule nests deeper than {MAX_RULE_DEPTH} levels",
                                  token.start)

    def _primary(self) -> None:
        token = self._peek()
        if token is not None and token.type == "lparen":
            self._enter(token)
            self.index += 1
            self._or()
            if not (next_token := self._peek()) or next_token.type != "rparen":
                self._fail("expected ')'")
            self.index += 1
            self.depth -= 1
            return
        if token is None or token.type != "key":
            self._fail("expected a comparison like key == \"value\"")
        self.index += 1
        operator = self._peek()
        if operator is None or operator.type != "operator":
            self._fail(f"expected an operator ({_COMPARISON_WORDS}) after {token.text!r}")
        self.index += 1
        value = self._peek()
        if value is None or value.type not in ("string", "number"):
            self._fail(f"expected a value after {operator.text!r}")
        self.index += 1
        following = self._peek()
        if (value.text in ('""', "''") and following is not None
                and following.start == value.end and following.type != "rparen"):
            raise RuleSyntaxError(
                f"the value starts with doubled quotes {value.text}: write it in one pair of "
                "quotes", value.start)
