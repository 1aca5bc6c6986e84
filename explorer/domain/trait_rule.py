"""Trait rules tokenized losslessly, so the GUI can highlight them and the report render them.

Syntax (aam-formats.md §9): ``key <op> value`` comparisons joined with ``AND`` / ``OR`` /
``NOT`` and grouped with parentheses; operators ``== != > < >= <= => =`` and the named
``contains matcheswords startswith endswith matchesregex`` (named operators and boolean words
are case-insensitive). Strings are double-quoted (single quotes are accepted too) with
backslash escapes; keys may contain dots (``c_contextdata.catname``).

The tokenizer never fails: characters it cannot place become ``error`` tokens, and
concatenating every token's text gives back the rule exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TOKEN_TYPES = (
    "key", "operator", "string", "number", "bool_op", "lparen", "rparen", "whitespace", "error",
)
NAMED_OPERATORS = ("contains", "matcheswords", "startswith", "endswith", "matchesregex")
SYMBOL_OPERATORS = ("==", "!=", ">=", "<=", "=>", ">", "<", "=")
BOOL_WORDS = ("and", "or", "not")


@dataclass(frozen=True)
class Token:
    """``rule[start:end] == text``; ``type`` is one of TOKEN_TYPES."""

    type: str
    text: str
    start: int
    end: int


_TOKEN_RE = re.compile(
    r"(?P<whitespace>\s+)"
    r"|(?P<string>\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*')"
    r"|(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?![\w.]))"
    r"|(?P<word>[A-Za-z_0-9][\w.\-]*)"
    r"|(?P<operator>==|!=|>=|<=|=>|>|<|=)"
    r"|(?P<lparen>\()|(?P<rparen>\))"
)
# An opening quote with no closing one: the rest of the rule is one error token.
_UNTERMINATED_RE = re.compile(r"[\"'].*", re.DOTALL)


def tokenize_trait_rule(rule: str) -> list[Token]:
    """Split a trait rule into typed tokens (lossless)."""
    tokens: list[Token] = []
    pos = 0
    previous_significant: str | None = None
    while pos < len(rule):
        match = _TOKEN_RE.match(rule, pos) or _UNTERMINATED_RE.match(rule, pos)
        if match is None:
            token = Token("error", rule[pos], pos, pos + 1)
        else:
            token_type = _token_type(match, previous_significant)
            token = Token(token_type, match.group(), pos, match.end())
        tokens.append(token)
        if token.type != "whitespace":
            previous_significant = token.type
        pos = token.end
    return tokens


def _token_type(match: re.Match[str], previous_significant: str | None) -> str:
    group = match.lastgroup
    if group is None:  # the unterminated-string pattern has no named group
        return "error"
    if group != "word":
        return group
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
