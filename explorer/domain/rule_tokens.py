"""Lossless tokenizing, shared by the trait-rule and the segment-rule tokenizers.

A token is a slice of the rule with a type; concatenating every token's text gives the rule
back exactly, so a highlighter can colour a rule without losing a character of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RuleToken:
    """``rule[start:end] == text``; ``type`` is one of its tokenizer's token types."""

    type: str
    text: str
    start: int
    end: int


# The type of a match, given the type of the last token before it that is not whitespace.
TypeOfMatch = Callable[[re.Match[str], str | None], str]


def tokenize(rule: str, pattern: re.Pattern[str], type_of: TypeOfMatch) -> list[RuleToken]:
    """Split ``rule`` into the matches of ``pattern`` (typed by ``type_of``); a character at
    which nothing matches becomes an ``error`` token of its own, so this never fails."""
    tokens: list[RuleToken] = []
    pos = 0
    previous_significant: str | None = None
    while pos < len(rule):
        match = pattern.match(rule, pos)
        if match is None:
            token = RuleToken("error", rule[pos], pos, pos + 1)
        else:
            token = RuleToken(type_of(match, previous_significant), match.group(), pos,
                              match.end())
        tokens.append(token)
        if token.type != "whitespace":
            previous_significant = token.type
        pos = token.end
    return tokens
